"""The translated article: reviewed text first, machine text where nothing is reviewed yet."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polib

from pipeline.core.atomic import write_bytes, write_text
from pipeline.core.locales import RTL_LANGUAGES, parse_locale
from pipeline.core.settings_table import default
from pipeline.inputs.article import Article
from pipeline.inputs.html_file import SUFFIXES as HTML_SUFFIXES
from pipeline.inputs.html_render import is_html
from pipeline.inputs.html_render import render as render_html
from pipeline.inputs.subtitle_file import is_subtitle
from pipeline.outputs.feed_files import feed_path, json_line, write_part
from pipeline.outputs.references import keep_references
from pipeline.outputs.subtitle_layout import SubtitleLimits, lay_out
from pipeline.segments.record import article_from_record, segments_of
from pipeline.segments.segment import Segment, normalized, paragraph_texts
from pipeline.translation.checks import oversize
from pipeline.translation.protect import markup_spans
from pipeline.translation.quality import figure_in


@dataclass(frozen=True)
class QualityFloor:
    """Machine text estimated below `minimum` (translation.quality) is not published: the
    article shows the source sentence, or nothing (omit); the catalog still offers the text."""

    minimum: int = default("min_quality")
    omit: bool = default("below_min_quality") == "omit"

    def hides(self, entry: polib.POEntry) -> bool:
        if not self.minimum or "fuzzy" not in entry.flags:
            return False
        figure = figure_in(" ".join(entry.comment.splitlines()))
        return figure is not None and figure < self.minimum


def write_rendered(
    record: dict[str, Any],
    locale: str,
    outputs: Path,
    po: polib.POFile,
    floor: QualityFloor | None = None,
    subtitles: SubtitleLimits | None = None,
) -> tuple[str | bytes, Path, Path]:
    """The translated article in its source's format: a file, or a line of a JSONL feed.

    Returns the text (a zip package's bytes), the file consumers read and the file written
    (a feed line's part)."""
    article = article_from_record(record)
    source = Path(record["source"])
    if article.parts:  # .docx, .odt, .pptx, .odp, .epub: a zip, written as bytes
        from pipeline.outputs.document import render_package  # the XML readers, only for these

        texts = translated_texts(article, segments_of(record), po, floor)
        data = render_package(article, texts, locale, record.get("digest"))
        path = outputs / locale / f"{record['id']}{source.suffix.lower()}"
        write_bytes(path, data, durable=False)  # rendered again from the .po
        return data, path, path
    text = render_article(article, segments_of(record), po, locale, floor, subtitles)
    if record.get("member"):
        data, part = write_part(outputs, locale, record, text)
        return json_line(data), feed_path(outputs, locale, source), part
    suffix = ".html" if source.suffix.lower() in HTML_SUFFIXES else source.suffix or ".txt"
    path = outputs / locale / f"{record['id']}{suffix}"
    write_text(path, text, durable=False)  # rendered again from the .po
    return text, path, path


def as_read(seg: Segment, msgstr: str) -> str:
    """The msgid shows markup with its line breaks as spaces (segment.normalize); each such
    span of a translation (a tag, inline code, a link destination) is written back exactly as
    the source has it, line breaks and all: a span's place in the msgid maps to the source."""
    if seg.kind not in {"markdown", "html"} or not any(c in seg.text for c in "\n\r"):
        return msgstr  # without a line break the msgid is the text, trimmed: spans are as read
    markdown = seg.kind == "markdown"
    msgid, where = normalized(seg.text, markdown)
    if msgid != seg.msgid:
        return msgstr  # NFC changed the text: the msgid's spans are as good as the source's
    at = 0
    for start, end, _ in markup_spans(msgid, markdown):
        shown, read = msgid[start:end], seg.text[where[start] : where[end - 1] + 1]
        found = msgstr.find(shown, at) if shown != read else -1
        if found >= 0:
            msgstr = msgstr[:found] + read + msgstr[found + len(shown) :]
            at = found + len(read)
    return msgstr


def render_article(
    article: Article,
    segments: list[Segment],
    po: polib.POFile,
    locale: str | None = None,
    floor: QualityFloor | None = None,
    subtitles: SubtitleLimits | None = None,
) -> str:
    """locale: the gettext locale, for an HTML document's lang and dir; subtitles: the line
    limits a subtitle file's cues are wrapped to."""
    chosen = chosen_texts(article, segments, po, floor)
    if is_subtitle(article):
        return lay_out(article, segments, chosen, subtitles).text
    texts = _paragraphs(segments, chosen)
    if is_html(article):
        rtl = bool(locale) and parse_locale(locale).language in RTL_LANGUAGES
        return render_html(article, texts, locale, rtl)
    return article.render(texts)


def translated_texts(
    article: Article, segments: list[Segment], po: polib.POFile, floor: QualityFloor | None = None
) -> dict[int, str]:
    """Per paragraph with a translated sentence, its text: reviewed or machine text where
    the catalog has it, the source sentence elsewhere."""
    return _paragraphs(segments, chosen_texts(article, segments, po, floor))


def _paragraphs(segments: list[Segment], chosen: dict[int, str]) -> dict[int, str]:
    touched = {segments[i].paragraph for i in chosen}
    return {k: v for k, v in paragraph_texts(segments, chosen).items() if k in touched}


def chosen_texts(
    article: Article, segments: list[Segment], po: polib.POFile, floor: QualityFloor | None = None
) -> dict[int, str]:
    """Per segment index, the text the article shows: reviewed, else machine text above the
    floor; a Markdown reference link keeps its label (outputs.references)."""
    floor = floor or QualityFloor()
    lookup = {
        (e.msgctxt, e.msgid): "" if floor.omit and floor.hides(e) else e.msgstr
        for e in po
        if not e.obsolete
        and e.msgstr
        and not oversize(e.msgid, e.msgstr)  # a paste gone wrong
        and not (floor.hides(e) and not floor.omit)
    }
    chosen = {
        i: as_read(seg, lookup[(seg.context, seg.msgid)])
        for i, seg in enumerate(segments)
        if (seg.context, seg.msgid) in lookup
    }
    if article.references:
        labels = frozenset(article.references)
        chosen = {i: keep_references(segments[i].text, text, labels) for i, text in chosen.items()}
    return chosen
