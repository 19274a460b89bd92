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

_loaded: dict[Path, tuple[dict[str, int], dict[str, str]]] = {}  # per folder: bytes read per file


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.jsonl") if p.is_file())


def load_translations(folder: Path) -> dict[str, str]:
    """The union of the folder's result files. Files are only ever appended to, so a process
    reads each byte once: a later call reads what chunks added since (at 20,000 articles a
    pair's store is 180,000 lines, and a run asks for it after every chunk).
    Callers must not change the returned dict."""
    if not folder.is_dir():
        return {}
    files = _files(folder)
    sizes = {p.name: p.stat().st_size for p in files}
    read, merged = _loaded.get(folder, ({}, {}))
    if any(sizes.get(name, -1) < done for name, done in read.items()):
        read, merged = {}, {}  # a file went away or shrank (pruned, rewritten): read it all again
    for path in files:
        done = read.get(path.name, 0)
        if sizes[path.name] > done:
            read[path.name] = done + _merge_from(path, done, merged)
    _loaded[folder] = (read, merged)
    return merged


def _merge_from(path: Path, offset: int, merged: dict[str, str]) -> int:
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
        if not (isinstance(item, list) and len(item) == 2):
            continue
        src, tgt = item
        if tgt or not src.strip():  # an empty output is a failure, not a result
            merged.setdefault(src, tgt)
    return end


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
