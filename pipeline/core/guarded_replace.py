"""Replace a file only if it is still the one that was read: a translator's save is never lost.

The current file is renamed aside (a rename is atomic), checked, and the new one is linked in
place, which fails if a save created the path meanwhile; a save written into the old file by a
writer that opened it before the rename is found by a second check and put back.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.create_batch import CreateBatch
from pipeline.core.temp_files import ASIDE_SUFFIX, in_window, link, temp_name, write_temp


@dataclass(frozen=True)
class Snapshot:
    """A file as it was read: its bytes and which file (inode) they came from."""

    data: bytes
    inode: tuple[int, int]

    def holds(self, path: Path) -> bool:
        """Is path still this file, with these bytes? (An in-place save keeps the inode.)"""
        try:
            with open(path, "rb") as handle:
                st = os.fstat(handle.fileno())
                return (st.st_dev, st.st_ino) == self.inode and handle.read() == self.data
        except FileNotFoundError:
            return False


def read_snapshot(path: Path) -> Snapshot | None:
    """The file's bytes and identity from one open; None when it does not exist."""
    try:
        with open(path, "rb") as handle:
            st = os.fstat(handle.fileno())
            return Snapshot(handle.read(), (st.st_dev, st.st_ino))
    except FileNotFoundError:
        return None


def replace_if_unchanged(
    path: Path, data: bytes, expected: Snapshot | None, batch: CreateBatch | None = None
) -> bool:
    """Put data at path only if path is still the file `expected` was read from.

    False means someone else's save came first: theirs is at path, untouched, and the caller
    merges again from it. There is no window in which a save is lost: the current file is
    renamed aside (a rename is atomic), checked, and the new one is linked in place, which
    fails if a save created the path meanwhile; a save written into the old file by a writer
    that opened it before the rename is found by a second check and put back.

    batch: a new file (expected None) waits there and is linked in at `batch.commit()`, which
    names it if a save created the path first.
    """
    if expected is None and batch is not None:
        batch.write(path, data)
        return True
    tmp = write_temp(path, data, durable=True)
    try:
        if expected is None:
            in_window("create", path)
            return link(tmp, path)
        aside = temp_name(path, ASIDE_SUFFIX)
        in_window("before-aside", path)
        try:
            os.rename(path, aside)
        except FileNotFoundError:
            return False  # deleted since it was read: merge again from nothing
        if not expected.holds(aside):
            _put_back(aside, path)
            return False
        in_window("aside", path)
        if not link(tmp, path):
            aside.unlink()  # a save landed at path; aside is what we read, nothing new in it
            return False
        in_window("linked", path)
        if not expected.holds(aside):
            _restore_over(aside, path, tmp)
            return False
        aside.unlink()
        return True
    finally:
        tmp.unlink(missing_ok=True)


def _put_back(aside: Path, path: Path) -> None:
    """Return a file we moved aside; if a newer save already took its place, that one wins."""
    link(aside, path)
    aside.unlink()


def _restore_over(aside: Path, path: Path, ours: Path) -> None:
    """A save reached the file we had moved aside: it replaces ours at path, unless a newer
    save is there already."""
    mine = os.stat(ours)
    moved = temp_name(path, ASIDE_SUFFIX)
    try:
        os.rename(path, moved)
    except FileNotFoundError:
        _put_back(aside, path)
        return
    st = os.stat(moved)
    if (st.st_dev, st.st_ino) != (mine.st_dev, mine.st_ino):
        _put_back(moved, path)  # someone else's newer file: it stays
        aside.unlink()
        return
    moved.unlink()
    _put_back(aside, path)
