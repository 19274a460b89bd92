"""Source language: an explicit override, or langdetect on the whole article (seeded)."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.locales import argos_from_langdetect


@dataclass(frozen=True)
class Detection:
    language: str  # Argos code
    confidence: float
    method: str  # "override" or "langdetect"
    candidates: tuple[tuple[str, float], ...] = ()


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
