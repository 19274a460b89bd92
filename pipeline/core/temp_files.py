"""Temp files, named by their writer and swept when the writer is dead.

A file is written beside its target as `.<name>.<host><boot>p<pid>-<rand>.tmp` (or `.aside`
for a file moved out of the way) and renamed or linked into place. The name says which host,
boot and process wrote it, so a later run tells a dead writer's leftovers from a live one's
without trusting any clock (pipeline.core.atomic, guarded_replace and create_batch use them).
"""

from __future__ import annotations

import errno
import hashlib
import os
import secrets
import socket
import stat
import time
from collections.abc import Callable
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


def temp_name(path: Path, kind: str = TEMP_SUFFIX) -> Path:
    """`.<name>.<host><boot>p<pid>-<rand><kind>`: the writer's host, boot and process let a
    later run tell a dead writer's leftovers from a live one's without trusting any clock."""
    return path.with_name(f".{path.name}.{_HOST}{_BOOT}p{os.getpid()}-{secrets.token_hex(3)}{kind}")


def _new_mode(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return 0o666 & ~_umask()


def write_temp(path: Path, data: bytes, durable: bool) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_name(path)
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


def link(source: Path, dest: Path) -> bool:
    """Link source in at dest; False if something is at dest already (it stays)."""
    try:
        os.link(source, dest)
    except FileExistsError:
        return False
    return True


# test hook: called at the steps where a concurrent save is most harmful (putting a file in place)
_race_hook: Callable[[str, Path], None] | None = None


def in_window(step: str, path: Path) -> None:
    if _race_hook is not None:
        _race_hook(step, path)


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
                    link(path, target)
            try:
                path.unlink()
                removed += 1
            except OSError as exc:
                if exc.errno not in (errno.ENOENT,):
                    raise
    return removed


