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
    route: Route | None  # for the article's language
    skip: str | None = None  # why no outputs are written for this article and locale
    untranslated: str | None = None  # why the catalog is written without MT
    routes: dict[str, Route] = field(default_factory=dict)  # per source language in the article

    @property
    def routes_key(self) -> str:
        return "|".join(f"{lang}={route.key}" for lang, route in sorted(self.routes.items()))


def parse_routes_key(key: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in key.split("|") if part)


def article_languages(record: dict[str, Any]) -> set[str]:
    main = record["detection"]["language"]
    return {main} | {s.lang for s in segments_of(record) if s.lang and s.lang != "und"}


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
    if d["method"] == "langdetect" and d["confidence"] < min_confidence:
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
    languages = article_languages(record) - {locale.argos}
    if not languages:
        return Decision(None, untranslated="already in the target language")
    routes = {lang: r for lang in sorted(languages) if (r := find_route(models, lang, locale.argos))}
    if not routes:
        missing = ", ".join(f"{lang}->{locale.argos}" for lang in sorted(languages))
        return Decision(
            None,
            skip=(
                f"no model for {missing} (nor via en); install one with "
                f"`locpipe models install FILE.argosmodel`"
            ),
        )
    main = routes.get(source) or next(iter(routes.values()))
    return Decision(main, routes=routes)


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
            routes = decisions[key].routes
            if not routes:
                continue
            wanted = needs.get(key) if needs is not None else None
            rules = rules_for(glossary or {}, locale.gettext)
            for seg in segments_of(record):
                lang = seg.lang or record["detection"]["language"]
                route = routes.get(lang)
                if route is None or (wanted is not None and seg.msgid not in wanted):
                    continue
                pair = (lang, locale.argos)
                if pair not in pairs:
                    pairs[pair] = PairWork(*pair, route, pair_dir(work, *pair, route, decode_key))
                needed[pair].add(model_input(seg.msgid, seg.kind, rules).text)
    for pair, item in pairs.items():
        stored = load_translations(item.folder)
        item.total = needed[pair]
        item.pending = {s for s in needed[pair] if s not in stored}
    return pairs
