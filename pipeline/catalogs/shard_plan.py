"""Stage 2 for a shard of articles and one locale: what each catalog needs from the model,
before MT (stage 4, after MT, is pipeline.catalogs.shard_write).

An article whose input, catalog and model route are as they were keeps its earlier plan
entry: a shard task that reruns for one edited article plans that article only.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.catalogs.catalog_plan import broken_key, catalog_key, plan_catalog
from pipeline.catalogs.feed import record_feed
from pipeline.catalogs.machine import provenance
from pipeline.catalogs.memory_sources import ParsedCatalogs
from pipeline.catalogs.pair_keys import PairKey
from pipeline.core.errors import CatalogError
from pipeline.core.filestamp import same_stat
from pipeline.core.layout import Layout
from pipeline.core.locales import Locale
from pipeline.memory.match import Matcher
from pipeline.segments.record import segments_of
from pipeline.translation.glossary import Rules
from pipeline.translation.packages import InstalledModel, find_route
from pipeline.translation.protect import model_input
from pipeline.translation.routes import decide


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
        key = PairKey(seg.lang or main, locale.argos, route.key).text
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
