"""Stage 4 for a feed catalog: its lines' views merged, joined and saved as one .po and .mo.

Only the lines whose plan entry or outputs moved are merged again; every other line keeps
its entries exactly as the file holds them (a translator's comment on a fuzzy entry too),
and a line that left the feed has its entries made obsolete, never dropped. The feed's
shard task is the only writer of the feed's .po and .mo (all of a feed's lines are in one
shard, see pipeline.run.plan).
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass
from typing import Any

import polib

from pipeline.catalogs.feed import join_views, owner, split_views
from pipeline.catalogs.header import catalog_metadata
from pipeline.catalogs.ledger import load_ledger, save_ledger
from pipeline.catalogs.merge import DEMO_HEADER, PSEUDO_HEADER
from pipeline.catalogs.message import Message, ledger_of, read_messages
from pipeline.catalogs.mofile import compile_mo
from pipeline.catalogs.pofile import dates_hint
from pipeline.catalogs.state import is_broken
from pipeline.catalogs.write import (
    ArticleWork,
    Render,
    WriteOptions,
    article_catalog,
    article_work,
    catalog_result,
    main_route,
    merge_until_saved,
    pot_created,
    sha256,
)
from pipeline.core.atomic import write_bytes
from pipeline.core.clock import po_date
from pipeline.core.filestamp import stamp_of
from pipeline.core.layout import Layout
from pipeline.core.locales import Locale, language_name
from pipeline.translation import pseudo
from pipeline.translation.packages import Route


@dataclass
class FeedLine:
    """One line of the feed as the shard writer sees it."""

    record: dict[str, Any]
    entry: dict[str, Any]  # its plan entry
    key: str  # digest of the plan entry and the settings
    routes: dict[str, Route]
    stored: dict[str, dict[str, str]]  # model output by model input, per source language
    prior: dict[str, Any] | None  # what the last write said of it
    rewrite: bool  # merge it again (else its entries stay as the file has them)

    @property
    def id(self) -> str:
        return str(self.record["id"])


def _leftovers(existing: polib.POFile | None, lines: set[str]) -> list[polib.POEntry]:
    """Entries of lines no longer in the feed: obsolete, with their translation."""
    left = []
    for entry in existing or []:
        if owner(entry.msgctxt) in lines or not entry.msgstr:
            continue
        entry = copy.deepcopy(entry)  # the catalog read stays as read: it is compared after the merge
        entry.obsolete = True
        entry.occurrences = []
        left.append(entry)
    return left


def _view(views: dict[str, polib.POFile], line: str, existing: polib.POFile | None) -> polib.POFile | None:
    return None if existing is None else views.get(line, polib.POFile())


def _merged(
    layout: Layout, line: FeedLine, locale: Locale, view: polib.POFile | None, created: str, o: WriteOptions
) -> polib.POFile:
    if not line.rewrite:
        return view or polib.POFile()
    work = article_work(layout, line.id, line.entry, locale, line.routes, line.stored)
    return article_catalog(
        line.record, locale, work, o, view, created, load_ledger(layout.ledger(locale.gettext, line.id))
    )


def write_feed_catalog(
    layout: Layout,
    feed: str,
    lines: list[FeedLine],
    locale: Locale,
    options: WriteOptions,
    hint: dict[str, Any] | None,
) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """Per line its manifest result and file stamps; and the feed catalog's dates hint."""
    po_path, mo_path = layout.po(locale.gettext, feed), layout.mo(locale.gettext, feed)
    created = pot_created(layout.pot(feed))
    main = next((main_route(ln.record, ln.routes) for ln in lines if ln.routes), None)
    source_lang = next((ln.record["detection"]["language"] for ln in lines if ln.key), "und")
    header = (
        f"{language_name(locale.gettext)} translation of feed {feed!r} (from {source_lang}).\n"
        "Each line's entries have the line's id as msgctxt (<id>, or <id>|<context>).\n"
        "Machine translations are marked fuzzy until reviewed."
    )
    if any(r.demo for ln in lines for r in ln.routes.values()):
        header += "\n" + DEMO_HEADER
    if any(r.pseudo for ln in lines for r in ln.routes.values()):
        header += "\n" + PSEUDO_HEADER
    views: dict[str, polib.POFile] = {}

    def build(existing: polib.POFile | None) -> polib.POFile:
        old = split_views(existing) if existing is not None else {}
        views.clear()
        for ln in lines:
            views[ln.id] = _merged(layout, ln, locale, _view(old, ln.id, existing), created, options)
        metadata = catalog_metadata(
            options.project,
            locale,
            created,
            po_date(),
            existing.metadata if existing else None,
            source_lang,
        )
        po = join_views(list(views.items()), header, metadata)
        po.extend(_leftovers(existing, set(views)))
        return po

    po, _ = merge_until_saved(po_path, build, hint)
    fuzzy = options.mo_include_fuzzy or pseudo.shown_unreviewed(locale.gettext)
    mo_bytes = compile_mo(po, fuzzy, leave_out=is_broken)
    write_bytes(mo_path, mo_bytes, durable=False)  # compiled again from the .po
    po_digest = sha256(po_path.read_bytes())
    po_rel, mo_rel = str(po_path.relative_to(layout.root)), str(mo_path.relative_to(layout.root))
    shared = {po_rel: stamp_of(po_path, po_digest), mo_rel: stamp_of(mo_path, sha256(mo_bytes))}
    results = {}
    for ln in (ln for ln in lines if ln.key):  # lines without a key were skipped: no result
        path = layout.ledger(locale.gettext, ln.id)
        ledger = load_ledger(path)
        messages = read_messages(views[ln.id], ledger, written=ln.rewrite)
        if ln.rewrite:
            save_ledger(path, ledger_of(messages), ledger)
        view = views[ln.id]
        results[ln.id] = _line_result(
            layout, ln, locale, view, main, shared, po_rel, mo_rel, messages, options.render
        )
        results[ln.id]["digests"].update(po=po_digest, mo=sha256(mo_bytes))
    return results, dates_hint(po)


def view_key(view: polib.POFile | None) -> str:
    """A line's entries in the feed catalog as they are: obsolete or live, text, flags. The
    feed's .po is shared by its lines, so its stamp cannot say whether this line's part of it
    is still what the line's last write left (another run may have changed it since)."""
    parts = (
        f"{int(bool(e.obsolete))}\x1f{e.msgctxt}\x1f{e.msgid}\x1f{e.msgstr}\x1f{sorted(e.msgstr_plural.items())}\x1f{sorted(e.flags)}"
        for e in view or []
    )
    return hashlib.sha256("\x1e".join(parts).encode("utf-8")).hexdigest()[:16]


def _line_result(
    layout: Layout,
    ln: FeedLine,
    locale: Locale,
    view: polib.POFile,
    main: Route | None,
    shared: dict[str, Any],
    po_rel: str,
    mo_rel: str,
    messages: list[Message],
    render: Render | None,
) -> dict[str, Any]:
    prior = ln.prior or {}
    route = main_route(ln.record, ln.routes) if ln.routes else main
    result = catalog_result(view, route, ln.entry.get("untranslated"), messages)
    files = dict(shared)
    output = None
    digests: dict[str, Any] = {"output": None}
    if ln.entry.get("render", True) and render:
        if ln.rewrite:
            text, feed_file, part = render(ln.record, locale.gettext, layout.root, view)
            files[str(part.relative_to(layout.root))] = stamp_of(part, sha256(part.read_bytes()))
            digests["output"] = sha256(text.encode("utf-8") if isinstance(text, str) else text)
            output = str(feed_file.relative_to(layout.root))
        else:
            files.update({k: v for k, v in prior.get("files", {}).items() if k not in shared})
            digests["output"] = prior.get("digests", {}).get("output")
            output = prior.get("output")
    complete = ArticleWork(ln.routes, ln.stored, needs=ln.entry.get("needs", {})).complete
    if not ln.rewrite:
        complete = bool(prior.get("complete", complete))
    cache = {"stamp": shared[po_rel], "key": result.pop("catalog_key")}
    return {
        "view": view_key(view),
        **result,
        "po": po_rel,
        "mo": mo_rel,
        "output": output,
        "digests": digests,
        "entry": ln.key,
        "complete": complete,
        "files": files,
        "cache": cache,
    }
