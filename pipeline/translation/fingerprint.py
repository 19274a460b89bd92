"""A model package's identity is its files' content, not its name and version: a package
re-issued under the same version with other weights must not pass for the old one.

The content digest of each file is cached by its stat in the state folder (`state_dir`,
`model-fingerprints.json`; a run never writes into the models folder), so a run with nothing
changed only stats the files. The first
weights seen under a name and version keep their plain key (`en_uk@1.9`: nothing is redone
when this check first meets an installed model); other weights under the same name and
version get their own (`en_uk@1.9#<digest>`), so their output is stored, labelled and
reused apart from the first ones' (`model-weights.json` there remembers the first).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

from pipeline.core.atomic import write_state

CACHE = "model-fingerprints.json"
FIRST = "model-weights.json"
CHUNK = 1024 * 1024


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _read(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _save(path: Path, data: dict[str, object]) -> None:
    with contextlib.suppress(OSError):  # a read-only state folder: computed again next time
        path.parent.mkdir(parents=True, exist_ok=True)
        write_state(path, data)


def fingerprints(models_dir: Path, packages: list[Path], state_dir: Path) -> dict[Path, str]:
    """Each package folder's content digest (its files' names and digests)."""
    cache_path = state_dir / CACHE
    cache = _read(cache_path)
    fresh: dict[str, object] = {}
    found: dict[Path, str] = {}
    for package in packages:
        parts = []
        for folder, _dirs, files in sorted(os.walk(package)):
            for name in sorted(files):
                path = Path(folder) / name
                rel = path.relative_to(models_dir).as_posix()
                st = path.stat()
                stat = [st.st_size, st.st_mtime_ns, st.st_ino]
                known = cache.get(rel)
                if isinstance(known, list) and known[:3] == stat:
                    digest = str(known[3])
                else:
                    digest = _file_digest(path)
                fresh[rel] = [*stat, digest]
                parts.append(f"{path.relative_to(package).as_posix()}\x00{digest}")
        found[package] = hashlib.sha256("\n".join(sorted(parts)).encode("utf-8")).hexdigest()
    if fresh != cache:
        _save(cache_path, fresh)
    return found


def weights_tags(state_dir: Path, fingerprints_by_name: dict[str, str]) -> dict[str, str]:
    """Per name-and-version key, "" for the first weights seen under it, else a short digest."""
    first_path = state_dir / FIRST
    first = _read(first_path)
    changed = False
    tags = {}
    for name, fp in fingerprints_by_name.items():
        if name not in first:
            first[name], changed = fp, True
        tags[name] = "" if first[name] == fp else fp[:12]
    if changed:
        _save(first_path, first)
    return tags
