"""What locpipe last wrote in an article's catalog, per locale: the digest of every
unreviewed text it put there (machine text, memory offers, carried reviews, a translator's
fuzzy drafts), the digest of every reviewed text it kept, the notes of obsolete entries, and
the texts reviewers rejected (cleared), which no step offers again for that message.

It is how a message's state comes from provenance (pipeline.catalogs.message): a text
locpipe wrote unreviewed stays unreviewed when a tool strips its flag, and a reviewed text
that is gone from a live entry was rejected. One writer: the task that writes the catalog.
Losing it (`.locpipe/` deleted) falls back to flags and notes, as before it existed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.core.atomic import write_state


@dataclass(frozen=True)
class Ledger:
    unreviewed: dict[str, str] = field(default_factory=dict)  # message digest -> state
    reviewed: dict[str, str] = field(default_factory=dict)  # key digest -> text digest
    notes: dict[str, str] = field(default_factory=dict)  # key digest -> #. of an obsolete entry
    rejected: dict[str, str] = field(default_factory=dict)  # key digest -> the cleared text's digest


def load_ledger(path: Path) -> Ledger | None:
    """None when there is none (or it cannot be read: it is rebuilt by the next write)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Ledger(
            dict(data["unreviewed"]),
            dict(data["reviewed"]),
            dict(data.get("notes", {})),
            dict(data.get("rejected", {})),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save_ledger(path: Path, ledger: Ledger, old: Ledger | None) -> None:
    """old: the ledger as read before the catalog was written (not written again if equal)."""
    if old == ledger:
        return
    data = {"unreviewed": ledger.unreviewed, "reviewed": ledger.reviewed, "notes": ledger.notes}
    write_state(path, {**data, "rejected": ledger.rejected})
