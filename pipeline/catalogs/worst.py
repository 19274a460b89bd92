"""The machine entries that most need a human: the lowest quality estimates first."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TypeVar

from pipeline.catalogs.counts import machine_figure
from pipeline.catalogs.ledger import load_ledger
from pipeline.catalogs.message import read_messages
from pipeline.catalogs.pofile import read_catalog
from pipeline.core.errors import CatalogError
from pipeline.core.layout import Layout

P = TypeVar("P", str, Path)  # a catalog's path, or its path under the outputs folder


@dataclass(frozen=True)
class Worst:
    quality: int
    locale: str
    catalog: str  # the .po, relative to the outputs folder
    line: int  # the entry's line in it: `file:line` opens it in an editor
    context: str | None
    source: str
    machine: str

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def catalogs(outputs: Path, locales: list[str]) -> list[tuple[str, Path]]:
    return [
        (loc, po)
        for loc in sorted(locales)
        for po in sorted((outputs / loc / "LC_MESSAGES").glob("*.po"))
        if po.is_file()
    ]


def worst_entries(
    outputs: Path,
    locales: list[str],
    count: int,
    unreadable: list[str] | None = None,
    among: list[tuple[str, Path]] | None = None,
) -> list[Worst]:
    """The `count` lowest-scored unreviewed machine entries over the locales' catalogs,
    ascending; ties in catalog and line order. unreadable: given, a catalog that does not parse
    is said there and left out (the report page of a run that failed on it), not raised.
    among: only these catalogs (lowest_catalogs: the few that can hold the answer)."""
    layout = Layout(outputs)
    found: list[Worst] = []
    for loc, path in catalogs(outputs, locales) if among is None else among:
        try:
            po = read_catalog(path)
        except CatalogError as exc:
            if unreadable is None:
                raise
            unreadable.append(exc.line())
            continue
        if po is None:
            continue
        ledger = load_ledger(layout.ledger(loc, path.stem))
        for entry, message in zip(po, read_messages(po, ledger), strict=True):
            figure = machine_figure(message)
            if figure is None:
                continue
            where = path.relative_to(outputs).as_posix()
            found.append(Worst(figure, loc, where, entry.linenum, entry.msgctxt, entry.msgid, entry.msgstr))
    found.sort(key=lambda w: (w.quality, w.locale, w.catalog, w.line))
    return found[:count]


def lowest_catalogs(lows: dict[tuple[str, P], int], count: int) -> list[tuple[str, P]]:
    """The catalogs that can hold the `count` lowest entries, from each catalog's lowest
    figure (the manifest has it). Ranked by that figure, then locale and path (the order ties
    between entries are broken in), every catalog before one holding such an entry has an
    entry that comes before it: the first `count` catalogs suffice."""
    ranked = sorted(lows.items(), key=lambda item: (item[1], item[0][0], str(item[0][1])))
    return sorted(key for key, _ in ranked[:count])
