"""Source language: an explicit override, or langdetect on the whole article (seeded)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.core.locales import argos_from_langdetect


@dataclass(frozen=True)
class Detection:
    language: str  # Argos code
    confidence: float
    method: str  # "override" or "langdetect"
    candidates: tuple[tuple[str, float], ...] = ()


NO_TEXT = "zxx"  # ISO 639-2: no linguistic content (code, numbers, links only)
MIN_LETTERS = 20  # fewer letters than this and langdetect's answer is a guess
_NOT_PROSE = re.compile(
    r"`[^`\n]*`"  # inline code
    r"|\]\([^)\s]*\)"  # a Markdown link's destination
    r"|<[^<>\n]*>"  # HTML tags, autolinks
    r"|\b(?:https?|ftp)://\S+|\bwww\.\S+"  # URLs
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
)
_LETTER = re.compile(r"[^\W\d_]")


def prose(text: str) -> str:
    """What langdetect is given: the text without URLs, addresses, inline code and markup,
    which it would read as words of some language (a page of links came out German)."""
    return _NOT_PROSE.sub(" ", text)


def detect_article_language(text: str, override: str | None = None) -> Detection:
    """An article's language from its prose; "zxx" when it has no letters at all (nothing to
    translate: it is copied as it is), "und" with method "too-short" when too few to tell."""
    if override:
        return Detection(override, 1.0, "override")
    words = prose(text)
    letters = len(_LETTER.findall(words))
    if letters == 0:
        return Detection(NO_TEXT, 1.0, "no-text")
    if letters < MIN_LETTERS:
        return Detection("und", 0.0, "too-short", (("letters", float(letters)),))
    return detect_language(words)


def detect_paragraphs(texts: dict[int, str]) -> dict[int, Detection]:
    """Per-paragraph detection, for mixed-language copy whose whole-article answer is unsure."""
    return {index: detect_language(text) for index, text in texts.items()}


def dominant(found: dict[int, Detection], texts: dict[int, str], min_confidence: float) -> str:
    """The language of most confidently detected text; "und" when no paragraph is sure."""
    weight: dict[str, int] = {}
    for index, d in found.items():
        if d.confidence >= min_confidence and d.language != "und":
            weight[d.language] = weight.get(d.language, 0) + len(texts[index])
    return max(sorted(weight), key=lambda lang: weight[lang]) if weight else "und"


def detect_language(text: str, override: str | None = None) -> Detection:
    """Seeded langdetect: the same text gives the same answer in every process."""
    if override:
        return Detection(override, 1.0, "override")
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    try:
        ranked = detect_langs(text)
    except LangDetectException:
        return Detection("und", 0.0, "langdetect")
    best = ranked[0]
    return Detection(
        argos_from_langdetect(best.lang),
        round(float(best.prob), 4),
        "langdetect",
        tuple((argos_from_langdetect(r.lang), round(float(r.prob), 4)) for r in ranked[:3]),
    )
