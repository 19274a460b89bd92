"""What a locale's memory is built from: the reviewed entries of every catalog in the
locale's folder (articles whose input was deleted included) and the seed files."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import polib

from pipeline.catalogs.header import SOURCE_LANGUAGE
from pipeline.catalogs.ledger import load_ledger
from pipeline.catalogs.memory_build import CatalogPairs, build_memory, catalog_pairs
from pipeline.catalogs.pofile import read_catalog
from pipeline.core.atomic import write_state
from pipeline.core.errors import CatalogError
from pipeline.core.layout import Layout
from pipeline.memory.store import MemoryUnit, load_memory, read_units, seeds_digest, write_units


@dataclass
class ParsedCatalogs:
    """Each .po parsed once per run step; a broken one is remembered with its error."""

    parsed: dict[Path, polib.POFile | None] = field(default_factory=dict)
    errors: dict[Path, CatalogError] = field(default_factory=dict)
    views: dict[Path, dict[str, polib.POFile]] = field(default_factory=dict)

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

    def view(self, path: Path, line: str | None) -> polib.POFile | None:
        """An article's catalog: the file, or a feed line's entries in the feed's file."""
        from pipeline.catalogs.feed import split_views

        po = self.get(path)
        if line is None or po is None:
            return po
        if path not in self.views:
            self.views[path] = split_views(po)
        found = self.views[path].get(line)
        if found is None:  # the line has no entries yet: an empty catalog with the feed's header
            found = polib.POFile()
            found.header, found.metadata = po.header, dict(po.metadata)
        return found


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


def locale_pairs(
    outputs: Path, locale: str, catalogs: ParsedCatalogs, feeds: set[str] | None = None
) -> list[CatalogPairs]:
    """Reviewed pairs per catalog; a catalog that does not parse adds nothing (it is
    reported by its article's own task). feeds: feed catalogs, read line by line."""
    from pipeline.catalogs.feed import split_views

    found = []
    for path in locale_catalogs(outputs, locale):
        try:
            po = catalogs.get(path)
        except CatalogError:
            continue
        if po is None:
            continue
        lang = source_language(po, outputs / "templates" / f"{path.stem}.pot")
        if lang and path.stem in (feeds or set()):
            found += [
                pairs_of(Layout(outputs), locale, line, lang, view, path.stem)
                for line, view in split_views(po).items()
            ]
        elif lang:
            found.append(pairs_of(Layout(outputs), locale, path.stem, lang, po))
    return found


def pairs_of(
    layout: Layout, locale: str, article: str, lang: str, po: polib.POFile, name: str | None = None
) -> CatalogPairs:
    """An article's pairs read with what locpipe last wrote in its catalog (the ledger), so
    machine text stays machine text and a cleared review is known as a rejection."""
    ledger = load_ledger(layout.ledger(locale, article))
    catalog = str(layout.po(locale, name or article).relative_to(layout.root))
    return catalog_pairs(article, lang, po, ledger, catalog)


def memory_key(outputs: Path, locale: str, pairs: list[CatalogPairs]) -> str:
    parts = [f"{p.article}:{p.digest()}" for p in pairs if p.live or p.obsolete or p.rejected]
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


def update_memory(
    layout: Layout, locale: str, keys: dict[str, str], feeds: dict[str, str] | None = None
) -> dict[str, object]:
    """The locale's memory task (the one writer of its memory file): the memory as it was,
    plus the seeds, plus the reviewed entries of the catalogs whose key moved since the last
    build (all of them when there is no record of it). The memory only grows.

    keys: each current article's catalog key (pipeline.catalogs.catalog_plan.catalog_key); feeds:
    each feed line's feed catalog (feed_catalog = feed), whose entries for it are its catalog.
    """
    feeds = feeds or {}
    record_path = layout.memory_sources(locale)
    try:
        known = json.loads(record_path.read_text(encoding="utf-8"))["catalogs"]
    except (OSError, ValueError, KeyError, TypeError):
        known = None
    previous, warning = load_memory(layout.memory(locale))
    if warning or not layout.memory(locale).exists():
        known = None  # nothing to build on: read every catalog once
    catalogs = ParsedCatalogs()
    if known is None:
        pairs = locale_pairs(layout.root, locale, catalogs, set(feeds.values()))
    else:
        changed = [aid for aid, key in keys.items() if known.get(aid) != key]
        pairs = []
        for aid in changed:
            name = feeds.get(aid, aid)
            try:
                po = catalogs.view(layout.po(locale, name), aid if name != aid else None)
            except CatalogError:
                continue
            lang = source_language(po, layout.pot(name)) if po is not None else None
            if po is not None and lang:
                pairs.append(pairs_of(layout, locale, aid, lang, po, name))
    seeds = [u for seed in layout.seed_files(locale) for u in read_units(seed)]
    units = build_memory(previous, seeds, pairs)
    write_units(layout.memory(locale), locale, units)
    write_state(record_path, {"catalogs": keys})
    result: dict[str, object] = {"units": len(units), "catalogs_read": len(pairs)}
    gone = sorted(f"{u.source_lang}\x1f{u.source}\x1f{u.target}" for u in units if u.withdrawn)
    if gone:  # the planner's key for it: an offer of a withdrawn text must leave every article
        result["withdrawn"] = hashlib.sha256("\x1e".join(gone).encode("utf-8")).hexdigest()[:16]
    if warning:
        result["warning"] = warning
    return result
