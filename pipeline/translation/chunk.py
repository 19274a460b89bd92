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

from pipeline.errors import LocpipeError
from pipeline.outputs.atomic import write_state
from pipeline.translation.engine import DecodeOptions, EngineStats, translate_unique
from pipeline.translation.packages import Route
from pipeline.translation.store import ResultFile, load_translations, text_digest, text_hash


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
    """The chunk task's output (pipeline.tasks.TranslateChunk)."""
    return folder / "done" / f"{name}.json"


def _buckets_path(folder: Path) -> Path:
    """Each bucket's sentence set as last planned: where an edit's bucket finds its texts."""
    return folder / "jobs" / "buckets.json"


def plan_pair(
    source: str,
    target: str,
    route_key: str,
    needed: set[str],
    folder: Path,
    chunk_size: int,
    fresh: dict[str, str] | None = None,
    everything: Callable[[], dict[str, str]] | None = None,
) -> list[Chunk]:
    """The pair's chunks that have something to translate; writes each one's job file, and
    the done mark of a chunk whose sentences are all stored (an edited article's plan no
    longer asks for the machine text its catalog keeps, so its buckets lose sentences;
    without the mark each later run would look those buckets up in the store again).

    needed: the text_digest of every sentence the pair's catalogs need. The texts themselves
    are read only for buckets whose chunk is not done: from the bucket's job as last planned
    and `fresh` (digest -> text of what plans new since then need); where that leaves a
    sentence out, from `everything` (every plan's texts, read once). After an edit among
    20,000 articles that reads a few job files instead of every shard's plan."""
    stored = load_translations(folder)
    buckets = bucket_count(len(needed), chunk_size)
    by_bucket: dict[int, list[str]] = {}
    for name in needed:
        by_bucket.setdefault(bucket_of_digest(name, buckets), []).append(name)
    last = _read(_buckets_path(folder))
    same_count = isinstance(last, dict) and last.get("buckets") == buckets
    last_members = last.get("members", {}) if same_count else {}
    known = dict(fresh or {})
    whole: dict[str, str] | None = None
    members_of: dict[str, str] = {}
    chunks = []
    for bucket, names in sorted(by_bucket.items()):
        members = members_of[str(bucket)] = set_digest(names)
        name = chunk_name(bucket, buckets, members)
        if done_path(folder, name).exists():
            continue
        wanted = set(names)
        texts = _job_texts(job_path(folder, name), wanted)
        if texts is None:
            before = last_members.get(str(bucket))
            if before:
                known.update(_digests(_read(job_path(folder, chunk_name(bucket, buckets, before)))))
            if not wanted <= known.keys():
                whole = whole if whole is not None else (everything() if everything else {})
                known.update(whole)
            if not wanted <= known.keys():
                raise LocpipeError(folder, f"bucket {bucket} has sentences no plan holds; run again")
            texts = sorted(known[d] for d in wanted)
            write_state(job_path(folder, name), texts)
        pending = sum(1 for t in texts if t not in stored)
        if pending:
            chunks.append(Chunk(source, target, route_key, bucket, buckets, members, pending))
        else:  # a set that only lost sentences: done as it stands, and not looked up again
            write_state(done_path(folder, name), {"route": route_key, "stats": {"sentences": 0}})
    write_state(_buckets_path(folder), {"buckets": buckets, "members": members_of})
    return chunks


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

    def add(batch: dict[str, str]) -> None:
        nonlocal done
        results.add(batch)
        done += len(batch)
        if on_progress is not None:
            on_progress(min(done, len(pending)), len(pending))

    try:
        translate_unique(route, pending, options, stats, add)
    finally:
        results.close()
    return len(pending)
