"""Spans a model must not translate: masked before MT, put back after.

Inline code, URLs, e-mail addresses, numbers with units, printf/brace placeholders,
glossary terms and (in Markdown) the inline markup itself become numbered tokens
(`Z1Z`, `Z2Z`, ...): letters and a digit that every SentencePiece vocabulary has, so a
model tends to copy them. After MT each token gets its span back. A span the model
dropped is put back where it can be: a lost value goes at the end of the sentence; a
lost half of a markup pair takes its other half with it, so no broken syntax is left.
For right-to-left targets, restored values are wrapped in Unicode isolates (FSI ... PDI)
so a URL or `code` keeps its left-to-right order inside the sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from pipeline.translation.invisible import without_hidden

FSI, PDI = "\u2068", "\u2069"
TOKEN = re.compile(r"[Zz] ?(\d+) ?[Zz]")

_UNITS = r"(?:%|‰|km/h|km|kg|mg|cm|mm|m|g|l|ml|t|°C|°F|mph|GHz|MHz|GB|MB|TB|kB|ms|h|min|s)"
_NUMBER = r"\d+(?:[.,]\d+)*"
PRINTF = re.compile(r"%(?:\([A-Za-z_]\w*\))?[-#0+]*\d*(?:\.\d+)?[sdifoxXeEgGcr]|%%")
# a WebVTT karaoke timestamp inside cue text (`<00:00:01.000>`): html.parser reads it as text
VTT_TIMESTAMP = re.compile(r"<(?:\d+:)?\d{2}:\d{2}\.\d{3}>")
BRACE = re.compile(r"\{(?:[A-Za-z_]\w*(?:\.\w+)*|\d*)(?:![rsa])?(?::[^{}]*)?\}")

# (kind, pattern): the first matching pattern at a position wins, longest match first
VALUE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("url", re.compile(r"\b(?:https?|ftp)://[^\s<>()\[\]]+[^\s<>()\[\].,;:!?'\"]")),
    ("url", re.compile(r"\bwww\.[^\s<>()\[\]]+[^\s<>()\[\].,;:!?'\"]")),
    ("email", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b")),
    ("placeholder", PRINTF),
    ("placeholder", BRACE),
    ("number", re.compile(rf"(?:[$€£¥₴]\s?{_NUMBER}|{_NUMBER}\s?{_UNITS}(?![\w/]))")),
]
# a link destination: <...>, or balanced parentheses (three deep) with backslash escapes
_DEST = (
    r"(?:<(?:[^<>\n\\]|\\.)*>|(?:[^()\s\\]|\\.|\((?:[^()\s\\]|\\.|\((?:[^()\s\\]|\\.|\([^()\s]*\))*\))*\))*)"
)
# an open or closing tag as CommonMark reads raw HTML: quoted values may hold < and >
_TAG = (
    r"<[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s\"'=<>`]+|'[^']*'|\"[^\"]*\"))?)*\s*/?>"
    r"|</[A-Za-z][A-Za-z0-9-]*\s*>"
)
_TITLE = r"(?:\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\))"
MARKDOWN_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("code", re.compile(r"(?<!`)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)")),
    ("break", re.compile(r"(?: {2,}|\\)\n")),  # a hard line break (segment.normalize keeps it)
    ("url", re.compile(r"<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\x00-\x20]*>|<[\w.+-]+@[\w-]+(?:\.[\w-]+)+>")),
    ("html", re.compile(_TAG)),
    ("html", re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>")),
    ("html", re.compile(r"<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<![A-Za-z][^>]*>|<!\[CDATA\[[\s\S]*?\]\]>")),
    ("html", re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")),  # entity
    ("link-end", re.compile(rf"\]\(\s*{_DEST}(?:\s+{_TITLE})?\s*\)|\]\[[^\]]*\]")),
    ("link-start", re.compile(r"!?\[")),
    ("escape", re.compile(r"\\(?:[!-/:-@\[-`{-~]|$)")),  # a lone one at the end too
    (
        "emphasis",
        re.compile(
            r"(?<![*\s])\*{1,3}(?!\*)|(?<!\*)\*{1,3}(?![*\s])"  # a run touching text on one side
            r"|(?<![\w_])_{1,3}(?![_\s])|(?<![_\s])_{1,3}(?![\w_])|~~"  # not inside a word
        ),
    ),
]
SHOWN = {"code", "url", "email", "placeholder", "number", "html"}  # values, isolated in RTL text


@dataclass(frozen=True)
class Span:
    text: str
    kind: str  # url, email, placeholder, number, code, html, glossary, link-start, ...
    partner: int | None = None  # index of the other half of a markup pair
    replacement: str | None = None  # glossary: the forced translation

    @property
    def markup(self) -> bool:
        return self.kind in {"link-start", "link-end", "emphasis", "escape"}


@dataclass(frozen=True)
class Masked:
    text: str  # what the model sees
    spans: tuple[Span, ...] = ()
    html: bool = False  # an HTML paragraph: lost tags are put back (translation.inline_html)
    markdown: bool = False  # a Markdown message: markup characters the model adds are escaped

    def token(self, i: int) -> str:
        return f"Z{i + 1}Z"


@dataclass
class Restored:
    text: str
    lost: list[Span] = field(default_factory=list)
    moved: list[Span] = field(default_factory=list)  # HTML tags the model put out of order


def _matches(
    text: str, patterns: list[tuple[str, re.Pattern[str]]], fixed: list[tuple[int, int, str]] | None = None
) -> list[tuple[int, int, str]]:
    """fixed: spans found by a tokenizer (HTML markup); they win over any pattern."""
    found = [(start, -(end - start), -1, end, kind) for start, end, kind in fixed or []]
    for rank, (kind, pattern) in enumerate(patterns):
        for m in pattern.finditer(text):
            if m.end() > m.start():
                found.append((m.start(), -(m.end() - m.start()), rank, m.end(), kind))
    chosen, cursor = [], 0
    for start, _, _, end, kind in sorted(found):
        if start >= cursor:
            chosen.append((start, end, kind))
            cursor = end
    return chosen


def _pair(spans: list[Span]) -> list[Span]:
    """Link brackets pair in order; emphasis runs pair with the next run of the same text."""
    partner: dict[int, int] = {}
    opened_links: list[int] = []
    opened_marks: dict[str, int] = {}
    opened_tags: list[int] = []
    for i, span in enumerate(spans):
        if span.kind == "tag-open":
            opened_tags.append(i)
        elif span.kind == "tag-close" and opened_tags:
            j = opened_tags.pop()
            partner[i], partner[j] = j, i
        elif span.kind == "link-start":
            opened_links.append(i)
        elif span.kind == "link-end" and opened_links:
            j = opened_links.pop()
            partner[i], partner[j] = j, i
        elif span.kind == "emphasis":
            if span.text in opened_marks:
                j = opened_marks.pop(span.text)
                partner[i], partner[j] = j, i
            else:
                opened_marks[span.text] = i
    return [Span(s.text, s.kind, partner.get(i), s.replacement) for i, s in enumerate(spans)]


def mask(
    text: str, markdown: bool = False, glossary: dict[str, str | None] | None = None, html: bool = False
) -> Masked:
    """glossary: term -> forced translation (None: keep the term as it is).
    html: text is HTML inline content; its tags and entities are masked."""
    fixed = None
    if html:
        from pipeline.translation.inline_html import inline_spans

        fixed = inline_spans(text) + [(m.start(), m.end(), "tag") for m in VTT_TIMESTAMP.finditer(text)]
    patterns = list(MARKDOWN_PATTERNS) if markdown else []
    terms = sorted(glossary or {}, key=len, reverse=True)
    if terms:
        alternation = "|".join(re.escape(t) for t in terms)
        patterns.insert(0, ("glossary", re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")))
    patterns += VALUE_PATTERNS
    spans: list[Span] = []
    out, cursor = [], 0
    for start, end, kind in _matches(text, patterns, fixed):
        piece = text[start:end]
        replacement = (glossary or {}).get(piece) if kind == "glossary" else None
        spans.append(Span(piece, kind, None, replacement))
        token = f" Z{len(spans)}Z " if kind == "break" else f"Z{len(spans)}Z"  # not glued to words
        out.append(text[cursor:start] + token)
        cursor = end
    out.append(text[cursor:])
    return Masked("".join(out), tuple(_pair(spans)), html, markdown)


def markup_spans(text: str, markdown: bool) -> list[tuple[int, int, str]]:
    """(start, end, kind) of the markup mask() finds in a Markdown (or HTML) message."""
    if markdown:
        return _matches(text, MARKDOWN_PATTERNS)
    from pipeline.translation.inline_html import inline_spans

    return inline_spans(text)


def model_input(msgid: str, kind: str, glossary: dict[str, str | None]) -> Masked:
    """What the model is given for a message: the same text always masks the same way."""
    return _cached_mask(msgid, kind, tuple(sorted(glossary.items())))


@lru_cache(maxsize=65536)
def _cached_mask(msgid: str, kind: str, glossary: tuple[tuple[str, str | None], ...]) -> Masked:
    masked = mask(msgid, kind == "markdown", dict(glossary), html=kind == "html")
    text = without_hidden(masked.text)  # invisible characters: named in a note, not translated
    return masked if text == masked.text else replace(masked, text=text)


def restore(output: str, masked: Masked, rtl: bool = False) -> Restored:
    spans = masked.spans
    present: set[int] = set()

    def value(i: int) -> str:
        span = spans[i]
        text = span.replacement if span.replacement is not None else span.text
        return f"{FSI}{text}{PDI}" if rtl and span.kind in SHOWN else text

    def put_back(m: re.Match[str]) -> str:
        i = int(m.group(1)) - 1
        if i >= len(spans) or i in present:
            return ""  # a token the source did not have, or a repeat
        present.add(i)
        return "\0" + str(i) + "\0"

    text = TOKEN.sub(put_back, output)
    lost = [i for i in range(len(spans)) if i not in present]
    placed: list[int] = []
    moved: list[int] = []
    if masked.html:
        text, placed, moved = _place_tags(text, spans)
        lost = [i for i in lost if i not in placed]
        text = _inside_wrapper(text, masked)
    dropped = {spans[i].partner for i in lost if spans[i].markup and spans[i].partner is not None}
    dropped.update(i for i in lost if spans[i].markup)
    text = _squeezed(text, masked.text)
    if masked.markdown:
        text = _escaped(text, masked.text)
    for i in present:
        if spans[i].kind == "break":
            text = re.sub(rf"[ \t]*\x00{i}\x00[ \t]*", f"\0{i}\0", text)
    text = re.sub(r"\0(\d+)\0", lambda m: "" if int(m.group(1)) in dropped else value(int(m.group(1))), text)
    tail = [value(i) for i in lost if not spans[i].markup and spans[i].kind != "break"]
    tail += [_bare_link(spans, i) for i in sorted(dropped) if _link_target(spans[i])]
    if tail:
        text = text.rstrip() + " " + " ".join(tail)
    gone = sorted([*lost, *placed])
    return Restored(text.strip(" \t\n"), [spans[i] for i in gone], [spans[i] for i in moved])


_ACTIVE = {
    "[": r"\[", "]": r"\]", "*": r"\*", "`": r"`", "\\": r"\\(?=[!-/:-@\[-`{-~]|$)",
    "_": r"(?<!\w)_|_(?!\w)", "<": r"<(?=[A-Za-z/!?])",
}  # fmt: skip


def _escaped(text: str, given: str) -> str:
    """Markdown characters the model wrote that its input did not have (all markup was masked)
    are text: escaped, so a bracket or star it adds cannot make a link or emphasis."""
    active = [pattern for char, pattern in _ACTIVE.items() if char not in given and char in text]
    if not active:
        return text
    return re.sub("|".join(f"(?:{p})" for p in active), lambda m: "\\" + m.group(), text)


def _squeezed(text: str, given: str) -> str:
    """Runs of spaces the model made (around a dropped span, say) as one space; a run the
    model was given (`10   kg`, a table in text) is the source's and stays. Spans are put
    back after this, so the spaces inside code are never touched."""
    runs = set(re.findall(r"  +", given))
    return re.sub(r"  +", lambda m: m.group() if m.group() in runs else " ", text)


def _inside_wrapper(text: str, masked: Masked) -> str:
    """Where the source message is one element (`<a>...</a>`), text the model wrote outside
    it goes inside: a text node the source has not would change the tree (in a table, the
    parser moves such text, and the spaces after it, out before the table)."""
    spans = masked.spans
    last = f"Z{len(spans)}Z"
    if not spans or spans[0].kind != "tag-open" or spans[0].partner != len(spans) - 1:
        return text
    if not (masked.text.startswith("Z1Z") and masked.text.endswith(last)):
        return text
    opening, closing = "\x000\x00", f"\x00{len(spans) - 1}\x00"
    open_at, close_at = text.find(opening), text.rfind(closing)
    if open_at < 0 or close_at < open_at:
        return text
    before, after = text[:open_at].lstrip(), text[close_at + len(closing) :].rstrip()
    if not before.strip() and not after.strip():
        return text
    inner = text[open_at + len(opening) : close_at]
    return f"{opening}{before}{inner}{after}{closing}"


def _place_tags(text: str, spans: tuple[Span, ...]) -> tuple[str, list[int], list[int]]:
    """HTML tags the model lost or crossed, put back where the element tree stays the source's."""
    from pipeline.translation.inline_html import place_tags

    parts = re.split(r"\0(\d+)\0", text)
    items: list[str | int] = [int(p) if k % 2 else p for k, p in enumerate(parts)]
    items, placed, moved = place_tags(items, [s.kind for s in spans], [s.partner for s in spans])
    joined = "".join(f"\0{x}\0" if isinstance(x, int) else x for x in items)
    return joined, placed, moved


def _link_target(span: Span) -> bool:
    return span.kind == "link-end" and span.text.startswith("](") and len(span.text) > 3


def _bare_link(spans: tuple[Span, ...], end: int) -> str:
    """A link or image whose brackets the model lost, kept as the shortest valid Markdown."""
    dest = spans[end].text[2:-1].split()[0]
    partner = spans[end].partner
    if partner is not None and spans[partner].text == "![":
        return f"![]({dest})"
    return f"<{dest}>" if re.match(r"[A-Za-z][\w+.-]*:", dest) else f"[{dest}]({dest})"


def format_flags(msgid: str) -> list[str]:
    """gettext format flags, only where every % or brace in the msgid is a directive:
    msgfmt --check-format then holds the translation to the same placeholders."""
    flags = []
    if PRINTF.search(msgid) and "%" not in PRINTF.sub("", msgid):
        flags.append("python-format")
    unescaped = msgid.replace("{{", "").replace("}}", "")
    if BRACE.search(msgid) and not re.search(r"[{}]", BRACE.sub("", unescaped)):
        flags.append("python-brace-format")
    return flags
