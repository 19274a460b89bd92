"""Which files in the inputs folder are articles, and their content digests."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import InputError
from pipeline.inputs.article import Article
from pipeline.inputs.ids import article_id, check_unique
from pipeline.inputs.text_file import read_text_article

READERS = {".txt": read_text_article}


@dataclass(frozen=True)
class SourceFile:
    path: Path
    id: str
    digest: str  # sha256 of the bytes: an edit changes the tasks that depend on it


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def discover(inputs: Path) -> tuple[list[SourceFile], list[InputError]]:
    """Articles in name order, and one error per file that cannot be an article."""
    if not inputs.is_dir():
        raise InputError(inputs, "inputs folder not found; create it or pass --inputs")
    found: list[SourceFile] = []
    errors: list[InputError] = []
    ids: dict[str, Path] = {}
    for path in sorted(p for p in inputs.rglob("*") if p.is_file()):
        rel = path.relative_to(inputs)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.suffix.lower() not in READERS:
            errors.append(InputError(path, f"unsupported file type {path.suffix or '(none)'}; use .txt"))
            continue
        try:
            new_id = article_id(path)
            check_unique(ids, new_id, path)
        except InputError as exc:
            errors.append(exc)
            continue
        ids[new_id] = path
        found.append(SourceFile(path=path, id=new_id, digest=file_digest(path)))
    return found, errors


def read_article(path: Path) -> Article:
    return READERS[path.suffix.lower()](path)
