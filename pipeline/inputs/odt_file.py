"""OpenDocument text (.odt): the paragraphs and headings of content.xml, then the headers and
footers in styles.xml; OpenDocument presentations (.odp): content.xml's slides and notes
(a frame of class title is a heading; the masters' prompts in styles.xml are left alone).

`text:h` is a heading; a paragraph whose style (or its automatic style's parent) is Title
is the title, else the first heading is. Table cells are paragraphs like any other; a
header row's (or the Table Heading style's) are table headers. A footnote's paragraphs are
paragraphs of their own, written back inside the paragraph that cites them. Comments
(`office:annotation`) and tracked deletions are left as they are. Spans and links become
inline tags (pipeline.inputs.runs); bookmarks, fields, frames, tabs and line breaks
placeholders; `text:s` is read as spaces.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from pipeline.core.errors import InputError
from pipeline.inputs.article import Article
from pipeline.inputs.office import add_part, first_heading_is_title, new_article, parse_part, regions
from pipeline.inputs.runs import Dialect
from pipeline.inputs.xml_tree import Node
from pipeline.inputs.zip_package import open_package

WHAT = "OpenDocument text"
PRESENTATION = "OpenDocument presentation"
BODY = "content.xml"
# comments, tracked deletions, and where no text is
SKIP = frozenset(
    {"office:annotation", "text:tracked-changes", "office:automatic-styles", "office:font-face-decls"}
)

DIALECT = Dialect(
    paragraphs=frozenset({"text:p", "text:h"}),
    wrappers=frozenset({"text:span", "text:a", "text:meta"}),
    props=frozenset(),
    text=frozenset(),
    ignorable=frozenset({"text:soft-page-break"}),
    spaces=frozenset({"text:s"}),
    links=frozenset({"text:a"}),
)
_STYLE = re.compile(r'text:style-name="([^"]*)"')


@dataclasses.dataclass
class Styles:
    parents: dict[str, str]  # automatic style -> the named style it refines
    letters: dict[str, str]  # text style -> "b", "i", "u" or "s"

    def named(self, name: str) -> str:
        return self.parents.get(name, name)

    def hint(self, key: str) -> str:
        found = _STYLE.search(key)
        return self.letters.get(found.group(1), "s") if found else "s"


def _styles(roots: list[Node]) -> Styles:
    """Automatic styles' parents (P1 -> Heading_20_1; a named style is taken as it is named)
    and the tag letter of each text style."""
    styles = Styles({}, {})
    for root in roots:
        for automatic in root.iter("office:automatic-styles"):
            for style in automatic.iter("style:style"):
                if style.attrs.get("style:parent-style-name"):
                    styles.parents[style.attrs.get("style:name", "")] = style.attrs["style:parent-style-name"]
        for style in root.iter("style:style"):
            name = style.attrs.get("style:name", "")
            props = style.first("style:text-properties")
            if props is not None:
                attrs = props.attrs
                if attrs.get("fo:font-weight") == "bold":
                    styles.letters[name] = "b"
                elif attrs.get("fo:font-style") == "italic":
                    styles.letters[name] = "i"
                elif attrs.get("style:text-underline-style", "none") != "none":
                    styles.letters[name] = "u"
    return styles


def _role(node: Node, styles: Styles) -> str:
    style = styles.named(node.attrs.get("text:style-name", ""))
    if style == "Title":
        return "title"
    if node.name == "text:h" or style.startswith("Heading"):
        return "heading"
    frame = next((a for a in node.ancestors() if a.name == "draw:frame"), None)
    if frame is not None and frame.attrs.get("presentation:class") == "title":
        return "heading"  # a slide's title
    if style == "Table_20_Heading" or any(a.name == "table:table-header-rows" for a in node.ancestors()):
        return "table header"
    return "body"


def read_odt_article(path: Path, data: bytes | None = None, what: str = WHAT) -> Article:
    package = open_package(path, path.read_bytes() if data is None else data, what)
    if not package.has(BODY):
        raise InputError(path, f"{BODY} is missing: not a complete {what}; re-save it from the editor")
    parts = [(BODY, *parse_part(package, BODY))]
    if package.has("styles.xml") and what == WHAT:  # a presentation's masters hold prompts
        parts.append(("styles.xml", *parse_part(package, "styles.xml")))
    styles = _styles([root for _, _, root in parts])
    dialect = dataclasses.replace(DIALECT, hint=styles.hint)
    article = new_article(path)
    found = [
        (member, view, regions(view, root, dialect, lambda n: _role(n, styles), SKIP))
        for member, view, root in parts
    ]
    first_heading_is_title(found[0][2])
    for member, view, part in found:
        add_part(article, view, member, part, "odt")
    return article


def read_odp_article(path: Path, data: bytes | None = None) -> Article:
    """OpenDocument presentations: the same text elements in frames on slides (and notes)."""
    return read_odt_article(path, data, PRESENTATION)
