"""The run's plan per locale (pipeline.run.plan plans the inputs): each catalog's key as the
run found it, the key of the memory they build and of each shard's plan, and the keys that
say which models and which whole run a result was made with.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from pipeline.catalogs.shard_plan import catalog_keys, read_json
from pipeline.core.atomic import write_state
from pipeline.core.layout import Layout
from pipeline.core.locales import Locale, parse_locale
from pipeline.core.settings import Settings
from pipeline.memory.store import seeds_digest
from pipeline.run.plan import PLAN_VERSION, InputsPlan, Shard, catalog_name, digest, keys_digest
from pipeline.translation.packages import InstalledModel, installed_models


def models_key(models: list[InstalledModel]) -> str:
    return digest(sorted(m.id for m in models))


@dataclass(frozen=True)
class LocalePlan:
    locale: Locale
    keys: dict[int, dict[str, str]]  # shard -> article -> catalog key
    memory_key: str

    def all_keys(self) -> dict[str, str]:
        return {aid: key for keys in self.keys.values() for aid, key in keys.items()}


def plan_locales(
    layout: Layout,
    targets: tuple[str, ...],
    shards: list[Shard],
    run: str,
    feed_mode: bool = False,
    unmoved: frozenset[int] = frozenset(),
) -> list[LocalePlan]:
    """The catalogs' keys as they were when this run started: the run's own writes must not
    change its plan when the driver comes back (a catalog it rewrote reads differently), so
    they are computed once per run and kept until it ends. unmoved: shards whose files all
    keep the stat the last run recorded (run_outputs.unmoved_shards): their catalogs are
    not stat'ed again."""
    memo = layout.plan_file(f"run-{run}-catalogs")
    cached = read_json(memo)
    wanted = [[s.index, s.key] for s in shards]
    if cached and cached.get("shards") == wanted and sorted(cached.get("locales", {})) == sorted(targets):
        return [
            LocalePlan(
                parse_locale(t),
                {int(i): keys for i, keys in cached["locales"][t]["keys"].items()},
                cached["locales"][t]["memory"],
            )
            for t in targets
        ]
    plans = [plan_locale(layout, t, shards, feed_mode, unmoved) for t in targets]
    data = {
        lp.locale.gettext: {"keys": {str(i): k for i, k in lp.keys.items()}, "memory": lp.memory_key}
        for lp in plans
    }
    write_state(memo, {"shards": wanted, "locales": data})
    return plans


def forget_run(layout: Layout, run: str, stale_after: float = 6 * 3600) -> None:
    """The run is over: its kept keys go, and those a killed run left behind long ago."""
    layout.plan_file(f"run-{run}-catalogs").unlink(missing_ok=True)
    folder = layout.plan_file("x").parent
    for path in folder.glob("run-*-catalogs.json") if folder.is_dir() else []:
        if time.time() - path.stat().st_mtime > stale_after:
            path.unlink(missing_ok=True)


def feed_catalogs(shards: list[Shard], feed_mode: bool) -> dict[str, str]:
    """Each feed line's feed catalog, when feed_catalog = feed."""
    if not feed_mode:
        return {}
    return {a.id: name for s in shards for a in s.articles if (name := catalog_name(a, feed_mode)) != a.id}


def plan_locale(
    layout: Layout,
    target: str,
    shards: list[Shard],
    feed_mode: bool = False,
    unmoved: frozenset[int] = frozenset(),
) -> LocalePlan:
    """Catalog keys (stat-cached: only catalogs someone else saved are parsed) and the key of
    the memory they build."""
    locale = parse_locale(target)
    feeds = feed_catalogs(shards, feed_mode)
    keys = {
        s.index: catalog_keys(
            layout, locale.gettext, s.index, [a.id for a in s.articles], feeds, s.index in unmoved
        )
        for s in shards
    }
    flat = {aid: key for shard_keys in keys.values() for aid, key in shard_keys.items()}
    memory = digest(keys_digest(flat), seeds_digest(layout, locale.gettext))
    return LocalePlan(locale, keys, memory)


def plan_shard_key(
    shard: Shard,
    locale: str,
    keys: dict[str, str],
    models: str,
    settings: Settings,
    withdrawn: str | None = "",
    read_differs: list[str] | None = None,
) -> str:
    """A review elsewhere (the memory) is not part of it: a review rewrites only its catalog;
    other articles meet the memory when they are new or change. What the memory withdrew is:
    an offer of a rejected or forgotten text leaves every article (withdrawn: the memory's
    digest of its withdrawn units, "" when there are none)."""
    parts: list[object] = [shard.key, locale, keys_digest(keys), models, settings.result_key()]
    if withdrawn:
        parts.append(withdrawn)
    if read_differs:  # records made from other bytes than the listing's (read_differs: id=digest)
        parts.append(sorted(read_differs))
    return digest(*parts)


def run_key(settings: Settings, inputs: InputsPlan, models: list[InstalledModel], layout: Layout) -> str:
    """Everything a whole run's result depends on apart from the outputs themselves (those
    are checked file by file); equal keys and intact outputs mean there is nothing to do."""
    return digest(
        PLAN_VERSION,
        inputs.prepare_key,
        settings.result_key(),
        list(settings.targets),
        models_key(models),
        inputs.digest,
        [seeds_digest(layout, t) for t in settings.targets],
    )


def installed(settings: Settings) -> list[InstalledModel]:
    return installed_models(settings.models_dir, settings.state_dir)
