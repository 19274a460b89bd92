"""A locale's memory, rebuilt from the reviewed messages of its catalogs.

Reviewed work outlives the catalog it was done in: a unit stays after its sentence left the
article (or the article was deleted). For one source text, the catalogs' current reviewed
translation wins over a seed, and a seed over what the memory held before. A reviewed text
a translator rejected (cleared on a live entry), or one forgotten by hand (`locpipe memory
forget`), is withdrawn: kept in the file, marked, never offered again, until a translator
reviews that very text again on a live entry (one locpipe's ledger has not seen there).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace

import polib

from pipeline.catalogs.ledger import Ledger
from pipeline.catalogs.message import key_digest, read_message, stored_text, text_digest
from pipeline.catalogs.state import feeds_memory, other_language
from pipeline.memory.store import MemoryUnit

# source, target, context, plural, forms
Pair = tuple[str, str, str | None, str | None, tuple[str, ...] | None]


@dataclass(frozen=True)
class CatalogPairs:
    """The reviewed messages of one article's catalog, and the reviewed texts rejected in it."""

    article: str
    source_lang: str
    live: tuple[Pair, ...]
    obsolete: tuple[Pair, ...]
    rejected: tuple[tuple[str, str], ...] = ()  # source, digest of the cleared text
    renewed: tuple[tuple[str, str], ...] = ()  # source, text reviewed since locpipe last wrote it
    catalog: str | None = None  # its path relative to the outputs folder
    translator: str | None = None
    date: str | None = None

    def digest(self) -> str:
        # a pair without a context digests as before contexts were kept: no rebuild for it
        pairs = (
            f"{s}\x1f{t}" + ("" if c is None else f"\x1f{c}") + ("" if p is None else f"\x1f{p}\x1f{f}")
            for s, t, c, p, f in self.live + self.obsolete
        )
        rejected = (f"{s}\x1d{d}" for s, d in self.rejected)
        text = "\x1e".join([*sorted(pairs), *sorted(rejected)])
        return hashlib.sha256(f"{self.source_lang}\x1d{text}".encode()).hexdigest()[:16]


def catalog_pairs(
    article: str, source_lang: str, po: polib.POFile, ledger: Ledger | None = None, catalog: str | None = None
) -> CatalogPairs:
    """Pairs in the catalog's source language; a mixed-language article's other paragraphs
    are not (their #. note names their language) and are left out."""
    live, obsolete, rejected, renewed = [], [], [], []
    for entry in po:
        message = read_message(entry, ledger)
        if message.rejected:
            rejected.append((message.source, message.rejected))
        if feeds_memory(message, entry) and not other_language(entry):
            pair = (message.source, message.text, message.context, message.plural, message.forms or None)
            (obsolete if message.obsolete else live).append(pair)
            known = ledger.reviewed.get(key_digest(message.key)) if ledger else None
            if ledger is not None and not message.obsolete and known != text_digest(stored_text(message)):
                renewed.append((message.source, message.text))  # a review locpipe has not seen here
    meta = po.metadata
    translator = meta.get("Last-Translator") or ""
    return CatalogPairs(
        article,
        source_lang,
        tuple(live),
        tuple(obsolete),
        tuple(rejected),
        tuple(renewed),
        catalog,
        None if translator.startswith("locpipe") else translator,  # our placeholder names no one
        meta.get("PO-Revision-Date") or None,
    )


def build_memory(
    previous: Iterable[MemoryUnit],
    seeds: Iterable[MemoryUnit],
    catalogs: Iterable[CatalogPairs],
) -> list[MemoryUnit]:
    units: dict[tuple[str, str], MemoryUnit] = {}
    withdrawn: dict[tuple[str, str, str], MemoryUnit] = {}
    for unit in [*previous, *seeds]:
        if unit.withdrawn:
            withdrawn[unit.pair] = unit
        else:
            units[unit.key] = unit
    ordered = sorted(catalogs, key=lambda c: c.article, reverse=True)  # first article id wins
    for cat in ordered:  # reviewed on a live entry since locpipe last wrote it: a new human act
        for source, target in cat.renewed:
            withdrawn.pop((cat.source_lang, source, target), None)
    for which in ("obsolete", "live"):
        for cat in ordered:
            for source, target, context, plural, forms in getattr(cat, which):
                known = units.get((cat.source_lang, source))
                if known is not None and (known.target, known.context, known.forms) == (
                    target, context, forms
                ):  # the same review read again: its who and when stay as first recorded
                    continue
                units[(cat.source_lang, source)] = MemoryUnit(
                    cat.source_lang, source, target, cat.article, context,
                    cat.catalog, cat.translator, cat.date, plural, forms,
                )  # fmt: skip
    for cat in ordered:
        for source, digest in cat.rejected:
            unit = units.get((cat.source_lang, source))
            if unit is not None and text_digest(unit.target) == digest:
                why = f"rejected in {cat.catalog or cat.article}" + (f" ({cat.date})" if cat.date else "")
                withdrawn[unit.pair] = replace(unit, withdrawn=True, why=why)
    active = [u for u in units.values() if u.pair not in withdrawn]
    return sorted([*active, *withdrawn.values()], key=lambda u: (u.key, u.withdrawn))
