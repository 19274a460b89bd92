"""`locpipe memory export|import`: a locale's reviewed work out to TMX or .po, and work
reviewed elsewhere in as a seed the next run builds into the memory."""

from __future__ import annotations

from pathlib import Path

import polib

from pipeline.catalogs.header import SOURCE_LANGUAGE, catalog_metadata
from pipeline.catalogs.pofile import WRAP_WIDTH, read_catalog, save_catalog
from pipeline.catalogs.state import feeds_memory
from pipeline.clock import po_date
from pipeline.errors import LocpipeError
from pipeline.layout import Layout
from pipeline.locales import parse_locale
from pipeline.memory.sources import current_memory
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


def export_memory(outputs: Path, locale: str, dest: Path, source_lang: str | None = None) -> int:
    fmt = _format(dest)
    units = current_memory(outputs, locale)  # reviews since the last run included; not written
    if source_lang:
        units = [u for u in units if u.source_lang == source_lang]
    if fmt == ".tmx":
        write_tmx(dest, locale, units)
        return len(units)
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
        po.append(
            polib.POEntry(
                msgid=unit.source,
                msgstr=unit.target,
                msgctxt=unit.context,
                flags=format_flags(unit.source),  # msgfmt --check-format holds the placeholders
                comment=f"origin: {unit.origin}",
            )
        )
    save_catalog(dest, po)
    return len(units)


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
        origin = f"po:{source.name}"
        reviewed = [e for e in po or [] if feeds_memory(e)]
        units = [MemoryUnit(lang, e.msgid, e.msgstr, origin, e.msgctxt) for e in reviewed]
    if not units:
        raise LocpipeError(source, f"no reviewed translations into {locale} found; check --locale")
    write_seed(Layout(outputs), locale, f"import-{source.stem}", units)
    return len(units)
