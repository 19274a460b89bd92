"""Article ids: file names made safe as file names under every locale folder."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from pipeline.errors import InputError

_UNSAFE = re.compile(r"[^\w.-]+", re.UNICODE)


def slugify(name: str) -> str:
    """Lower-case, path-free, no leading dots: a name that cannot leave its folder."""
    text = unicodedata.normalize("NFKC", name).strip().lower()
    text = _UNSAFE.sub("-", text)
    text = re.sub(r"-{2,}", "-", text).strip("-._")
    return text[:120].rstrip("-._")


def article_id(path: Path, explicit: str | None = None) -> str:
    raw = explicit if explicit is not None else path.stem
    slug = slugify(raw)
    if not slug or slug in {"templates", "manifest"}:
        raise InputError(path, f"article id {raw!r} is empty or reserved; rename the file")
    return slug


def check_unique(ids: dict[str, Path], new_id: str, path: Path) -> None:
    if new_id in ids and ids[new_id] != path:
        raise InputError(
            path, f"article id {new_id!r} clashes with {ids[new_id]}; rename one of the two files"
        )
