"""JSONL feeds: one article per line, `{"id", "title", "body", "lang"?, "format"?}` plus any other keys.

Each line is an article of its own (its digest is the line's, so editing one line reruns
that article only). The rendered feed has the same lines in the same order with title and
body translated and every other key as it was. A line that is not such an object is an
error naming file and line; the other lines go on.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.core.errors import InputError
from pipeline.inputs.article import Article, Paragraph
from pipeline.inputs.encoding import decode
from pipeline.inputs.ids import article_id
from pipeline.inputs.text_file import text_paragraphs

TITLE_END = "\x1e"  # between title and body in a rendered member; never in text


@dataclass(frozen=True)
class Member:
    line: int  # 1-based
    id: str
    digest: str
    data: dict[str, Any]


def member_lines(path: Path) -> list[str]:
    """The feed's lines, decoded once per process while the file is unchanged: each of its
    articles' tasks reads its own line, and a feed can hold thousands."""
    return _read(path)[0]


def feed_warnings(path: Path) -> tuple[str, ...]:
    """What decoding the feed found (stray bytes, NULs): each of its articles carries it."""
    return _read(path)[1]


def _read(path: Path) -> tuple[list[str], tuple[str, ...]]:
    info = path.stat()
    return _lines(path, info.st_mtime_ns, info.st_size)


@lru_cache(maxsize=4)
def _lines(path: Path, _mtime: int, _size: int) -> tuple[list[str], tuple[str, ...]]:
    decoded = decode(path, path.read_bytes())
    # lines end at \n, \r\n or \r only: JSON strings may hold U+2028, U+0085 raw (splitlines
    # would cut a line there)
    lines = re.split(r"\r\n|\r|\n", decoded.text)
    return (lines[:-1] if lines and not lines[-1] else lines), decoded.warnings


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # JSON allows "\\ud800"; UTF-8 cannot hold it


def parse_member(path: Path, number: int, line: str) -> Member:
    where = f"{path}:{number}"
    try:
        data = json.loads(line)
    except ValueError as exc:
        reason = exc.args[0].split(":")[0]
        raise InputError(where, f"not valid JSON ({reason}); fix or remove the line") from None
    if not isinstance(data, dict):
        raise InputError(where, 'not a JSON object; each line is {"id", "title", "body"}')
    missing = [k for k in ("id", "title", "body") if not isinstance(data.get(k), (str, int))]
    if missing:
        raise InputError(where, f"missing or non-text {', '.join(missing)}; each line needs id, title, body")
    for key in ("id", "title", "body", "lang"):
        value = data.get(key)
        if isinstance(value, str) and (lone := _LONE_SURROGATE.search(value)):
            raise InputError(
                where,
                f"{key} holds a lone surrogate escape (\\u{ord(lone.group()):04x}), which is not text "
                "(half of a UTF-16 pair); fix or remove the line",
            )
    digest = hashlib.sha256(line.encode("utf-8")).hexdigest()
    try:
        return Member(number, article_id(path, str(data["id"])), digest, data)
    except InputError as exc:
        raise InputError(where, exc.message) from None


def read_members(path: Path) -> tuple[list[Member], list[InputError]]:
    members, errors = [], []
    for number, line in enumerate(member_lines(path), start=1):
        if not line.strip():
            continue
        try:
            members.append(parse_member(path, number, line))
        except InputError as exc:
            errors.append(exc)
    if not members and not errors:
        errors.append(InputError(path, "no articles in this JSONL file; add one JSON object per line"))
    return members, errors


def read_member_article(path: Path, number: int) -> Article:
    member = parse_member(path, number, member_lines(path)[number - 1])
    title, body_text = str(member.data["title"]), str(member.data["body"])
    warnings = list(feed_warnings(path))
    if "\x00" in title + body_text:  # a \u0000 escape: JSON allows it, a catalog must not hold it
        title, body_text = title.replace("\x00", ""), body_text.replace("\x00", "")
        warnings.append(InputError(f"{path}:{number}", "NUL character (\\u0000) removed; remove it").line())
    title = title.strip()
    if str(member.data.get("format", "")).lower() == "html":
        body, layout = html_paragraphs(path, body_text, member.id)
    else:
        body, layout = text_paragraphs(body_text, first_is_title=False, start=1)
    if not title and not body:
        raise InputError(f"{path}:{number}", "title and body are empty; add text")
    lang = member.data.get("lang")
    return Article(
        id=member.id,
        source=path,
        paragraphs=[Paragraph(0, title, "title"), *body],
        layout=[0, TITLE_END, *layout],
        lang_hint=str(lang) if lang else None,
        meta={"line": str(number), "digest": member.digest},  # the line as read
        warnings=warnings,
    )


def html_paragraphs(path: Path, body: str, member_id: str) -> tuple[list[Paragraph], list[str | int]]:
    """A body that says "format": "html": read as an HTML fragment, after the title."""
    from pipeline.inputs.html_file import parse_html

    try:
        article = parse_html(path, body, member_id, start=1, title_from_heading=False)
    except InputError:  # no text in the body: the title alone is the article
        return [], [body] if body else []
    return article.paragraphs, article.layout


def render_member(path: Path, number: int, rendered: str) -> dict[str, Any]:
    """The member's object with title and body replaced by the rendered text."""
    data = dict(parse_member(path, number, member_lines(path)[number - 1]).data)
    title, _, body = rendered.partition(TITLE_END)
    data["title"], data["body"] = title, body
    return data
