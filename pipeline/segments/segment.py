"""An article as translation units: one per sentence, with its reference and msgid."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path

from pipeline.inputs.article import Article
from pipeline.segments.splitter import split_sentences

_WS = re.compile(r"\s+")
# paragraph kind -> segment kind: what markup the msgid carries (translation.protect masks it)
SEGMENT_KINDS = {"markdown": "markdown", "cell": "markdown", "html": "html"}
# word-processor paragraphs carry their runs as HTML-like inline tags (inputs.runs)
SEGMENT_KINDS.update({k: "html" for k in ("docx", "docx-in", "odt", "odt-in", "pptx", "pptx-in")})


def normalize(text: str) -> str:
    """A segment's identity (msgid): NFC, runs of whitespace as one space, trimmed."""
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


@dataclass(frozen=True)
class Segment:
    paragraph: int
    sentence: int
    text: str  # exactly as in the source
    gap: str  # whitespace after it inside the paragraph
    msgid: str
    context: str | None = None  # msgctxt: titles, headings, table headers translate differently
    kind: str = "plain"  # "markdown" or "html": the text carries inline markup
    lang: str | None = None  # the paragraph's language where it differs from the article's

    @property
    def ref(self) -> str:
        return f"{self.paragraph}.{self.sentence}"


def segment_article(
    article: Article,
    language: str,
    unit: str = "sentence",
    languages: dict[int, str] | None = None,
    abbreviations: Path | None = None,
) -> list[Segment]:
    """unit "paragraph": one entry per paragraph, as po4a does, for documentation projects.
    languages: per paragraph, for mixed-language articles ("und": unsure).
    abbreviations: the desk's folder of <lang>.txt lists."""
    segments: list[Segment] = []
    for paragraph in article.paragraphs:
        own = (languages or {}).get(paragraph.index, language)
        split_as = language if own == "und" else own
        markup = paragraph.kind in SEGMENT_KINDS
        pieces = [(paragraph.text, "")]
        if unit == "sentence":
            pieces = split_sentences(paragraph.text, split_as, markup, abbreviations)
        for i, (text, gap) in enumerate(pieces):
            segments.append(
                Segment(
                    paragraph=paragraph.index,
                    sentence=i,
                    text=text,
                    gap=gap,
                    msgid=normalize(text),
                    context=None if paragraph.role == "body" else paragraph.role,
                    kind=SEGMENT_KINDS.get(paragraph.kind, "plain"),
                    lang=None if own == language else own,
                )
            )
    return segments


def paragraph_texts(segments: list[Segment], translate: dict[int, str] | None = None) -> dict[int, str]:
    """Rebuild each paragraph from its segments, translated where `translate` maps an index."""
    out: dict[int, str] = {}
    for i, seg in enumerate(segments):
        text = translate.get(i, seg.text) if translate else seg.text
        out[seg.paragraph] = out.get(seg.paragraph, "") + text + seg.gap
    return out


def segments_to_json(segments: list[Segment]) -> list[dict[str, object]]:
    return [asdict(s) for s in segments]


def source_language(segment: Segment, article_language: str) -> str:
    return segment.lang or article_language


def segments_from_json(data: list[dict[str, object]]) -> list[Segment]:
    return [Segment(**item) for item in data]  # type: ignore[arg-type]
