"""Plain-text articles: first non-empty line is the title, every other line a paragraph.

News copy separates paragraphs by blank lines or by single newlines, so each non-empty
line is a paragraph; the newlines and blank lines between them are kept as layout.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.errors import InputError
from pipeline.inputs.article import Article, Paragraph
from pipeline.inputs.ids import article_id

_LINE = re.compile(r"[^\r\n]*(\r\n|\n|\r|$)")


def decode(path: Path, data: bytes) -> str:
    """UTF-8 text (BOM allowed) or a one-line error saying what the file is instead."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(path, "UTF-16 text is not read yet; save the file as UTF-8")
    if b"\x00" in data[:8192]:
        raise InputError(path, "binary file, not text; remove it from the inputs folder")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            path,
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); save the file as UTF-8",
        ) from None


def parse_text(path: Path, text: str, explicit_id: str | None = None) -> Article:
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
        index = len(paragraphs)
        paragraphs.append(Paragraph(index, stripped, "title" if index == 0 else "body"))
        layout.append(index)
        pending = trail
    if pending:
        layout.append(pending)
    if not paragraphs:
        raise InputError(path, "no text in this article (empty or whitespace only); add text")
    return Article(id=article_id(path, explicit_id), source=path, paragraphs=paragraphs, layout=layout)


def read_text_article(path: Path) -> Article:
    return parse_text(path, decode(path, path.read_bytes()))
