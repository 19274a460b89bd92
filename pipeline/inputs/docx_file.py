"""Word documents (.docx): the paragraphs of the body, footnotes, endnotes, headers and footers.

Headings are the paragraphs whose style is a heading (`Heading1`, or a style named
"heading 1" in styles.xml, or an outline level); the Title style, else the first heading,
is the title. Table cells are paragraphs like any other; those of a header row (w:tblHeader,
or the TableHeading style LibreOffice writes) are table headers. Comments (word/comments.xml) are
left as they are, and so are text boxes' and deleted (tracked) text. Runs are read by
pipeline.inputs.runs: bold, italic, links and other formatting become inline tags; fields,
bookmarks, breaks, tabs, images and notes' reference marks are placeholders.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.core.errors import InputError
from pipeline.inputs.article import Article
from pipeline.inputs.office import add_part, first_heading_is_title, new_article, parse_part, regions
from pipeline.inputs.runs import Dialect
from pipeline.inputs.xml_tree import Node
from pipeline.inputs.zip_package import Package, open_package

WHAT = "Word document"
BODY = "word/document.xml"
# text parts after the body, in this order, each as the zip holds them
MORE = (re.compile(r"word/footnotes\.xml"), re.compile(r"word/endnotes\.xml"))
MORE += (re.compile(r"word/header\d*\.xml"), re.compile(r"word/footer\d*\.xml"))
HEADING = re.compile(r"^(heading|berschrift|titre|titolo|encabezado)\s*\d$|^heading\d$", re.IGNORECASE)


def _hint(key: str) -> str:
    def on(tag: str) -> bool:
        return bool(re.search(rf"<w:{tag}(?:/>|\s*/>|\s+w:val=\"(?:1|true|on)\"\s*/>)", key))

    if on("b"):
        return "b"
    if on("i"):
        return "i"
    if re.search(r"<w:u\s+w:val=\"(?!none)", key):
        return "u"
    return "s"


DIALECT = Dialect(
    paragraphs=frozenset({"w:p"}),
    wrappers=frozenset({"w:r", "w:hyperlink", "w:ins", "w:smartTag", "w:moveTo"}),
    props=frozenset({"w:rPr", "w:pPr"}),
    text=frozenset({"w:t"}),
    ignorable=frozenset({"w:proofErr", "w:lastRenderedPageBreak", "w:noProof"}),
    links=frozenset({"w:hyperlink"}),
    bare_start=frozenset({"w:r"}),  # a run's rsid attributes are editing history, not formatting
    hint=_hint,
    keep_spaces=True,
)


SKIP = frozenset({"w:del", "w:txbxContent"})  # deleted text; text boxes (drawn twice: Choice, Fallback)


def _style_names(package: Package) -> dict[str, str]:
    """styleId -> the style's name, lower case ("heading 1" whatever the id)."""
    if not package.has("word/styles.xml"):
        return {}
    _, root = parse_part(package, "word/styles.xml")
    names = {}
    for style in root.iter("w:style"):
        name = style.first("w:name")
        if "w:styleId" in style.attrs and name is not None:
            names[style.attrs["w:styleId"]] = name.attrs.get("w:val", "").lower()
    return names


def _role(node: Node, names: dict[str, str]) -> str:
    props = node.first("w:pPr")
    if props is None:
        return "table header" if _header_row(node) else "body"
    style = props.first("w:pStyle")
    value = style.attrs.get("w:val", "") if style is not None else ""
    name = names.get(value, value.lower())
    if name == "title" or value == "Title":
        return "title"
    level = props.first("w:outlineLvl")
    outline = level is not None and level.attrs.get("w:val", "9") in {str(n) for n in range(9)}
    if HEADING.match(name) or HEADING.match(value) or outline:
        return "heading"
    if name in {"table heading", "tableheading"} or value == "TableHeading" or _header_row(node):
        return "table header"
    return "body"


def _header_row(node: Node) -> bool:
    """A cell of a row that repeats as the table's header (w:tblHeader), as pandoc writes `th`."""
    row = next((a for a in node.ancestors() if a.name == "w:tr"), None)
    props = row.first("w:trPr") if row is not None else None
    flag = props.first("w:tblHeader") if props is not None else None
    return flag is not None and flag.attrs.get("w:val", "true") not in {"false", "0", "off"}


def read_docx_article(path: Path, data: bytes | None = None) -> Article:
    package = open_package(path, path.read_bytes() if data is None else data, WHAT)
    if not package.has(BODY):
        raise InputError(path, f"{BODY} is missing: not a complete {WHAT}; re-save it from the editor")
    names = _style_names(package)
    members = [BODY] + [n for pattern in MORE for n in package.names() if pattern.fullmatch(n)]
    article = new_article(path)
    found_by_member = []
    for member in members:
        view, root = parse_part(package, member)
        found = regions(view, root, DIALECT, lambda n: _role(n, names), SKIP)
        found_by_member.append((member, view, found))
    first_heading_is_title(found_by_member[0][2])
    for member, view, found in found_by_member:
        add_part(article, view, member, found, "docx")
    return article
