"""Machine translations, each unique sentence stored once per language pair, model and
decoding settings.

A translation chunk appends its results after every batch to a file of its own (one writer
per file, which also holds when workers on several hosts share the output folder); readers
take the union. A kill loses at most the batch in flight, and reusing stored results is what
makes outputs independent of batch composition, chunk size, worker count and interruptions.
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

_loaded: dict[Path, tuple[tuple[tuple[str, int], ...], dict[str, str]]] = {}


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.jsonl") if p.is_file())


def load_translations(folder: Path) -> dict[str, str]:
    """The union of the folder's result files; read once per process while none grows.
    Callers must not change the returned dict."""
    if not folder.is_dir():
        return {}
    files = _files(folder)
    stamp = tuple((p.name, p.stat().st_size) for p in files)
    cached = _loaded.get(folder)
    if cached is None or cached[0] != stamp:
        _loaded[folder] = cached = (stamp, _merge(files))
    return cached[1]


def _merge(files: list[Path]) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in files:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                try:
                    src, tgt = json.loads(line)
                except ValueError:
                    continue  # the last line of a writer killed mid-write
                if tgt or not src.strip():  # an empty output is a failure, not a result
                    merged.setdefault(src, tgt)
    return merged


class ResultFile:
    """Appends (source, translation) lines for one chunk run, durable after each batch."""

    def __init__(self, folder: Path, name: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"{name}.{socket.gethostname()[:20]}-{os.getpid()}.jsonl"
        self._handle = self.path.open("a", encoding="utf-8")

    def add(self, results: dict[str, str]) -> None:
        lines = "".join(json.dumps([s, t], ensure_ascii=False) + "\n" for s, t in results.items() if t)
        if lines:
            self._handle.write(lines)
            self._handle.flush()
            os.fsync(self._handle.fileno())

    def close(self) -> None:
        self._handle.close()
        if self.path.stat().st_size == 0:
            self.path.unlink()
