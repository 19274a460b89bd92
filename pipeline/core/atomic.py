"""Atomic writes: a reader sees the old file or the new one, never half of one.

Files people edit (a translator's .po) are replaced only if they are still the file that
was read (pipeline.core.guarded_replace); everything else is written with `write_bytes`.
New files get the user's umask (a web server or Weblate must read them); a replaced file
keeps its mode.

Durability: a file that may hold a person's work (a catalog, the memory, stored model output)
is on disk before it is renamed into place (fsync). What locpipe derives again from those and
the inputs (compiled catalogs, rendered articles, templates, its own state) is not: after a
crash one may be empty or short, and the next run finds it by its size and digest and writes
it again. An fsync per derived file was a sixth of a first run. New catalogs of a shard are
made durable together (pipeline.core.create_batch).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from pipeline.core.temp_files import write_temp


def write_bytes(path: Path, data: bytes, durable: bool = True) -> bool:
    """Write via a temp file in the same folder and rename; False when content is unchanged.

    durable=False skips the fsync, for files locpipe derives again (see the module docstring).
    """
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    tmp = write_temp(path, data, durable)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return True


def write_text(path: Path, text: str, durable: bool = True) -> bool:
    return write_bytes(path, text.encode("utf-8"), durable)


def dumps_json(data: object) -> str:
    """Stable JSON: sorted keys, fixed indentation, trailing newline."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_json(path: Path, data: object) -> bool:
    return write_text(path, dumps_json(data))


def write_state(path: Path, data: object) -> bool:
    """locpipe's own files under .locpipe/: sorted keys but no indentation, which keeps
    json on its C encoder (indenting falls back to pure Python, ten times slower on the
    stamps and plans of 20,000 articles)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return write_text(path, text + "\n", durable=False)  # derived: see the module's docstring
