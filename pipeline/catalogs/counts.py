"""How many messages of a catalog are in each state, as `locpipe status` and the manifest
report them: counted from the file as it is now, with what locpipe last wrote in it."""

from __future__ import annotations

from typing import Any

import polib

from pipeline.catalogs.ledger import Ledger
from pipeline.catalogs.message import Message, State, read_messages
from pipeline.catalogs.state import catalog_languages, is_broken, review_problems
from pipeline.translation.invisible import ISOLATES, hidden_characters
from pipeline.translation.quality import figure_in

COLUMNS = (
    "total", "reviewed", "draft", "machine", "memory", "carried", "untranslated", "obsolete", "checks",
    "broken", "invisible",
)


def catalog_counts(
    po: polib.POFile, ledger: Ledger | None = None, messages: list[Message] | None = None
) -> dict[str, Any]:
    """Per state (pipeline.catalogs.message): reviewed; memory (offered from the memory);
    carried (the old reviewed text of an edited source, kept for review); machine;
    untranslated. A plural message counts once. messages: read_messages(po, ledger), if at hand."""
    messages = read_messages(po, ledger) if messages is None else messages
    counts: dict[str, Any] = dict.fromkeys(COLUMNS, 0)
    words = dict.fromkeys(("reviewed", "draft", "machine", "memory", "carried", "untranslated"), 0)
    languages = catalog_languages(po.metadata)
    for entry, message in zip(po, messages, strict=True):
        if message.obsolete:
            counts["obsolete"] += 1
            continue
        state = message.state.value
        counts[state] += 1
        words[state] += len(message.source.split())
        # a review saved since the run is checked as the next run will check it, not by the
        # machine text's notes it still carries: the counts describe the file as it is now
        checks = review_problems(entry, languages) if message.reviewed else message.checks
        if checks:
            counts["checks"] += 1
        if hidden_characters(message.source) or (message.text and hidden_characters(message.text, ISOLATES)):
            counts["invisible"] += 1  # bidi or zero-width characters a reviewer cannot see
    counts["broken"] = sum(1 for e in po if is_broken(e))
    counts["quality"] = quality_summary(messages)
    counts["total"] = sum(counts[s.value] for s in State)
    counts["words"] = words
    return counts


def machine_figure(message: Message) -> int | None:
    """The quality estimate (translation.quality) of unreviewed machine text, if it has one."""
    if message.obsolete or message.state is not State.MACHINE:
        return None
    return figure_in(" ".join(message.notes))


def quality_summary(messages: list[Message]) -> dict[str, Any]:
    """Over the machine entries with a quality estimate: how many, the lowest and the mean."""
    figures = [f for m in messages if (f := machine_figure(m)) is not None]
    return {
        "scored": len(figures),
        "min": min(figures) if figures else None,
        "mean": round(sum(figures) / len(figures), 1) if figures else None,
    }


def manifest_counts(po: polib.POFile, messages: list[Message]) -> dict[str, Any]:
    """The manifest's counts: offers from the memory and carried reviews are both `memory`."""
    counts = catalog_counts(po, None, messages)
    counts["memory"] += counts.pop("carried")
    return counts  # words per state too: the report page sums them without parsing catalogs
