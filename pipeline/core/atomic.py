"""Atomic writes: a reader sees the old file or the new one, never half of one.

Files people edit (a translator's .po) are replaced only if they are still the file that
was read (`replace_if_unchanged`); everything else is written with `write_bytes`.
New files get the user's umask (a web server or Weblate must read them); a replaced file
keeps its mode.

Durability: a file that may hold a person's work (a catalog, the memory, stored model output)
is on disk before it is renamed into place (fsync). What locpipe derives again from those and
the inputs (compiled catalogs, rendered articles, templates, its own state) is not: after a
crash one may be empty or short, and the next run finds it by its size and digest and writes
it again. An fsync per derived file was a sixth of a first run.

New catalogs of a shard are made durable together (`CreateBatch`): one sync of the filesystem
for all of them, then each is linked in. A file is never in place before its bytes are on disk.
"""

from __future__ import annotations

import ctypes
import errno
import hashlib
import json
import os
import secrets
import socket
import stat
import time
from dataclasses import dataclass
from pathlib import Path

TEMP_SUFFIX = ".tmp"
ASIDE_SUFFIX = ".aside"
def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
    except OSError:
        return ""


_HOST = hashlib.sha256(socket.gethostname().encode()).hexdigest()[:4]
_BOOT = hashlib.sha256(_boot_id().encode()).hexdigest()[:4]
# another host's temp file this much older than a file just written on the same folder belongs
# to a dead writer: measured on the folder's clock, so a host whose own clock is hours off
# never takes a live writer's file for a dead one's
STALE_SECONDS = 3600


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _temp_name(path: Path, kind: str = TEMP_SUFFIX) -> Path:
    """`.<name>.<host><boot>p<pid>-<rand><kind>`: the writer's host, boot and process let a
    later run tell a dead writer's leftovers from a live one's without trusting any clock."""
    return path.with_name(f".{path.name}.{_HOST}{_BOOT}p{os.getpid()}-{secrets.token_hex(3)}{kind}")


def _new_mode(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return 0o666 & ~_umask()


def _write_temp(path: Path, data: bytes, durable: bool) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_name(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), _new_mode(path))
            if durable:
                os.fsync(handle.fileno())
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if exc.filename is None:  # a failed write or flush names no file: name the one meant
            raise OSError(exc.errno, exc.strerror, str(path)) from None
        raise
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def write_bytes(path: Path, data: bytes, durable: bool = True) -> bool:
    """Write via a temp file in the same folder and rename; False when content is unchanged.

    durable=False skips the fsync, for files locpipe derives again (see the module docstring).
    """
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    tmp = _write_temp(path, data, durable)
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


# test hook: called inside the replace window, where a concurrent save is most harmful
_race_hook = None


def _in_window(step: str, path: Path) -> None:
    if _race_hook is not None:
        _race_hook(step, path)


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
    tmp = _write_temp(path, data, durable=True)
    try:
        if expected is None:
            _in_window("create", path)
            return _link(tmp, path)
        aside = _temp_name(path, ASIDE_SUFFIX)
        _in_window("before-aside", path)
        try:
            os.rename(path, aside)
        except FileNotFoundError:
            return False  # deleted since it was read: merge again from nothing
        if not expected.holds(aside):
            _put_back(aside, path)
            return False
        _in_window("aside", path)
        if not _link(tmp, path):
            aside.unlink()  # a save landed at path; aside is what we read, nothing new in it
            return False
        _in_window("linked", path)
        if not expected.holds(aside):
            _restore_over(aside, path, tmp)
            return False
        aside.unlink()
        return True
    finally:
        tmp.unlink(missing_ok=True)


def _link(source: Path, dest: Path) -> bool:
    try:
        os.link(source, dest)
    except FileExistsError:
        return False
    return True


def _put_back(aside: Path, path: Path) -> None:
    """Return a file we moved aside; if a newer save already took its place, that one wins."""
    _link(aside, path)
    aside.unlink()


def _restore_over(aside: Path, path: Path, ours: Path) -> None:
    """A save reached the file we had moved aside: it replaces ours at path, unless a newer
    save is there already."""
    mine = os.stat(ours)
    moved = _temp_name(path, ASIDE_SUFFIX)
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


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def is_stale_temp(path: Path, now: float | None = None) -> bool:
    """One of our temp or aside files whose writer is dead: on this host, a process of an
    earlier boot or one no longer running; on another host, one whose file is older than the
    lease by the folder's clock (now: the mtime of a file just written there, see
    folder_clock)."""
    name = path.name
    if not name.startswith(".") or not name.endswith((TEMP_SUFFIX, ASIDE_SUFFIX)):
        return False
    tag = name.rsplit(".", 2)[-2] if name.count(".") >= 3 else ""
    owner, _, rand = tag.partition("-")
    if len(rand) != 6 or len(owner) < 5:
        return False
    host, boot, pid = owner[:4], owner[4:8], owner[9:]
    if host == _HOST and owner[8:9] == "p" and pid.isdigit():
        if boot != _BOOT:
            return True  # written before this machine last started
        return int(pid) != os.getpid() and not _pid_alive(int(pid))
    try:
        age = (folder_clock(path.parent) if now is None else now) - path.lstat().st_mtime
    except FileNotFoundError:
        return False
    return age > STALE_SECONDS


def folder_clock(folder: Path) -> float:
    """The shared folder's own time: the mtime of a file just written there (on NFS the
    server's clock sets it, whatever this host's clock says)."""
    probe = folder / f".clock.{_HOST}{_BOOT}p{os.getpid()}-{secrets.token_hex(3)}{TEMP_SUFFIX}"
    try:
        probe.write_bytes(b"")
        return probe.stat().st_mtime
    except OSError:
        return time.time()  # a read-only folder: nothing of ours to remove there anyway
    finally:
        probe.unlink(missing_ok=True)


def sweep_stale_temps(root: Path) -> int:
    """Remove temp files a killed writer left behind; an aside file that holds a catalog no
    longer at its path is put back first, so a kill inside the replace window loses nothing."""
    removed = 0
    ours = (TEMP_SUFFIX, ASIDE_SUFFIX)
    now = folder_clock(root) if root.is_dir() else time.time()
    for folder, _dirs, files in os.walk(root):
        for name in files:
            if name[0] != "." or not name.endswith(ours):  # 60,000 catalogs: no Path for each
                continue
            path = Path(folder) / name
            if not is_stale_temp(path, now):
                continue
            if name.endswith(ASIDE_SUFFIX):
                target = path.with_name(name[1:].rsplit(".", 2)[0])
                if not target.exists():
                    _link(path, target)
            try:
                path.unlink()
                removed += 1
            except OSError as exc:
                if exc.errno not in (errno.ENOENT,):
                    raise
    return removed


class CreateBatch:
    """Files that do not exist yet, put in place together: each is written to its temp file,
    one sync makes them all durable, then each is linked in unless someone created the path
    meanwhile. A shard's new catalogs cost one sync instead of one fsync each: in a first run
    those fsyncs, and the file creations that queued behind them, were a fifth of the time
    spent outside translation. Before commit the paths do not exist; a kill leaves temp files,
    which the next run's stale-temp sweep removes."""

    def __init__(self) -> None:
        self._waiting: dict[Path, Path] = {}  # path -> its temp file

    def __enter__(self) -> CreateBatch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()  # whatever was not committed (an error on the way) is dropped

    def write(self, path: Path, data: bytes) -> None:
        tmp = _write_temp(path, data, durable=False)
        old = self._waiting.pop(path, None)
        if old is not None:
            old.unlink(missing_ok=True)
        self._waiting[path] = tmp

    def waiting(self, path: Path) -> Path | None:
        """The temp file holding path's bytes until commit: the same inode, size and mtime the
        path will have, so a stamp taken from it holds once it is linked in."""
        return self._waiting.get(path)

    def commit(self) -> list[Path]:
        """Put every waiting file in place; returns those someone else created first (theirs
        stays; the caller merges again from it)."""
        waiting, self._waiting = self._waiting, {}
        lost = []
        try:
            sync_files(list(waiting.values()))
            for path, tmp in waiting.items():
                _in_window("create", path)
                if not _link(tmp, path):
                    lost.append(path)
        finally:
            for tmp in waiting.values():
                tmp.unlink(missing_ok=True)
        return lost

    def discard(self) -> None:
        """Drop what waits (the task failed): no path was touched."""
        for tmp in self._waiting.values():
            tmp.unlink(missing_ok=True)
        self._waiting = {}


def _syncfs_call():  # noqa: ANN202 - a libc function or None
    try:
        return ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):  # not Linux
        return None


_SYNCFS = _syncfs_call()


def sync_files(files: list[Path]) -> None:
    """Every file's bytes on disk: syncfs(2) once per filesystem on Linux (it returns when all
    of that filesystem's written data is durable), an fsync per file elsewhere."""
    if _SYNCFS is None:
        for path in files:
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        return
    folders = {os.stat(path.parent).st_dev: path.parent for path in files}
    for folder in folders.values():
        fd = os.open(folder, os.O_RDONLY)
        try:
            if _SYNCFS(fd) != 0:
                code = ctypes.get_errno()
                raise OSError(code, os.strerror(code), str(folder))
        finally:
            os.close(fd)
