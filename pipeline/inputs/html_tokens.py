"""HTML as a list of events (start and end tags, text, entities, comments, ...), each with
its [start, end) offsets in the source: the tokenizer the HTML reader (html_file) slices the
source with, read as the HTML standard reads what decides what is text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser


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
