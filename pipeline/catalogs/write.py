"""One article's catalogs and rendered text for one locale: the unit of work in stage 4."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import polib

from pipeline.catalogs.catalog_plan import catalog_key
from pipeline.catalogs.counts import manifest_counts
from pipeline.catalogs.entries import Unit, source_note, units_from_record
from pipeline.catalogs.header import catalog_metadata
from pipeline.catalogs.ledger import Ledger, load_ledger, save_ledger
from pipeline.catalogs.machine import machine_by_language
from pipeline.catalogs.machine import provenance as machine_note
from pipeline.catalogs.merge import DEMO_HEADER, PSEUDO_HEADER, MergeInputs, merge_catalog
from pipeline.catalogs.message import Message, ledger_of, read_messages
from pipeline.catalogs.mofile import compile_mo
from pipeline.catalogs.pair_keys import PairKey
from pipeline.catalogs.pofile import (
    dates_hint,
    has_bom,
    read_catalog_snapshot,
    read_header,
    read_template,
    replace_catalog,
    save_catalog,
    settle_dates,
)
from pipeline.catalogs.resolve import Suggestion
from pipeline.catalogs.state import is_broken
from pipeline.catalogs.suggest import read_suggestions, suggestions_path
from pipeline.catalogs.template import build_template
from pipeline.core.atomic import write_bytes
from pipeline.core.clock import po_date
from pipeline.core.create_batch import CreateBatch
from pipeline.core.errors import CatalogError
from pipeline.core.filestamp import stamp_of
from pipeline.core.layout import Layout
from pipeline.core.locales import Locale, language_name
from pipeline.core.settings_table import default
from pipeline.translation import pseudo
from pipeline.translation.glossary import Rules
from pipeline.translation.packages import Route

SAVE_ATTEMPTS = 5  # merges in a row that lost the race to a translator's save


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def as_bytes(text: str | bytes) -> bytes:
    """A rendered article's bytes: text as UTF-8, a zip package (.docx) as it is."""
    return text if isinstance(text, bytes) else text.encode("utf-8")


def _note(record: dict[str, Any]) -> str:
    d = record["detection"]
    return source_note(d["language"], d["confidence"], d["method"])


def write_template(
    record: dict[str, Any], outputs: Path, project: str, hint: dict[str, Any] | None = None
) -> dict[str, Any]:
    """hint: the dates and content digest it was last written with (a deleted .pot comes
    back byte for byte)."""
    paths = Layout(outputs)
    path = paths.pot(record["id"])
    units = units_from_record(record)
    created = po_date()
    pot = build_template(units, project, record["detection"]["language"], _note(record), created)
    if settle_dates(pot, read_template(path), ("POT-Creation-Date", "PO-Revision-Date"), hint):
        save_catalog(path, pot, durable=False)
    stamp = stamp_of(path)
    _POT_DATES[str(path)] = (tuple(stamp[:3]), pot.metadata.get("POT-Creation-Date", created))
    return {"pot": str(path), "stamp": stamp, "dates": dates_hint(pot)}


# (record, locale, outputs folder, catalog) -> text, the file consumers read, the file written
Render = Callable[[dict[str, Any], str, Path, polib.POFile], tuple["str | bytes", Path, Path]]
Annotate = Callable[[dict[str, Any], polib.POFile], None]


@dataclass(frozen=True)
class WriteOptions:
    """The run's settings a catalog writer needs, the same for every article."""

    project: str
    mo_include_fuzzy: bool = default("mo_include_fuzzy")
    rules: Rules = field(default_factory=dict)
    decode_key: str = ""
    # the outputs stage's, given by the run: catalogs come before outputs and import none of it
    render: Render | None = None  # the article rendered from its catalog (None: catalogs only)
    annotate: Annotate | None = None  # notes only the rendered text can give (subtitle reading speed)


@dataclass(frozen=True)
class ArticleWork:
    """One article x locale as its plan left it (pipeline.catalogs.shard_plan)."""

    routes: dict[str, Route]  # per source language, its model route
    stored: dict[str, dict[str, str]]  # per source language, model output by model input
    untranslated_reason: str | None = None
    suggestions: dict[str, Suggestion] = field(default_factory=dict)
    render: bool = True  # False: catalogs only (no model: a site must not publish the source)
    needs: dict[str, list[str]] = field(default_factory=dict)  # model inputs per PairKey.text

    @property
    def complete(self) -> bool:
        """Every model input the plan asked for has its output stored."""
        return all(
            text in self.stored.get(PairKey.parse(pair).source, {})
            for pair, texts in self.needs.items()
            for text in texts
        )


def article_work(
    layout: Layout,
    article: str,
    entry: dict[str, Any],
    locale: Locale,
    routes: dict[str, Route],
    stored: dict[str, dict[str, str]],
) -> ArticleWork:
    """An article's plan entry (pipeline.catalogs.shard_plan) with its planned offers read."""
    offers = {}
    if entry.get("suggestions"):
        path = suggestions_path(layout.work, locale.gettext, article, entry["suggestions"])
        offers = read_suggestions(path)
    return ArticleWork(
        routes, stored, entry.get("untranslated"), offers, entry.get("render", True), entry.get("needs", {})
    )


def article_catalog(
    record: dict[str, Any],
    locale: Locale,
    work: ArticleWork,
    options: WriteOptions,
    existing: polib.POFile | None,
    pot_created: str,
    ledger: Ledger | None = None,
) -> polib.POFile:
    """The article's catalog merged from its existing one (its own .po, or its view of a
    feed catalog): the part both catalog layouts share. ledger: what locpipe last wrote in it."""
    units: list[Unit] = units_from_record(record)
    source_lang = record["detection"]["language"]
    routes, decode_key = work.routes, options.decode_key
    route = main_route(record, routes)
    machine, reasons = machine_by_language(
        units, routes, work.stored, options.rules, source_lang, locale.argos, decode_key
    )
    provenance = frozenset(machine_note(r, decode_key) for r in routes.values())
    header = (
        f"{language_name(locale.gettext)} translation of article {record['id']!r} "
        f"(from {source_lang}).\nMachine translations are marked fuzzy until reviewed."
    )
    if route and route.demo:
        header += "\n" + DEMO_HEADER
    if route and route.pseudo:
        header += "\n" + PSEUDO_HEADER
    metadata = catalog_metadata(
        options.project, locale, pot_created, po_date(), existing.metadata if existing else None, source_lang
    )
    found = MergeInputs(machine, work.suggestions, reasons, work.untranslated_reason, provenance)
    po = merge_catalog(units, existing, found, _note(record), metadata, header, ledger)
    if options.annotate:
        options.annotate(record, po)
    return po


def main_route(record: dict[str, Any], routes: dict[str, Route]) -> Route | None:
    return routes.get(record["detection"]["language"]) or next(iter(routes.values()), None)


# the creation date of each template this process wrote, by its path and stat: the catalogs
# written next ask for it without parsing the .pot's header again (a third of a millisecond
# an article and locale); a template changed since is read again
_POT_DATES: dict[str, tuple[tuple[int, ...], str]] = {}


def pot_created(path: Path) -> str:
    known = _POT_DATES.get(str(path))
    if known is not None:
        try:
            st = os.stat(path)
        except FileNotFoundError:
            return po_date()
        if (st.st_size, st.st_mtime_ns, st.st_ino) == known[0]:
            return known[1]
    header = read_header(path)
    return header.get("POT-Creation-Date", po_date()) if header else po_date()


def catalog_result(
    po: polib.POFile, route: Route | None, reason: str | None, messages: list[Message]
) -> dict[str, Any]:
    """What the manifest says of an article's catalog (its view, in a feed catalog), from its
    messages read once (with what locpipe wrote in it)."""
    return {
        "catalog_key": catalog_key(po, messages),
        "counts": manifest_counts(po, messages),
        "broken": [e.msgid for e in po if is_broken(e)],
        "models": [m.id for m in route.models] if route else [],
        "demo_model": bool(route and route.demo),
        "via": route.pivot if route else None,
        "reason": reason,
    }


def merge_until_saved(
    po_path: Path,
    build: Callable[[polib.POFile | None], polib.POFile],
    hint: dict[str, Any] | None,
    batch: CreateBatch | None = None,
    before: Callable[[polib.POFile], None] | None = None,
) -> tuple[polib.POFile, Path]:
    """Read the catalog, build the merged one from it, and replace the file only if it is
    still the one read: a translator's save meanwhile is merged again (SAVE_ATTEMPTS times),
    never overwritten. A broken .po stops here, untouched.

    Returns the catalog and the file holding its bytes: po_path, or a new catalog's temp file
    while it waits in batch (see pipeline.core.create_batch)."""
    for _attempt in range(SAVE_ATTEMPTS):
        existing, snapshot = read_catalog_snapshot(po_path)
        po = build(existing)
        changed = settle_dates(po, existing, ("PO-Revision-Date",), hint)
        if before is not None and (changed or has_bom(snapshot)):
            before(po)
        if not (changed or has_bom(snapshot)) or replace_catalog(po_path, po, snapshot, batch):
            return po, (batch.waiting(po_path) if batch else None) or po_path
    raise CatalogError(
        po_path,
        f"saved by someone else {SAVE_ATTEMPTS} times while it was updated; left as saved, run again",
    )


def write_locale(
    record: dict[str, Any],
    locale: Locale,
    outputs: Path,
    work: ArticleWork,
    options: WriteOptions,
    hint: dict[str, Any] | None = None,
    batch: CreateBatch | None = None,
) -> dict[str, Any]:
    """Merge the .po, compile the .mo, render the article; returns the manifest entry.
    A mixed-language article has more than one route (one per source language)."""
    paths = Layout(outputs)
    article_id = record["id"]
    po_path = paths.po(locale.gettext, article_id)
    route = main_route(record, work.routes)
    created = pot_created(paths.pot(article_id))
    ledger_path = paths.ledger(locale.gettext, article_id)
    ledger = load_ledger(ledger_path)

    on_disk = [ledger]

    def record_first(po: polib.POFile) -> None:
        """Before the catalog is replaced, the ledger learns its unreviewed texts too: a kill
        between the two leaves a ledger that knows both files' machine text."""
        new = ledger_of(read_messages(po, ledger, written=True))
        both = replace(new, unreviewed={**(ledger.unreviewed if ledger else {}), **new.unreviewed})
        save_ledger(ledger_path, both, on_disk[0])
        on_disk[0] = both

    po, held = merge_until_saved(
        po_path,
        lambda existing: article_catalog(record, locale, work, options, existing, created, ledger),
        hint,
        batch,
        record_first,
    )
    messages = read_messages(po, ledger, written=True)
    save_ledger(ledger_path, ledger_of(messages), on_disk[0])
    fuzzy = options.mo_include_fuzzy or pseudo.shown_unreviewed(locale.gettext)
    mo_bytes = compile_mo(po, fuzzy, leave_out=is_broken)
    mo_path = paths.mo(locale.gettext, article_id)
    write_bytes(mo_path, mo_bytes, durable=False)  # compiled again from the .po
    po_digest = sha256(held.read_bytes())
    stamps = {"po": stamp_of(held, po_digest), "mo": stamp_of(mo_path, sha256(mo_bytes))}
    text, text_path, written = "", None, None
    if work.render and options.render:
        text, text_path, written = options.render(record, locale.gettext, outputs, po)
        stamps["output"] = stamp_of(written, sha256(written.read_bytes()))
    return {
        "po": str(po_path.relative_to(outputs)),
        "mo": str(mo_path.relative_to(outputs)),
        "output": str(text_path.relative_to(outputs)) if text_path else None,
        "stamps": stamps,
        "dates": dates_hint(po),
        "written": str(written.relative_to(outputs)) if written else None,
        **catalog_result(po, route, work.untranslated_reason, messages),
        "digests": {
            "po": po_digest,
            "mo": sha256(mo_bytes),
            "output": sha256(as_bytes(text)) if text_path else None,
        },
    }
