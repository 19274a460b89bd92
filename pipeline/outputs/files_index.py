"""The files index: per shard of articles, the stat and digest of every file the last run
stands behind (`.locpipe/files/<shard>.txt`, one `size mtime_ns inode sha256 path` line a
file). Checking it is the one stat pass a run makes over its outputs, so this module imports
nothing heavy: `locpipe run` makes that pass in a child process forked before its own imports.
"""

from __future__ import annotations

import json
import os
from typing import Any

from pipeline.core.filestamp import holds
from pipeline.core.layout import Layout


def index_state(layout: Layout) -> dict[str, Any]:
    """What the end of the last run recorded beside the index (parts, trust, pages)."""
    try:
        found = json.loads(layout.pages_cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def index_verdicts(layout: Layout) -> dict[str, bool]:
    """Per part of the files index, whether every file in it keeps its stat: the one stat
    pass a run makes over its outputs (200,000 files at 20,000 articles × 3 locales), which
    every "is it done?" question of the run shares."""
    names = index_state(layout).get("files", ["-"])
    return {name: part_holds(layout, name, digests=False) for name in names}


def part_holds(layout: Layout, name: str, digests: bool) -> bool:
    """One part of the files index holds: one pass over its lines, comparing the stat as
    text (at 200,000 files a parsed list per line cost as much as the stat calls); a file
    whose stat moved is hashed only when `digests`."""
    try:
        text = layout.files_index(name).read_text(encoding="utf-8")
    except OSError:
        return False
    root = layout.root
    prefix = f"{root}{os.sep}"
    stat = os.stat
    for line in text.splitlines():
        size, mtime, inode, sha, rel = line.split(" ", 4)
        try:
            st = stat(prefix + rel)
        except FileNotFoundError:
            return False
        if not line.startswith(f"{st.st_size} {st.st_mtime_ns} {st.st_ino} ") and not (
            digests and holds(root / rel, [int(size), int(mtime), int(inode), sha])
        ):
            return False
    return True
