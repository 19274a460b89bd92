"""Catalog entries from an article's segments: one per (msgctxt, msgid), in article order."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.segments.record import part_places, segment_lines, segments_of
from pipeline.segments.segment import Segment
from pipeline.translation.invisible import hidden_notes, shown


@dataclass
class Unit:
    """A message as the source defines it: its key and where it occurs."""

    msgid: str
    context: str | None
    occurrences: list[tuple[str, str]] = field(default_factory=list)
    kind: str = "plain"
    neighbours: str | None = None  # the sentences around it, for a reviewer's context
    lang: str | None = None  # its paragraph's language, in a mixed-language article

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, self.msgid)


NEIGHBOUR_CHARS = 60


def _neighbours(segments: list[Segment], i: int) -> str | None:
    """`context: ...end of the previous sentence | start of the next...` within the paragraph."""
    seg = segments[i]
    before = segments[i - 1].msgid if i > 0 and segments[i - 1].paragraph == seg.paragraph else ""
    nxt = segments[i + 1] if i + 1 < len(segments) else None
    after = nxt.msgid if nxt is not None and nxt.paragraph == seg.paragraph else ""
    if not before and not after:
        return None
    if len(before) > NEIGHBOUR_CHARS:
        before = "..." + before[-NEIGHBOUR_CHARS:].lstrip()
    if len(after) > NEIGHBOUR_CHARS:
        after = after[:NEIGHBOUR_CHARS].rstrip() + "..."
    # ASCII marks: `msgconv -t ISO-8859-1` (or any charset) can re-encode the notes we write
    return shown(f"context: {before or '(paragraph start)'} | {after or '(paragraph end)'}")


def units_from_segments(
    where: str, segments: list[Segment], lines: list[int] | None = None, members: list[str] | None = None
) -> list[Unit]:
    """where: the input's path relative to the inputs folder; lines: each segment's line in it.
    References are `#: path:line` as txt2po and po4a write them, so editors open the source;
    members: in a zip package, each segment's part (`#: book.epub:OEBPS/ch1.xhtml:12`)."""
    units: dict[tuple[str | None, str], Unit] = {}
    for i, seg in enumerate(segments):
        key = (seg.context, seg.msgid)
        if key not in units:
            units[key] = Unit(
                seg.msgid, seg.context, kind=seg.kind, neighbours=_neighbours(segments, i), lang=seg.lang
            )
        ref = (f"{where}:{members[i]}" if members else where, str(lines[i]) if lines else seg.ref)
        seen = units[key].occurrences
        # gettext keeps each reference once; 0.21 reads an isolated name with spaces as two
        # words, so such a file is referenced once per message
        if ref not in seen and not (" " in where and seen):
            seen.append(ref)
    return list(units.values())


def units_from_record(record: dict[str, Any]) -> list[Unit]:
    where = record.get("path") or Path(record["source"]).name
    if record.get("parts"):
        places = part_places(record)
        members = [member for member, _ in places]
        return units_from_segments(where, segments_of(record), [n for _, n in places], members)
    return units_from_segments(where, segments_of(record), segment_lines(record))


def entry_notes(unit: Unit, source_note: str, *more: str | None) -> str:
    """The #. comment: source language, invisible characters in the source, context, then
    where the msgstr came from."""
    if unit.lang:
        source_note = f"source: {unit.lang} (this paragraph; the article is mixed-language)"
        if unit.lang == "und":
            source_note = "source: language unclear in this paragraph; not translated"
    hidden = hidden_notes(unit.msgid, "source")
    return "\n".join(n for n in (source_note, *hidden, unit.neighbours, *more) if n)


def source_note(language: str, confidence: float, method: str) -> str:
    if method == "override":
        return f"source: {language} (set by user)"
    return f"source: {language} (langdetect {confidence:.2f})"
