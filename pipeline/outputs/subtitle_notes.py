"""Reading-speed and line-limit notes on a subtitle article's catalog entries.

The notes are worked out from the cues as this locale's rendered file shows them (the same
texts render_article chooses), so a translator sees on the entry which cue is too fast or
too long in their language; they are replaced on every write, never piled up.
"""

from __future__ import annotations

from typing import Any

import polib

from pipeline.inputs.subtitle_file import KIND
from pipeline.outputs.render import QualityFloor, chosen_texts
from pipeline.outputs.subtitle_layout import NOTE, SubtitleLimits, lay_out
from pipeline.segments.record import article_from_record, segments_of


def add_subtitle_notes(
    record: dict[str, Any], po: polib.POFile, floor: QualityFloor, limits: SubtitleLimits
) -> None:
    """Each entry's `#.` comment gets a `subtitle:` line per cue over a limit that shows its text."""
    if record.get("member") or not any(p.get("kind") == KIND for p in record["paragraphs"]):
        return
    segments = segments_of(record)
    article = article_from_record(record)
    laid = lay_out(article, segments, chosen_texts(article, segments, po, floor), limits)
    by_key: dict[tuple[str | None, str], list[str]] = {}
    for i, notes in laid.notes.items():
        found = by_key.setdefault((segments[i].context, segments[i].msgid), [])
        found += [n for n in notes if n not in found]
    for entry in po:
        if entry.obsolete:
            continue
        kept = [line for line in (entry.comment or "").splitlines() if not line.startswith(NOTE)]
        entry.comment = "\n".join([*kept, *by_key.get((entry.msgctxt, entry.msgid), [])])
