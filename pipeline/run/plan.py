"""The run's plan as plain, typed code: which shards of articles, which memory builds, which
translation chunks, from the settings, the inputs, the installed models and the catalogs.
This module plans the inputs (articles and their shards); pipeline.run.locale_plan the
catalogs' and memories' keys per locale, pipeline.run.chunk_plan the translation chunks.

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
from pipeline.core.layout import Layout
from pipeline.core.settings import Settings
from pipeline.inputs.discover import SourceFile, discover, list_files
from pipeline.inputs.ids import article_id
from pipeline.outputs.inputs_index import trusted_digests
from pipeline.segments.segment import MSGID_VERSION
from pipeline.segments.splitter import segmentation_key

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
        segmentation_key(settings.abbreviations),
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
