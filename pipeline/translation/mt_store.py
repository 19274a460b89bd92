"""Machine translations, each unique sentence stored once per language pair, model and
decoding settings.

Each line is [source, output, model score] (translation.quality; lines without a score, from
before scores were kept, still read). A translation chunk appends its results after every
batch to a file of its own (one writer per file, which also holds when workers on several
hosts share the output folder); readers take the union. A kill loses at most the batch in
flight, and reusing stored results is what makes outputs independent of batch composition,
chunk size, worker count and interruptions.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
from pathlib import Path

from pipeline.translation.quality import ModelScore

_BUCKETED = re.compile(r"^(\d+)of(\d+)-")  # a chunk's result file: <bucket>of<count>-<digest>...


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.jsonl") if p.is_file())


def text_digest(text: str) -> str:
    """A sentence's name in chunk planning, which counts and buckets names, not texts."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def text_hash(text: str) -> int:
    """What a sentence's bucket is computed from (pipeline.translation.chunk.bucket_of)."""
    return int(text_digest(text)[:8], 16)


class StoredTexts:
    """A pair's stored model output, read a group of result files at a time, as lookups ask.

    A sentence is only ever in the file of a chunk whose bucket held it, and bucket counts are
    powers of two, so with m the smallest count among the files, every file that can hold a
    sentence is in its group (the sentence's hash mod m). A group is read whole, in file name
    order, so each lookup gets what reading every file would give; an edit among 20,000
    articles reads one group instead of the pair's 180,000 lines. Files are only appended to:
    a process reads each byte once, and a later load reads what chunks added since."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._read: dict[str, int] = {}  # file name -> bytes merged
        self._merged: dict[str, str] = {}
        self._scores: dict[str, list[object]] = {}  # as stored: parsed when asked for
        self._groups: dict[int, list[Path]] = {}
        self._loaded: set[int] = set()
        self._modulus = 1
        self.refresh()

    def refresh(self) -> None:
        """Files added or grown since: what is loaded is brought up to date, the rest waits."""
        files = _files(self.folder) if self.folder.is_dir() else []
        sizes = {p.name: p.stat().st_size for p in files}
        counts = [int(m.group(2)) for p in files if (m := _BUCKETED.match(p.name))]
        unbucketed = len(counts) < len(files)
        modulus = 1 if unbucketed or not counts or any(c & (c - 1) for c in counts) else min(counts)
        shrank = any(sizes.get(name, -1) < done for name, done in self._read.items())
        if shrank or modulus != self._modulus:  # pruned, rewritten or re-bucketed: start again
            self._read, self._merged, self._scores, self._loaded = {}, {}, {}, set()
        self._modulus = modulus
        self._sizes = sizes
        self._groups = {}
        for path in files:
            found = _BUCKETED.match(path.name)
            group = int(found.group(1)) % modulus if found and modulus > 1 else 0
            self._groups.setdefault(group, []).append(path)
        for group in sorted(self._loaded):
            self._load(group)

    def _load(self, group: int) -> None:
        for path in self._groups.get(group, []):
            done = self._read.get(path.name, 0)
            if self._sizes[path.name] > done:
                self._read[path.name] = done + _merge_from(path, done, self._merged, self._scores)
        self._loaded.add(group)

    def _group_of(self, text: str) -> int:
        group = text_hash(text) % self._modulus if self._modulus > 1 else 0
        if group not in self._loaded:
            self._load(group)
        return group

    def get(self, text: str, default: str | None = None) -> str | None:
        self._group_of(text)
        return self._merged.get(text, default)

    def score(self, text: str) -> ModelScore | None:
        """The model's score of the stored output, where the decode kept one."""
        self._group_of(text)
        return ModelScore.from_json(self._scores.get(text))

    def __contains__(self, text: object) -> bool:
        return isinstance(text, str) and self.get(text) is not None

    def __getitem__(self, text: str) -> str:
        found = self.get(text)
        if found is None:
            raise KeyError(text)
        return found

    def load_all(self) -> dict[str, str]:
        for group in self._groups:
            if group not in self._loaded:
                self._load(group)
        return self._merged


_stores: dict[Path, StoredTexts] = {}


def load_translations(folder: Path) -> StoredTexts:
    """The folder's stored model output for lookups, one StoredTexts per folder and process,
    brought up to date on each call (a run asks after every chunk)."""
    store = _stores.get(folder)
    if store is None:
        store = _stores[folder] = StoredTexts(folder)
    else:
        store.refresh()
    return store


def keep_stores(folders: set[Path]) -> None:
    """Let go of the stores a task will not use, before it loads its own: one pair's store at
    20,000 articles is ~80 MB in memory, and a process that kept every pair's grew by that
    much per language pair. Tasks come pair after pair, so the next one mostly reuses it."""
    for folder in [f for f in _stores if f not in folders]:
        del _stores[folder]


def _merge_from(path: Path, offset: int, merged: dict[str, str], scores: dict[str, list[object]]) -> int:
    """Add the complete lines after offset; returns the bytes consumed (up to the last
    newline: a line a writer is still writing, or was killed writing, waits or is skipped)."""
    with path.open("rb") as handle:
        handle.seek(offset)
        data = handle.read()
    end = data.rfind(b"\n") + 1
    text = data[:end].decode("utf-8", errors="replace")
    try:  # one parse for the whole run of lines: many times faster than one per line
        pairs = json.loads("[" + text.rstrip("\n").replace("\n", ",") + "]") if text else []
    except ValueError:
        pairs = []
        for line in text.splitlines():
            try:
                pairs.append(json.loads(line))
            except ValueError:
                continue  # the last line of a writer killed mid-write
    for item in pairs:
        if not (isinstance(item, list) and len(item) in (2, 3)):
            continue
        src, tgt = item[0], item[1]
        if (tgt or not src.strip()) and src not in merged:  # an empty output is a failure
            merged[src] = tgt
            if len(item) == 3:
                scores[src] = item[2]
    return end


class ResultFile:
    """Appends (source, translation, score) lines for one chunk run, durable after each batch."""

    def __init__(self, folder: Path, name: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"{name}.{socket.gethostname()[:20]}-{os.getpid()}.jsonl"
        self._handle = self.path.open("a", encoding="utf-8")

    def add(self, results: dict[str, str], scores: dict[str, ModelScore] | None = None) -> None:
        scores = scores or {}
        lines = "".join(
            json.dumps([s, t, scores[s].to_json()] if s in scores else [s, t], ensure_ascii=False) + "\n"
            for s, t in results.items()
            if t
        )
        if lines:
            self._handle.write(lines)
            self._handle.flush()
            os.fsync(self._handle.fileno())

    def close(self) -> None:
        self._handle.close()
        if self.path.stat().st_size == 0:
            self.path.unlink()
