"""Where each message's text comes from: one order, for articles and feeds, before MT (what
still needs a model) and after it (what goes in the catalog).

1. the translator's live entry, reviewed;
2. a reviewed entry for the same source in this catalog that went obsolete (a reverted edit,
   a restored paragraph), revived as reviewed, as msgmerge revives an exact obsolete match;
3. the memory: an offer already waiting for review, an exact match, the catalog's own
   reviewed text of a changed sentence (`#| msgid`, as msgmerge keeps it), a near match;
4. machine text already in the catalog from the same model and decoding settings;
5. new machine translation;
6. nothing: untranslated, with the reason.

A reviewed text a translator cleared on a live entry is rejected: no step offers it again for
that source, machine text included (the memory withdraws it, see pipeline.catalogs.memory_build).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from pipeline.catalogs.entries import Unit
from pipeline.catalogs.message import CHANGED, FROM_MEMORY, Key, Message, State, stored_text, text_digest
from pipeline.memory.match import similarity


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


class Origin(str, Enum):
    TRANSLATOR = "translator"
    DRAFT = "draft"
    CATALOG = "catalog"
    OFFER = "offer"
    KEPT_MACHINE = "kept machine"
    MACHINE = "machine"
    NONE = "none"


@dataclass(frozen=True)
class Resolution:
    origin: Origin
    message: Message | None = None  # TRANSLATOR, DRAFT, CATALOG: the translator's message
    offer: Suggestion | None = None  # OFFER
    machine: MachineText | None = None  # MACHINE; KEPT_MACHINE: its text and kept notes


def changed_note(score: int) -> str:
    return f"{CHANGED} ({score}% similar)"


class CatalogView:
    """One article's catalog as messages: the live ones by key, the obsolete ones by key."""

    def __init__(self, messages: list[Message]) -> None:
        self.live: dict[Key, Message] = {}
        self.obsolete: dict[Key, Message] = {}
        for m in messages:
            (self.obsolete if m.obsolete else self.live).setdefault(m.key, m)

    def rejected(self, key: Key) -> str | None:
        live = self.live.get(key)
        return live.rejected if live else None

    def earlier_reviews(self, keys: set[Key]) -> list[Message]:
        """Reviewed text of messages the article no longer has: a changed sentence's old one."""
        return [
            m
            for m in (*self.obsolete.values(), *self.live.values())
            if m.reviewed and m.key not in keys and not m.plural
        ]


def resolve(
    unit: Unit,
    view: CatalogView,
    offer: Callable[[Unit], Suggestion | None],
    provenance: frozenset[str],
    machine: MachineText | None = None,
) -> Resolution:
    """The text of one message, in the module's order. offer: step 3's lookup (the memory
    and the catalog's earlier reviews before MT, the planned offers after it); machine: the
    stored model output for it, None before MT."""
    live = view.live.get(unit.key)
    if live is not None and live.reviewed:
        return Resolution(Origin.TRANSLATOR, message=live)
    if live is not None and live.state is State.DRAFT:
        return Resolution(Origin.DRAFT, message=live)
    rejected = live.rejected if live else None
    old = view.obsolete.get(unit.key)
    if old is not None and old.reviewed and text_digest(stored_text(old)) != rejected:
        return Resolution(Origin.CATALOG, message=old)
    found = offer(unit)
    if found is not None and text_digest(found.text) != rejected:
        return Resolution(Origin.OFFER, offer=found)
    for kept in (live, old):
        note = kept.made_by(provenance) if kept is not None else None
        if note is None or kept is None or text_digest(kept.text) == rejected:
            continue
        if machine is not None and machine.text == kept.text:
            return Resolution(Origin.MACHINE, machine=machine)  # the same text, its notes as made
        return Resolution(Origin.KEPT_MACHINE, machine=MachineText(kept.text, note))
    if machine is not None and text_digest(machine.text) != rejected:
        return Resolution(Origin.MACHINE, machine=machine)
    return Resolution(Origin.NONE)


def waiting_offer(view: CatalogView, unit: Unit) -> Suggestion | None:
    """An offer written by an earlier run and not yet reviewed stays as it is: the memory
    moving on does not churn a reviewer's queue (step 3 of the planner's lookup)."""
    live = view.live.get(unit.key)
    if live is None or live.state not in (State.MEMORY, State.CARRIED) or live.previous is None:
        return None
    kept = [n for n in live.notes if n.startswith(FROM_MEMORY)]
    note = kept[0] if kept else changed_note(similarity(live.previous[1], unit.msgid))
    return Suggestion(live.text, note, live.previous[1], live.previous[0])
