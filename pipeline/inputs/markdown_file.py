"""Markdown articles: the text of each block is translated, the markup around it is not.

markdown-it-py (CommonMark) finds the blocks. Each heading, paragraph (in lists and block
quotes too) and table cell becomes a paragraph of the article (a cell that is only a number,
a boolean, an HTTP method or inline code stays as written); everything else (markers,
indentation, code blocks, HTML blocks, rules, link definitions) stays as literal layout,
byte for byte. Inline markup inside a block (emphasis, links, code spans) stays in the
text: the reviewer sees it in the msgid and the MT step protects it.

A YAML front matter block (`---`) may set `lang:` (overrides detection) and `title:`
(translated); other keys are kept as they are.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

from pipeline.core.errors import InputError
from pipeline.inputs.article import Article, Paragraph
from pipeline.inputs.encoding import decode
from pipeline.inputs.ids import article_id
from pipeline.inputs.literal import is_literal_markdown

_FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
BLOCKS = {"paragraph_open", "heading_open"}
# Block nesting markdown-it parses (each list counts two levels: list and item; a quote one).
# Real articles stay under ten; parsing is recursive, so the bound also keeps Python's stack.
MAX_NESTING = 40
CONTAINERS = {"blockquote_open", "list_item_open"}  # their content is parsed one level deeper
_TITLE_LINE = re.compile(r"^title:[ \t]*(.*?)[ \t]*$", re.MULTILINE)


class _Regions:
    """Translatable (start, end, paragraph) regions, in file order."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.line_starts = [0]
        for i, ch in enumerate(text):
            if ch == "\n":
                self.line_starts.append(i + 1)
        self.found: list[tuple[int, int, str, str, str]] = []  # start, end, text, role, kind

    def line(self, n: int) -> tuple[int, str]:
        start = self.line_starts[n]
        end = self.line_starts[n + 1] - 1 if n + 1 < len(self.line_starts) else len(self.text)
        return start, self.text[start:end]

    def add_block(self, first_line: int, content: str, role: str) -> None:
        """content: the block's inline text, container prefixes stripped, one entry per line."""
        lines = content.split("\n")
        begin, first = self.line(first_line)
        end_at, last = self.line(first_line + len(lines) - 1)
        start = first.rfind(lines[0]) if len(lines) > 1 else first.find(lines[0])
        stop = last.rfind(lines[-1])
        if start < 0 or stop < 0:
            return  # the parser rewrote this text (tabs, entities): keep it as it is
        self.found.append((begin + start, end_at + stop + len(lines[-1]), content, role, "markdown"))

    def add_row(self, line_no: int, role: str) -> None:
        begin, row = self.line(line_no)
        for start, end in _cells(row):
            cell = row[start:end]
            if cell.strip() and not is_literal_markdown(cell):  # `4`, `GET`: layout, as written
                lead = len(cell) - len(cell.lstrip())
                self.found.append(
                    (begin + start + lead, begin + start + len(cell.rstrip()), cell.strip(), role, "cell")
                )


def _cells(row: str) -> list[tuple[int, int]]:
    """Cell spans of a table row: split at pipes that are not escaped or in code spans."""
    bounds, start, i, tick = [], 0, 0, 0
    while i < len(row):
        ch = row[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "`":
            run = len(row[i:]) - len(row[i:].lstrip("`"))
            tick = 0 if tick == run else tick or run
            i += run
            continue
        if ch == "|" and not tick:
            bounds.append((start, i))
            start = i + 1
        i += 1
    bounds.append((start, len(row)))
    if row.lstrip().startswith("|"):
        bounds = bounds[1:]
    if row.rstrip().endswith("|") and bounds and not row[bounds[-1][0] : bounds[-1][1]].strip():
        bounds = bounds[:-1]
    return bounds


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable(["table", "strikethrough"])


def _check_depth(path: Path, tokens: list[Any], first_line: int) -> None:
    """markdown-it stops parsing inside a container at maxNesting and skips its content;
    that text would be copied untranslated without a word, so it is an error instead."""
    for token in tokens:
        if token.type in CONTAINERS and token.level >= MAX_NESTING - 1:
            line = first_line + (token.map[0] if token.map else 0) + 1
            raise InputError(
                f"{path}:{line}",
                f"Markdown nested over {MAX_NESTING} levels deep here (a list counts two, a quote one); "
                "the deeper text would stay untranslated; flatten the nesting",
            )


def _front_matter(text: str, path: Path) -> tuple[dict[str, Any], int, tuple[int, int] | None]:
    """(keys, where the body starts, the title value's span)."""
    match = _FRONT.match(text)
    if not match:
        return {}, 0, None
    import yaml

    try:
        data = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 2}" if mark else str(path)
        raise InputError(where, "front matter is not valid YAML; fix it or remove the --- block") from None
    if not isinstance(data, dict):
        raise InputError(path, "front matter is not a YAML mapping (key: value lines); fix it")
    title = _TITLE_LINE.search(match.group(1))
    span = None
    if title and isinstance(data.get("title"), str) and title.group(1):
        offset = match.start(1)
        span = (offset + title.start(1), offset + title.end(1))
    return data, match.end(), span


def parse_markdown(path: Path, text: str, explicit_id: str | None = None) -> Article:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta, body_start, title_span = _front_matter(text, path)
    regions = _Regions(text)
    if title_span:
        regions.found.append((*title_span, str(meta["title"]), "title", "yaml"))
    body_first_line = text[:body_start].count("\n")
    env: dict[str, Any] = {}
    tokens = _parser().parse(text[body_start:], env)
    _check_depth(path, tokens, text[:body_start].count("\n"))
    heading_seen = bool(title_span)
    section = ""
    for i, token in enumerate(tokens):
        if token.type in {"thead_open", "tbody_open"}:
            section = token.type
        elif token.type == "tr_open" and token.map:
            role = "table header" if section == "thead_open" else "body"
            regions.add_row(body_first_line + token.map[0], role)
        elif token.type == "inline" and token.map and tokens[i - 1].type in BLOCKS:
            if not token.content.strip():
                continue
            role = "body"
            if tokens[i - 1].type == "heading_open":
                role = "heading" if heading_seen else "title"
                heading_seen = True
            regions.add_block(body_first_line + token.map[0], token.content, role)
    paragraphs: list[Paragraph] = []
    layout: list[str | int] = []
    cursor = 0
    for start, end, content, role, kind in sorted(regions.found):
        if start < cursor:
            continue
        if start > cursor:
            layout.append(text[cursor:start])
        source = text[start:end]
        index = len(paragraphs)
        paragraphs.append(Paragraph(index, content, role, kind, None if source == content else source))
        layout.append(index)
        cursor = end
    if cursor < len(text):
        layout.append(text[cursor:])
    lang = meta.get("lang")
    return Article(
        id=article_id(path, explicit_id),
        source=path,
        paragraphs=paragraphs,
        layout=layout,
        lang_hint=str(lang) if lang else None,
        references=tuple(sorted(env.get("references", {}))),
    )


def read_markdown_article(path: Path, data: bytes | None = None) -> Article:
    decoded = decode(path, (path.read_bytes() if data is None else data))
    article = parse_markdown(path, decoded.text)
    article.meta["encoding"] = decoded.encoding
    article.warnings += decoded.warnings
    return article
