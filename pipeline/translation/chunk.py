"""Translation chunks: a language pair's sentences cut into buckets of a few thousand, one
model load per chunk, so several workers (and hosts) can share a pair.

A sentence's bucket is a function of its text and the bucket count alone, and a chunk's
identity is (pair, model, decoding settings, bucket, the bucket's whole sentence set), never
"what is not stored yet": two runs planned at different moments name the same chunk, and
the scheduler runs it once. A chunk skips sentences already stored when it starts.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.core.atomic import write_state
from pipeline.core.errors import LocpipeError
from pipeline.translation.engine import DecodeOptions, EngineStats, translate_unique
from pipeline.translation.mt_store import ResultFile, load_translations, text_digest, text_hash
from pipeline.translation.packages import Route
from pipeline.translation.quality import ModelScore


def bucket_count(sentences: int, chunk_size: int) -> int:
    """A power of two, so growing the archive splits buckets instead of reshuffling them."""
    count = 1
    while count * chunk_size < sentences:
        count *= 2
    return count


def bucket_of(text: str, buckets: int) -> int:
    return text_hash(text) % buckets


def bucket_of_digest(digest: str, buckets: int) -> int:
    """bucket_of for a sentence known by its text_digest."""
    return int(digest[:8], 16) % buckets


def set_digest(names: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(names)).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Chunk:
    source: str
    target: str
    route_key: str
    bucket: int
    buckets: int
    members: str  # digest of the bucket's sentence set (of its sentences' text_digest)
    pending: int  # not stored when planned (what progress expects)

    @property
    def name(self) -> str:
        return chunk_name(self.bucket, self.buckets, self.members)


def chunk_name(bucket: int, buckets: int, members: str) -> str:
    return f"{bucket:04d}of{buckets}-{members}"


def job_path(folder: Path, name: str) -> Path:
    return folder / "jobs" / f"{name}.json"


def done_path(folder: Path, name: str) -> Path:
    """The chunk task's output (pipeline.run.tasks.TranslateChunk)."""
    return folder / "done" / f"{name}.json"


def _buckets_path(folder: Path) -> Path:
    """The pair's buckets as last planned: their count, each one's sentence set (by digest),
    how many sentences in all, and the plan set they were planned for."""
    return folder / "jobs" / "buckets.json"


def plan_pair(
    source: str,
    target: str,
    route_key: str,
    folder: Path,
    chunk_size: int,
    fresh: dict[str, str],
    plans: tuple[str, str],
    needed: Callable[[], set[str]],
    everything: Callable[[], dict[str, str]],
) -> list[Chunk]:
    """The pair's chunks that have something to translate; writes each one's job file, and
    the done mark of a chunk whose sentences are all stored.

    fresh: digest -> text of what the plans new since the last planning need; plans: the
    digests of that last plan set and of this one. Where the pair's buckets were planned for
    that last set, a bucket's set only grows by the fresh sentences: an edit among 20,000
    articles reads and writes the few buckets its new sentences fall in, and a sentence no
    plan needs any more stays in its bucket (stored, never translated again) until the
    bucket count doubles and every bucket is planned from the plans again. Otherwise
    `needed` (every plan's sentence digests) and `everything` (their texts) plan the pair
    from nothing."""
    last = _read(_buckets_path(folder))
    grown = _grow(folder, last, fresh, chunk_size) if _planned_for(last, plans[0]) else None
    if grown is None:
        digests = needed()
        buckets = bucket_count(len(digests), chunk_size)
        by_bucket: dict[int, set[str]] = {}
        for name in digests:
            by_bucket.setdefault(bucket_of_digest(name, buckets), set()).add(name)
        members = {b: set_digest(list(names)) for b, names in sorted(by_bucket.items())}
        total, texts_of = len(digests), _texts_from(folder, buckets, by_bucket, fresh, everything)
    else:
        buckets, members, total, texts_of = grown
    stored = load_translations(folder)
    chunks = []
    for bucket, digest in sorted(members.items()):
        name = chunk_name(bucket, buckets, digest)
        if done_path(folder, name).exists():
            continue
        texts = texts_of(bucket, name)
        pending = sum(1 for t in texts if t not in stored)
        if pending:
            chunks.append(Chunk(source, target, route_key, bucket, buckets, digest, pending))
        else:  # a set whose sentences are all stored: done as it stands, not looked up again
            write_state(done_path(folder, name), {"route": route_key, "stats": {"sentences": 0}})
    state = {"buckets": buckets, "members": {str(b): d for b, d in members.items()}, "total": total}
    write_state(_buckets_path(folder), {**state, "plans": plans[1]})
    return chunks


def _planned_for(last: Any, plans: str) -> bool:
    return isinstance(last, dict) and last.get("plans") == plans and isinstance(last.get("total"), int)


TextsOf = Callable[[int, str], list[str]]


def _grow(
    folder: Path, last: dict[str, Any], fresh: dict[str, str], chunk_size: int
) -> tuple[int, dict[int, str], int, TextsOf] | None:
    """The last buckets with the fresh sentences added; None where that cannot be done (the
    count would double, the job file of a bucket it needs is gone or damaged)."""
    buckets = int(last["buckets"])
    members = {int(b): str(d) for b, d in last["members"].items()}
    added: dict[int, dict[str, str]] = {}
    for digest, text in fresh.items():
        added.setdefault(bucket_of_digest(digest, buckets), {})[digest] = text
    total = int(last["total"])
    texts: dict[int, list[str]] = {}
    for bucket, new in sorted(added.items()):
        old = {}
        if bucket in members:
            old = _digests(_read(job_path(folder, chunk_name(bucket, buckets, members[bucket]))))
            if not old:
                return None
        more = {d: t for d, t in new.items() if d not in old}
        if more:
            total += len(more)
            merged = {**old, **more}
            members[bucket] = set_digest(list(merged))
            texts[bucket] = sorted(merged.values())
    if bucket_count(total, chunk_size) != buckets:
        return None
    grown = set(texts)
    for bucket, digest in members.items():  # unfinished buckets (a run stopped): their jobs
        name = chunk_name(bucket, buckets, digest)
        if bucket not in texts and not done_path(folder, name).exists():
            found = _digests(_read(job_path(folder, name)))
            if set_digest(list(found)) != digest:  # gone or damaged: plan from nothing
                return None
            texts[bucket] = sorted(found.values())

    def texts_of(bucket: int, name: str) -> list[str]:
        if bucket in grown:
            write_state(job_path(folder, name), texts[bucket])
            grown.discard(bucket)
        return texts[bucket]

    return buckets, members, total, texts_of


def _texts_from(
    folder: Path,
    buckets: int,
    by_bucket: dict[int, set[str]],
    fresh: dict[str, str],
    everything: Callable[[], dict[str, str]],
) -> TextsOf:
    """Each bucket's texts for planning from nothing: its job file where that holds exactly
    its sentences, else from the fresh plans' texts and, where those leave one out, every
    plan's (read once)."""
    known = fresh
    read_all = False

    def texts_of(bucket: int, name: str) -> list[str]:
        nonlocal known, read_all
        wanted = by_bucket[bucket]
        texts = _job_texts(job_path(folder, name), wanted)
        if texts is not None:
            return texts
        if not wanted <= known.keys() and not read_all:
            known, read_all = {**fresh, **everything()}, True
        if not wanted <= known.keys():
            raise LocpipeError(folder, f"bucket {bucket} has sentences no plan holds; run again")
        texts = sorted(known[d] for d in wanted)
        write_state(job_path(folder, name), texts)
        return texts

    return texts_of


def _digests(texts: object) -> dict[str, str]:
    return {text_digest(t): t for t in texts if isinstance(t, str)} if isinstance(texts, list) else {}


def _job_texts(path: Path, wanted: set[str]) -> list[str] | None:
    """A job file's texts if they are exactly the wanted sentences (else it is written again)."""
    found = _digests(_read(path))
    return sorted(found.values()) if found.keys() == wanted else None


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def run_chunk(
    folder: Path,
    name: str,
    route: Route,
    options: DecodeOptions,
    stats: EngineStats,
    on_progress: Callable[[int, int], None] | None = None,
) -> int:
    """Translate what the chunk's job holds and is not stored yet; results are stored after
    each batch (on_progress gets done and total after each). Returns the number of sentences
    translated."""
    texts = json.loads(job_path(folder, name).read_text(encoding="utf-8"))
    stored = load_translations(folder)
    pending = [t for t in texts if t not in stored]
    if not pending:
        return 0
    results = ResultFile(folder, name)
    done = 0

    def add(batch: dict[str, str], scores: dict[str, ModelScore]) -> None:
        nonlocal done
        results.add(batch, scores)
        done += len(batch)
        if on_progress is not None:
            on_progress(min(done, len(pending)), len(pending))

    try:
        translate_unique(route, pending, options, stats, add)
    finally:
        results.close()
    return len(pending)
