"""Update a locale's catalog from the article's current messages, as msgmerge would: each
message's text from the resolver (pipeline.catalogs.resolve), messages that left the article
kept as obsolete (#~), never silently dropped, plural entries included.

A reviewed entry is the translator's: its msgstr, flags and translator comments are never
changed. Everything else is the machine's to refresh.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field

import polib

from pipeline.catalogs.entries import Unit, entry_notes
from pipeline.catalogs.ledger import Ledger
from pipeline.catalogs.message import DRAFT_NOTE, Message, key_digest, read_message, unit_id
from pipeline.catalogs.pofile import WRAP_WIDTH
from pipeline.catalogs.resolve import CatalogView, MachineText, Origin, Resolution, Suggestion, resolve
from pipeline.catalogs.state import catalog_languages, review_problems
from pipeline.translation.protect import format_flags

DEMO_HEADER = (
    "Machine translations in this catalog come from a demo model with random weights:\n"
    "they are placeholder text, not translations."
)
PSEUDO_HEADER = (
    "Pseudo-localized (target qps): letters accented, text padded by 30 % and bracketed,\n"
    "markup and placeholders kept. A check of layout and markup, not a translation."
)


@dataclass(frozen=True)
class MergeInputs:
    """What the resolver has for an article's messages after MT."""

    machine: dict[str, MachineText] = field(default_factory=dict)  # by msgid
    offers: dict[str, Suggestion] = field(default_factory=dict)  # by unit_id
    reasons: dict[str, str] = field(default_factory=dict)  # why a msgid is untranslated
    untranslated_note: str | None = None
    provenance: frozenset[str] = frozenset()  # machine notes whose text may stay as it is


def merge_catalog(
    units: list[Unit],
    existing: polib.POFile | None,
    found: MergeInputs,
    source_note: str,
    metadata: dict[str, str],
    header: str,
    ledger: Ledger | None = None,
) -> polib.POFile:
    """The article's messages resolved in order, then the old entries it no longer has.

    An old entry whose text was carried over to a changed sentence still goes obsolete:
    the reviewer's original stays in the file until `locpipe prune --obsolete`."""
    po = polib.POFile(wrapwidth=WRAP_WIDTH)
    po.header = header
    po.metadata = metadata
    old: dict[tuple[str | None, str], polib.POEntry] = {}
    for entry in existing or []:
        if not entry.obsolete or (entry.msgctxt, entry.msgid) not in old:
            old[(entry.msgctxt, entry.msgid)] = entry
    view = CatalogView([read_message(e, ledger) for e in old.values()])
    offer: Callable[[Unit], Suggestion | None] = lambda u: found.offers.get(unit_id(*u.key))  # noqa: E731
    languages = catalog_languages(metadata)
    for unit in units:
        previous = old.get(unit.key)
        choice = resolve(unit, view, offer, found.provenance, found.machine.get(unit.msgid))
        rejected = bool(view.rejected(unit.key))
        po.append(_entry(unit, previous, choice, source_note, found, languages, rejected))
    seen = {u.key for u in units}
    for key, previous in old.items():
        if key in seen or view.obsolete.get(key, view.live.get(key)) is None:
            continue
        message = view.obsolete.get(key) or view.live[key]
        if not (message.text or message.forms):
            continue
        previous = copy.deepcopy(previous)  # the catalog read stays as read: it is compared below
        previous.obsolete = True
        previous.occurrences = []
        if not previous.comment and ledger and key_digest(key) in ledger.notes:
            previous.comment = ledger.notes[key_digest(key)]  # msgmerge --update drops them
        if message.state.unreviewed and "fuzzy" not in previous.flags:
            previous.flags.insert(0, "fuzzy")  # Babel's write_po drops it on #~ entries
        po.append(previous)
    return po


DRAFT = f"{DRAFT_NOTE} a translator's text, still marked fuzzy; kept as it is until reviewed"
REJECTED = "rejected by a reviewer (its text was cleared): not offered again; translate it by hand"


def _entry(
    unit: Unit,
    previous: polib.POEntry | None,
    choice: Resolution,
    source_note: str,
    found: MergeInputs,
    languages: tuple[str | None, str | None],
    rejected: bool = False,
) -> polib.POEntry:
    entry = polib.POEntry(msgid=unit.msgid, msgctxt=unit.context, occurrences=unit.occurrences)
    kept_flags = [f for f in (previous.flags if previous else []) if f != "fuzzy"]
    kept_flags += [f for f in format_flags(unit.msgid) if f not in kept_flags]
    if previous is not None:
        entry.tcomment = previous.tcomment
    if choice.origin is Origin.DRAFT and choice.message is not None:
        _reviewed(entry, choice.message, list(choice.message.flags))  # still fuzzy: theirs
        entry.comment = entry_notes(unit, source_note, DRAFT)
    elif choice.origin in (Origin.TRANSLATOR, Origin.CATALOG) and choice.message is not None:
        revived = choice.origin is Origin.CATALOG  # GNU keeps no format flag on #~: add them back
        _reviewed(entry, choice.message, kept_flags if revived else list(choice.message.flags))
        problems = review_problems(entry, languages)
        entry.comment = entry_notes(unit, source_note, *problems)
    elif choice.origin is Origin.OFFER and choice.offer is not None:
        entry.msgstr = choice.offer.text
        entry.flags = ["fuzzy", *kept_flags]
        entry.previous_msgid = choice.offer.previous_msgid
        entry.previous_msgctxt = choice.offer.previous_msgctxt if choice.offer.previous_msgid else None
        entry.comment = entry_notes(unit, source_note, choice.offer.note)
    elif choice.origin in (Origin.MACHINE, Origin.KEPT_MACHINE) and choice.machine is not None:
        entry.msgstr = choice.machine.text
        entry.flags = ["fuzzy", *kept_flags]
        entry.comment = entry_notes(unit, source_note, choice.machine.note)
    else:
        entry.msgstr = ""
        entry.flags = kept_flags
        reason = found.reasons.get(unit.msgid, found.untranslated_note)
        if rejected:
            reason = REJECTED
        entry.comment = entry_notes(unit, source_note, reason)
    return entry


def _reviewed(entry: polib.POEntry, message: Message, flags: list[str]) -> None:
    """A translator's text as they left it: msgstr or plural forms, flags, previous source."""
    entry.flags = flags
    if message.plural:
        entry.msgid_plural = message.plural
        entry.msgstr_plural = dict(enumerate(message.forms))
    else:
        entry.msgstr = message.text
    if message.previous is not None:
        entry.previous_msgctxt, entry.previous_msgid = message.previous
