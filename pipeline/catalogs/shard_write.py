"""Stage 4 for a shard of articles and one locale: the catalogs, compiled catalogs and
rendered articles, after MT, from the shard's plan (pipeline.catalogs.shard_plan).

An article whose plan entry and outputs are as they were is not written again: a shard task
that reruns for one edited article touches that article only.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from pipeline.catalogs.feed import record_feed, split_views
from pipeline.catalogs.feed_write import FeedLine, view_key, write_feed_catalog
from pipeline.catalogs.memory_sources import ParsedCatalogs
from pipeline.catalogs.pair_keys import PairKey
from pipeline.catalogs.write import ArticleWork, WriteOptions, article_work, write_locale
from pipeline.core.create_batch import CreateBatch
from pipeline.core.errors import CatalogError, InputError
from pipeline.core.filestamp import holds, same_stat
from pipeline.core.layout import Layout
from pipeline.core.locales import Locale
from pipeline.translation.packages import InstalledModel, Route, find_route
from pipeline.translation.routes import parse_routes_key


def entry_key(entry: dict[str, Any], settings_key: str) -> str:
    data = json.dumps([entry, settings_key], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def outputs_hold(layout: Layout, stamps: dict[str, Any]) -> bool:
    return all(holds(layout.root / rel, stamp) for rel, stamp in stamps.items())


def write_shard(
    layout: Layout,
    records: list[dict[str, Any]],
    plan: dict[str, Any],
    locale: Locale,
    models: list[InstalledModel],
    stored: dict[PairKey, dict[str, str]],
    options: WriteOptions,
    settings_key: str,
    previous: dict[str, Any] | None,
    feed_mode: bool = False,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Catalogs, .mo and rendered articles of the shard for one locale.

    stored: model output by model input, per language pair. Returns the stamp (per article: its
    manifest result and the file stamps of what it wrote) and the catalog cache.
    feed_mode: a feed's lines go to the feed's catalog (pipeline.catalogs.feed).
    """
    old = (previous or {}).get("articles", {})
    results: dict[str, Any] = {}
    cache: dict[str, Any] = {}
    done: list[str] = []
    feeds: dict[str, list[FeedLine]] = {}
    views: dict[str, dict[str, str] | None] = {}  # per feed catalog that moved: each line's view key
    # new catalogs wait in the batch and go in place together: one sync, not an fsync each
    again: dict[Path, tuple[str, Callable[..., tuple[dict[str, Any], dict[str, Any] | None]]]] = {}
    with CreateBatch() as batch:
        for record in records:
            aid = record["id"]
            entry = plan["articles"].get(aid, {})
            feed = record_feed(record, feed_mode)
            if "skip" in entry or "error" in entry:
                results[aid] = {k: entry[k] for k in ("skip", "error", "input_error") if k in entry}
                if feed:  # its entries stay in the feed catalog as they are
                    feeds.setdefault(feed, []).append(FeedLine(record, entry, "", {}, {}, None, False))
                continue
            key = entry_key(entry, settings_key)
            prior = old.get(aid)
            fresh = bool(
                prior
                and prior.get("entry") == key
                and prior.get("complete")
                and outputs_hold(layout, prior["files"])
            )
            if feed:
                fresh = _line_fresh(layout, locale.gettext, feed, aid, prior, key, views)
                line = _feed_line(record, entry, key, prior, not fresh, locale, models)
                if isinstance(line, str):
                    results[aid] = {"error": line}
                else:
                    feeds.setdefault(feed, []).append(line)
                continue
            if fresh and prior:
                results[aid] = prior
                if prior.get("cache"):
                    cache[aid] = prior["cache"]
                continue
            routes: dict[str, Route] = {}
            by_lang: dict[str, dict[str, str]] = {}
            for lang, route_key in parse_routes_key(entry["routes"]).items():
                route = find_route(models, lang, locale.argos)
                if route is None or route.key != route_key:
                    results[aid] = {
                        "error": f"model for {lang}->{locale.argos} changed during the run; run again"
                    }
                    break
                routes[lang] = route
                by_lang[lang] = stored.get(PairKey(lang, locale.argos, route_key), {})
            else:
                work = article_work(layout, record["id"], entry, locale, routes, by_lang)
                write = partial(
                    _write_article, layout, record, locale, work, options, key, (prior or {}).get("dates")
                )
                results[aid], cache_entry = write(batch)
                again[layout.po(locale.gettext, aid)] = (aid, write)
                done.append(aid)
                if cache_entry:
                    cache[aid] = cache_entry
        lost = batch.commit()
    for po_path in lost:  # a save created the catalog first: merge again, from theirs
        aid, write = again[po_path]
        results[aid], cache_entry = write()
        cache.pop(aid, None)
        if cache_entry:
            cache[aid] = cache_entry
    hints = (previous or {}).get("feeds", {})
    feed_hints: dict[str, Any] = {}
    for feed, lines in feeds.items():
        for line in lines:
            line.stored = {
                lang: stored.get(PairKey(lang, locale.argos, r.key), {}) for lang, r in line.routes.items()
            }
        written = [ln for ln in lines if ln.key]
        present = sorted(ln.id for ln in lines)
        same_lines = (hints.get(feed) or {}).get("lines") == present  # a line that left: its #~
        if (
            same_lines
            and not any(ln.rewrite for ln in written)
            and all(outputs_hold(layout, (ln.prior or {}).get("files", {})) for ln in written)
        ):
            for ln in written:
                results[ln.id] = ln.prior
                cache[ln.id] = (ln.prior or {}).get("cache")
            feed_hints[feed] = hints.get(feed)
            continue
        try:
            by_line, dates = write_feed_catalog(layout, feed, lines, locale, options, hints.get(feed))
            feed_hints[feed] = {**dates, "lines": present}
        except CatalogError as exc:
            for ln in written:
                results[ln.id] = {"error": exc.line(), "entry": ln.key, "complete": False, "files": {}}
            continue
        for ln in written:
            results[ln.id] = by_line[ln.id]
            cache[ln.id] = by_line[ln.id]["cache"]
            if ln.rewrite:
                done.append(ln.id)
    return {"articles": results, "ran": done, "feeds": feed_hints}, cache


def _line_fresh(
    layout: Layout,
    locale: str,
    feed: str,
    line: str,
    prior: dict[str, Any] | None,
    key: str,
    views: dict[str, dict[str, str] | None],
) -> bool:
    """A feed line needs no merge: its plan entry, rendered line and its entries in the feed's
    .po are as it last left them. The .po and .mo are shared by the feed's lines: where the
    .po moved since, each line's entries are compared (views: the feed's view keys, read once
    per feed); a deleted feed catalog reruns them all."""
    po, mo = layout.po(locale, feed), layout.mo(locale, feed)
    po_rel = str(po.relative_to(layout.root))
    shared = {po_rel, str(mo.relative_to(layout.root))}
    files = (prior or {}).get("files", {})
    own = {k: v for k, v in files.items() if k not in shared}
    if not (prior and prior.get("entry") == key and prior.get("complete") and outputs_hold(layout, own)):
        return False
    if not po.exists():
        return False
    if same_stat(po, files.get(po_rel)):
        return True
    if feed not in views:
        try:
            catalog = ParsedCatalogs().get(po)
            views[feed] = {line: view_key(v) for line, v in split_views(catalog).items()} if catalog else {}
        except CatalogError:
            views[feed] = None
    found = views[feed]
    return found is not None and found.get(line, view_key(None)) == prior.get("view")


def _feed_line(
    record: dict[str, Any],
    entry: dict[str, Any],
    key: str,
    prior: dict[str, Any] | None,
    rewrite: bool,
    locale: Locale,
    models: list[InstalledModel],
) -> FeedLine | str:
    """A feed line to write, or why it cannot be (its model changed during the run)."""
    routes: dict[str, Route] = {}
    for lang, route_key in parse_routes_key(entry["routes"]).items():
        route = find_route(models, lang, locale.argos)
        if route is None or route.key != route_key:
            return f"model for {lang}->{locale.argos} changed during the run; run again"
        routes[lang] = route
    return FeedLine(record, entry, key, routes, {}, prior, rewrite)


def _write_article(
    layout: Layout,
    record: dict[str, Any],
    locale: Locale,
    work: ArticleWork,
    options: WriteOptions,
    key: str,
    hint: dict[str, Any] | None = None,
    batch: CreateBatch | None = None,
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    try:
        result = write_locale(record, locale, layout.root, work, options, hint, batch)
    except (CatalogError, InputError) as exc:  # InputError: a document changed since it was read
        return {"error": exc.line(), "entry": key, "complete": False, "files": {}}, None
    complete = work.complete
    stamps = result.pop("stamps")
    files = {str(layout.po(locale.gettext, record["id"]).relative_to(layout.root)): stamps["po"]}
    files[str(layout.mo(locale.gettext, record["id"]).relative_to(layout.root))] = stamps["mo"]
    written = result.pop("written")
    if written:
        files[written] = stamps["output"]
    cache_entry = {"stamp": stamps["po"], "key": result.pop("catalog_key")}
    return {**result, "entry": key, "complete": complete, "files": files, "cache": cache_entry}, cache_entry
