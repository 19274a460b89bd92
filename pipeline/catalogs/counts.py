"""How many messages of a catalog are in each state, as `locpipe status` and the manifest
report them: counted from the file as it is now, with what locpipe last wrote in it."""

from __future__ import annotations

from typing import Any

import polib

from pipeline.catalogs.ledger import Ledger
from pipeline.catalogs.message import Message, State, read_messages
from pipeline.catalogs.state import catalog_languages, is_broken, review_problems
from pipeline.translation.invisible import ISOLATES, hidden_characters

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
    counts: dict[str, Any] = dict.fromkeys(COLUMNS, 0)
    words = dict.fromkeys(("reviewed", "draft", "machine", "memory", "carried", "untranslated"), 0)
    languages = catalog_languages(po.metadata)
    for entry, message in zip(po, read_messages(po, ledger) if messages is None else messages, strict=True):
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
    counts["total"] = sum(counts[s.value] for s in State)
    counts["words"] = words
    return counts


def manifest_counts(po: polib.POFile, messages: list[Message]) -> dict[str, int]:
    """The manifest's counts: offers from the memory and carried reviews are both `memory`."""
    counts = catalog_counts(po, None, messages)
    counts["memory"] += counts.pop("carried")
    counts.pop("words")
    return counts
