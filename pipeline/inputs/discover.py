"""Which files in the inputs folder are articles, and their content digests."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import InputError
from pipeline.inputs.article import Article
from pipeline.inputs.ids import article_id, check_unique
from pipeline.inputs.jsonl_file import read_member_article, read_members
from pipeline.inputs.text_file import read_text_article


def read_markdown_article(path: Path) -> Article:
    """markdown-it is imported only when there is Markdown to read."""
    from pipeline.inputs.markdown_file import read_markdown_article as read

    return read(path)


def read_html_article(path: Path) -> Article:
    from pipeline.inputs.html_file import read_html_article as read

    return read(path)


READERS = {".txt": read_text_article, ".md": read_markdown_article, ".markdown": read_markdown_article}
READERS.update({".html": read_html_article, ".htm": read_html_article})


@dataclass(frozen=True)
class SourceFile:
    path: Path
    id: str
    digest: str  # sha256 of the bytes: an edit changes the tasks that depend on it
    member: int = 0  # a JSONL feed's line; 0 for a file that is one article

    @property
    def label(self) -> str:
        return f"{self.path.name}:{self.member}" if self.member else self.path.name


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
        if path.suffix.lower() == ".jsonl":
            try:
                members, member_errors = read_members(path)
            except InputError as exc:
                errors.append(exc)
                continue
            errors += member_errors
            for member in members:
                try:
                    check_unique(ids, member.id, path)
                except InputError as exc:
                    errors.append(InputError(f"{path}:{member.line}", exc.message))
                    continue
                ids[member.id] = path
                found.append(SourceFile(path, member.id, member.digest, member.line))
            continue
        if path.suffix.lower() not in READERS:
            kind = path.suffix or "(none)"
            errors.append(InputError(path, f"unsupported file type {kind}; use .txt, .md, .html or .jsonl"))
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


def read_article(path: Path, member: int = 0) -> Article:
    if member:
        return read_member_article(path, member)
    return READERS[path.suffix.lower()](path)
