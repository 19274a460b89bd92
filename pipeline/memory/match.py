"""Exact and near matches in a memory, scored as Translate Toolkit's pretranslate does.

Similarity is rapidfuzz's normalized edit similarity (0–100). A candidate can only reach
the threshold if its length is close enough, so each lookup scores a length window of the
memory, not all of it.
"""

from __future__ import annotations

import bisect
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from pipeline.memory.store import MemoryUnit


@dataclass(frozen=True)
class Match:
    unit: MemoryUnit
    score: int  # 100 for an exact match

    @property
    def exact(self) -> bool:
        return self.score == 100


def similarity(a: str, b: str) -> int:
    """0–100; only identical texts score 100."""
    return 100 if a == b else min(99, int(fuzz.ratio(a, b)))


class Matcher:
    def __init__(self, units: Iterable[MemoryUnit], threshold: float) -> None:
        self.threshold = threshold
        self._exact: dict[tuple[str, str], MemoryUnit] = {}
        self._withdrawn: dict[tuple[str, str], set[str]] = defaultdict(set)  # source -> targets
        by_lang: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for unit in units:
            if unit.withdrawn:
                self._withdrawn[unit.key].add(unit.target)
                continue  # never offered
            if unit.plural:  # articles have no plural messages
                continue
            self._exact[unit.key] = unit
            by_lang[unit.source_lang].append((len(unit.source), unit.source))
        self._sorted = {lang: sorted(items) for lang, items in by_lang.items()}
        self._lengths = {lang: [n for n, _ in items] for lang, items in self._sorted.items()}
        self._seen: dict[tuple[str, str], Match | None] = {}  # a sentence repeats across articles

    def withdrawn(self, source_lang: str, source: str, target: str) -> bool:
        """A reviewer rejected this translation of this source, or it was forgotten."""
        return target in self._withdrawn.get((source_lang, source), ())

    def withdrawn_key(self, source_lang: str, sources: Iterable[str]) -> str:
        """The withdrawals that touch these sources: in an article's plan basis, so an article
        holding an offer of a withdrawn text is planned again, and no other."""
        if not self._withdrawn:
            return ""
        hits = sorted(
            f"{s}\x1f{t}" for s in set(sources) for t in self._withdrawn.get((source_lang, s), ())
        )
        return hashlib.sha256("\x1e".join(hits).encode("utf-8")).hexdigest()[:16] if hits else ""

    def best(self, source_lang: str, text: str) -> Match | None:
        key = (source_lang, text)
        if key not in self._seen:
            self._seen[key] = self._lookup(source_lang, text)
        return self._seen[key]

    def _lookup(self, source_lang: str, text: str) -> Match | None:
        unit = self._exact.get((source_lang, text))
        if unit is not None:
            return Match(unit, 100)
        items = self._sorted.get(source_lang)
        if not items or self.threshold > 100:
            return None
        t = max(self.threshold, 1.0)
        n = len(text)
        lo = bisect.bisect_left(self._lengths[source_lang], int(n * t / (200 - t)))
        hi = bisect.bisect_right(self._lengths[source_lang], int(n * (200 - t) / t) + 1)
        choices = [source for _, source in items[lo:hi]]
        found = process.extractOne(text, choices, scorer=fuzz.ratio, score_cutoff=self.threshold)
        if found is None:
            return None
        return Match(self._exact[(source_lang, found[0])], min(99, int(found[1])))
