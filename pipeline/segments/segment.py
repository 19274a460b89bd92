"""An article as translation units: one per sentence, with its reference and msgid."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, fields
from pathlib import Path

from pipeline.core.settings_table import default
from pipeline.inputs.article import Article
from pipeline.segments.splitter import split_sentences

# bump when msgids change for the same text (the splitter's rules have their own VERSION);
# in every prepare key. 2: no-break spaces, tabs, space runs and line separators kept in
# msgids, Markdown hard breaks kept (and masked)
MSGID_VERSION = "2"
# layout: a line break with the spaces and tabs around it (and blank lines); nothing else
_LAYOUT = re.compile(r"[ \t]*(?:\r\n?|\n)[ \t\r\n]*")
_EDGES = " \t\r\n\f\v"
# paragraph kind -> segment kind: what markup the msgid carries (translation.protect masks it)
# subtitle text carries styling tags (<i>, <font>, <c.x>, <v Name>), masked as HTML inline markup
SEGMENT_KINDS = {"markdown": "markdown", "cell": "markdown", "html": "html", "subtitle": "html"}
# word-processor paragraphs carry their runs as HTML-like inline tags (inputs.runs)
SEGMENT_KINDS.update({k: "html" for k in ("docx", "docx-in", "odt", "odt-in", "pptx", "pptx-in")})


def normalize(text: str, markdown: bool = False) -> str:
    """A segment's identity (msgid): NFC, each line break with the spaces around it as one
    space, trimmed. Only layout goes: no-break spaces (U+00A0, U+202F), tabs and runs of
    spaces inside a line, U+2028 and U+0085 carry meaning (`10\u202f€`, code) and are kept.
    markdown: a hard line break (two spaces or a backslash before the break) is markup, kept
    as written with its line break (protect masks it)."""
    return normalized(unicodedata.normalize("NFC", text), markdown)[0]


def normalized(text: str, markdown: bool = False) -> tuple[str, list[int]]:
    """normalize() without NFC, and for each character of the result its offset in text, so
    a span of a msgid can be written back as the source has it (outputs.render)."""
    out: list[str] = []
    where: list[int] = []
    cursor = 0
    for m in _LAYOUT.finditer(text):
        out.append(text[cursor : m.start()])
        where.extend(range(cursor, m.start()))
        group = m.group()
        spaces = len(group) - len(group.lstrip(" \t"))
        kept = " "
        if markdown and m.start() and _backslashes(text, m.start()) % 2:
            kept = "\n"
        elif markdown and group.startswith("  ") and text[: m.start()].strip(" \t"):
            kept = group[:spaces] + "\n"
        out.append(kept)
        where.extend(range(m.start(), m.start() + len(kept) - 1))
        where.append(m.start() + spaces if kept.endswith("\n") else m.end() - 1)
        cursor = m.end()
    out.append(text[cursor:])
    where.extend(range(cursor, len(text)))
    joined = "".join(out)
    lead = len(joined) - len(joined.lstrip(_EDGES))
    body = joined.strip(_EDGES)
    return body, where[lead : lead + len(body)]


def _backslashes(text: str, end: int) -> int:
    """How many backslashes text has right before end."""
    count = 0
    while end - count > 0 and text[end - count - 1] == "\\":
        count += 1
    return count


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
    unit: str = default("unit"),
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
                    msgid=normalize(text, markdown=paragraph.kind == "markdown"),
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


_FIELDS = tuple(f.name for f in fields(Segment))


def segments_to_json(segments: list[Segment]) -> list[dict[str, object]]:
    """asdict's result (every field a str, int or None: nothing to copy deeply) at a fifth of
    its cost: it ran for every article a run reads."""
    return [{name: getattr(s, name) for name in _FIELDS} for s in segments]


def source_language(segment: Segment, article_language: str) -> str:
    return segment.lang or article_language


def segments_from_json(data: list[dict[str, object]]) -> list[Segment]:
    return [Segment(**item) for item in data]  # type: ignore[arg-type]
