"""Is a file still the one locpipe wrote? Its stat says so cheaply; its digest when the stat
moved (a copy, a touch, another tool's identical rewrite). Git's index works the same way.

The outputs, not private markers, decide what is done: a deleted or changed output makes
the task that writes it run again.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

Stamp = list  # [size, mtime_ns, inode, sha256]


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def file_key(path: Path | None) -> str:
    """A settings file's part of a run key: its sha256's first 16 digits, "none" where absent."""
    if path is None or not path.exists():
        return "none"
    return sha256_file(path)[:16]


def stamp_of(path: Path, digest: str | None = None) -> Stamp:
    st = os.stat(path)
    return [st.st_size, st.st_mtime_ns, st.st_ino, digest or sha256_file(path)]


def holds(path: Path, stamp: Stamp | None) -> bool:
    """True when path exists with the bytes the stamp recorded."""
    if not stamp:
        return False
    if same_stat(path, stamp):
        return True
    try:
        return os.stat(path).st_size == stamp[0] and sha256_file(path) == stamp[3]
    except FileNotFoundError:
        return False


def same_stat(path: Path | str, stamp: Stamp | None) -> bool:
    """The cheap half of `holds`: unchanged size, mtime and inode."""
    if not stamp:
        return False
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return False
    return [st.st_size, st.st_mtime_ns, st.st_ino] == list(stamp[:3])
