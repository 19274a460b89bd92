"""Outputs whose input article is gone: reported by status, removed by prune --orphans."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.core.errors import InputError
from pipeline.inputs.ids import article_id
from pipeline.inputs.jsonl_file import read_members

RENDERED_SUFFIXES = (".txt", ".md", ".html", ".srt", ".vtt", ".jsonl")
RENDERED_SUFFIXES += (".docx", ".odt", ".pptx", ".odp", ".epub")


@dataclass
class Orphan:
    article: str
    catalogs: dict[str, Path] = field(default_factory=dict)  # locale -> .po
    files: list[Path] = field(default_factory=list)  # every output of the article


def input_ids(inputs: Path, strict: bool = True) -> set[str]:
    """Ids of every file in inputs/, readable or not: a file that failed this run still
    owns its outputs from the last good one. A feed line that cannot be read has no id we
    could know, so it stops the caller (strict): it is an error, never an orphan."""
    ids = set()
    for path in inputs.rglob("*") if inputs.is_dir() else []:
        if path.is_file() and not any(p.startswith(".") for p in path.relative_to(inputs).parts):
            try:
                ids.add(article_id(path))
            except InputError:
                continue
            if path.suffix.lower() == ".jsonl":
                members, errors = read_members(path)
                if errors and strict:
                    raise InputError(
                        errors[0].path,
                        f"{errors[0].message} (prune cannot tell which outputs this line owns)",
                    )
                ids.update(m.id for m in members)
    return ids


def output_locales(outputs: Path) -> list[str]:
    if not outputs.is_dir():
        return []
    return sorted(p.name for p in outputs.iterdir() if (p / "LC_MESSAGES").is_dir())


def article_outputs(outputs: Path) -> dict[str, Orphan]:
    """Every article that has outputs, with its files."""
    found: dict[str, Orphan] = {}
    for pot in sorted((outputs / "templates").glob("*.pot")):
        found.setdefault(pot.stem, Orphan(pot.stem)).files.append(pot)
    for locale in output_locales(outputs):
        messages = outputs / locale / "LC_MESSAGES"
        for path in sorted(messages.iterdir()):
            if path.suffix in {".po", ".mo"}:
                item = found.setdefault(path.stem, Orphan(path.stem))
                item.files.append(path)
                if path.suffix == ".po":
                    item.catalogs[locale] = path
        for path in sorted((outputs / locale).iterdir()):
            if path.is_file() and path.suffix in RENDERED_SUFFIXES:
                found.setdefault(path.stem, Orphan(path.stem)).files.append(path)
    return found


def find_orphans(outputs: Path, inputs: Path, strict: bool = True) -> list[Orphan]:
    """strict: an unreadable feed line stops the search (prune); status only reports."""
    current = input_ids(inputs, strict)
    return [item for aid, item in sorted(article_outputs(outputs).items()) if aid not in current]
