"""Which article × locale gets which model route, and which sentences still need MT."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.locales import Locale
from pipeline.segments.record import segments_of
from pipeline.translation.glossary import Rules, rules_for
from pipeline.translation.packages import InstalledModel, Route, find_route
from pipeline.translation.protect import model_input
from pipeline.translation.store import load_translations, pair_dir


@dataclass(frozen=True)
class Decision:
    route: Route | None
    skip: str | None = None  # why no outputs are written for this article and locale
    untranslated: str | None = None  # why the catalog is written without MT


@dataclass
class PairWork:
    source: str
    target: str
    route: Route
    folder: Path
    pending: set[str] = field(default_factory=set)
    total: set[str] = field(default_factory=set)


def article_skip_reason(record: dict[str, Any], min_confidence: float) -> str | None:
    if "error" in record:
        return record["error"]
    d = record["detection"]
    if d["language"] == "und":
        return "no language detected (no letters?); set it with --source-lang"
    if d["method"] != "override" and d["confidence"] < min_confidence:
        return (
            f"language unclear (langdetect {d['language']} {d['confidence']:.2f} < "
            f"{min_confidence:.2f}); set it with --source-lang"
        )
    return None


def decide(
    record: dict[str, Any], locale: Locale, models: list[InstalledModel], min_confidence: float
) -> Decision:
    reason = article_skip_reason(record, min_confidence)
    if reason:
        return Decision(None, skip=reason)
    source = record["detection"]["language"]
    if source == locale.argos:
        return Decision(None, untranslated="already in the target language")
    route = find_route(models, source, locale.argos)
    if route is None:
        return Decision(
            None,
            skip=(
                f"no model for {source}->{locale.argos} (nor via en); install one with "
                f"`locpipe models install FILE.argosmodel`"
            ),
        )
    return Decision(route)


def decide_all(
    records: list[dict[str, Any]], locales: list[Locale], models: list[InstalledModel], min_confidence: float
) -> dict[tuple[str, str], Decision]:
    return {
        (record["id"], locale.gettext): decide(record, locale, models, min_confidence)
        for record in records
        for locale in locales
    }


def collect_work(
    records: list[dict[str, Any]],
    locales: list[Locale],
    decisions: dict[tuple[str, str], Decision],
    work: Path,
    decode_key: str,
    needs: dict[tuple[str, str], frozenset[str]] | None = None,
    glossary: dict[str, Rules] | None = None,
) -> dict[tuple[str, str], PairWork]:
    """Per language pair, the model inputs needed and those not yet stored.

    needs: per (article, locale), the msgids that need MT (those without reviewed text or a
    memory offer); an article missing from it needs all of its sentences. Model inputs are
    msgids with protected spans masked (translation.protect).
    """
    pairs: dict[tuple[str, str], PairWork] = {}
    needed: dict[tuple[str, str], set[str]] = defaultdict(set)
    for record in records:
        for locale in locales:
            key = (record["id"], locale.gettext)
            route = decisions[key].route
            if route is None:
                continue
            pair = (record["detection"]["language"], locale.argos)
            if pair not in pairs:
                pairs[pair] = PairWork(*pair, route, pair_dir(work, *pair, route, decode_key))
            wanted = needs.get(key) if needs is not None else None
            rules = rules_for(glossary or {}, locale.gettext)
            for seg in segments_of(record):
                if wanted is None or seg.msgid in wanted:
                    needed[pair].add(model_input(seg.msgid, seg.kind, rules).text)
    for pair, item in pairs.items():
        stored = load_translations(item.folder)
        item.total = needed[pair]
        item.pending = {s for s in needed[pair] if s not in stored}
    return pairs
