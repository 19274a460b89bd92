"""Machine translations, each unique sentence stored once per language pair and model.

Every translation task writes its own shard (one writer per file, which also holds when
workers on several hosts share the output folder); readers take the union. Reusing a
stored result is what makes outputs independent of batch composition, worker count and
interruptions: a sentence is translated once and read back from then on.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pipeline.outputs.atomic import write_json
from pipeline.translation.packages import Route


def pair_dir(work: Path, source: str, target: str, route: Route, decode_key: str) -> Path:
    """Results differ by model and by decoding settings; each combination has its own store."""
    key = hashlib.sha256(f"{route.key}|{decode_key}".encode()).hexdigest()[:12]
    return work / "mt" / f"{source}-{target}" / key


_loaded: dict[Path, tuple[tuple[tuple[str, int], ...], dict[str, str]]] = {}


def load_translations(folder: Path) -> dict[str, str]:
    """The union of the folder's shards; read once per process while no shard is added
    (every catalog task of a pair asks). Callers must not change the returned dict."""
    if not folder.is_dir():
        return {}
    shards = sorted(folder.glob("*.json"))
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in shards)
    cached = _loaded.get(folder)
    if cached is None or cached[0] != stamp:
        _loaded[folder] = cached = (stamp, _merge(shards))
    return cached[1]


def _merge(shards: list[Path]) -> dict[str, str]:
    merged: dict[str, str] = {}
    for shard in shards:
        data = json.loads(shard.read_text(encoding="utf-8"))
        for src, tgt in data["translations"].items():
            if tgt or not src.strip():  # empty output stored by an older version: not a result
                merged.setdefault(src, tgt)
    return merged


def job_digest(sentences: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(set(sentences))).encode("utf-8")).hexdigest()[:20]


def write_job(folder: Path, sentences: list[str]) -> str:
    digest = job_digest(sentences)
    write_json(folder / "jobs" / f"{digest}.json", sorted(set(sentences)))
    return digest


def read_job(folder: Path, digest: str) -> list[str]:
    return json.loads((folder / "jobs" / f"{digest}.json").read_text(encoding="utf-8"))


def shard_path(folder: Path, digest: str) -> Path:
    return folder / f"{digest}.json"
