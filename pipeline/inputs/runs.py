"""A word-processor paragraph as a message with inline tags, and the message written back.

A paragraph (`w:p` in .docx, `text:p`/`text:h` in .odt and .odp, `a:p` in .pptx) is a
sequence of text pieces inside formatting wrappers (runs, spans, links, insertions) and
opaque pieces (fields, bookmarks, images, tabs, breaks, notes). The message shows the text;
text whose formatting differs from the paragraph's usual one is wrapped in a numbered tag
named after what it is (`<b1>` bold, `<i2>` italic, `<a3>` a link, `<s4>` another style)
and every run of opaque pieces is one `<x5/>` placeholder. The tags are HTML-like, so the
HTML path masks them before MT (translation.inline_html) and a reviewer can move them.

Writing back maps each tag to the source's wrappers: the n-th stretch of one formatting in
the translation takes the n-th stretch of it in the source, its runs re-emitted as they were
with only the text replaced (the first text node that had text gets it, the others are
emptied), so a translation that keeps the order changes nothing but text nodes. (The number
in a tag is what counts; its letter only helps the reader.) A placeholder brings back
its pieces byte for byte (once; one the translation lost is kept at the paragraph's end).
Spell-check marks (`w:proofErr`) go with the text next to them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from pipeline.inputs.html_tokens import events
from pipeline.inputs.xml_tree import Node, Text, escape, parse, unescape


@dataclass(frozen=True)
class Dialect:
    paragraphs: frozenset[str]  # the paragraph elements
    wrappers: frozenset[str]  # formatting containers whose children are inline content
    props: frozenset[str]  # property children kept with their parent's start tag (w:rPr, w:pPr)
    text: frozenset[str]  # elements whose content is text (w:t); empty: text nodes themselves
    ignorable: frozenset[str]  # marks that go with the text next to them
    spaces: frozenset[str] = frozenset()  # elements that stand for spaces (text:s)
    links: frozenset[str] = frozenset()  # wrappers that are hyperlinks: their tags are `a`
    bare_start: frozenset[str] = frozenset()  # wrappers whose start-tag attributes are not formatting
    hint: Callable[[str], str] = lambda key: "s"  # a tag letter from a formatting key
    closing: frozenset[str] = frozenset()  # properties a paragraph ends with (a:endParaRPr)
    keep_spaces: bool = False  # a text element drops edge spaces unless xml:space="preserve" (w:t)


@dataclass(eq=False)
class Piece:
    kind: str  # "text", "space", "opaque" or "ignore"
    chain: tuple[Node, ...]  # the wrappers around it, outermost first
    start: int
    end: int
    text_start: int = 0  # the raw text's range inside [start, end), for "text"
    text_end: int = 0
    text: str = ""


@dataclass(eq=False)
class Span:
    key: tuple[str, ...]
    pieces: list[Piece] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.pieces if p.kind in {"text", "space"})


@dataclass(eq=False)
class Slot:
    pieces: list[Piece] = field(default_factory=list)


@dataclass
class Model:
    data: str
    node: Node
    items: list[Span | Slot]
    prefix: tuple[int, int]
    suffix: tuple[int, int]
    dialect: Dialect
    tags: dict[tuple[str, ...], str] = field(default_factory=dict)  # key -> tag name
    base: tuple[str, ...] = ()
    # placeholders before the first text and after the last (a heading's bookmarks, a note's
    # reference mark): kept where they are, out of the message
    head: list[Slot] = field(default_factory=list)
    tail: list[Slot] = field(default_factory=list)

    def message(self) -> str:
        """The paragraph as its msgid: text with inline tags and placeholders."""
        out, slot = [], 0
        for item in self.items:
            if isinstance(item, Slot):
                slot += 1
                out.append(f"<x{slot}/>")
            elif item.key == self.base:
                out.append(escape(item.text))
            else:
                tag = self.tags[item.key]
                out.append(f"<{tag}>{escape(item.text)}</{tag}>")
        return "".join(out)

    def has_text(self) -> bool:
        return any(isinstance(i, Span) and any(ch.isalpha() for ch in i.text) for i in self.items)


def _open_end(node: Node, dialect: Dialect) -> int:
    """Where a wrapper's content starts: after its start tag and its property children."""
    at = node.open_end
    for child in node.children:
        if isinstance(child, Node) and child.name in dialect.props:
            at = child.end
        elif isinstance(child, Text) and not dialect.text:
            break  # text nodes are content where they are text
        elif not (isinstance(child, Text) and not child.markup):
            break
    return at


def _close_start(node: Node, dialect: Dialect) -> int:
    """Where a paragraph's content ends: before its end tag and any closing properties."""
    at = node.close_start
    for child in reversed(node.children):
        if isinstance(child, Node) and child.name in dialect.closing:
            at = child.start
        elif not (isinstance(child, Text) and dialect.text and not child.markup):
            break
    return at


def _content(node: Node, dialect: Dialect) -> list[Node | Text]:
    start, end = _open_end(node, dialect), _close_start(node, dialect)
    return [c for c in node.children if c.start >= start and c.end <= end]


def _pieces(data: str, node: Node, dialect: Dialect, chain: tuple[Node, ...], out: list[Piece]) -> None:
    for child in _content(node, dialect):
        if isinstance(child, Text):
            if dialect.text or child.markup:
                out.append(Piece("ignore", chain, child.start, child.end))
            else:
                text = unescape(real(data[child.start : child.end]))
                out.append(Piece("text", chain, child.start, child.end, child.start, child.end, text))
        elif child.name in dialect.wrappers:
            if child.close_start == child.open_end or not _content(child, dialect):
                out.append(Piece("ignore", chain, child.start, child.end))
            else:
                _pieces(data, child, dialect, (*chain, child), out)
        elif child.name in dialect.text:
            inner = [c for c in child.children if isinstance(c, Node) or c.markup]
            if inner:
                out.append(Piece("opaque", chain, child.start, child.end))
                continue
            text = unescape(real(data[child.open_end : child.close_start]))
            out.append(Piece("text", chain, child.start, child.end, child.open_end, child.close_start, text))
        elif child.name in dialect.ignorable:
            out.append(Piece("ignore", chain, child.start, child.end))
        elif child.name in dialect.spaces:
            count = child.attrs.get("text:c", "1")
            spaces = " " * (int(count) if count.isdigit() and 0 < int(count) < 1000 else 1)
            out.append(Piece("space", chain, child.start, child.end, text=spaces))
        else:
            out.append(Piece("opaque", chain, child.start, child.end))


def _key(data: str, node: Node, dialect: Dialect) -> str:
    """A wrapper's formatting: its start tag and properties (a run's without attributes)."""
    if node.name in dialect.bare_start:
        return f"<{node.name}>" + data[node.open_end : _open_end(node, dialect)]
    return data[node.start : _open_end(node, dialect)]


def build(data: str, node: Node, dialect: Dialect) -> Model:
    """The paragraph element `node` of `data` (offsets are into data) as items."""
    pieces: list[Piece] = []
    _pieces(data, node, dialect, (), pieces)
    items: list[Span | Slot] = []
    pending: list[Piece] = []
    for piece in pieces:
        if piece.kind == "ignore":
            (items[-1].pieces if items else pending).append(piece)
            continue
        if piece.kind in {"text", "space"}:
            key = tuple(_key(data, w, dialect) for w in piece.chain)
            if not (items and isinstance(items[-1], Span) and items[-1].key == key):
                items.append(Span(key))
        elif not (items and isinstance(items[-1], Slot)):
            items.append(Slot())
        items[-1].pieces += [*pending, piece]
        pending = []
    # the paragraph's content lies between its start tag (with properties) and its end tag
    prefix, suffix = (node.start, _open_end(node, dialect)), (_close_start(node, dialect), node.end)
    head: list[Slot] = []
    tail: list[Slot] = []
    while items and isinstance(items[0], Slot):
        head.append(items.pop(0))  # type: ignore[arg-type]
    while items and isinstance(items[-1], Slot):
        tail.insert(0, items.pop())  # type: ignore[arg-type]
    model = Model(data, node, items, prefix, suffix, dialect, head=head, tail=tail)
    sizes: dict[tuple[str, ...], int] = {}
    for item in items:
        if isinstance(item, Span):
            sizes[item.key] = sizes.get(item.key, 0) + len(item.text.strip())
    if sizes:
        model.base = max(sizes, key=lambda k: (sizes[k], -len(k)))
    for item in items:
        if isinstance(item, Span) and item.key != model.base and item.key not in model.tags:
            links = any(w.name in dialect.links for w in _chain_of(item))
            letter = "a" if links else dialect.hint(item.key[-1] if item.key else "")
            model.tags[item.key] = f"{letter}{len(model.tags) + 1}"
    return model


def _chain_of(span: Span) -> tuple[Node, ...]:
    return next((p.chain for p in span.pieces if p.kind in {"text", "space"}), ())


def message_of(data: str, node: Node, dialect: Dialect) -> tuple[str, str] | None:
    """(text, source): the paragraph's message, trimmed, and its XML; None where it has no
    letters to translate. data is the latin-1 view of the part's bytes (offsets are bytes);
    the results are real text."""
    model = build(data, node, dialect)
    if not model.has_text():
        return None
    return model.message().strip(), real(data[node.start : node.end])


# ---------------------------------------------------------------- writing back


def _number(tag: str) -> int:
    """A tag's number: the letters only help a reviewer (`<b1>` and `<s1>` are one tag)."""
    digits = tag.lstrip("abcdefghijklmnopqrstuvwxyz")
    return int(digits) if digits.isdigit() and digits != tag else 0


def _parse_translation(text: str, model: Model) -> list[tuple[str, object, str]]:
    """("span", key, text) and ("slot", number, "") in the translation's order."""
    by_number = {_number(tag): key for key, tag in model.tags.items()}
    out: list[tuple[str, object, str]] = []
    stack: list[int] = []

    def add(value: str) -> None:
        key = by_number[stack[-1]] if stack else model.base
        if out and out[-1][0] == "span" and out[-1][1] == key:
            out[-1] = ("span", key, out[-1][2] + value)
        else:
            out.append(("span", key, value))

    for e in events(text):
        raw = text[e.start : e.end]
        if e.kind in {"data", "entity"}:
            add(unescape(raw))
        elif e.kind == "start" and e.tag[:1] != "x" and _number(e.tag) in by_number:
            stack.append(_number(e.tag))
        elif e.kind == "end" and _number(e.tag) in stack:
            number = _number(e.tag)
            del stack[len(stack) - 1 - stack[::-1].index(number) :]
        elif e.kind in {"startend", "start"} and e.tag[:1] == "x" and e.tag[1:].isdigit():
            out.append(("slot", int(e.tag[1:]), ""))
        elif e.kind in {"start", "end", "startend"}:
            continue  # a tag the source has not: its text stays, the tag goes
    return out


def _text_piece(data: str, piece: Piece, text: str, dialect: Dialect) -> str:
    before = data[piece.start : piece.text_start]
    after = data[piece.text_end : piece.end]
    if text and before.endswith("/>") and not after:  # an empty `<w:t/>` gets its text
        name = before[1:].split("/")[0].split()[0]
        before, after = before[:-2].rstrip() + ">", f"</{name}>"
    if dialect.keep_spaces and text != text.strip() and "xml:space" not in before[: before.find(">")]:
        close = before.rfind(">")
        slash = close - 1 if before[close - 1] == "/" else close
        before = before[:slash] + ' xml:space="preserve"' + before[slash:]
    return before + as_view(escape(text)) + after


def real(view: str) -> str:
    """Text from a latin-1 view of UTF-8 bytes (where expat's byte offsets index characters)."""
    return view.encode("latin-1").decode("utf-8")


def as_view(text: str) -> str:
    return text.encode("utf-8").decode("latin-1")


def render(source: str, translated: str, dialect: Dialect) -> str:
    """The paragraph XML `source` with the translated message written into its runs."""
    data = source.encode("utf-8")
    view = data.decode("latin-1")
    return real(_render(view, parse(data), translated, dialect))


def _render(data: str, node: Node, translated: str, dialect: Dialect) -> str:
    model = build(data, node, dialect)
    whole = model.message()
    lead = whole[: len(whole) - len(whole.lstrip())]
    trail = whole[len(whole.rstrip()) :]
    wanted_text = lead + translated.strip() + trail
    if wanted_text == whole or translated == whole:
        return data[node.start : node.end]
    spans: dict[tuple[str, ...], list[Span]] = {}
    slots = [i for i in model.items if isinstance(i, Slot)]
    for item in model.items:
        if isinstance(item, Span):
            spans.setdefault(item.key, []).append(item)
    taken: dict[tuple[str, ...], int] = {}
    used_slots: set[int] = set()
    emitted: list[tuple[Piece, str | None]] = [(p, None) for slot in model.head for p in slot.pieces]
    for kind, value, text in _parse_translation(wanted_text, model):
        if kind == "slot":
            number = int(value)  # type: ignore[call-overload]
            if 1 <= number <= len(slots) and number not in used_slots:
                used_slots.add(number)
                emitted += [(p, None) for p in slots[number - 1].pieces]
            continue
        key: tuple[str, ...] = value  # type: ignore[assignment]
        sources = spans.get(key) or spans.get(model.base) or []
        if not sources:
            continue
        j = taken.get(key, 0)
        taken[key] = j + 1
        span = sources[min(j, len(sources) - 1)]
        fresh = j < len(sources)
        if fresh and span.text == text:
            emitted += [(p, None) for p in span.pieces]
            continue
        texts = [p for p in span.pieces if p.kind == "text"]
        first = next((p for p in texts if p.text), texts[0] if texts else None)
        for p in span.pieces:
            if p.kind == "text":
                emitted.append((p, text if p is first else ""))
            elif p.kind == "ignore" and fresh:
                emitted.append((p, None))
        if first is None:
            emitted.append((Piece("bare", _chain_of(span), 0, 0), text))
    for number, slot in enumerate(slots, 1):
        if number not in used_slots:
            emitted += [(p, None) for p in slot.pieces]
    emitted += [(p, None) for slot in model.tail for p in slot.pieces]
    return _emit(data, model, emitted)


def _emit(data: str, model: Model, emitted: list[tuple[Piece, str | None]]) -> str:
    """The paragraph from its prefix, the pieces (wrappers opened and closed as the chains
    change) and its suffix: the source again when the pieces come in the source's order."""
    dialect = model.dialect
    out = [data[model.prefix[0] : model.prefix[1]]]
    stack: list[Node] = []
    for piece, text in emitted:
        chain = piece.chain
        k = 0
        while k < len(stack) and k < len(chain) and stack[k] is chain[k]:
            k += 1
        for wrapper in reversed(stack[k:]):
            out.append(data[wrapper.close_start : wrapper.end])
        stack = stack[:k]
        for wrapper in chain[k:]:
            out.append(data[wrapper.start : _open_end(wrapper, dialect)])
            stack.append(wrapper)
        if piece.kind == "bare":
            out.append(as_view(escape(text or "")))
        elif text is None:
            out.append(data[piece.start : piece.end])
        elif piece.kind == "text":
            out.append(_text_piece(data, piece, text, dialect))
    for wrapper in reversed(stack):
        out.append(data[wrapper.close_start : wrapper.end])
    out.append(data[model.suffix[0] : model.suffix[1]])
    return "".join(out)
