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

import codecs
import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser, attrfind_tolerant, tagfind_tolerant
from pathlib import Path

from pipeline.core.errors import InputError
from pipeline.inputs.article import Article, Paragraph
from pipeline.inputs.ids import article_id

SUFFIXES = (".html", ".htm")
BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
KINDS = {"html", "attr", "attr-in"}  # paragraph kinds this module writes back
INLINE = {
    "a", "abbr", "b", "bdi", "bdo", "big", "br", "cite", "code", "data", "del", "dfn", "em", "font",
    "i", "img", "ins", "kbd", "label", "mark", "q", "s", "samp", "small", "span", "strike", "strong",
    "sub", "sup", "time", "tt", "u", "var", "wbr",
}  # fmt: skip
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# never translated: kept as they are at block level, one masked value inside a run
OPAQUE = {
    "script", "style", "pre", "code", "kbd", "samp", "var", "template", "textarea", "svg", "math",
    "iframe", "object", "noscript", "select",
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
class Event:
    kind: str  # start, end, startend, data, entity, comment, decl, pi
    start: int
    end: int = 0
    tag: str = ""
    attrs: list[tuple[str, str | None]] = field(default_factory=list)


class _Tokenizer(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        self.found: list[Event] = []

    def _add(self, kind: str, tag: str = "", attrs: list | None = None) -> None:
        line, column = self.getpos()
        self.found.append(Event(kind, self.line_starts[line - 1] + column, 0, tag, attrs or []))

    def handle_starttag(self, tag, attrs):
        self._add("start", tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._add("startend", tag, attrs)

    def handle_endtag(self, tag):
        self._add("end", tag)

    def handle_data(self, data):
        self._add("data")

    def handle_entityref(self, name):
        self._add("entity", name)

    def handle_charref(self, name):
        self._add("entity", "#" + name)

    def handle_comment(self, data):
        self._add("comment")

    def handle_decl(self, decl):
        self._add("decl")

    def handle_pi(self, data):
        self._add("pi")

    def unknown_decl(self, data):
        self._add("decl")


def events(text: str) -> list[Event]:
    """Every construct of text with its [start, end) offsets; together they cover all of it.

    html.parser is not the HTML standard's tokenizer in two places that decide what is text:
    it ends a script at the first `</script>` (the standard reads `<!--<script>` inside one
    as escaped, to a later `</script>`), and it leaves an unclosed comment, `<?...`, or
    `<!...` as text at the end of the input (to the standard, a comment to the end). Both are
    read here as the standard reads them, so they are never taken for text to translate."""
    found = _scan(text)
    for event, following in zip(found, found[1:], strict=False):
        event.end = following.start
    if found:
        found[-1].end = len(text)
        found = _cut_tag_at_end(text, found)
    return [e for e in found if e.end > e.start or e.kind == "end"]


def _cut_tag_at_end(text: str, found: list[Event]) -> list[Event]:
    """A tag the end of input cuts off (`Hello <b`, `</b test`) is dropped by the standard's
    tokenizer; html.parser leaves it as data, in pieces. It is markup here, not text."""
    for k, event in enumerate(found):
        # html.parser gives a "<" it cannot read as a tag as data; one whose quoted value
        # runs to the end of input takes everything after it along
        cut = event.kind == "data" and text.startswith("<", event.start)
        if cut and _CUT_TAG.fullmatch(text, event.start):
            return [*found[:k], Event("decl", event.start, len(text))]
    return found


# a tag with no closing ">" before the end of input; a quoted value may hold ">" or run to the end
_CUT_TAG = re.compile(r"</?[A-Za-z](?:[^>\"']|\"[^\"]*\"|'[^']*')*(?:\"[^\"]*|'[^']*)?")


def _scan(text: str) -> list[Event]:
    """html.parser's events of text (starts only), comments and scripts ended as the
    standard ends them: where html.parser read one otherwise, it reads on after that end."""
    out: list[Event] = []
    offset: int | None = 0
    while offset is not None:
        found, offset = _scan_from(text, offset)
        out += found
    return out


def _scan_from(text: str, offset: int) -> tuple[list[Event], int | None]:
    """Events of text[offset:] up to the first construct html.parser ends elsewhere than the
    standard does, and where to read on (None: the events go to the end)."""
    tokenizer = _Tokenizer(text[offset:])
    tokenizer.feed(text[offset:])
    tokenizer.close()
    found = tokenizer.found
    for e in found:
        e.start += offset
    for k, e in enumerate(found):
        following = found[k + 1].start if k + 1 < len(found) else len(text)
        left = e.kind == "data" and _markup_left_as_text(text, e.start)
        if left or (e.kind == "comment" and text.startswith("<!--", e.start)):
            end = _comment_end(text, e.start)
            if left or end != following:
                return [*found[:k], Event("comment", e.start)], (end if end < len(text) else None)
        if e.kind != "start" or e.tag != "script" or k + 1 >= len(found):
            continue
        body = found[k + 1].start
        close = _script_end(text, body)
        theirs = next((x for x in found[k + 1 :] if x.kind == "end" and x.tag == "script"), None)
        if theirs is None or theirs.start != close:
            head = [*found[: k + 1], *([Event("data", body)] if close > body else [])]
            return head, (close if close < len(text) else None)
    return [e for e in found if e.start < len(text)], None


def _markup_left_as_text(text: str, at: int) -> bool:
    return text.startswith(("<!", "<?"), at) or re.match(r"</[^A-Za-z>]", text[at : at + 3]) is not None


def _comment_end(text: str, at: int) -> int:
    """Where the standard ends a comment (`<!--`) or bogus comment (`<?`, `<!x`, `</1`) at `at`."""
    if text.startswith("<!--", at):
        for abrupt in ("<!-->", "<!--->"):
            if text.startswith(abrupt, at):
                return at + len(abrupt)
        found = re.compile(r"--!?>").search(text, at + 4)
        return found.end() if found else len(text)
    close = text.find(">", at + 2)
    return close + 1 if close >= 0 else len(text)


_SCRIPT_OPEN = re.compile(r"<script[\t\n\f />]", re.IGNORECASE)
_SCRIPT_CLOSE = re.compile(r"</script[\t\n\f />]", re.IGNORECASE)


def _script_end(text: str, at: int) -> int:
    """Where the `</script` that ends script data starting at `at` is (the standard's script
    data, escaped and double-escaped states); the end of text if none."""
    state, i, n = "data", at, len(text)
    while i < n:
        if state == "data":
            if text.startswith("<!--", i):
                state, i = "escaped", i + 2  # its "--" may be the start of "-->"
                continue
            if _SCRIPT_CLOSE.match(text, i):
                return i
        elif text.startswith("-->", i):
            state, i = "data", i + 3
            continue
        elif state == "escaped":
            if _SCRIPT_CLOSE.match(text, i):
                return i
            if _SCRIPT_OPEN.match(text, i):
                state, i = "double", i + 7
                continue
        elif _SCRIPT_CLOSE.match(text, i):
            state, i = "escaped", i + 8
            continue
        i += 1
    return n


def attribute_spans(tag: str) -> list[tuple[str, int, int]]:
    """(name, start, end) of each attribute's value in a start tag, quotes included; the walk
    html.parser itself makes over a start tag, so the two never disagree."""
    found = tagfind_tolerant.match(tag, 1)
    if not found:
        return []
    spans, k = [], found.end()
    while k < len(tag):
        m = attrfind_tolerant.match(tag, k)
        if not m or m.end() == k:
            break
        if m.group(2):
            spans.append((m.group(1).lower(), m.start(3), m.end(3)))
        else:
            spans.append((m.group(1).lower(), m.end(1), m.end(1)))
        k = m.end()
    return spans


def unquote(raw: str) -> str:
    if raw[:1] in {'"', "'"} and raw[-1:] == raw[:1] and len(raw) > 1:
        raw = raw[1:-1]
    return html.unescape(raw)


def quote(value: str, like: str = '"') -> str:
    """An attribute value as written: quoted the way the source was (double when unquoted)."""
    mark = "'" if like[:1] == "'" else '"'
    escaped = value.replace("&", "&amp;").replace(mark, "&quot;" if mark == '"' else "&#39;")
    return f"{mark}{escaped}{mark}"


def set_attribute(tag: str, name: str, value: str) -> str:
    """The start tag with name set to value: replaced in place, or added after the tag name."""
    for attr, start, end in attribute_spans(tag):
        if attr == name:
            if start == end:
                return f"{tag[:start]}={quote(value)}{tag[end:]}"
            return f"{tag[:start]}{quote(value, tag[start])}{tag[end:]}"
    body = tag[:-2] if tag.endswith("/>") else tag[:-1]
    at = len(body.rstrip())
    return f"{tag[:at]} {name}={quote(value)}{tag[at:]}"


def attribute(attrs: list[tuple[str, str | None]], name: str) -> str | None:
    return next((v for k, v in attrs if k == name), None)


def untranslatable(attrs: list[tuple[str, str | None]]) -> bool:
    """translate="no" (the HTML standard's attribute) or class notranslate (Google's)."""
    classes = (attribute(attrs, "class") or "").split()
    return (attribute(attrs, "translate") or "").strip().lower() == "no" or "notranslate" in classes


def opaque(event: Event) -> bool:
    return event.kind == "start" and (event.tag in OPAQUE or untranslatable(event.attrs))


def matching_end(evs: list[Event], i: int) -> int:
    """Index of the end tag closing evs[i] (same name, nesting counted); the last event if none."""
    tag, depth = evs[i].tag, 0
    if tag in VOID:
        return i
    for j in range(i, len(evs)):
        if evs[j].tag == tag and evs[j].kind == "start":
            depth += 1
        elif evs[j].tag == tag and evs[j].kind == "end":
            depth -= 1
            if depth == 0:
                return j
    return len(evs) - 1


# ---------------------------------------------------------------- encoding


def _label_codec(label: str) -> str | None:
    """A charset label as the HTML standard reads it (latin1 and ascii mean windows-1252;
    a meta that claims UTF-16 means UTF-8)."""
    label = label.strip().strip("\"'").lower()
    if label in {"latin1", "iso-8859-1", "iso8859-1", "l1", "ascii", "us-ascii", "windows-1252", "cp1252"}:
        return "cp1252"
    if label.startswith("utf-16"):
        return "utf-8"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def declared_charset(head: str) -> str | None:
    """The charset of the first `<meta charset>` or `<meta http-equiv=content-type>`."""
    for event in events(head):
        if event.kind not in {"start", "startend"} or event.tag != "meta":
            continue
        charset = attribute(event.attrs, "charset")
        if charset:
            return charset
        content = attribute(event.attrs, "content") or ""
        if (attribute(event.attrs, "http-equiv") or "").lower() == "content-type" and "charset=" in content:
            return content.lower().split("charset=", 1)[1].split(";")[0]
    return None


MAX_NUL_SHARE = 0.25  # more NUL bytes than this, or two in a row (UTF-16), and it is no page
REPLACEMENT = "\ufffd".encode()


def _nul_as_replacement(path: Path | str, data: bytes) -> bytes:
    """A NUL in a page is a parse error the HTML standard's tokenizer reads as U+FFFD (or
    drops) and a browser shows the page: so here, for a page that is UTF-8 text around its
    NULs. NUL never reaches a catalog; a file that is binary is still refused."""
    count = data.count(b"\x00")
    if not count:
        return data
    binary = count > len(data) * MAX_NUL_SHARE or b"\x00\x00" in data
    try:
        data.replace(b"\x00", b"").decode("utf-8")
    except UnicodeDecodeError:
        binary = True
    if binary:
        raise InputError(path, "binary file, not HTML; remove it from the inputs folder")
    return data.replace(b"\x00", REPLACEMENT)


def decode_html(path: Path | str, data: bytes) -> tuple[str, str]:
    """(text, encoding): a BOM, else the `<meta>` declaration in the first 1024 bytes, else
    UTF-8 when the bytes are UTF-8, else windows-1252 (the HTML standard's default)."""
    for bom, name in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                raise InputError(path, f"starts with a {name} mark but does not decode; re-save it") from None
    data = _nul_as_replacement(path, data)
    label = declared_charset(data[:1024].decode("latin-1"))
    codec = _label_codec(label) if label else None
    if label and codec is None:
        raise InputError(path, f"<meta charset={label!r}> is not an encoding; fix the declaration")
    if codec is None:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            codec = "cp1252"
    try:
        return data.decode(codec), codec
    except UnicodeDecodeError as exc:
        if codec == "utf-8":  # as a browser shows it: the stray byte as U+FFFD
            return data.decode("utf-8", errors="replace"), "utf-8"
        reason = f"byte {exc.start} does not decode as {codec}; fix the <meta charset>"
        raise InputError(path, reason) from None


# ---------------------------------------------------------------- reading


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
            if e.kind in {"start", "startend"} and _localized_tag(e):
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


def _localized_tag(event: Event) -> bool:
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


# ---------------------------------------------------------------- rendering


def bcp47(locale: str) -> str:
    """gettext locale to BCP 47: pt_BR -> pt-BR, sr@latin -> sr-Latn."""
    base, _, modifier = locale.partition("@")
    script = {"latin": "Latn", "cyrillic": "Cyrl"}.get(modifier)
    parts = base.split("_")
    return "-".join([parts[0], *([script] if script else []), *parts[1:]])


def localize_tag(tag: str, locale: str | None, rtl: bool) -> str:
    """`<html>` gets lang (and dir); a charset declaration says UTF-8. Anything else, and any
    piece that is not exactly one such tag, is returned as it is."""
    if tag[:5].lower() not in {"<html", "<meta"} or not tag.endswith(">"):
        return tag
    found = events(tag)
    if len(found) != 1 or found[0].kind not in {"start", "startend"} or not _localized_tag(found[0]):
        return tag
    names = {name for name, _ in found[0].attrs}
    if found[0].tag == "html":
        if not locale:
            return tag
        tag = set_attribute(tag, "lang", bcp47(locale))
        if "xml:lang" in names:
            tag = set_attribute(tag, "xml:lang", bcp47(locale))
        if rtl or "dir" in names:
            tag = set_attribute(tag, "dir", "rtl" if rtl else "ltr")
    elif "charset" in names:
        tag = set_attribute(tag, "charset", "utf-8")
    else:
        tag = set_attribute(tag, "content", "text/html; charset=utf-8")
    return tag


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def localized_tags(article: Article, texts: dict[int, str]) -> dict[str, str]:
    """Inline tags with a translated attribute: as in the source (and as in a msgid, whitespace
    squeezed) -> as written."""
    values: dict[str, dict[str, str]] = {}
    for p in article.paragraphs:
        if p.kind == "attr-in" and p.index in texts and p.source is not None:
            values.setdefault(p.source, {})[p.text] = texts[p.index]
    out: dict[str, str] = {}
    for source, translated in values.items():
        tag = source
        for name, start, end in reversed(attribute_spans(source)):
            value = unquote(source[start:end]).strip()
            if name in ATTRIBUTES and value in translated:
                tag = tag[:start] + quote(translated[value], source[start:end]) + tag[end:]
        out[source] = tag
        out.setdefault(_squeeze(source), _squeeze(tag))
    return out


def render(article: Article, texts: dict[int, str], locale: str | None = None, rtl: bool = False) -> str:
    """The article with paragraph i written as texts[i] where given, the source elsewhere."""
    by_index = {p.index: p for p in article.paragraphs}
    tags = localized_tags(article, texts)
    out = []
    for part in article.layout:
        if isinstance(part, str):
            out.append(localize_tag(part, locale, rtl))
            continue
        p = by_index[part]
        if p.kind == "attr":
            out.append(quote(texts[part], p.original()) if part in texts else p.original())
            continue
        text = texts.get(part, p.original())
        for source, localized in tags.items():
            text = text.replace(source, localized)
        out.append(text)
    return "".join(out)


def is_html(article: Article) -> bool:
    return any(p.kind in KINDS for p in article.paragraphs)
