"""The segmented article as stored between stages (JSON), so later stages never re-read inputs."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from pipeline.errors import InputError
from pipeline.inputs.article import Article, Paragraph
from pipeline.inputs.discover import read_article
from pipeline.language import Detection, detect_language
from pipeline.segments.segment import Segment, segment_article, segments_from_json, segments_to_json


def detect_file(path: Path, override: str | None, member: int = 0) -> dict[str, Any]:
    """Detection record for one input file; input errors become a recorded error, not a crash."""
    try:
        article = read_article(path, member)
    except InputError as exc:
        return {"error": exc.line()}
    text = "\n".join(p.text for p in article.paragraphs)
    detection = detect_language(text, override or article.lang_hint)
    return {"id": article.id, "detection": asdict(detection)}


def segment_file(
    path: Path, detection: dict[str, Any], unit: str = "sentence", member: int = 0
) -> dict[str, Any]:
    if "error" in detection:
        return {"error": detection["error"]}
    article = read_article(path, member)
    language = detection["detection"]["language"]
    segments = segment_article(article, language, unit)
    return {
        "id": article.id,
        "source": str(path),
        "member": member,
        "encoding": article.meta.get("encoding", "utf-8"),
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


def detection_of(record: dict[str, Any]) -> Detection:
    d = record["detection"]
    return Detection(d["language"], d["confidence"], d["method"], tuple(map(tuple, d["candidates"])))
