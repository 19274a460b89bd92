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

CHANGED = "source changed; previous translation kept for review"
FROM_MEMORY = "from memory"
MACHINE = "machine:"


class State(str, Enum):
    REVIEWED = "reviewed"  # a translator's text
    MACHINE = "machine"  # a model's text, waiting for review
    MEMORY = "memory"  # reviewed text offered from the memory, waiting for review
    CARRIED = "carried"  # an edited source's old reviewed text, waiting for review
    UNTRANSLATED = "untranslated"

    @property
    def unreviewed(self) -> bool:
        return self in (State.MACHINE, State.MEMORY, State.CARRIED)


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

    def provenance(self) -> str | None:
        """The machine note and what follows it (checks), for machine text kept as it is."""
        start = next((i for i, n in enumerate(self.notes) if n.startswith(MACHINE)), None)
        return None if start is None else "\n".join(self.notes[start:])


def _translated(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def _offer_state(notes: tuple[str, ...]) -> State:
    if any(n.startswith(CHANGED) for n in notes):
        return State.CARRIED
    if any(n.startswith(FROM_MEMORY) for n in notes):
        return State.MEMORY
    return State.MACHINE


def entry_state(
    entry: polib.POEntry, ledger: Ledger | None = None, notes: tuple[str, ...] | None = None
) -> State:
    """Fuzzy: an offer or machine text, by its note. Not fuzzy: a review, unless the entry is
    obsolete and locpipe wrote this very text unreviewed (the ledger says so, or the machine
    note it still carries): a tool that drops a flag does not review anything."""
    if not _translated(entry):
        return State.UNTRANSLATED
    if notes is None:
        notes = _notes(entry)
    if "fuzzy" in entry.flags:
        return _offer_state(notes)
    if not entry.obsolete:
        return State.REVIEWED
    key = (entry.msgctxt, entry.msgid)
    known = ledger.unreviewed.get(message_digest(key, _text(entry))) if ledger else None
    if known:
        return State(known)
    if any(n.startswith((MACHINE, CHANGED, FROM_MEMORY)) for n in notes):
        return _offer_state(notes)
    return State.REVIEWED


def _text(entry: polib.POEntry) -> str:
    if entry.msgid_plural:
        return "\x00".join(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
    return str(entry.msgstr)


def _notes(entry: polib.POEntry) -> tuple[str, ...]:
    return tuple(entry.comment.splitlines()) if entry.comment else ()


def read_message(entry: polib.POEntry, ledger: Ledger | None = None) -> Message:
    key = (entry.msgctxt, entry.msgid)
    forms = tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)) if entry.msgid_plural else ()
    notes = _notes(entry)
    state = entry_state(entry, ledger, notes)
    rejected = None
    if state is State.UNTRANSLATED and not entry.obsolete and ledger and "fuzzy" not in entry.flags:
        rejected = ledger.reviewed.get(key_digest(key))
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


def read_messages(po: polib.POFile | None, ledger: Ledger | None = None) -> list[Message]:
    """One message per entry, in the catalog's order."""
    return [read_message(e, ledger) for e in po or []]


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
    return Ledger(unreviewed, reviewed, notes)
