"""Catalog entries from an article's segments: one per (msgctxt, msgid), in article order."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.segments.segment import Segment


@dataclass
class Unit:
    """A message as the source defines it: its key and where it occurs."""

    msgid: str
    context: str | None
    occurrences: list[tuple[str, str]] = field(default_factory=list)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, self.msgid)


def units_from_segments(article_id: str, segments: list[Segment]) -> list[Unit]:
    units: dict[tuple[str | None, str], Unit] = {}
    for seg in segments:
        unit = units.setdefault((seg.context, seg.msgid), Unit(seg.msgid, seg.context))
        unit.occurrences.append((article_id, seg.ref))
    return list(units.values())


def source_note(language: str, confidence: float, method: str) -> str:
    if method == "override":
        return f"source: {language} (set by user)"
    return f"source: {language} (langdetect {confidence:.2f})"
