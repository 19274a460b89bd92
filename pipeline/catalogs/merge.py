"""Update a locale's catalog from the article's current messages, as msgmerge would.

A reviewed entry (not fuzzy, non-empty msgstr) is the translator's: its msgstr, flags and
translator comments are never changed. Everything else is the machine's to refresh.
Messages that left the article become obsolete (#~), never silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import polib

from pipeline.catalogs.entries import Unit, entry_notes
from pipeline.catalogs.pofile import WRAP_WIDTH
from pipeline.catalogs.state import catalog_languages, is_reviewed, review_problems
from pipeline.translation.protect import format_flags

DEMO_HEADER = (
    "Machine translations in this catalog come from a demo model with random weights:\n"
    "they are placeholder text, not translations."
)


@dataclass(frozen=True)
class MachineText:
    text: str
    note: str  # provenance, shown as a #. comment while the entry is unreviewed


@dataclass(frozen=True)
class Suggestion:
    """Reviewed text offered for a message that has none: from memory or an earlier source."""

    text: str
    note: str
    previous_msgid: str | None = None  # the old source, written as #| msgid
    previous_msgctxt: str | None = None  # its context, written as #| msgctxt


def unit_id(context: str | None, msgid: str) -> str:
    """gettext's own key for a message: msgctxt EOT msgid."""
    return f"{context}\x04{msgid}" if context is not None else msgid


def kept_machine(previous: polib.POEntry | None, provenance: frozenset[str]) -> str | None:
    """The machine notes of an unreviewed entry made with one of these models and decoding
    settings, or None."""
    if previous is None or not previous.msgstr or "fuzzy" not in previous.flags or previous.obsolete:
        return None
    lines = previous.comment.splitlines()
    start = next((i for i, line in enumerate(lines) if line in provenance), None)
    return None if start is None else "\n".join(lines[start:])


def merge_catalog(
    units: list[Unit],
    existing: polib.POFile | None,
    machine: dict[str, MachineText],
    source_note: str,
    metadata: dict[str, str],
    header: str,
    untranslated_note: str | None = None,
    suggestions: dict[str, Suggestion] | None = None,
    reasons: dict[str, str] | None = None,
    provenance: frozenset[str] = frozenset(),
) -> polib.POFile:
    """Reviewed entries as they are, then suggestions, then MT; left messages go obsolete.

    provenance: machine notes whose text may stay as it is when no stored result is at hand
    (the same model and decoding settings made it; the work folder was deleted).

    An old entry whose text was carried over to a changed sentence still goes obsolete:
    the reviewer's original stays in the file until `locpipe prune --obsolete`.
    """
    po = polib.POFile(wrapwidth=WRAP_WIDTH)
    po.header = header
    po.metadata = metadata
    offers = suggestions or {}
    old: dict[tuple[str | None, str], polib.POEntry] = {}
    for entry in existing or []:
        if not entry.obsolete or (entry.msgctxt, entry.msgid) not in old:
            old[(entry.msgctxt, entry.msgid)] = entry
    seen = set()
    for unit in units:
        seen.add(unit.key)
        previous = old.get(unit.key)
        entry = polib.POEntry(msgid=unit.msgid, msgctxt=unit.context, occurrences=unit.occurrences)
        kept_flags = [f for f in (previous.flags if previous else []) if f != "fuzzy"]
        kept_flags += [f for f in format_flags(unit.msgid) if f not in kept_flags]
        if previous is not None:
            entry.tcomment = previous.tcomment
        offer = offers.get(unit_id(*unit.key))
        if previous is not None and is_reviewed(previous):
            entry.msgstr = previous.msgstr
            entry.flags = list(previous.flags)
            entry.previous_msgid = previous.previous_msgid
            entry.previous_msgctxt = previous.previous_msgctxt
            problems = review_problems(entry, catalog_languages(metadata))
            entry.comment = entry_notes(unit, source_note, *problems)
        elif offer is not None:
            entry.msgstr = offer.text
            entry.flags = ["fuzzy", *kept_flags]
            entry.previous_msgid = offer.previous_msgid
            entry.previous_msgctxt = offer.previous_msgctxt if offer.previous_msgid is not None else None
            entry.comment = entry_notes(unit, source_note, offer.note)
        elif unit.msgid in machine:
            mt = machine[unit.msgid]
            entry.msgstr = mt.text
            entry.flags = ["fuzzy", *kept_flags]
            entry.comment = entry_notes(unit, source_note, mt.note)
        elif (kept := kept_machine(previous, provenance)) is not None:
            entry.msgstr = previous.msgstr  # type: ignore[union-attr]
            entry.flags = ["fuzzy", *kept_flags]
            entry.comment = entry_notes(unit, source_note, kept)
        else:
            entry.msgstr = ""
            entry.flags = kept_flags
            entry.comment = entry_notes(unit, source_note, (reasons or {}).get(unit.msgid, untranslated_note))
        po.append(entry)
    for key, previous in old.items():
        if key in seen or not previous.msgstr:
            continue
        previous.obsolete = True
        previous.occurrences = []
        po.append(previous)
    return po
