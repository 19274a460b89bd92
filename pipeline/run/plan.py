"""The run's plan as plain, typed code: which shards of articles, which memory builds, which
translation chunks, from the settings, the inputs, the installed models and the catalogs.

TranslateAll only yields what this module computes. Everything here is a function of files
on disk (never of a process's memory), so it is the same when Luigi runs the driver again
after each batch of dependencies, in a new process, or on another worker.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.catalogs.shard_catalogs import PAIR_SEP, catalog_keys, read_json
from pipeline.core.atomic import write_state
from pipeline.core.layout import Layout
from pipeline.core.locales import Locale, parse_locale
from pipeline.core.settings import Settings
from pipeline.inputs.discover import SourceFile, discover, list_files
from pipeline.inputs.ids import article_id
from pipeline.memory.store import seeds_digest
from pipeline.outputs.inputs_index import trusted_digests
from pipeline.segments.segment import MSGID_VERSION
from pipeline.translation.chunk import Chunk, plan_pair
from pipeline.translation.mt_store import text_digest
from pipeline.translation.packages import InstalledModel, installed_models

PLAN_VERSION = "1"  # bump when what a stage writes changes shape


def digest(*parts: object) -> str:
    data = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def keys_digest(keys: dict[str, str]) -> str:
    """digest's job for article -> key maps, joined instead of JSON-encoded: 60,000 catalog
    keys a run, each digested twice (ids and keys hold no control characters)."""
    text = "\x1e".join(f"{aid}\x1f{key}" for aid, key in sorted(keys.items()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class ArticleRef:
    id: str
    path: str
    member: int
    digest: str


@dataclass(frozen=True)
class Shard:
    index: int
    articles: tuple[ArticleRef, ...]
    key: str  # what its records and templates depend on

    def refs(self) -> list[dict[str, Any]]:
        return [a.__dict__ for a in self.articles]


@dataclass(frozen=True)
class InputsPlan:
    sources: list[SourceFile]
    errors: list[str]
    shards: list[Shard]
    prepare_key: str
    files: list[str]  # every file listed under inputs (what the inputs index records)
    started_ns: int  # before the inputs were read: a file modified since may hold other bytes
    shard_count: int  # shards of the assignment (some may be empty)
    digest: str  # every article and input error, in listing order: whatever the shard size


def shard_count(articles: int, shard_size: int) -> int:
    """A power of two: as the archive grows, a shard splits in two instead of every article
    moving (the assignment is a function of the id and this count alone)."""
    count = 1
    while count * shard_size < articles:
        count *= 2
    return count


def shard_of(article_id: str, count: int) -> int:
    return int(hashlib.sha256(article_id.encode("utf-8")).hexdigest()[:8], 16) % count


def prepare_key(settings: Settings) -> str:
    """What an article's record and template depend on besides its bytes: the release too,
    since a new one may read or split articles differently (machine text is reused)."""
    return digest(
        PLAN_VERSION,
        __version__,
        MSGID_VERSION,
        settings.segmentation_key(),
        settings.unit,
        settings.min_confidence,
        settings.source_lang,
        settings.domain,
        *(["feed_catalog", settings.feed_catalog] if settings.feed_mode else []),
    )


def catalog_name(ref: ArticleRef, feed_mode: bool) -> str:
    """The catalog an article's entries go to: its own, or its feed's (feed_catalog = feed)."""
    return article_id(Path(ref.path)) if feed_mode and ref.member else ref.id


def plan_inputs(settings: Settings) -> InputsPlan:
    started_ns = time.time_ns()
    known = trusted_digests(Layout(settings.outputs).work, settings.inputs)
    listed = list_files(settings.inputs) if settings.inputs.is_dir() else ([], [])
    sources, errors = discover(settings.inputs, known, listed)
    key = prepare_key(settings)
    count = shard_count(len(sources), settings.shard_size)
    members: dict[int, list[tuple[ArticleRef, list[object]]]] = {}
    portable = []
    for src in sources:
        ref = ArticleRef(src.id, src.where, src.member, src.digest)
        portable.append(_portable(ref, settings.inputs))
        # a feed catalog has one writer: all of its lines are in the feed's shard
        shard = shard_of(catalog_name(ref, settings.feed_mode), count)
        members.setdefault(shard, []).append((ref, portable[-1]))
    shards = [
        Shard(index, tuple(r for r, _ in refs), digest(key, [p for _, p in refs]))
        for index, refs in sorted(members.items())
    ]
    errors_lines = [e.line() for e in errors]
    return InputsPlan(
        sources, errors_lines, shards, key, listed[0], started_ns, count, digest(portable, errors_lines)
    )


_inputs_of_run: dict[tuple[object, ...], InputsPlan] = {}


def run_inputs(settings: Settings, run: str) -> InputsPlan:
    """plan_inputs once per run and process: Luigi runs TranslateAll's generator from the top
    after every yield, and listing and digesting 20,000 inputs each time cost seconds."""
    key = (run, str(settings.inputs), prepare_key(settings), settings.shard_size, settings.feed_mode)
    if key not in _inputs_of_run:
        _inputs_of_run.clear()  # one run at a time per process
        _inputs_of_run[key] = plan_inputs(settings)
    return _inputs_of_run[key]


def forget_inputs() -> None:
    _inputs_of_run.clear()


def _portable(ref: ArticleRef, inputs: Path) -> list[object]:
    """A ref without the project's own location: the same archive elsewhere has the same key."""
    base = f"{inputs}{os.sep}"
    if ref.path.startswith(base):  # string work: 20,000 refs per plan, twice
        where = ref.path[len(base) :].replace(os.sep, "/")
    else:
        try:
            where = Path(ref.path).relative_to(inputs).as_posix()
        except ValueError:
            where = ref.path
    return [ref.id, where, ref.member, ref.digest]


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


def plan_needs(plan: dict[str, Any]) -> dict[str, list[str]]:
    """The model inputs a shard plan needs, per pair key (source|target|route)."""
    needed: dict[str, set[str]] = {}
    for entry in plan.get("articles", {}).values():
        for key, texts in entry.get("needs", {}).items():
            needed.setdefault(key, set()).update(texts)
    return {key: sorted(texts) for key, texts in sorted(needed.items())}


def needs_digests(needs: dict[str, list[str]]) -> dict[str, list[str]]:
    """plan_needs by text_digest: a tenth of the bytes, and all that bucketing needs."""
    return {key: sorted({text_digest(t) for t in texts}) for key, texts in needs.items()}


def plan_chunks(layout: Layout, plan_files: list[Path], decode_key: str, chunk_size: int) -> list[Chunk]:
    """The translation chunks with something left to translate; computed once per set of
    shard plans and kept, since the driver comes back here after every batch of tasks.

    Only plans new since the last planning are read whole, and of those only the sentences
    the plan they replace (same shard and locale) did not need are new to the buckets
    (plan_pair); plans seen before are read as their digests (Layout.plan_needs), and only
    where a pair is planned from nothing."""
    names = sorted(_plan_name(p) for p in plan_files)
    memo = layout.plan_file(f"chunks-{digest(names, decode_key, chunk_size)}")
    cached = read_json(memo)
    if cached is not None:
        return [Chunk(**c) for c in cached]
    last_path = layout.plan_file("chunks-last")
    last = read_json(last_path) or {}
    seen = set(last.get("plans", [])) if "pairs" in last else set()
    replaced = {(n.split("@")[1], n[:4]): n for n in seen}  # (locale, shard) -> its last plan
    fresh: dict[str, dict[str, str]] = {}
    for path in plan_files if seen else []:  # from nothing, every sentence is new
        if _plan_name(path) in seen:
            continue
        before = replaced.get((path.parent.name, path.name[:4]))  # all it needed is in the buckets
        known = _needs_of(layout, path.with_name(before.split("@")[0])) if before else {}
        for key, texts in plan_needs(read_json(path) or {}).items():
            had = set(known.get(key, ()))
            fresh.setdefault(key, {}).update((d, t) for t in texts if (d := text_digest(t)) not in had)
    plans = (digest(sorted(seen)), digest(names))
    if seen:
        pairs = sorted(set(last["pairs"]) | set(fresh))
    else:
        pairs = sorted({key for path in plan_files for key in _needs_of(layout, path)})
    chunks: list[Chunk] = []
    for key in pairs:
        source, target, route_key = key.split(PAIR_SEP, 2)
        chunks += plan_pair(
            source,
            target,
            route_key,
            layout.mt(source, target, route_key, decode_key),
            chunk_size,
            fresh.get(key, {}),
            plans,
            # read for one pair at a time: a first run holds one pair's sentences, not all
            lambda key=key: _pair_digests(layout, plan_files, key),
            lambda key=key: _pair_texts(plan_files, key),
        )
    write_state(memo, [c.__dict__ for c in chunks])
    write_state(last_path, {"plans": names, "pairs": pairs})
    return chunks


def _pair_digests(layout: Layout, plan_files: list[Path], key: str) -> set[str]:
    """Every plan's sentence digests for one pair (planning it from nothing)."""
    found: set[str] = set()
    for path in plan_files:
        found.update(_needs_of(layout, path).get(key, ()))
    return found


def _pair_texts(plan_files: list[Path], key: str) -> dict[str, str]:
    """Every plan's texts for one pair, by digest (where a bucket's job file and the new plans
    cannot say)."""
    found: dict[str, str] = {}
    for path in plan_files:
        found.update((text_digest(t), t) for t in plan_needs(read_json(path) or {}).get(key, ()))
    return found


def _plan_name(path: Path) -> str:
    return f"{path.name}@{path.parent.name}"


def _needs_of(layout: Layout, plan: Path) -> dict[str, list[str]]:
    """A shard plan's sentence digests per pair: its plan-needs file, else the plan itself."""
    known = read_json(layout.plan_needs(plan))
    if isinstance(known, dict):
        return known
    return needs_digests(plan_needs(read_json(plan) or {}))


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
