"""The translated article: reviewed text first, machine text where nothing is reviewed yet."""

from __future__ import annotations

import polib

from pipeline.inputs.article import Article
from pipeline.segments.segment import Segment, paragraph_texts


def render_article(article: Article, segments: list[Segment], po: polib.POFile) -> str:
    lookup = {(e.msgctxt, e.msgid): e.msgstr for e in po if not e.obsolete and e.msgstr}
    chosen = {
        i: lookup[(seg.context, seg.msgid)]
        for i, seg in enumerate(segments)
        if (seg.context, seg.msgid) in lookup
    }
    touched = {segments[i].paragraph for i in chosen}
    texts = paragraph_texts(segments, chosen)
    return article.render({k: v for k, v in texts.items() if k in touched})
