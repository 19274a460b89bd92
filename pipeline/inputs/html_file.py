"""HTML articles: the text people read is translated, everything else is kept byte for byte.

The standard library's tokenizer (html.parser) reports where each tag, text run, entity
and comment starts, so the article is the source sliced at those offsets: the output is
the source re-joined with only translated text replaced. (lxml and html5lib re-serialize:
`&b=2` would become `&amp;b=2` and tables would gain a `<tbody>`.)

A paragraph of the article is a run of inline content (text, entities, `a`, `em`, `code`,
`br`, ...) inside a block; its inline tags stay in the msgid, where a reviewer can move
them, and are masked before MT (translation.inline_html). `<title>` is the title; the
values of `alt`, `title`, `placeholder`, `aria-label` and `<meta name="description">` are
paragraphs of their own. `script`, `style`, `pre`, `code`, `template`, comments, and any
element with `translate="no"` or class `notranslate` are never translated.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.errors import InputError
from pipeline.inputs.article import Article, Paragraph
from pipeline.inputs.html_charset import decode_html
from pipeline.inputs.html_tags import (
    VOID,
    attribute,
    attribute_spans,
    matching_end,
    opaque,
    unquote,
    untranslatable,
)
from pipeline.inputs.html_tokens import Event, events
from pipeline.inputs.ids import article_id

SUFFIXES = (".html", ".htm")
INLINE = {
    "a", "abbr", "b", "bdi", "bdo", "big", "br", "cite", "code", "data", "del", "dfn", "em", "font",
    "i", "img", "ins", "kbd", "label", "mark", "q", "s", "samp", "small", "span", "strike", "strong",
    "sub", "sup", "time", "tt", "u", "var", "wbr",
}  # fmt: skip
EDGE_OPAQUE = {"script", "style", "template", "noscript"}  # left out of a run's msgid at its ends
ATTRIBUTES = ("alt", "title", "placeholder", "aria-label")
ROLES = {"title": "title", "th": "table header", **{f"h{n}": "heading" for n in range(1, 7)}}
P_CLOSERS = {
    "address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset", "figcaption",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "main",
    "menu", "nav", "ol", "p", "pre", "section", "table", "ul",
}  # fmt: skip
# a start tag closes an open element of its group, up to the container that scopes it
IMPLIED = {
    "li": ({"li"}, {"ul", "ol", "menu"}),
    "dt": ({"dt", "dd"}, {"dl"}),
    "dd": ({"dt", "dd"}, {"dl"}),
    "td": ({"td", "th"}, {"tr", "table"}),
    "th": ({"td", "th"}, {"tr", "table"}),
    "tr": ({"tr", "td", "th"}, {"table", "tbody", "thead", "tfoot"}),
    "tbody": ({"tbody", "thead", "tfoot", "tr", "td", "th"}, {"table"}),
    "thead": ({"tbody", "thead", "tfoot", "tr", "td", "th"}, {"table"}),
    "tfoot": ({"tbody", "thead", "tfoot", "tr", "td", "th"}, {"table"}),
}


@dataclass
class _Region:
    start: int
    end: int
    text: str
    role: str
    kind: str
    source: str | None = None


def _role(stack: list[str]) -> str:
    for tag in reversed(stack):
        if tag in ROLES:
            return ROLES[tag]
    return "body"


def _open(stack: list[str], tag: str) -> None:
    """Push tag, first closing what its start tag implicitly ends (an open li, td, p...)."""
    if tag in IMPLIED:
        group, scope = IMPLIED[tag]
        for k in range(len(stack) - 1, -1, -1):
            if stack[k] in scope:
                break
            if stack[k] in group:
                del stack[k:]
                break
    if tag in P_CLOSERS and "p" in stack:
        k = len(stack) - 1 - stack[::-1].index("p")
        if not any(t in P_CLOSERS - {"p"} for t in stack[k + 1 :]):
            del stack[k:]
    if tag not in VOID:
        stack.append(tag)


def _close(stack: list[str], tag: str) -> None:
    if tag in stack:
        del stack[len(stack) - 1 - stack[::-1].index(tag) :]


def _unpaired(evs: list[Event], indexes: list[int]) -> set[int]:
    """Start and end tags among indexes without their other half there: at a run's edge they
    belong to the layout (`</b>TEST`), so nothing a translation adds lands outside them."""
    open_tags: list[int] = []
    lone: set[int] = set()
    for i in indexes:
        e = evs[i]
        if e.kind == "start" and e.tag not in VOID:
            open_tags.append(i)
        elif e.kind == "end":
            match = next((k for k in reversed(open_tags) if evs[k].tag == e.tag), None)
            if match is None:
                lone.add(i)
            else:
                del open_tags[open_tags.index(match) :]
    return lone | set(open_tags)


def _letters(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.evs = events(text)
        self.regions: list[_Region] = []
        self.stack: list[str] = []
        self.run: list[int] = []  # event indexes of the inline run being collected
        self.localized: list[tuple[int, int]] = []  # `<html>` and charset `<meta>` tags
        self.head: tuple[int, int] | None = None  # `<head>`, where a page declares no charset

    def attributes(self, event: Event, inside_run: bool) -> None:
        if event.tag in {"html", "script", "style", "link"} or untranslatable(event.attrs):
            return
        raw = self.text[event.start : event.end]
        names = list(ATTRIBUTES)
        if event.tag == "meta" and (attribute(event.attrs, "name") or "").lower() == "description":
            names.append("content")
        for name, start, end in attribute_spans(raw):
            value = unquote(raw[start:end])
            if name not in names or not _letters(value):
                continue
            if inside_run:
                self.regions.append(_Region(event.start, event.end, value.strip(), "body", "attr-in", raw))
            else:
                where = event.start + start
                region = _Region(where, event.start + end, value.strip(), "body", "attr", raw[start:end])
                self.regions.append(region)

    def flush(self) -> None:
        """The collected run becomes a paragraph if it has text to read; the attributes of
        its tags are paragraphs inside it, or of their own where the run is not kept."""
        run, self.run = self.run, []
        evs = self.evs

        def edge(i: int) -> bool:
            e = evs[i]
            blank = e.kind == "data" and not self.text[e.start : e.end].strip()
            return blank or e.kind == "comment" or (e.kind == "start" and e.tag in EDGE_OPAQUE)

        items = self._items(run)
        while items:  # blank text, comments and tags whose other half is not in the run
            unpaired = _unpaired(evs, [i for i, _ in items])
            if edge(items[0][0]) or items[0][0] in unpaired:
                items.pop(0)
            elif edge(items[-1][0]) or items[-1][0] in unpaired:
                items.pop()
            else:
                break
        readable = "".join(
            html.unescape(self.text[evs[i].start : evs[i].end])
            for i, last in items
            if evs[i].kind in {"data", "entity"} and i == last
        )
        kept = bool(items) and _letters(readable)
        inside = {i for i, _ in items} if kept else set()
        for i, last in self._items(run):
            # an opaque element's own start tag (`<iframe title=...>`) is read as at block level
            if evs[i].kind in {"start", "startend"} and (i == last or evs[i].tag not in {"script", "style"}):
                self.attributes(evs[i], inside_run=i in inside)
        if not kept:
            return
        start, end = evs[items[0][0]].start, evs[items[-1][1]].end
        chunk = self.text[start:end]
        start += len(chunk) - len(chunk.lstrip())
        end -= len(chunk) - len(chunk.rstrip())
        source = self.text[start:end]
        text = "".join(self._readable(e, start, end) for e in evs[items[0][0] : items[-1][1] + 1])
        self.regions.append(_Region(start, end, text, _role(self.stack), "html", source))

    def _readable(self, e: Event, start: int, end: int) -> str:
        """The event's text within [start, end); an entity for a visible character other
        than & < > written as that character, so a reviewer reads `café`, not `caf&eacute;`."""
        raw = self.text[max(e.start, start) : min(e.end, end)]
        if e.kind != "entity" or e.start < start or e.end > end:
            return raw
        char = html.unescape(raw)
        visible = len(char) == 1 and char.isprintable() and not char.isspace()
        return char if visible and char not in "&<>" else raw

    def _items(self, run: list[int]) -> list[tuple[int, int]]:
        """(first, last) event of each item of a run: an opaque element is one item."""
        items, k = [], 0
        while k < len(run):
            i = run[k]
            last = matching_end(self.evs, i) if opaque(self.evs[i]) else i
            items.append((i, last))
            while k < len(run) and run[k] <= last:
                k += 1
        return items

    def read(self) -> list[_Region]:
        evs, i = self.evs, 0
        while i < len(evs):
            e = evs[i]
            if e.kind in {"start", "startend"} and is_localized_tag(e):
                self.localized.append((e.start, e.end))
            if e.kind == "start" and e.tag == "head" and self.head is None:
                self.head = (e.start, e.end)
            absorbed = e.tag in INLINE or (self.run and e.tag not in P_CLOSERS)
            if opaque(e) and absorbed:
                last = matching_end(evs, i)
                self.run.extend(range(i, last + 1))
                i = last + 1
                continue
            inline = e.kind in {"data", "entity"} or (e.kind == "comment" and bool(self.run))
            if inline or (e.kind in {"start", "startend", "end"} and e.tag in INLINE):
                self.run.append(i)
                i += 1
                continue
            self.flush()
            if opaque(e):
                if e.tag not in {"script", "style"}:
                    self.attributes(e, inside_run=False)
                i = matching_end(evs, i) + 1
                continue
            if e.kind in {"start", "startend"}:
                self.attributes(e, inside_run=False)
                if e.kind == "start":
                    _open(self.stack, e.tag)
            elif e.kind == "end":
                _close(self.stack, e.tag)
            i += 1
        self.flush()
        return sorted(self.regions, key=lambda r: (r.start, r.kind != "html"))


def parse_html(
    path: Path,
    text: str,
    explicit_id: str | None = None,
    start: int = 0,
    title_from_heading: bool = True,
    declare_charset: bool = True,
) -> Article:
    """The article; paragraph indexes from start (a JSONL body's start after its title).
    declare_charset: give a page without a charset declaration one (not XHTML in an EPUB,
    which is UTF-8 by rule and where `<meta charset>` unclosed is not XML)."""
    reader = _Reader(text)
    regions = reader.read()
    declared = any(text[a:b][:5].lower() == "<meta" for a, b in reader.localized)
    charset_at = None
    # the output is UTF-8: a page without a declaration gets one
    if reader.head and not declared and declare_charset:
        reader.localized = sorted([*reader.localized, reader.head])
        charset_at = reader.head[1]
    if title_from_heading and not any(r.role == "title" for r in regions):
        heading = next((r for r in regions if r.role == "heading"), None)
        if heading:
            heading.role = "title"  # a fragment's first heading names it, as in Markdown
    paragraphs: list[Paragraph] = []
    layout: list[str | int] = []
    cursor = 0
    for region in regions:
        index = start + len(paragraphs)
        source = region.source if region.source != region.text else None
        paragraphs.append(Paragraph(index, region.text, region.role, region.kind, source))
        if region.kind == "attr-in":
            continue  # written inside its run (see render)
        if region.start > cursor:
            layout += _literal(text, cursor, region.start, reader.localized, charset_at)
        layout.append(index)
        cursor = region.end
    if cursor < len(text):
        layout += _literal(text, cursor, len(text), reader.localized, charset_at)
    return Article(id=article_id(path, explicit_id), source=path, paragraphs=paragraphs, layout=layout)


def _literal(
    text: str, start: int, end: int, tags: list[tuple[int, int]], charset_at: int | None = None
) -> list[str | int]:
    """text[start:end] as layout, with the `<html>` and charset `<meta>` start tags as pieces
    of their own, so rendering can localize them without parsing the document again; and a
    UTF-8 declaration after `<head>` (at charset_at) where the page has none."""
    pieces: list[str | int] = []
    cursor = start
    for tag_start, tag_end in tags:
        if start <= tag_start and tag_end <= end:
            if tag_start > cursor:
                pieces.append(text[cursor:tag_start])
            pieces.append(text[tag_start:tag_end])
            cursor = tag_end
            if tag_end == charset_at:
                pieces.append('<meta charset="utf-8">')
    if cursor < end:
        pieces.append(text[cursor:end])
    return pieces


def is_localized_tag(event: Event) -> bool:
    """`<html>`, or a `<meta>` that declares the charset: the tags rendering localizes."""
    if event.tag == "html":
        return True
    equiv = (attribute(event.attrs, "http-equiv") or "").lower() == "content-type"
    return event.tag == "meta" and (attribute(event.attrs, "charset") is not None or equiv)


def read_html_article(path: Path, data: bytes | None = None) -> Article:
    data = path.read_bytes() if data is None else data
    text, encoding = decode_html(path, data)
    article = parse_html(path, text)
    article.meta["encoding"] = encoding
    if nul := data.count(b"\x00"):
        note = f"{nul} NUL byte(s) read as U+FFFD, as a browser reads them; remove them from the file"
        article.warnings.append(InputError(path, note).line())
    return article
