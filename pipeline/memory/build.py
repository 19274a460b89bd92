"""A locale's memory, rebuilt from the reviewed entries of its catalogs.

The memory only grows: a reviewed translation stays in it after its sentence left the
article (or the article was deleted), so reviewed work outlives the catalog it was done in.
For one source text, the catalogs' current reviewed translation wins over a seed, and a
seed over what the memory held before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

import polib

from pipeline.catalogs.state import feeds_memory, other_language
from pipeline.memory.store import MemoryUnit


@dataclass(frozen=True)
class CatalogPairs:
    """The reviewed (source, translation, msgctxt) triples of one article's catalog."""

    article: str
    source_lang: str
    live: tuple[tuple[str, str, str | None], ...]
    obsolete: tuple[tuple[str, str, str | None], ...]

    def digest(self) -> str:
        # a pair without a context digests as before contexts were kept: no rebuild for it
        pairs = (f"{s}\x1f{t}" + ("" if c is None else f"\x1f{c}") for s, t, c in self.live + self.obsolete)
        text = "\x1e".join(sorted(pairs))
        return hashlib.sha256(f"{self.source_lang}\x1d{text}".encode()).hexdigest()[:16]


def catalog_pairs(article: str, source_lang: str, po: polib.POFile) -> CatalogPairs:
    """Pairs in the catalog's source language; a mixed-language article's other paragraphs
    are not (their #. note names their language) and are left out."""
    live, obsolete = [], []
    for entry in po:
        if feeds_memory(entry) and not other_language(entry):
            (obsolete if entry.obsolete else live).append((entry.msgid, entry.msgstr, entry.msgctxt))
    return CatalogPairs(article, source_lang, tuple(live), tuple(obsolete))


def build_memory(
    previous: Iterable[MemoryUnit], seeds: Iterable[MemoryUnit], catalogs: Iterable[CatalogPairs]
) -> list[MemoryUnit]:
    units: dict[tuple[str, str], MemoryUnit] = {}
    for unit in [*previous, *seeds]:
        units[unit.key] = unit
    ordered = sorted(catalogs, key=lambda c: c.article, reverse=True)  # first article id wins
    for which in ("obsolete", "live"):
        for cat in ordered:
            for source, target, context in getattr(cat, which):
                unit = MemoryUnit(cat.source_lang, source, target, cat.article, context)
                units[(cat.source_lang, source)] = unit
    return sorted(units.values(), key=lambda u: u.key)
