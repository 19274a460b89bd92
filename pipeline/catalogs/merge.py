"""Update a locale's catalog from the article's current messages, as msgmerge would.

A reviewed entry (not fuzzy, non-empty msgstr) is the translator's: its msgstr, flags and
translator comments are never changed. Everything else is the machine's to refresh.
Messages that left the article become obsolete (#~), never silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import polib

from pipeline.catalogs.entries import Unit
from pipeline.catalogs.pofile import WRAP_WIDTH

DEMO_HEADER = (
    "Machine translations in this catalog come from a demo model with random weights:\n"
    "they are placeholder text, not translations."
)


@dataclass(frozen=True)
class MachineText:
    text: str
    note: str  # provenance, shown as a #. comment while the entry is unreviewed


def is_reviewed(entry: polib.POEntry) -> bool:
    return bool(entry.msgstr) and "fuzzy" not in entry.flags and not entry.obsolete


def merge_catalog(
    units: list[Unit],
    existing: polib.POFile | None,
    machine: dict[str, MachineText],
    source_note: str,
    metadata: dict[str, str],
    header: str,
    untranslated_note: str | None = None,
) -> polib.POFile:
    po = polib.POFile(wrapwidth=WRAP_WIDTH)
    po.header = header
    po.metadata = metadata
    old: dict[tuple[str | None, str], polib.POEntry] = {}
    if existing is not None:
        for entry in existing:
            old[(entry.msgctxt, entry.msgid)] = entry
    seen = set()
    for unit in units:
        seen.add(unit.key)
        previous = old.get(unit.key)
        entry = polib.POEntry(msgid=unit.msgid, msgctxt=unit.context, occurrences=unit.occurrences)
        if previous is not None:
            entry.tcomment = previous.tcomment
        if previous is not None and is_reviewed(previous):
            entry.msgstr = previous.msgstr
            entry.flags = list(previous.flags)
            entry.comment = source_note
        elif previous is not None and previous.obsolete and previous.msgstr:
            # a message that came back: offer its old translation for review
            entry.msgstr = previous.msgstr
            entry.flags = _with_fuzzy(previous.flags)
            entry.comment = f"{source_note}\nrestored from an obsolete entry"
        elif unit.msgid in machine:
            mt = machine[unit.msgid]
            entry.msgstr = mt.text
            entry.flags = _with_fuzzy(previous.flags if previous else [])
            entry.comment = f"{source_note}\n{mt.note}"
        else:
            entry.msgstr = ""
            entry.flags = [f for f in (previous.flags if previous else []) if f != "fuzzy"]
            entry.comment = source_note + (f"\n{untranslated_note}" if untranslated_note else "")
        po.append(entry)
    for key, previous in old.items():
        if key in seen or not previous.msgstr:
            continue
        previous.obsolete = True
        previous.occurrences = []
        po.append(previous)
    return po


def _with_fuzzy(flags: list[str]) -> list[str]:
    return ["fuzzy", *[f for f in flags if f != "fuzzy"]]
