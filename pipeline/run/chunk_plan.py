"""The run's translation chunks: what the shard plans need from the model, per language
pair, bucketed into chunks (pipeline.translation.chunk) with something left to translate.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.catalogs.pair_keys import PairKey
from pipeline.catalogs.shard_plan import read_json
from pipeline.core.atomic import write_state
from pipeline.core.layout import Layout
from pipeline.run.plan import digest
from pipeline.translation.chunk import Chunk, plan_pair
from pipeline.translation.mt_store import text_digest


def plan_needs(plan: dict[str, Any]) -> dict[str, list[str]]:
    """The model inputs a shard plan needs, per language pair (PairKey.text)."""
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
        pair = PairKey.parse(key)
        chunks += plan_pair(
            pair.source,
            pair.target,
            pair.route,
            layout.mt(pair.source, pair.target, pair.route, decode_key),
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
