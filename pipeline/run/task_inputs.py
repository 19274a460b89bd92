"""What the shard and chunk tasks hand their stage besides the shard: options made from the
settings, the stamp a task wrote last time, the model route it was planned with and the
machine translations a writer reads. Plain functions of the settings and files on disk.
"""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path
from typing import Any

from pipeline.catalogs.pair_keys import PairKey
from pipeline.catalogs.shard_plan import PlanOptions, read_json
from pipeline.catalogs.write import WriteOptions
from pipeline.core.errors import LocpipeError
from pipeline.core.layout import Layout
from pipeline.core.locales import Locale
from pipeline.core.settings import Settings
from pipeline.outputs.render import QualityFloor, write_rendered
from pipeline.outputs.subtitle_layout import SubtitleLimits
from pipeline.outputs.subtitle_notes import add_subtitle_notes
from pipeline.run.memo import memory_matcher
from pipeline.translation.engine import WORKERS_ENV, DecodeOptions, thread_budget
from pipeline.translation.glossary import read_glossary, rules_for
from pipeline.translation.mt_store import keep_stores, load_translations
from pipeline.translation.packages import InstalledModel, Route, find_route, installed_models
from pipeline.translation.routes import parse_routes_key


def latest(folder: Path, prefix: str, current: Path) -> Any:
    """What this task wrote last time (the same stamp, when it reruns because an output went
    missing) or else the newest one of the same shard: what a rerun reuses per article."""
    if current.exists():
        return read_json(current)
    if not folder.is_dir():
        return None
    found = sorted(folder.glob(f"{prefix}*.json"), key=lambda p: p.stat().st_mtime_ns)
    return read_json(found[-1]) if found else None


def plan_options(
    settings: Settings, layout: Layout, locale: str, models: list[InstalledModel]
) -> PlanOptions:
    s = settings
    return PlanOptions(
        models,
        s.min_confidence,
        s.decode_key(),
        rules_for(read_glossary(s.glossary), locale),
        memory_matcher(layout, locale, s.memory_threshold),
        s.result_key(),
        s.feed_mode,
    )


def checked_route(settings: Settings, source: str, target: str, route_key: str) -> Route:
    """The pair's route as installed now, which must be the one the chunk was planned with."""
    route = find_route(installed_models(settings.models_dir, settings.state_dir), source, target)
    if route is None or route.key != route_key:
        raise LocpipeError(
            settings.models_dir, f"model for {source}->{target} changed during the run; run again"
        )
    return route


def decode_options(settings: Settings) -> DecodeOptions:
    """The settings' decoding, with threads shared among the worker processes of this host."""
    s = settings
    workers = int(os.environ.get(WORKERS_ENV, "1") or 1)
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    inter, intra = thread_budget(s.inter_threads, s.intra_threads, workers, cpus)
    return DecodeOptions(
        beam_size=s.beam_size,
        batch_size=s.batch_size,
        max_decoding_ratio=s.max_decoding_ratio,
        inter_threads=inter,
        intra_threads=intra,
        device=s.device,
        compute_type=s.compute_type,
    )


def stored_translations(
    layout: Layout, plan: dict[str, Any], locale: Locale, decode_key: str
) -> dict[PairKey, dict[str, str]]:
    """The model output a shard's plan may use, per language pair: the pairs it needs and
    those whose text is all kept or reviewed."""
    keys = {PairKey.parse(key) for entry in plan["articles"].values() for key in entry.get("needs", {})}
    keys |= {
        PairKey(lang, locale.argos, route_key)
        for entry in plan["articles"].values()
        for lang, route_key in parse_routes_key(entry.get("routes", "")).items()
    }
    folders = {key: layout.mt(key.source, key.target, key.route, decode_key) for key in keys}
    keep_stores(set(folders.values()))
    return {
        key: load_translations(folder)
        for key, folder in sorted(folders.items(), key=lambda item: item[0].text)  # as stored keys sort
    }


def write_options(settings: Settings, locale: str) -> WriteOptions:
    s = settings
    floor = QualityFloor(s.min_quality, s.below_min_quality == "omit")
    limits = SubtitleLimits(s.subtitle_line_length, s.subtitle_lines, s.subtitle_max_cps)
    return WriteOptions(
        s.domain,
        s.mo_include_fuzzy,
        rules_for(read_glossary(s.glossary), locale),
        s.decode_key(),
        render=partial(write_rendered, floor=floor, subtitles=limits),
        annotate=partial(add_subtitle_notes, floor=floor, limits=limits),
    )
