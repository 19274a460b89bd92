"""Before any MT: what each article's catalog already has, and what still needs a model.

The digests here become task parameters. They are built to stay equal across the tool's
own writes (a run that merged a catalog leaves the same digests behind), so only a
reviewer's edit, an article edit or a new memory match reruns a catalog task.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polib

from pipeline.catalogs.entries import units_from_record
from pipeline.catalogs.ledger import load_ledger
from pipeline.catalogs.memory_sources import ParsedCatalogs
from pipeline.catalogs.message import Message, read_messages, stored_text
from pipeline.catalogs.resolve import CatalogView
from pipeline.catalogs.state import catalog_languages, notes_stripped
from pipeline.catalogs.suggest import suggest, suggestions_digest, suggestions_path, write_suggestions
from pipeline.core.errors import CatalogError
from pipeline.core.layout import Layout
from pipeline.memory.match import Matcher


@dataclass(frozen=True)
class CatalogPlan:
    reviewed: str  # digest of the reviewed entries of the article's current messages
    suggestions: str  # digest of the offers file, "" when there are none
    needs_mt: frozenset[str]  # msgids that nothing reviewed covers
    error: str | None = None  # the catalog does not parse


def reviewed_digest(po: polib.POFile | None, keys: set[tuple[str | None, str]]) -> str:
    """The human input in a catalog, limited to messages the article still has: entries
    that went obsolete in the last merge drop out before and after alike."""
    reviewed = sorted(
        f"{m.context or ''}\x04{m.source}\x00{stored_text(m)}\x00{','.join(m.flags)}"
        for m in read_messages(po)
        if not m.obsolete and m.key in keys and m.reviewed
    )
    # notes a tool removed rerun the catalog, which writes them back (stable once restored)
    langs = catalog_languages(po.metadata if po else None)
    stripped = sum(1 for e in po or [] if (e.msgctxt, e.msgid) in keys and notes_stripped(e, langs))
    if stripped:
        reviewed.append(f"stripped notes: {stripped}")
    if not reviewed:
        return "none"
    return hashlib.sha256("\n".join(reviewed).encode("utf-8")).hexdigest()[:16]


def plan_catalog(
    record: dict[str, Any],
    locale: str,
    outputs: Path,
    work: Path,
    catalogs: ParsedCatalogs,
    memory: Matcher | None,
    feed: str | None = None,
    provenance: frozenset[str] = frozenset(),
) -> CatalogPlan:
    """memory None: no suggestions (the article is already in the target language); feed:
    the feed catalog the article's entries are in (pipeline.catalogs.feed); provenance: the
    machine notes whose text in the catalog is kept (pipeline.catalogs.resolve)."""
    units = units_from_record(record)
    path = Layout(outputs).po(locale, feed or record["id"])
    try:
        po = catalogs.view(path, record["id"] if feed else None)
    except CatalogError as exc:
        error = exc.line()
        return CatalogPlan("broken-" + hashlib.sha256(error.encode()).hexdigest()[:8], "", frozenset(), error)
    reviewed = reviewed_digest(po, {u.key for u in units})
    if memory is None:
        return CatalogPlan(reviewed, "", frozenset())
    ledger = load_ledger(Layout(outputs).ledger(locale, record["id"]))
    view = CatalogView(read_messages(po, ledger))
    found = suggest(units, view, record["id"], record["detection"]["language"], memory, provenance)
    digest = suggestions_digest(found.offers)
    if digest:
        write_suggestions(suggestions_path(work, locale, record["id"], digest), found.offers)
    return CatalogPlan(reviewed, digest, frozenset(found.needs_mt))


def catalog_key(po: polib.POFile | None, messages: list[Message] | None = None) -> str:
    """The human input in a whole catalog (reviewed entries, live or obsolete) and notes a tool
    took away: equal before and after locpipe's own merge, so only a translator's save (or
    another tool's rewrite) changes it."""
    if po is None:
        po = polib.POFile()  # no catalog yet is like one with nothing reviewed: the key holds
        # across the run that writes it, so the driver plans the same tasks when it comes back
    reviewed = sorted(
        f"{m.context or ''}\x04{m.source}\x00{stored_text(m)}\x00{','.join(sorted(m.flags))}"
        for m in (messages if messages is not None else read_messages(po))
        if m.reviewed
    )
    langs = catalog_languages(po.metadata)
    stripped = sum(1 for e in po if notes_stripped(e, langs))
    text = "\n".join([*reviewed, f"stripped: {stripped}"])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def broken_key(error: CatalogError) -> str:
    return "broken-" + hashlib.sha256(error.line().encode()).hexdigest()[:8]
