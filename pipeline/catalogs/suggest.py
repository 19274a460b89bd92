"""Step 3 of the resolver before MT (pipeline.catalogs.resolve): what to offer a reviewer
from reviewed work, and which messages still need a model. The offers are stored per
article, named by digest, for the catalog writer that runs after MT.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from pipeline.catalogs.entries import Unit
from pipeline.catalogs.message import FROM_MEMORY, unit_id
from pipeline.catalogs.resolve import CatalogView, Origin, Suggestion, changed_note, resolve, waiting_offer
from pipeline.core.atomic import write_json
from pipeline.memory.match import Match, Matcher
from pipeline.memory.store import MemoryUnit


def memory_note(match: Match) -> str:
    return f"{FROM_MEMORY} {match.score}% ({match.unit.origin})"


@dataclass
class Suggestions:
    offers: dict[str, Suggestion]  # by unit_id
    needs_mt: set[str]  # msgids that nothing before MT covers


def suggest(
    units: list[Unit],
    view: CatalogView,
    article: str,
    source_lang: str,
    memory: Matcher,
    provenance: frozenset[str] = frozenset(),
) -> Suggestions:
    """provenance: the machine notes of the article's current models and decoding settings
    (their text in the catalog is kept, not asked for again)."""
    earlier = [
        MemoryUnit(source_lang, m.source, m.text, article, m.context)
        for m in view.earlier_reviews({u.key for u in units})
    ]
    own = Matcher(earlier, memory.threshold)

    def lookup(unit: Unit) -> Suggestion | None:
        waiting = waiting_offer(view, unit)
        if waiting is not None:
            source = waiting.previous_msgid or unit.msgid
            if not memory.withdrawn(source_lang, source, waiting.text):
                return waiting
        if unit.lang:
            return None  # a mixed-language paragraph: the memory is keyed by the article's language
        exact = memory.best(source_lang, unit.msgid)
        if exact is not None and exact.exact:
            return Suggestion(exact.unit.target, memory_note(exact), None, exact.unit.context)
        near = own.best(source_lang, unit.msgid)
        if near is not None and near.exact:  # reviewed here under another context
            return Suggestion(near.unit.target, memory_note(near), None, near.unit.context)
        if near is not None:
            return Suggestion(near.unit.target, changed_note(near.score), near.unit.source, near.unit.context)
        if exact is not None:  # a near match shows the memory's source as #| msgid, as pretranslate writes it
            return Suggestion(exact.unit.target, memory_note(exact), exact.unit.source, exact.unit.context)
        return None

    offers: dict[str, Suggestion] = {}
    needs_mt: set[str] = set()
    for unit in units:
        found = resolve(unit, view, lookup, provenance)
        if found.origin is Origin.OFFER and found.offer is not None:
            offers[unit_id(*unit.key)] = found.offer
        elif found.origin is Origin.NONE:
            needs_mt.add(unit.msgid)
    return Suggestions(offers, needs_mt)


def suggestions_digest(offers: dict[str, Suggestion]) -> str:
    if not offers:
        return ""
    data = json.dumps({k: asdict(v) for k, v in offers.items()}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def suggestions_path(work: Path, locale: str, article: str, digest: str) -> Path:
    return work / "suggest" / locale / f"{article}-{digest}.json"


def write_suggestions(path: Path, offers: dict[str, Suggestion]) -> None:
    write_json(path, {k: asdict(v) for k, v in offers.items()})


def read_suggestions(path: Path) -> dict[str, Suggestion]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {k: Suggestion(**v) for k, v in data.items()}
