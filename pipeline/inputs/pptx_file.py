"""PowerPoint decks (.pptx): the paragraphs of each slide, then of each slide's notes.

The same reader as .docx (pipeline.inputs.runs) with DrawingML's names: `a:p` paragraphs,
`a:r` runs with `a:rPr` properties (bold, italic, a link's `a:hlinkClick`), `a:t` text,
fields (`a:fld`, the slide number) and breaks as placeholders. Slides are read in the
order of their part names (slide1, slide2, ...), which is the order PowerPoint, LibreOffice
and pandoc write; a deck whose slides were reordered by hand is still translated whole,
its references name the part. A title placeholder is a heading, the first one the title.
Slide masters and layouts (their prompt text) are left as they are.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.core.errors import InputError
from pipeline.inputs.article import Article
from pipeline.inputs.office import add_part, first_heading_is_title, new_article, parse_part, regions
from pipeline.inputs.runs import Dialect
from pipeline.inputs.xml_tree import Node
from pipeline.inputs.zip_package import open_package

WHAT = "PowerPoint deck"
SLIDE = re.compile(r"ppt/slides/slide(\d+)\.xml")
NOTES = re.compile(r"ppt/notesSlides/notesSlide(\d+)\.xml")
TITLES = {"title", "ctrTitle"}


def _hint(key: str) -> str:
    if "<a:hlinkClick" in key:
        return "a"
    for letter, attr in (("b", "b"), ("i", "i")):
        if re.search(rf'<a:rPr\b[^>]*\s{attr}="(?:1|true)"', key):
            return letter
    if re.search(r'<a:rPr\b[^>]*\su="(?!none)', key):
        return "u"
    return "s"


DIALECT = Dialect(
    paragraphs=frozenset({"a:p"}),
    wrappers=frozenset({"a:r"}),
    props=frozenset({"a:rPr", "a:pPr"}),
    text=frozenset({"a:t"}),
    ignorable=frozenset(),
    hint=_hint,
    closing=frozenset({"a:endParaRPr"}),
)


def _role(node: Node) -> str:
    shape = next((a for a in node.ancestors() if a.name == "p:sp"), None)
    if shape is not None:
        for holder in shape.iter("p:ph"):
            if holder.attrs.get("type") in TITLES:
                return "heading"
    return "body"


def _numbered(names: list[str], pattern: re.Pattern[str]) -> list[str]:
    found = [(int(m.group(1)), name) for name in names if (m := pattern.fullmatch(name))]
    return [name for _, name in sorted(found)]


def read_pptx_article(path: Path, data: bytes | None = None) -> Article:
    package = open_package(path, path.read_bytes() if data is None else data, WHAT)
    slides = _numbered(package.names(), SLIDE)
    if not slides:
        raise InputError(path, f"no ppt/slides/slide1.xml: not a {WHAT} with slides; re-save it")
    article = new_article(path)
    found = []
    for member in [*slides, *_numbered(package.names(), NOTES)]:
        view, root = parse_part(package, member)
        found.append((member, view, regions(view, root, DIALECT, _role)))
    first_heading_is_title([r for _, _, part in found for r in part])
    for member, view, part in found:
        add_part(article, view, member, part, "pptx")
    return article
