"""The segmented article as stored between stages (JSON), so later stages never re-read inputs."""

from __future__ import annotations

from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.core.errors import InputError
from pipeline.core.settings_table import default
from pipeline.inputs.article import Article, Paragraph
from pipeline.inputs.discover import read_article
from pipeline.inputs.language import detect_article_language, detect_paragraphs, dominant
from pipeline.inputs.subtitle_file import KIND as SUBTITLE
from pipeline.inputs.subtitle_file import source_line
from pipeline.segments.segment import Segment, segment_article, segments_from_json, segments_to_json


def prepare_file(
    path: Path,
    override: str | None,
    unit: str = default("unit"),
    member: int = 0,
    min_confidence: float = default("min_confidence"),
    abbreviations: Path | None = None,
    inputs: Path | None = None,
) -> dict[str, Any]:
    """One input's record: its detection and segments from a single read of the file; an
    input error becomes a recorded error, not a crash. inputs: the inputs folder, so
    references name the file as the user's tree does."""
    try:
        article = read_article(path, member)
    except InputError as exc:
        return {"error": exc.line()}
    detection = detect_article(article, override, min_confidence)
    return _segmented(article, path, detection, unit, member, min_confidence, abbreviations, inputs)


def detect_article(
    article: Article, override: str | None, min_confidence: float = default("min_confidence")
) -> dict[str, Any]:
    """Below min_confidence the article is taken as mixed-language copy: each paragraph gets
    its own detection, and the article's language is the one most of its sure text is in."""
    text = "\n".join(p.text for p in article.paragraphs)
    detection = detect_article_language(text, override or article.lang_hint)
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


def _segmented(
    article: Article,
    path: Path,
    detection: dict[str, Any],
    unit: str,
    member: int,
    min_confidence: float,
    abbreviations: Path | None,
    inputs: Path | None,
) -> dict[str, Any]:
    d = detection["detection"]
    languages = {p.index: paragraph_language(d, p.index, min_confidence) for p in article.paragraphs}
    segments = segment_article(article, d["language"], unit, languages, abbreviations)
    return {
        "id": article.id,
        "source": str(path),
        "path": _relative(path, inputs),
        "member": member,
        "encoding": article.meta.get("encoding", "utf-8"),
        "read_digest": article.meta.get("digest"),
        "warnings": article.warnings,
        "detection": detection["detection"],
        "paragraphs": [asdict(p) for p in article.paragraphs],
        "layout": article.layout,
        **({"parts": article.parts} if article.parts else {}),
        "segments": segments_to_json(segments),
        **({"references": list(article.references)} if article.references else {}),
    }


def _relative(path: Path, inputs: Path | None) -> str:
    try:
        return path.resolve().relative_to(_resolved(inputs)).as_posix() if inputs else path.name
    except ValueError:
        return path.name


@lru_cache(maxsize=8)
def _resolved(folder: Path) -> Path:
    """The inputs folder resolved once, not once per article (a realpath walk each time)."""
    return folder.resolve()


def segment_lines(record: dict[str, Any]) -> list[int]:
    """The line each segment starts on in its input: a feed member's own line; else counted
    through the article's layout (literal text and paragraphs, as in the file)."""
    segments = segments_of(record)
    if record.get("member"):
        return [int(record["member"])] * len(segments)
    article = article_from_record(record)
    by_index = {p.index: p for p in article.paragraphs}
    starts: dict[int, int] = {}
    line = 1
    for part in article.layout:
        if isinstance(part, str):
            line += part.count("\n")
            continue
        paragraph = by_index[part]
        original = paragraph.original()
        # a paragraph whose source has a prefix (markup) starts where its text does
        lead = original.find(paragraph.text[:20]) if paragraph.source is not None else 0
        starts[part] = line + original[: max(lead, 0)].count("\n")
        line += original.count("\n")
    out = []
    offset: dict[int, int] = {}
    chars: dict[int, int] = {}  # a subtitle paragraph: where the segment starts in its text
    for seg in segments:
        paragraph = by_index.get(seg.paragraph)
        if paragraph is not None and paragraph.kind == SUBTITLE:
            at = chars.get(seg.paragraph, 0)
            out.append(starts.get(seg.paragraph, 1) + source_line(paragraph.original(), at))
            chars[seg.paragraph] = at + len(seg.text) + len(seg.gap)
            continue
        done = offset.get(seg.paragraph, 0)
        out.append(starts.get(seg.paragraph, 1) + done)
        offset[seg.paragraph] = done + (seg.text + seg.gap).count("\n")
    return out


def part_places(record: dict[str, Any]) -> list[tuple[str, int]]:
    """A zip package's segments: (member, number) each. In an XHTML, OPF or NCX part the
    number is the line (an editor opens `book.epub:OEBPS/ch1.xhtml:12` there); in a .docx,
    .odt, .pptx or .odp part, whose XML is one long line, it is the paragraph's number among
    the part's paragraphs with text (a paragraph inside another takes its host's)."""
    article = article_from_record(record)
    number: dict[int, tuple[str, int]] = {}
    for member, kind, layout, paragraphs in article.part_slices():
        by_index = {p.index: p for p in paragraphs}
        line = count = 1
        for part in layout:
            if isinstance(part, str):
                line += part.count("\n")
                continue
            count += 1
            number[part] = (member, line if kind in {"xhtml", "xml"} else count - 1)
            line += by_index[part].original().count("\n")
        last = (member, 1)
        for p in paragraphs:
            last = number.setdefault(p.index, last)
    return [number.get(seg.paragraph, ("", 1)) for seg in segments_of(record)]


def article_from_record(record: dict[str, Any]) -> Article:
    return Article(
        id=record["id"],
        source=Path(record["source"]),
        paragraphs=[Paragraph(**p) for p in record["paragraphs"]],
        layout=record["layout"],
        references=tuple(record.get("references", ())),
        parts=record.get("parts", []),
    )


def segments_of(record: dict[str, Any]) -> list[Segment]:
    return segments_from_json(record["segments"])
