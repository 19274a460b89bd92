"""Per-locale JSONL feeds: each member article renders its own line; one task per feed and
locale joins them in input order (one writer per file)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipeline.core.atomic import write_text
from pipeline.inputs.ids import article_id
from pipeline.inputs.jsonl_file import member_lines, parse_member, render_member

WORK_FEEDS = Path(".locpipe") / "feed"


def feed_id(source: Path) -> str:
    return article_id(source)


def feed_path(outputs: Path, locale: str, source: Path) -> Path:
    return outputs / locale / f"{feed_id(source)}.jsonl"


def part_path(outputs: Path, locale: str, source: Path, line: int, digest: str) -> Path:
    return outputs / WORK_FEEDS / locale / feed_id(source) / f"{line:06d}-{digest[:16]}.json"


def write_part(
    outputs: Path, locale: str, record: dict[str, Any], rendered: str
) -> tuple[dict[str, Any], Path]:
    source, line = Path(record["source"]), int(record["member"])
    data = render_member(source, line, rendered)
    digest = parse_member(source, line, member_lines(source)[line - 1]).digest
    path = part_path(outputs, locale, source, line, digest)
    write_text(path, json_line(data), durable=False)  # keys in input order; rendered again
    return data, path


def json_line(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False) + "\n"


def write_feed(outputs: Path, locale: str, source: Path, members: list[tuple[int, str]]) -> Path:
    """members: (line, digest) in input order; a member without a rendered line (skipped for
    this locale) is written as it came."""
    lines = []
    text_lines = member_lines(source)
    for line, digest in members:
        part = part_path(outputs, locale, source, line, digest)
        if part.exists():
            lines.append(json_line(json.loads(part.read_text(encoding="utf-8"))))
        else:
            lines.append(json_line(parse_member(source, line, text_lines[line - 1]).data))
    path = feed_path(outputs, locale, source)
    write_text(path, "".join(lines), durable=False)  # joined again from its parts
    return path
