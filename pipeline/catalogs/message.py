"""A catalog message as locpipe reasons about it, as Babel's `Message` serves its reader,
writer and checkers: key, source, text or plural forms, notes, and a state decided once,
from provenance. polib stays at the file edge: `read_messages` turns a parsed catalog into
messages, and nothing else in locpipe asks a polib entry what it is.

A state is decided by what locpipe knows it wrote (the ledger: every unreviewed text it put
in this catalog), not by a flag alone: an obsolete entry that another tool stripped of its
`#, fuzzy` (Babel's write_po does) stays machine text. Only a human act on a live entry
(fuzzy cleared, text typed) makes a review; clearing a reviewed text is a rejection.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import Enum

import polib

from pipeline.catalogs.ledger import Ledger
from pipeline.translation.checks import CHECK
from pipeline.translation.quality import figure_in, quality_note

CHANGED = "source changed; previous translation kept for review"
FROM_MEMORY = "from memory"
MACHINE = "machine:"
DRAFT_NOTE = "draft:"


class State(str, Enum):
    REVIEWED = "reviewed"  # a translator's text
    MACHINE = "machine"  # a model's text, waiting for review
    MEMORY = "memory"  # reviewed text offered from the memory, waiting for review
    CARRIED = "carried"  # an edited source's old reviewed text, waiting for review
    DRAFT = "draft"  # a translator's own text, still marked fuzzy: theirs, kept as it is
    UNTRANSLATED = "untranslated"

    @property
    def unreviewed(self) -> bool:
        """Translated but not reviewed; recorded in the ledger, so a stripped flag cannot
        make it a review."""
        return self in (State.MACHINE, State.MEMORY, State.CARRIED, State.DRAFT)


Key = tuple[str | None, str]


def unit_id(context: str | None, msgid: str) -> str:
    """gettext's own key for a message: msgctxt EOT msgid."""
    return f"{context}\x04{msgid}" if context is not None else msgid


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def key_digest(key: Key) -> str:
    context, source = key
    return text_digest(unit_id(context, source))


def message_digest(key: Key, text: str) -> str:
    return text_digest(f"{key_digest(key)}\x00{text}")


@dataclass(frozen=True)
class Message:
    context: str | None
    source: str
    text: str  # msgstr; for a plural message its first form
    state: State
    obsolete: bool = False
    plural: str | None = None  # msgid_plural
    forms: tuple[str, ...] = ()  # msgstr[n]
    notes: tuple[str, ...] = ()  # the #. lines
    flags: tuple[str, ...] = ()
    previous: Key | None = None  # #| msgctxt / msgid
    rejected: str | None = None  # digest of the reviewed text a translator cleared here

    @property
    def key(self) -> Key:
        return (self.context, self.source)

    @property
    def reviewed(self) -> bool:
        return self.state is State.REVIEWED

    @property
    def checks(self) -> list[str]:
        return [n for n in self.notes if n.startswith(CHECK)]

    def made_by(self, provenance: frozenset[str]) -> str | None:
        """Machine text's note, if one of these models and decoding settings wrote it, with its
        check notes: what is written back when the text is kept as it is. A tool may have
        re-wrapped the note (polib does at 78 columns), so it is found in the notes joined."""
        if self.state is not State.MACHINE:
            return None
        joined = " ".join(self.notes)
        found = next((p for p in sorted(provenance) if p in joined), None)
        if found is None:
            return None
        end = joined.index(found) + len(found)
        figure = figure_in(joined[end : end + 16])  # its quality estimate stays with it
        line = found + (quality_note(figure) if figure is not None else "")
        return "\n".join([line, *self.checks])


def _translated(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def _offer_state(notes: tuple[str, ...]) -> State:
    if any(n.startswith(DRAFT_NOTE) for n in notes):
        return State.DRAFT
    if any(n.startswith(CHANGED) for n in notes):
        return State.CARRIED
    if any(n.startswith(FROM_MEMORY) for n in notes):
        return State.MEMORY
    return State.MACHINE


def entry_state(
    entry: polib.POEntry,
    ledger: Ledger | None = None,
    notes: tuple[str, ...] | None = None,
    written: bool = False,
) -> State:
    """Fuzzy: an offer or machine text, by its note. Not fuzzy: a review, unless the entry is
    obsolete and locpipe wrote this very text unreviewed (the ledger says so, or the machine
    note it still carries): a tool that drops a flag does not review anything."""
    if not _translated(entry):
        return State.UNTRANSLATED
    if notes is None:
        notes = _notes(entry)
    key = (entry.msgctxt, entry.msgid)
    if "fuzzy" in entry.flags:
        if ledger is None or written:
            return _offer_state(notes)  # no record of what locpipe wrote, or it just wrote it
        known = ledger.unreviewed.get(message_digest(key, _text(entry)))
        return State(known) if known else State.DRAFT  # a text locpipe never wrote here
    if not entry.obsolete:
        return State.REVIEWED
    known = ledger.unreviewed.get(message_digest(key, _text(entry))) if ledger else None
    if known:
        return State(known)
    if any(n.startswith((MACHINE, CHANGED, FROM_MEMORY, DRAFT_NOTE)) for n in notes):
        return _offer_state(notes)
    return State.REVIEWED


def _text(entry: polib.POEntry) -> str:
    if entry.msgid_plural:
        return "\x00".join(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
    return str(entry.msgstr)


def _notes(entry: polib.POEntry) -> tuple[str, ...]:
    return tuple(entry.comment.splitlines()) if entry.comment else ()


def read_message(entry: polib.POEntry, ledger: Ledger | None = None, written: bool = False) -> Message:
    """written: the entry is locpipe's own output of this merge, its notes say what it put there."""
    key = (entry.msgctxt, entry.msgid)
    forms = tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)) if entry.msgid_plural else ()
    notes = _notes(entry)
    state = entry_state(entry, ledger, notes, written)
    rejected = None
    if state is State.UNTRANSLATED and not entry.obsolete and ledger and "fuzzy" not in entry.flags:
        digest = key_digest(key)
        rejected = ledger.reviewed.get(digest) or ledger.rejected.get(digest)
    previous = (entry.previous_msgctxt, entry.previous_msgid) if entry.previous_msgid else None
    return Message(
        entry.msgctxt,
        entry.msgid,
        forms[0] if forms else entry.msgstr,
        state,
        bool(entry.obsolete),
        entry.msgid_plural or None,
        forms,
        notes,
        tuple(entry.flags),
        previous,
        rejected,
    )


def read_messages(
    po: polib.POFile | None, ledger: Ledger | None = None, written: bool = False
) -> list[Message]:
    """One message per entry, in the catalog's order."""
    return [read_message(e, ledger, written) for e in po or []]


def stored_text(message: Message) -> str:
    """The text the ledger digests: the msgstr, or the forms joined."""
    return "\x00".join(message.forms) if message.plural else message.text


def ledger_of(messages: list[Message]) -> Ledger:
    """What locpipe wrote: its unreviewed texts (so a stripped flag cannot make them reviews)
    and the reviewed texts (so a cleared one is known as a rejection)."""
    unreviewed = {
        message_digest(m.key, stored_text(m)): m.state.value for m in messages if m.state.unreviewed
    }
    reviewed = {
        key_digest(m.key): text_digest(stored_text(m)) for m in messages if m.reviewed and not m.obsolete
    }
    notes = {key_digest(m.key): "\n".join(m.notes) for m in messages if m.obsolete and m.notes}
    rejected = {key_digest(m.key): m.rejected for m in messages if m.rejected}
    return Ledger(unreviewed, reviewed, notes, rejected)
