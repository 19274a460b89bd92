"""Zip packages (.docx, .odt, .pptx, .odp, .epub) read safely, and written back member for member.

A document from outside is untrusted input like a model archive (translation.packages):
the zip's own directory is checked before anything is unpacked (member count, declared
sizes, compression ratio, member names, encryption), and reading a member never yields
more than it declares. Nothing is ever extracted to disk; a zip-slip name is refused all the
same, because a package that carries one was not written by an editor.

The written package keeps every member in the source's order with its name, date, comment
and compression method, and the zip's comment; members that are not replaced are the very
bytes the source unpacks to. (Deflated members are compressed again, so the packed bytes may
differ; extra fields such as extended timestamps are not copied.)
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pipeline.core.errors import InputError

MAX_MEMBERS = 5000  # a long book with its images has a few hundred
MAX_UNPACKED_BYTES = 512 * 1024**2
MAX_PART_BYTES = 64 * 1024**2  # one XML part we parse; a 1,000-page report has about 20 MB
MAX_RATIO = 100  # XML packs about 10x; a member over RATIO_FROM_BYTES past 100x is a bomb
RATIO_FROM_BYTES = 1024**2
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass
class Package:
    """A checked zip held in memory: the infos in the source's order and the raw bytes."""

    path: Path
    data: bytes
    infos: list[zipfile.ZipInfo]
    what: str  # "Word document", "OpenDocument text", "EPUB"

    def names(self) -> list[str]:
        return [i.filename for i in self.infos]

    def has(self, name: str) -> bool:
        return any(i.filename == name for i in self.infos)

    def read(self, name: str, limit: int = MAX_PART_BYTES) -> bytes:
        """A member's bytes; a damaged member is refused with the file named."""
        info = next((i for i in self.infos if i.filename == name), None)
        if info is None:
            raise InputError(self.path, f"{name} is missing: not a complete {self.what}; re-save it")
        if info.file_size > limit:
            problem = f"{name} unpacks to {info.file_size} bytes, more than {limit}; not read"
            raise InputError(self.path, problem)
        try:
            with zipfile.ZipFile(io.BytesIO(self.data)) as zf, zf.open(info) as handle:
                return handle.read(limit + 1)[:limit]  # zipfile stops at the declared size
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, ValueError) as exc:
            raise InputError(self.path, f"{name} is damaged ({exc}); re-save the {self.what}") from None


def member_name_problem(name: str) -> str | None:
    """Why a member name is not one an editor writes (absolute, `..`, backslash, drive)."""
    if not name or "\x00" in name:
        return "an empty or NUL member name"
    if name.startswith("/") or "\\" in name or _DRIVE.match(name):
        return f"member name {name!r} points outside the package (zip slip)"
    if ".." in PurePosixPath(name).parts:
        return f"member name {name!r} climbs out of the package (zip slip)"
    return None


def open_package(path: Path, data: bytes, what: str) -> Package:
    """The checked package; InputError (one line, what to do) for anything else."""
    if not data.startswith(b"PK"):
        raise InputError(path, f"not a zip package, so not a {what}; re-save it from the editor")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        problem = f"damaged zip ({exc}), not a readable {what}; re-save it from the editor"
        raise InputError(path, problem) from None
    if len(infos) > MAX_MEMBERS:
        raise InputError(path, f"{len(infos)} members, more than {MAX_MEMBERS}: not a {what}; not read")
    seen: set[str] = set()
    total = 0
    for info in infos:
        problem = member_name_problem(info.filename)
        if problem:
            raise InputError(path, f"{problem}; not read, re-save the {what} from the editor")
        if info.filename in seen:
            raise InputError(path, f"member {info.filename!r} appears twice; not read, re-save the {what}")
        seen.add(info.filename)
        if info.flag_bits & 0x1:
            raise InputError(path, f"{info.filename} is encrypted; save the {what} without a password")
        if info.file_size > RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            problem = f"member {info.filename!r} unpacks to {ratio}x its size (a zip bomb); not read"
            raise InputError(path, problem)
        total += info.file_size
    if total > MAX_UNPACKED_BYTES:
        problem = f"unpacks to {total} bytes, more than {MAX_UNPACKED_BYTES} (a zip bomb?); not read"
        raise InputError(path, problem)
    return Package(path, data, infos, what)


def write_package(package: Package, replaced: dict[str, bytes], first_stored: str | None = None) -> bytes:
    """The package with the members in `replaced` swapped: same order, names, dates and
    compression; every other member unpacks to the same bytes as in the source.
    first_stored: a member written first and uncompressed (an EPUB's `mimetype`)."""
    out = io.BytesIO()
    infos = list(package.infos)
    first = [i for i in infos if i.filename == first_stored]
    infos = first + [i for i in infos if i.filename != first_stored]
    with zipfile.ZipFile(io.BytesIO(package.data)) as source, zipfile.ZipFile(out, "w") as target:
        target.comment = source.comment
        for info in infos:
            data = replaced[info.filename] if info.filename in replaced else source.read(info)
            copy = zipfile.ZipInfo(info.filename, info.date_time)
            copy.compress_type = zipfile.ZIP_STORED if info.filename == first_stored else info.compress_type
            copy.external_attr = info.external_attr
            copy.create_system = info.create_system
            copy.comment = info.comment
            if info.is_dir():
                target.writestr(copy, b"")
            else:
                target.writestr(copy, data)
    return out.getvalue()
