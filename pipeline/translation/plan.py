"""Which article × locale gets which model route, and which sentences still need MT."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.locales import Locale
from pipeline.segments.record import segments_of
from pipeline.translation.packages import InstalledModel, Route, find_route
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


def collect_work(
    records: list[dict[str, Any]],
    locales: list[Locale],
    models: list[InstalledModel],
    min_confidence: float,
    work: Path,
) -> tuple[dict[tuple[str, str], Decision], dict[tuple[str, str], PairWork]]:
    """Decisions per (article, locale) and, per language pair, the sentences not yet stored."""
    decisions: dict[tuple[str, str], Decision] = {}
    pairs: dict[tuple[str, str], PairWork] = {}
    needed: dict[tuple[str, str], set[str]] = defaultdict(set)
    for record in records:
        for locale in locales:
            decision = decide(record, locale, models, min_confidence)
            decisions[(record["id"], locale.gettext)] = decision
            if decision.route is None:
                continue
            source = record["detection"]["language"]
            pair = (source, locale.argos)
            if pair not in pairs:
                pairs[pair] = PairWork(
                    source, locale.argos, decision.route, pair_dir(work, *pair, decision.route)
                )
            needed[pair].update(seg.msgid for seg in segments_of(record))
    for pair, work_item in pairs.items():
        stored = load_translations(work_item.folder)
        work_item.total = needed[pair]
        work_item.pending = {s for s in needed[pair] if s not in stored}
    return decisions, pairs
