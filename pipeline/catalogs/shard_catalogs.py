"""Stages 2 and 4 for a shard of articles and one locale: what each catalog needs from the
model (before MT), then the catalogs, compiled catalogs and rendered articles (after MT).

An article whose input, catalog and model route are as they were keeps its earlier plan
entry, and an article whose plan entry and outputs are as they were is not written again:
a shard task that reruns for one edited article touches that article only.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from pipeline.catalogs.catalog_plan import broken_key, catalog_key, plan_catalog
from pipeline.catalogs.feed import record_feed, split_views
from pipeline.catalogs.feed_write import FeedLine, view_key, write_feed_catalog
from pipeline.catalogs.machine import provenance
from pipeline.catalogs.memory_sources import ParsedCatalogs
from pipeline.catalogs.write import ArticleWork, WriteOptions, article_work, write_locale
from pipeline.core.atomic import CreateBatch
from pipeline.core.errors import CatalogError, InputError
from pipeline.core.filestamp import holds, same_stat
from pipeline.core.layout import Layout
from pipeline.core.locales import Locale
from pipeline.memory.match import Matcher
from pipeline.segments.record import segments_of
from pipeline.translation.glossary import Rules
from pipeline.translation.packages import InstalledModel, Route, find_route
from pipeline.translation.protect import model_input
from pipeline.translation.routes import decide, parse_routes_key

PAIR_SEP = "|"


def pair_key(source: str, target: str, route_key: str) -> str:
    return PAIR_SEP.join((source, target, route_key))


def read_json(path: Path) -> Any:
    """Internal state: a missing or unreadable file is a cache miss, never an error."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def catalog_keys(
    layout: Layout,
    locale: str,
    shard: int,
    articles: list[str],
    feeds: dict[str, str] | None = None,
    unmoved: bool = False,
) -> dict[str, str]:
    """Each article's catalog key; a catalog as locpipe last wrote it is not parsed.

    feeds: the feed catalog of each feed line (feed_catalog = feed): its key is its view's;
    unmoved: every catalog of the shard is known to keep the stat the cache recorded."""
    cache = read_json(layout.catalog_cache(locale, shard)) or {}
    keys = {}
    parsed = ParsedCatalogs()
    folder = f"{layout.messages(locale)}{os.sep}"  # 60,000 catalogs: stat by string
    for aid in articles:
        feed = (feeds or {}).get(aid)
        known = cache.get(aid)
        if known and (unmoved or same_stat(f"{folder}{feed or aid}.po", known.get("stamp"))):
            keys[aid] = known["key"]
            continue
        path = layout.po(locale, feed or aid)
        if known and known.get("key") != catalog_key(None) and not path.exists():
            # deleted with reviewed work in it: plan it again, so the memory offers that work
            keys[aid] = f"lost-{known['key']}"
            continue
        try:
            keys[aid] = catalog_key(parsed.view(path, aid if feed else None))
        except CatalogError as exc:
            keys[aid] = broken_key(exc)
    return keys


@dataclass(frozen=True)
class PlanOptions:
    """What planning an article x locale needs besides the article: the same for a shard."""

    models: list[InstalledModel]
    min_confidence: float
    decode_key: str
    rules: Rules
    memory: Matcher | None
    settings_key: str = ""
    feed_mode: bool = False


def plan_article(record: dict[str, Any], locale: Locale, layout: Layout, o: PlanOptions) -> dict[str, Any]:
    """One article × locale: skipped, or its catalog's state and the model inputs it needs."""
    models, decode_key, rules, memory, feed_mode = o.models, o.decode_key, o.rules, o.memory, o.feed_mode
    decision = decide(record, locale, models, o.min_confidence)
    if decision.skip:
        return {"skip": decision.skip}
    entry: dict[str, Any] = {"routes": decision.routes_key, "render": decision.render}
    if decision.untranslated:
        entry["untranslated"] = decision.untranslated
    catalogs = ParsedCatalogs()
    feed = record_feed(record, feed_mode)
    notes = frozenset(provenance(r, decode_key) for r in decision.routes.values())
    plan = plan_catalog(
        record,
        locale.gettext,
        layout.root,
        layout.work,
        catalogs,
        memory if decision.route else None,
        feed,
        notes,
    )
    if plan.error:
        return {**entry, "error": plan.error}
    entry.update(reviewed=plan.reviewed, suggestions=plan.suggestions)
    if not decision.routes:
        return entry
    main = record["detection"]["language"]
    needs: dict[str, set[str]] = {}
    for seg in segments_of(record):
        route = decision.routes.get(seg.lang or main)
        if route is None or seg.msgid not in plan.needs_mt:
            continue  # the resolver found its text before MT (pipeline.catalogs.resolve)
        key = pair_key(seg.lang or main, locale.argos, route.key)
        needs.setdefault(key, set()).add(model_input(seg.msgid, seg.kind, rules).text)
    entry["needs"] = {k: sorted(v) for k, v in sorted(needs.items())}
    return entry


def plan_shard(
    layout: Layout,
    records: list[dict[str, Any]],
    locale: Locale,
    options: PlanOptions,
    keys: dict[str, str],
    previous: dict[str, Any] | None,
) -> dict[str, Any]:
    """The shard's plan for one locale: per article its entry; reused where nothing it
    depends on moved (input digest, catalog key, model routes, settings)."""
    old = (previous or {}).get("articles", {})
    articles: dict[str, Any] = {}
    done: list[str] = []
    for record in records:
        aid = record["id"]
        if "error" in record:
            articles[aid] = {"skip": record["error"], "input_error": True}
            continue
        routes = {
            lang: r.key
            for lang in _languages(record)
            if (r := find_route(options.models, lang, locale.argos)) is not None
        }
        basis = {
            "digest": record["digest"],
            "segmented": record.get("made_with", ""),
            "catalog": keys.get(aid) or catalog_key(None),
            "route_keys": routes,
            "settings": options.settings_key,
        }
        if record.get("member"):
            basis["line"] = record["member"]  # a feed line that moved: its references follow it
        if options.memory is not None and (
            withdrawn := options.memory.withdrawn_key(
                record["detection"]["language"], (s.msgid for s in segments_of(record))
            )
        ):
            basis["withdrawn"] = withdrawn  # an offer of a withdrawn text must go: plan again
        prior = old.get(aid)
        if prior is not None and prior.get("basis") == basis:
            articles[aid] = prior
            continue
        entry = plan_article(record, locale, layout, options)
        articles[aid] = {**entry, "basis": basis}
        done.append(aid)
    return {"articles": articles, "ran": done}


def _languages(record: dict[str, Any]) -> list[str]:
    main = record["detection"]["language"]
    return sorted({main} | {s.lang for s in segments_of(record) if s.lang and s.lang != "und"})


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
    stored: dict[str, dict[str, str]],
    options: WriteOptions,
    settings_key: str,
    previous: dict[str, Any] | None,
    feed_mode: bool = False,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Catalogs, .mo and rendered articles of the shard for one locale.

    stored: model output by model input, per pair key. Returns the stamp (per article: its
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
                by_lang[lang] = stored.get(pair_key(lang, locale.argos, route_key), {})
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
                lang: stored.get(pair_key(lang, locale.argos, r.key), {}) for lang, r in line.routes.items()
            }
        written = [ln for ln in lines if ln.key]
        present = sorted(ln.id for ln in lines)
        same_lines = (hints.get(feed) or {}).get("lines") == present  # a line that left: its #~
        if same_lines and not any(ln.rewrite for ln in written) and all(
            outputs_hold(layout, (ln.prior or {}).get("files", {})) for ln in written
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
