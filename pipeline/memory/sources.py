"""What a locale's memory is built from: the reviewed entries of every catalog in the
locale's folder (articles whose input was deleted included) and the seed files."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import polib

from pipeline.catalogs.header import SOURCE_LANGUAGE
from pipeline.catalogs.pofile import read_catalog
from pipeline.errors import CatalogError
from pipeline.layout import Layout
from pipeline.memory.build import CatalogPairs, build_memory, catalog_pairs
from pipeline.memory.store import MemoryUnit, read_units, seeds_digest, write_units


@dataclass
class ParsedCatalogs:
    """Each .po parsed once per run step; a broken one is remembered with its error."""

    parsed: dict[Path, polib.POFile | None] = field(default_factory=dict)
    errors: dict[Path, CatalogError] = field(default_factory=dict)

    def get(self, path: Path) -> polib.POFile | None:
        if path in self.errors:
            raise self.errors[path]
        if path not in self.parsed:
            try:
                self.parsed[path] = read_catalog(path)
            except CatalogError as exc:
                self.errors[path] = exc
                raise
        return self.parsed[path]


def locale_catalogs(outputs: Path, locale: str) -> list[Path]:
    folder = outputs / locale / "LC_MESSAGES"
    return sorted(folder.glob("*.po")) if folder.is_dir() else []


def source_language(po: polib.POFile, pot: Path) -> str | None:
    """Our header says it; catalogs from before it existed fall back to the template's."""
    lang = po.metadata.get(SOURCE_LANGUAGE)
    if lang:
        return lang
    try:
        template = read_catalog(pot)
    except CatalogError:
        return None
    return template.metadata.get("Language") if template else None


def locale_pairs(outputs: Path, locale: str, catalogs: ParsedCatalogs) -> list[CatalogPairs]:
    """Reviewed pairs per catalog; a catalog that does not parse adds nothing (it is
    reported by its article's own task)."""
    found = []
    for path in locale_catalogs(outputs, locale):
        try:
            po = catalogs.get(path)
        except CatalogError:
            continue
        if po is None:
            continue
        lang = source_language(po, outputs / "templates" / f"{path.stem}.pot")
        if lang:
            found.append(catalog_pairs(path.stem, lang, po))
    return found


def memory_key(outputs: Path, locale: str, pairs: list[CatalogPairs]) -> str:
    parts = [f"{p.article}:{p.digest()}" for p in pairs if p.live or p.obsolete]
    parts.append("seeds:" + seeds_digest(Layout(outputs), locale))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def current_memory(outputs: Path, locale: str) -> list[MemoryUnit]:
    """The memory as its task builds it from the memory file, the seeds and the catalogs now."""
    paths = Layout(outputs)
    seeds = [u for seed in paths.seed_files(locale) for u in read_units(seed)]
    pairs = locale_pairs(outputs, locale, ParsedCatalogs())
    return build_memory(read_units(paths.memory(locale)), seeds, pairs)


def rebuild_memory(outputs: Path, locale: str) -> dict[str, int]:
    """The locale's memory task: the one writer of its memory file."""
    units = current_memory(outputs, locale)
    write_units(Layout(outputs).memory(locale), locale, units)
    return {"units": len(units)}
