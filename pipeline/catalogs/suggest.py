"""What to offer a reviewer for each unreviewed message before falling back to MT.

In order: a suggestion already waiting for review is left as it is; a sentence whose
source changed keeps the old reviewed translation with the old source as `#| msgid`, as
msgmerge does; then the locale's memory, exact or near. Whatever is left needs MT.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import polib

from pipeline.catalogs.entries import Unit
from pipeline.catalogs.merge import Suggestion, unit_id
from pipeline.catalogs.state import CHANGED, FROM_MEMORY, is_reviewed, was_reviewed
from pipeline.memory.match import Match, Matcher, similarity
from pipeline.memory.store import MemoryUnit
from pipeline.outputs.atomic import write_json


def changed_note(score: int) -> str:
    return f"{CHANGED} ({score}% similar)"


def memory_note(match: Match) -> str:
    return f"{FROM_MEMORY} {match.score}% ({match.unit.origin})"


@dataclass
class Suggestions:
    offers: dict[str, Suggestion]  # by unit_id
    needs_mt: set[str]  # msgids that nothing reviewed covers


def suggest(
    units: list[Unit],
    existing: polib.POFile | None,
    article: str,
    source_lang: str,
    memory: Matcher,
) -> Suggestions:
    live_keys = {u.key for u in units}
    current: dict[tuple[str | None, str], polib.POEntry] = {}
    earlier: list[MemoryUnit] = []  # reviewed text of messages that left the article
    for entry in existing or []:
        key = (entry.msgctxt, entry.msgid)
        if key in live_keys and not entry.obsolete:
            current[key] = entry
        elif was_reviewed(entry):
            earlier.append(MemoryUnit(source_lang, entry.msgid, entry.msgstr, article, entry.msgctxt))
    own = Matcher(earlier, memory.threshold)
    offers: dict[str, Suggestion] = {}
    needs_mt: set[str] = set()
    for unit in units:
        entry = current.get(unit.key)
        if entry is not None and is_reviewed(entry):
            continue
        offer = None
        if entry is not None and entry.previous_msgid and entry.msgstr and "fuzzy" in entry.flags:
            # waiting for review since an earlier run: leave it as it is
            score = similarity(entry.previous_msgid, unit.msgid)
            kept = [n for n in entry.comment.splitlines() if n.startswith(FROM_MEMORY)]
            note = kept[0] if kept else changed_note(score)
            offer = Suggestion(entry.msgstr, note, entry.previous_msgid, entry.previous_msgctxt)
        elif unit.lang:
            offer = None  # a mixed-language paragraph: the memory is keyed by the article's language
        elif (match := own.best(source_lang, unit.msgid)) and not match.exact:
            offer = Suggestion(
                match.unit.target, changed_note(match.score), match.unit.source, match.unit.context
            )
        elif match := memory.best(source_lang, unit.msgid) or own.best(source_lang, unit.msgid):
            # a near match shows the memory's source as #| msgid, as pretranslate writes it
            previous = None if match.exact else match.unit.source
            offer = Suggestion(match.unit.target, memory_note(match), previous, match.unit.context)
        if offer is None:
            needs_mt.add(unit.msgid)
        else:
            offers[unit_id(*unit.key)] = offer
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
