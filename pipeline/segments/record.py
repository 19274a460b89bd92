"""The segmented article as stored between stages (JSON), so later stages never re-read inputs."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from pipeline.errors import InputError
from pipeline.inputs.article import Article, Paragraph
from pipeline.inputs.discover import read_article
from pipeline.language import detect_language, detect_paragraphs, dominant
from pipeline.segments.segment import Segment, segment_article, segments_from_json, segments_to_json


def detect_file(
    path: Path, override: str | None, member: int = 0, min_confidence: float = 0.80
) -> dict[str, Any]:
    """Detection record for one input file; input errors become a recorded error, not a crash.

    Below min_confidence the article is taken as mixed-language copy: each paragraph gets its
    own detection, and the article's language is the one most of its sure text is in.
    """
    try:
        article = read_article(path, member)
    except InputError as exc:
        return {"error": exc.line()}
    text = "\n".join(p.text for p in article.paragraphs)
    detection = detect_language(text, override or article.lang_hint)
    record: dict[str, Any] = {"id": article.id, "detection": asdict(detection)}
    if detection.method == "langdetect" and detection.confidence < min_confidence:
        texts = {p.index: p.text for p in article.paragraphs}
        found = detect_paragraphs(texts)
        record["detection"].update(
            language=dominant(found, texts, min_confidence),
            method="per-paragraph",
            paragraphs={
                str(i): {"language": d.language, "confidence": d.confidence} for i, d in found.items()
            },
        )
    return record


def paragraph_language(detection: dict[str, Any], paragraph: int, min_confidence: float) -> str:
    """A paragraph's source language; "und" where per-paragraph detection was unsure."""
    found = detection.get("paragraphs", {}).get(str(paragraph))
    if found is None:
        return detection["language"]
    return found["language"] if found["confidence"] >= min_confidence else "und"


def segment_file(
    path: Path,
    detection: dict[str, Any],
    unit: str = "sentence",
    member: int = 0,
    min_confidence: float = 0.80,
    abbreviations: Path | None = None,
) -> dict[str, Any]:
    if "error" in detection:
        return {"error": detection["error"]}
    article = read_article(path, member)
    d = detection["detection"]
    languages = {p.index: paragraph_language(d, p.index, min_confidence) for p in article.paragraphs}
    segments = segment_article(article, d["language"], unit, languages, abbreviations)
    return {
        "id": article.id,
        "source": str(path),
        "member": member,
        "encoding": article.meta.get("encoding", "utf-8"),
        "warnings": article.warnings,
        "detection": detection["detection"],
        "paragraphs": [asdict(p) for p in article.paragraphs],
        "layout": article.layout,
        "segments": segments_to_json(segments),
    }


def article_from_record(record: dict[str, Any]) -> Article:
    return Article(
        id=record["id"],
        source=Path(record["source"]),
        paragraphs=[Paragraph(**p) for p in record["paragraphs"]],
        layout=record["layout"],
    )


def segments_of(record: dict[str, Any]) -> list[Segment]:
    return segments_from_json(record["segments"])
