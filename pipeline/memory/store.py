"""Where a locale's translation memory lives, and its file format.

    locales/memory/<locale>.json            the memory; one writer: the locale's memory task
    locales/memory/<locale>/*.json          seeds: one file per `memory import` or prune,
                                            written once and never rewritten

One writer per file keeps this correct when workers on several hosts share the output
folder (a database's locking does not work across hosts; renaming a whole file does).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from pipeline.core.atomic import write_json
from pipeline.core.errors import LocpipeError
from pipeline.core.layout import Layout

FORMAT_VERSION = 2  # 1 had no provenance, plural or withdrawn fields; it reads as it is


@dataclass(frozen=True)
class MemoryUnit:
    source_lang: str
    source: str
    target: str  # for a plural unit its first form
    origin: str  # the article or file it was reviewed in
    context: str | None = None  # the msgctxt it was reviewed under
    catalog: str | None = None  # the catalog it was read from, relative to the outputs folder
    translator: str | None = None  # the catalog's Last-Translator
    date: str | None = None  # the catalog's PO-Revision-Date
    plural: str | None = None  # msgid_plural of a plural unit
    forms: tuple[str, ...] | None = None  # its msgstr[n]
    withdrawn: bool = False  # rejected by a reviewer or forgotten: kept, never offered
    why: str | None = None  # why it was withdrawn, and when

    @property
    def key(self) -> tuple[str, str]:
        return (self.source_lang, self.source)

    @property
    def pair(self) -> tuple[str, str, str]:
        return (self.source_lang, self.source, self.target)


def unit_from_json(data: dict[str, object]) -> MemoryUnit:
    forms = data.get("forms")
    if isinstance(forms, list):
        data = {**data, "forms": tuple(forms)}
    return MemoryUnit(**data)  # type: ignore[arg-type]


def unit_to_json(unit: MemoryUnit) -> dict[str, object]:
    """Fields at their default are left out: a memory of 400,000 units is read every run."""
    data = asdict(unit)
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in data.items() if v not in (None, False)}


def units_to_json(locale: str, units: Iterable[MemoryUnit]) -> dict[str, object]:
    ordered = sorted(units, key=lambda u: (u.source_lang, u.source, u.withdrawn, u.target))
    return {"format": FORMAT_VERSION, "locale": locale, "units": [unit_to_json(u) for u in ordered]}


def read_units(path: Path) -> list[MemoryUnit]:
    """Units of a memory or seed file; [] when it does not exist."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except ValueError as exc:
        raise LocpipeError(path, f"memory file is not valid JSON ({exc}); restore or delete it") from None
    try:
        return [unit_from_json(u) for u in data["units"]]
    except (KeyError, TypeError) as exc:
        raise LocpipeError(path, "memory file has no valid units list; restore or delete it") from exc


def write_units(path: Path, locale: str, units: Iterable[MemoryUnit]) -> bool:
    return write_json(path, units_to_json(locale, units))


def write_seed(paths: Layout, locale: str, name: str, units: list[MemoryUnit]) -> Path | None:
    """A new seed file named by its content, so the same import twice is one file."""
    if not units:
        return None
    data = json.dumps(units_to_json(locale, units), sort_keys=True).encode("utf-8")
    path = paths.seeds(locale) / f"{name}-{hashlib.sha256(data).hexdigest()[:12]}.json"
    write_units(path, locale, units)
    return path


def seeds_digest(paths: Layout, locale: str) -> str:
    """Seed files are never rewritten, so their names identify their content."""
    return hashlib.sha256("\n".join(p.name for p in paths.seed_files(locale)).encode()).hexdigest()[:16]


def salvage_units(text: str) -> list[MemoryUnit]:
    """Whole unit objects left in a damaged memory file (a truncated write, a bad edit)."""
    decoder = json.JSONDecoder()
    units, at = [], text.find("{", text.find('"units"') + 1)
    while 0 <= at < len(text):
        try:
            data, end = decoder.raw_decode(text, at)
        except ValueError:
            at = text.find("{", at + 1)
            continue
        if isinstance(data, dict) and {"source", "target", "source_lang"} <= data.keys():
            with contextlib.suppress(TypeError):
                units.append(unit_from_json(data))
        at = text.find("{", end)
    return units


def load_memory(path: Path) -> tuple[list[MemoryUnit], str | None]:
    """The locale's memory; a damaged one is moved aside (`<locale>.json.corrupt-<time>`) and
    what can be read of it kept, with a one-line warning saying how many units were lost."""
    try:
        return read_units(path), None
    except LocpipeError:
        pass
    text = path.read_text(encoding="utf-8", errors="replace")
    units = salvage_units(text)
    held = text.count('"source_lang"')
    aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%dT%H%M%S')}")
    path.rename(aside)
    lost = max(0, held - len(units))
    return units, (
        f"{path}: damaged; moved to {aside.name} and rebuilt from the catalogs and seeds "
        f"({len(units)} units recovered from it, {lost} could not be read)"
    )
