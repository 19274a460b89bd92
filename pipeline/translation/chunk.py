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

from pipeline.outputs.atomic import write_state
from pipeline.translation.engine import DecodeOptions, EngineStats, translate_unique
from pipeline.translation.packages import Route
from pipeline.translation.store import ResultFile, load_translations, text_hash


def bucket_count(sentences: int, chunk_size: int) -> int:
    """A power of two, so growing the archive splits buckets instead of reshuffling them."""
    count = 1
    while count * chunk_size < sentences:
        count *= 2
    return count


def bucket_of(text: str, buckets: int) -> int:
    return text_hash(text) % buckets


def set_digest(sentences: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(sentences)).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Chunk:
    source: str
    target: str
    route_key: str
    bucket: int
    buckets: int
    members: str  # digest of the bucket's sentence set
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


def plan_pair(
    source: str, target: str, route_key: str, needed: set[str], folder: Path, chunk_size: int
) -> list[Chunk]:
    """The pair's chunks that have something to translate; writes each one's job file.

    A bucket whose chunk is done is not looked up in the store: after an edit among 20,000
    articles only the buckets holding its new sentences are read."""
    stored = load_translations(folder)
    buckets = bucket_count(len(needed), chunk_size)
    by_bucket: dict[int, list[str]] = {}
    for text in needed:
        by_bucket.setdefault(bucket_of(text, buckets), []).append(text)
    chunks = []
    for bucket, texts in sorted(by_bucket.items()):
        members = set_digest(texts)
        if done_path(folder, chunk_name(bucket, buckets, members)).exists():
            continue
        pending = sum(1 for t in texts if t not in stored)
        if not pending:
            continue
        chunk = Chunk(source, target, route_key, bucket, buckets, members, pending)
        path = job_path(folder, chunk.name)
        if _read(path) != sorted(texts):  # missing or damaged: written again
            write_state(path, sorted(texts))
        chunks.append(chunk)
    return chunks


def _read(path: Path) -> object:
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
