"""Article ids: file names made safe as file names under every locale folder.

Ids and the work-file names derived from input names are bounded in bytes, not characters:
file systems allow 255 bytes per name, and a Cyrillic character takes two. Every name we
derive adds at most a suffix (`.po`, `.markdown`, `-<digest>.json`) and the atomic writer's
temp-file decoration (`.<name>.XXXXXXXX.tmp`), so MAX_NAME_BYTES leaves room for both.
A name cut to fit gets a short digest of the whole name, so two long names stay distinct.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from pipeline.core.errors import InputError

_UNSAFE = re.compile(r"[^\w.-]+", re.UNICODE)
_ALREADY_SAFE = re.compile(r"[a-z0-9](?:[a-z0-9_.-]*[a-z0-9])?")  # and no "--": slugify keeps it
MAX_NAME_BYTES = 120  # + suffixes and temp decoration (< 100 bytes) stays under NAME_MAX (255)
_DIGEST = 8  # hex characters appended to a cut name


def bounded(name: str, limit: int = MAX_NAME_BYTES) -> str:
    """name itself when it fits in limit UTF-8 bytes, else its longest prefix that leaves room
    for `-<digest of the whole name>` (cut at a character, never inside one)."""
    data = name.encode("utf-8")
    if len(data) <= limit:
        return name
    digest = hashlib.sha256(data).hexdigest()[:_DIGEST]
    head = data[: limit - _DIGEST - 1].decode("utf-8", errors="ignore").rstrip("-._")
    return f"{head}-{digest}"


def work_name(path: Path) -> str:
    """An input's file name as it appears in internal work-file names."""
    return bounded(path.name)


def slugify(name: str) -> str:
    """Lower-case, path-free, no leading dots: a name that cannot leave its folder."""
    if len(name) <= MAX_NAME_BYTES and "--" not in name and _ALREADY_SAFE.fullmatch(name):
        return name  # most names of an archive: 20,000 of them normalised cost 0.1 s
    text = unicodedata.normalize("NFKC", name).strip().lower()
    text = _UNSAFE.sub("-", text)
    text = re.sub(r"-{2,}", "-", text).strip("-._")
    return bounded(text)


def article_id(path: Path | str, explicit: str | None = None, stem: str | None = None) -> str:
    """stem: the path's stem, where the caller has it already."""
    raw = explicit if explicit is not None else (stem if stem is not None else Path(path).stem)
    slug = slugify(raw)
    if not slug or slug in {"templates", "manifest"}:
        what = "change the id on this line" if explicit is not None else "rename the file"
        raise InputError(path, f"article id {raw!r} is empty or reserved; {what}")
    return slug
