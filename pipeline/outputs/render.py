"""The translated article: reviewed text first, machine text where nothing is reviewed yet."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polib

from pipeline.inputs.article import Article
from pipeline.inputs.html_file import SUFFIXES as HTML_SUFFIXES
from pipeline.inputs.html_file import is_html
from pipeline.inputs.html_file import render as render_html
from pipeline.locales import parse_locale
from pipeline.outputs.atomic import write_bytes, write_text
from pipeline.outputs.feed import feed_path, json_line, write_part
from pipeline.segments.record import article_from_record, segments_of
from pipeline.segments.segment import Segment, paragraph_texts
from pipeline.translation.checks import oversize
from pipeline.translation.protect import RTL_LANGUAGES
from pipeline.translation.quality import figure_in


@dataclass(frozen=True)
class QualityFloor:
    """Machine text estimated below `minimum` (translation.quality) is not published: the
    article shows the source sentence, or nothing (omit); the catalog still offers the text."""

    minimum: int = 0
    omit: bool = False

    def hides(self, entry: polib.POEntry) -> bool:
        if not self.minimum or "fuzzy" not in entry.flags:
            return False
        figure = figure_in(" ".join(entry.comment.splitlines()))
        return figure is not None and figure < self.minimum


def write_rendered(
    record: dict[str, Any], locale: str, outputs: Path, po: polib.POFile, floor: QualityFloor | None = None
) -> tuple[str | bytes, Path, Path]:
    """The translated article in its source's format: a file, or a line of a JSONL feed.

    Returns the text (a zip package's bytes), the file consumers read and the file written
    (a feed line's part)."""
    article = article_from_record(record)
    source = Path(record["source"])
    if article.parts:  # .docx, .odt, .pptx, .odp, .epub: a zip, written as bytes
        from pipeline.outputs.document import render_package  # the XML readers, only for these

        texts = translated_texts(segments_of(record), po, floor)
        data = render_package(article, texts, locale, record.get("digest"))
        path = outputs / locale / f"{record['id']}{source.suffix.lower()}"
        write_bytes(path, data, durable=False)  # rendered again from the .po
        return data, path, path
    text = render_article(article, segments_of(record), po, locale, floor)
    if record.get("member"):
        data, part = write_part(outputs, locale, record, text)
        return json_line(data), feed_path(outputs, locale, source), part
    suffix = ".html" if source.suffix.lower() in HTML_SUFFIXES else source.suffix or ".txt"
    path = outputs / locale / f"{record['id']}{suffix}"
    write_text(path, text, durable=False)  # rendered again from the .po
    return text, path, path


def render_article(
    article: Article,
    segments: list[Segment],
    po: polib.POFile,
    locale: str | None = None,
    floor: QualityFloor | None = None,
) -> str:
    """locale: the gettext locale, for an HTML document's lang and dir."""
    texts = translated_texts(segments, po, floor)
    if is_html(article):
        rtl = bool(locale) and parse_locale(locale).language in RTL_LANGUAGES
        return render_html(article, texts, locale, rtl)
    return article.render(texts)


def translated_texts(
    segments: list[Segment], po: polib.POFile, floor: QualityFloor | None = None
) -> dict[int, str]:
    """Per paragraph with a translated sentence, its text: reviewed or machine text where
    the catalog has it, the source sentence elsewhere."""
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
        i: lookup[(seg.context, seg.msgid)]
        for i, seg in enumerate(segments)
        if (seg.context, seg.msgid) in lookup
    }
    touched = {segments[i].paragraph for i in chosen}
    return {k: v for k, v in paragraph_texts(segments, chosen).items() if k in touched}
