"""Which article × locale gets which model route, or why it gets none."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.core.locales import Locale
from pipeline.inputs.language import NO_TEXT
from pipeline.segments.record import segments_of
from pipeline.translation.packages import InstalledModel, Route, find_route

NOTHING_TO_TRANSLATE = "nothing to translate (no letters outside code, links and markup): copied as it is"


@dataclass(frozen=True)
class Decision:
    route: Route | None  # for the article's language
    skip: str | None = None  # why no outputs are written for this article and locale
    untranslated: str | None = None  # why the catalog is written without MT
    render: bool = True  # False without a model: catalogs to translate by hand, no rendered file
    routes: dict[str, Route] = field(default_factory=dict)  # per source language in the article

    @property
    def routes_key(self) -> str:
        return "|".join(f"{lang}={route.key}" for lang, route in sorted(self.routes.items()))


def parse_routes_key(key: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in key.split("|") if part)


def article_languages(record: dict[str, Any]) -> set[str]:
    main = record["detection"]["language"]
    return {main} | {s.lang for s in segments_of(record) if s.lang and s.lang != "und"}


def article_skip_reason(record: dict[str, Any], min_confidence: float) -> str | None:
    if "error" in record:
        return record["error"]
    d = record["detection"]
    if d["method"] == "too-short":
        letters = int(dict(d.get("candidates") or []).get("letters", 0))
        return (
            f"too little text to tell its language ({letters} letters once URLs, markup and code "
            "are left out); set `lang:` in its front matter, or --source-lang"
        )
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
    if source == NO_TEXT:
        return Decision(None, untranslated=NOTHING_TO_TRANSLATE)
    languages = article_languages(record) - {locale.argos}
    if not languages:
        return Decision(None, untranslated="already in the target language")
    routes = {lang: r for lang in sorted(languages) if (r := find_route(models, lang, locale.argos))}
    if not routes:
        missing = ", ".join(f"{lang}->{locale.argos}" for lang in sorted(languages))
        reason = (
            f"not translated: no model for {missing} (nor via en); translate by hand or install one "
            "with `locpipe models install FILE.argosmodel`"
        )
        return Decision(None, untranslated=reason, render=False)
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
