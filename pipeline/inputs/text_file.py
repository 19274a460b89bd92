"""Plain-text articles: first non-empty line is the title, every other line a paragraph.

News copy separates paragraphs by blank lines or by single newlines, so each non-empty
line is a paragraph; the newlines and blank lines between them are kept as layout.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.core.errors import InputError
from pipeline.inputs.article import Article, Paragraph
from pipeline.inputs.encoding import decode
from pipeline.inputs.ids import article_id

_LINE = re.compile(r"[^\r\n]*(\r\n|\n|\r|$)")


def parse_text(path: Path, text: str, explicit_id: str | None = None) -> Article:
    paragraphs, layout = text_paragraphs(text, first_is_title=True)
    if not paragraphs:
        raise InputError(path, "no text in this article (empty or whitespace only); add text")
    return Article(id=article_id(path, explicit_id), source=path, paragraphs=paragraphs, layout=layout)


def text_paragraphs(
    text: str, first_is_title: bool, start: int = 0
) -> tuple[list[Paragraph], list[str | int]]:
    """Each non-empty line a paragraph (indexes from start); the rest is layout."""
    paragraphs: list[Paragraph] = []
    layout: list[str | int] = []
    pending = ""
    for match in _LINE.finditer(text):
        line = match.group(0)
        if not line:
            break
        body = line.rstrip("\r\n")
        stripped = body.strip()
        if not stripped:
            pending += line
            continue
        lead = body[: len(body) - len(body.lstrip())]
        trail = line[len(body.rstrip()) :]
        pending += lead
        if pending:
            layout.append(pending)
        index = start + len(paragraphs)
        role = "title" if first_is_title and not paragraphs else "body"
        paragraphs.append(Paragraph(index, stripped, role))
        layout.append(index)
        pending = trail
    if pending:
        layout.append(pending)
    return paragraphs, layout


def read_text_article(path: Path, data: bytes | None = None) -> Article:
    decoded = decode(path, (path.read_bytes() if data is None else data))
    article = parse_text(path, decoded.text)
    article.meta["encoding"] = decoded.encoding
    article.warnings += decoded.warnings
    return article
