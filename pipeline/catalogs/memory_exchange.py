"""`locpipe memory export|import`: a locale's reviewed work out to TMX or .po, and work
reviewed elsewhere in as a seed the next run builds into the memory."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import polib

from pipeline.catalogs.header import SOURCE_LANGUAGE, catalog_metadata
from pipeline.catalogs.memory_sources import current_memory
from pipeline.catalogs.message import read_message
from pipeline.catalogs.pofile import WRAP_WIDTH, read_catalog, save_catalog
from pipeline.catalogs.state import feeds_memory
from pipeline.core.clock import po_date
from pipeline.core.errors import LocpipeError
from pipeline.core.layout import Layout
from pipeline.core.locales import parse_locale
from pipeline.memory.store import MemoryUnit, write_seed
from pipeline.memory.tmx import read_tmx, write_tmx
from pipeline.translation.protect import format_flags

FORMATS = (".tmx", ".po")
# every entry is a reviewer's: the file says who wrote it, not that a model did
EXPORTER = "locpipe memory export <https://pypi.org/project/locpipe/>"


def _format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise LocpipeError(path, "unknown memory format; use a .tmx or .po file name")
    return suffix


@dataclass(frozen=True)
class Exported:
    units: int  # active units written
    withdrawn: int  # withdrawn units written, marked as such
    plurals_left_out: int  # plural units a TMX cannot hold


def export_memory(outputs: Path, locale: str, dest: Path, source_lang: str | None = None) -> Exported:
    """Every unit, withdrawn ones marked (TMX: `<prop type="x-locpipe-withdrawn">`; .po: an
    obsolete entry with the reason): the file shows what a reviewer took back, and an import
    of it withdraws them again. TMX has no plural forms: plural units go to a .po only."""
    fmt = _format(dest)
    units = current_memory(outputs, locale)  # reviews since the last run included; not written
    if source_lang:
        units = [u for u in units if u.source_lang == source_lang]
    withdrawn = sum(1 for u in units if u.withdrawn)
    if fmt == ".tmx":
        plural = [u for u in units if u.plural]
        write_tmx(dest, locale, [u for u in units if not u.plural])
        active = sum(1 for u in units if not u.withdrawn and not u.plural)
        return Exported(active, sum(1 for u in units if u.withdrawn and not u.plural), len(plural))
    langs = sorted({u.source_lang for u in units})
    if len(langs) > 1:
        raise LocpipeError(
            dest, f"memory has sources in {', '.join(langs)}; a .po holds one: add --source-lang"
        )
    po = polib.POFile(wrapwidth=WRAP_WIDTH)
    po.header = f"Reviewed translations from locpipe's {locale} memory; the #. note names each one's origin."
    now = po_date()
    po.metadata = catalog_metadata(f"locpipe memory {locale}", parse_locale(locale), now, now, None, "")
    po.metadata.update({"Last-Translator": EXPORTER, SOURCE_LANGUAGE: langs[0] if langs else ""})
    for unit in units:
        entry = polib.POEntry(
            msgid=unit.source,
            msgctxt=unit.context,
            flags=format_flags(unit.source),  # msgfmt --check-format holds the placeholders
            comment="\n".join(_unit_notes(unit)),
            obsolete=unit.withdrawn,
        )
        if unit.plural:
            entry.msgid_plural = unit.plural
            entry.msgstr_plural = dict(enumerate(unit.forms or (unit.target,)))
        else:
            entry.msgstr = unit.target
        po.append(entry)
    save_catalog(dest, po)
    return Exported(len(units) - withdrawn, withdrawn, 0)


def _unit_notes(unit: MemoryUnit) -> list[str]:
    notes = [f"origin: {unit.origin}"]
    if unit.catalog:
        notes.append(f"catalog: {unit.catalog}")
    if unit.translator or unit.date:
        notes.append(f"reviewed: {unit.translator or 'unknown'}, {unit.date or 'no date'}")
    if unit.withdrawn:
        notes.append(f"{WITHDRAWN}: {unit.why or 'no reason recorded'}")
    return notes


WITHDRAWN = "withdrawn"


def _po_units(po: polib.POFile | None, lang: str, origin: str) -> list[MemoryUnit]:
    """Reviewed messages, plural ones included; an entry an export marked withdrawn comes back
    withdrawn."""
    units = []
    for entry in po or []:
        message = read_message(entry)
        notes = entry.comment.splitlines() if entry.comment else []
        why = next((n.split(": ", 1)[-1] for n in notes if n.startswith(f"{WITHDRAWN}:")), None)
        if not feeds_memory(message, entry):
            continue
        units.append(
            MemoryUnit(
                lang, message.source, message.text, origin, message.context,
                translator=(po.metadata.get("Last-Translator") or None) if po else None,
                date=(po.metadata.get("PO-Revision-Date") or None) if po else None,
                plural=message.plural, forms=message.forms or None,
                withdrawn=why is not None, why=why,
            )  # fmt: skip
        )
    return units


def forget_memory(
    outputs: Path, locale: str, sources: list[str], units_file: Path | None, source_lang: str | None
) -> list[MemoryUnit]:
    """Withdraw units by hand: every unit of these source texts, or the units a .tmx/.po
    lists (their source and target). Written as a seed, which the next run's memory build
    applies (the memory file has one writer); returns the units it withdraws."""
    wanted: set[tuple[str, str | None]] = {(s, None) for s in sources}
    if units_file is not None:
        wanted |= {(u.source, u.target) for u in read_units_file(units_file, locale, source_lang)}
    now = po_date()
    found = [
        replace(u, withdrawn=True, why=f"forgotten by hand ({now})")
        for u in current_memory(outputs, locale)
        if not u.withdrawn
        and (not source_lang or u.source_lang == source_lang)
        and ((u.source, None) in wanted or (u.source, u.target) in wanted)
    ]
    write_seed(Layout(outputs), locale, "forget", found)
    return found


def read_units_file(source: Path, locale: str, source_lang: str | None) -> list[MemoryUnit]:
    if not source.is_file():
        raise LocpipeError(source, "file not found; give a .tmx or .po")
    if _format(source) == ".tmx":
        units = read_tmx(source, locale)
        return [u for u in units if not source_lang or u.source_lang == source_lang]
    po = read_catalog(source)
    return _po_units(po, source_lang or "und", f"po:{source.name}")


def import_memory(outputs: Path, locale: str, source: Path, source_lang: str | None = None) -> int:
    """Reads the file into a new seed; returns how many units it held."""
    if not source.is_file():
        raise LocpipeError(source, "file not found; give a .tmx or .po to import")
    if _format(source) == ".tmx":
        units = read_tmx(source, locale)
        if source_lang:
            units = [u for u in units if u.source_lang == source_lang]
    else:
        po = read_catalog(source)
        lang = source_lang or (po.metadata.get(SOURCE_LANGUAGE) if po else None)
        if not lang:
            raise LocpipeError(source, "the .po does not say its msgids' language; add --source-lang")
        units = _po_units(po, lang, f"po:{source.name}")
    if not units:
        raise LocpipeError(source, f"no reviewed translations into {locale} found; check --locale")
    write_seed(Layout(outputs), locale, f"import-{source.stem}", units)
    return len(units)
