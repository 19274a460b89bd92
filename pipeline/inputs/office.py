"""Word-processor documents (.docx, .odt) as articles: the paragraphs of their text parts.

Each text part (an XML member of the zip) is sliced at its paragraphs: the layout holds the
XML between paragraphs as literal text and each paragraph's index, so rendering joins the
part again with only paragraphs changed (pipeline.outputs.document). A paragraph inside
another one's opaque content (a footnote in .odt, a text box) is a paragraph of its own,
written back inside its host. `Article.parts` says which layout items belong to which
member: a package's references read `report.docx:word/document.xml:12` (the part, and the
paragraph's number in it, counting the paragraphs with text).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.errors import InputError
from pipeline.inputs.article import Article, Paragraph
from pipeline.inputs.ids import article_id
from pipeline.inputs.runs import Dialect, message_of, real
from pipeline.inputs.xml_tree import Node, XMLRefused, parse
from pipeline.inputs.zip_package import Package


@dataclass
class Region:
    node: Node
    text: str
    source: str
    role: str
    inside: bool  # within another paragraph: written back there, not in the layout


def parse_part(package: Package, member: str) -> tuple[str, Node]:
    """(latin-1 view of the bytes, root): a part that is not UTF-8 XML is refused."""
    data = package.read(member)
    head = data[:200].lower()
    if b"encoding=" in head.split(b"?>")[0] and not any(
        f"encoding={q}{name}{q}".encode() in head for q in "\"'" for name in ("utf-8", "utf8")
    ):
        problem = f"{member} is not UTF-8 XML; re-save the {package.what} from the editor"
        raise InputError(package.path, problem)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(package.path, f"{member} is not UTF-8; re-save the {package.what}") from None
    try:
        return data.decode("latin-1"), parse(data)
    except XMLRefused as exc:
        raise InputError(package.path, f"{member} {exc}; not read, re-save the {package.what}") from None


def regions(
    view: str,
    root: Node,
    dialect: Dialect,
    role_of: Callable[[Node], str],
    skip: frozenset[str] = frozenset(),
) -> list[Region]:
    """Paragraphs with text, in document order; none inside an element named in skip."""
    found: list[Region] = []
    hosts: set[int] = set()
    todo = [root]
    while todo:
        node = todo.pop()
        if node.name in skip:
            continue
        if node.name in dialect.paragraphs:
            message = message_of(view, node, dialect)
            if message is not None:
                text, source = message
                inside = any(id(a) in hosts for a in node.ancestors())
                found.append(Region(node, text, source, role_of(node), inside))
                hosts.add(id(node))
        todo.extend(reversed([c for c in node.children if isinstance(c, Node)]))
    return found


def add_part(article: Article, view: str, member: str, found: list[Region], kind: str) -> None:
    """The member's paragraphs and layout appended to the article."""
    first_layout = len(article.layout)
    first = len(article.paragraphs)
    cursor = 0
    for region in found:
        index = len(article.paragraphs)
        text_kind = f"{kind}-in" if region.inside else kind
        article.paragraphs.append(Paragraph(index, region.text, region.role, text_kind, region.source))
        if region.inside:
            continue
        if region.node.start > cursor:
            article.layout.append(real(view[cursor : region.node.start]))
        article.layout.append(index)
        cursor = region.node.end
    article.layout.append(real(view[cursor:]))
    article.parts.append([member, len(article.layout) - first_layout, len(article.paragraphs) - first, kind])


def first_heading_is_title(found: list[Region]) -> None:
    """A document without a Title paragraph is named by its first heading, as in HTML."""
    if not any(r.role == "title" for r in found):
        heading = next((r for r in found if r.role == "heading"), None)
        if heading:
            heading.role = "title"


def new_article(path: Path) -> Article:
    return Article(id=article_id(path), source=path, paragraphs=[], layout=[], parts=[])
