"""`locpipe prune`: drop obsolete entries (as `msgattrib --no-obsolete`) and the outputs of
deleted articles. Reviewed text goes into the locale's memory as a seed first, so pruning
never loses a translator's work; a catalog that does not parse is left alone."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import polib

from pipeline.catalogs.memory_sources import locale_catalogs, pairs_of, source_language
from pipeline.catalogs.pofile import read_catalog, read_catalog_snapshot, replace_catalog
from pipeline.core.errors import CatalogError, LocpipeError
from pipeline.core.layout import Layout
from pipeline.memory.store import MemoryUnit, write_seed
from pipeline.outputs.orphans import article_outputs, find_orphans, output_locales


@dataclass
class PruneReport:
    obsolete_dropped: int = 0
    reviewed_kept: int = 0  # reviewed units saved into memory seeds
    removed: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _reviewed_units(
    po: polib.POFile | None, outputs: Path, path: Path, obsolete_only: bool
) -> list[MemoryUnit]:
    """The reviewed messages (pipeline.catalogs.memory_build's reading of them), as seed units."""
    if po is None:
        return []
    article, locale = path.stem, path.parent.parent.name
    lang = source_language(po, outputs / "templates" / f"{article}.pot") or "und"
    pairs = pairs_of(Layout(outputs), locale, article, lang, po)
    chosen = pairs.obsolete if obsolete_only else pairs.live + pairs.obsolete
    return [
        MemoryUnit(
            lang, source, target, article, context, pairs.catalog, pairs.translator, pairs.date, plural, forms
        )  # fmt: skip
        for source, target, context, plural, forms in chosen
    ]


def prune_obsolete(outputs: Path, dry_run: bool = False) -> PruneReport:
    report = PruneReport()
    memory = Layout(outputs)
    for locale in output_locales(outputs):
        for path in locale_catalogs(outputs, locale):
            try:
                po, snapshot = read_catalog_snapshot(path)
                units = _reviewed_units(po, outputs, path, obsolete_only=True)
            except CatalogError as exc:
                report.errors.append(exc.line())
                continue
            obsolete = [e for e in po or [] if e.obsolete]
            if not obsolete:
                continue
            report.obsolete_dropped += len(obsolete)
            report.reviewed_kept += len(units)
            if dry_run:
                continue
            write_seed(memory, locale, f"obsolete-{path.stem}", units)
            po[:] = [e for e in po if not e.obsolete]
            if not replace_catalog(path, po, snapshot):
                report.errors.append(f"{path}: saved by someone else while pruning; left as saved, run again")
    return report


MOST = 0.5  # prune --orphans refuses to remove more than this share of articles unless forced


def check_orphans_plausible(inputs: Path, orphans: int, total: int, force: bool) -> None:
    """A mistyped --inputs makes every article look deleted: refuse what looks like that."""
    if force:
        return
    if not inputs.is_dir():
        raise LocpipeError(inputs, "inputs folder not found; nothing pruned (check --inputs, or add --force)")
    if not any(p.is_file() for p in inputs.rglob("*")):
        raise LocpipeError(inputs, "inputs folder is empty; nothing pruned (check --inputs, or add --force)")
    if total and orphans > MOST * total:
        raise LocpipeError(
            inputs,
            f"{orphans} of {total} articles would lose their outputs; nothing pruned "
            "(check --inputs, or add --force)",
        )


def prune_orphans(outputs: Path, inputs: Path, dry_run: bool = False, force: bool = False) -> PruneReport:
    report = PruneReport()
    memory = Layout(outputs)
    orphans = find_orphans(outputs, inputs)
    check_orphans_plausible(inputs, len(orphans), len(article_outputs(outputs)), force)
    for orphan in orphans:
        seeds: dict[str, list[MemoryUnit]] = {}
        try:
            for locale, path in orphan.catalogs.items():
                seeds[locale] = _reviewed_units(read_catalog(path), outputs, path, obsolete_only=False)
        except CatalogError as exc:
            report.errors.append(f"{exc.line()} (outputs of {orphan.article!r} kept)")
            continue
        report.reviewed_kept += sum(len(units) for units in seeds.values())
        report.removed += orphan.files
        if dry_run:
            continue
        for locale, units in seeds.items():
            write_seed(memory, locale, f"orphan-{orphan.article}", units)
        for path in orphan.files:
            path.unlink(missing_ok=True)
    return report


def prune_locales(
    outputs: Path,
    locales: tuple[str, ...],
    targets: tuple[str, ...],
    dry_run: bool = False,
    force: bool = False,
) -> PruneReport:
    """Every output of locales dropped from `targets`. Their reviewed entries are saved as a
    memory seed first (the memory itself, in memory/, stays), so adding the
    locale back later offers that work again."""
    still = [loc for loc in locales if loc in targets]
    if still:
        raise LocpipeError(None, f"--locales {','.join(still)}: still in targets; drop it from targets first")
    if not (force or dry_run):
        raise LocpipeError(None, "--locales removes all outputs of these locales; add --force (or --dry-run)")
    report = PruneReport()
    memory = Layout(outputs)
    for locale in locales:
        folder = outputs / locale
        if not folder.is_dir():
            report.errors.append(f"{folder}: no outputs for {locale}")
            continue
        units: list[MemoryUnit] = []
        try:
            for path in locale_catalogs(outputs, locale):
                units += _reviewed_units(read_catalog(path), outputs, path, obsolete_only=False)
        except CatalogError as exc:
            report.errors.append(f"{exc.line()} (outputs of {locale} kept)")
            continue
        report.reviewed_kept += len(units)
        report.removed += sorted(p for p in folder.rglob("*") if p.is_file())
        if dry_run:
            continue
        write_seed(memory, locale, f"locale-{locale}", units)
        shutil.rmtree(folder)
    return report
