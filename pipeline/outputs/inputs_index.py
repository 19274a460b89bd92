"""The inputs as the last run read them: per file its stat and digest, so `locpipe status` can
tell an edited input from a touched, copied or checked-out one with the same bytes (file
times alone said "changed" forever after a `touch`, and a run that rightly did nothing never
cleared it). Digests are read only for files whose stat moved, as Git's index does."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from pipeline.core.atomic import write_state
from pipeline.core.filestamp import same_stat, sha256_file
from pipeline.inputs.discover import SourceFile, list_files

CHANGED = ""  # no file hashes to this: a file that changed while the run read it


def index_path(work: Path) -> Path:
    return work / "inputs-index.json"


def write_inputs_index(
    work: Path, inputs: Path, sources: list[SourceFile], started_ns: int, listed: list[str]
) -> None:
    """After the manifest, for the files the run listed (list_files at its start: a file
    added since was not read, and is new to the next run). A file is recorded with the stat
    taken before its bytes were read: modified since, its stat no longer matches and the next
    run reads it. One modified within the clock's grain of the run's start is stat'ed again
    and recorded as changed unless it still hashes to what was read."""
    recent = started_ns - 2_000_000_000  # file times are coarser than the clock
    read = {s.where: s.digest for s in sources if not s.member}
    seen = {s.where: s.stat for s in sources if not s.member and s.stat and s.stat[1] < recent}
    feeds = {s.where for s in sources if s.member}
    base = f"{inputs}{os.sep}"
    files: dict[str, list[Any]] = {}
    for path in listed:  # strings: 20,000 files
        rel = path[len(base) :] if path.startswith(base) else os.path.relpath(path, inputs)
        stat = seen.get(path)
        if stat is not None:  # no second stat of 20,000 files
            files[rel] = [*stat, read[path]]
            continue
        try:
            st = os.stat(path)
            now = sha256_file(Path(path)) if path not in read or st.st_mtime_ns >= recent else read[path]
        except OSError:
            continue
        if path in read and now != read[path]:
            now = CHANGED
        elif path in feeds and st.st_mtime_ns >= started_ns:
            now = CHANGED  # members were digested line by line at the start
        files[rel] = [st.st_size, st.st_mtime_ns, st.st_ino, now]
    write_state(index_path(work), {"inputs": str(inputs), "written_ns": time.time_ns(), "files": files})


def trusted_digests(work: Path, inputs: Path) -> dict[str, list[Any]]:
    """Per input path (as discover lists it), the [size, mtime_ns, inode, digest] the last run
    recorded, for files whose stat may stand for their bytes: not marked changed, and last
    modified well before the index was written (Git's racy-file rule: a file rewritten in the
    same clock tick as the index was stat'ed would look unchanged)."""
    try:
        index = json.loads(index_path(work).read_text(encoding="utf-8"))
        recorded: dict[str, list[Any]] = index["files"]
        written = int(index["written_ns"])
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    if index.get("inputs") != str(inputs):
        return {}
    safe_before = written - 2_000_000_000
    base = f"{inputs}{os.sep}"
    return {
        base + rel: stamp
        for rel, stamp in recorded.items()
        if isinstance(stamp, list) and len(stamp) == 4 and stamp[3] != CHANGED and stamp[1] < safe_before
    }


def inputs_changed(work: Path, inputs: Path) -> bool | None:
    """True when a file was added, removed or has other bytes than the last run read; None
    when there is no index (a run from before it existed)."""
    try:
        index = json.loads(index_path(work).read_text(encoding="utf-8"))
        recorded: dict[str, list[Any]] = index["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if index.get("inputs") != str(inputs):
        return None
    paths = [Path(p) for p in list_files(inputs)[0]] if inputs.is_dir() else []
    if {str(p.relative_to(inputs)) for p in paths} != set(recorded):
        return True
    for path in paths:
        stamp = recorded[str(path.relative_to(inputs))]
        if stamp[3] == CHANGED:
            return True
        if same_stat(path, stamp):
            continue
        try:
            if sha256_file(path) != stamp[3]:
                return True
        except OSError:
            return True
    return False
