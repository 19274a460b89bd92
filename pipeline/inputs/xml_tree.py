"""XML parts of office documents as a tree of byte offsets, so text can be replaced in place.

The standard library's expat reports where each element starts; the tree keeps those
offsets (start tag, end tag, the text between children), so a writer splices new text into
the source bytes and everything else stays byte for byte. Re-serializing a tree (ElementTree,
lxml) would rewrite namespace declarations, quoting and empty elements.

A document type declaration with an internal subset is refused, and so is any ENTITY
declaration: that is where entity expansion (billion laughs) and external entities live,
and office documents never carry one. (A bare `<!DOCTYPE ncx PUBLIC ...>`, as EPUB 2
tables of contents have, declares nothing; expat never fetches the DTD it names.)
defusedxml does the same; two handlers here need no new dependency.
"""

from __future__ import annotations

import bisect
import html
import re
import xml.parsers.expat
from dataclasses import dataclass, field

MAX_DEPTH = 256  # real documents nest about 20 deep (tables in tables: 40); the walks recurse


class XMLRefused(ValueError):
    """Not well-formed, or a construct a document never needs (DOCTYPE, ENTITY)."""


@dataclass(eq=False)
class Node:
    name: str
    attrs: dict[str, str]
    start: int  # offset of "<"
    open_end: int = 0  # just after the start tag's ">"
    close_start: int = 0  # offset of the end tag's "<" (== end for an empty element)
    end: int = 0  # just after the element
    children: list[Node | Text] = field(default_factory=list)
    parent: Node | None = None

    def ancestors(self) -> list[Node]:
        found, node = [], self.parent
        while node is not None:
            found.append(node)
            node = node.parent
        return found

    def iter(self, name: str | None = None):
        """Elements below this one (itself included), in document order."""
        if name is None or self.name == name:
            yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter(name)

    def first(self, name: str) -> Node | None:
        return next((c for c in self.children if isinstance(c, Node) and c.name == name), None)


@dataclass(eq=False)
class Text:
    """Bytes between two tags inside an element: character data, entity references (and the
    comments or processing instructions among them, which `markup` says)."""

    start: int
    end: int
    markup: bool = False


_TAG = re.compile(rb"""<[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>""")


def _tag_end(data: bytes, at: int) -> int:
    """Offset just after the ">" closing the tag that starts at `at` (quotes respected)."""
    found = _TAG.match(data, at)
    if found is None:
        raise XMLRefused("a tag is not closed")
    return found.end()


def parse(data: bytes) -> Node:
    """The root element, with every element's offsets and the text between them."""
    parser = xml.parsers.expat.ParserCreate()  # no namespace processing: names as written
    stack: list[Node] = []
    root: list[Node] = []
    markup: list[tuple[int, int]] = []  # comments, processing instructions, CDATA marks

    def refuse_doctype(_name: str, _system: str | None, _public: str | None, internal: bool) -> None:
        if internal:
            raise XMLRefused("has a DOCTYPE with declarations (entity expansion is refused)")

    def refuse_entity(*_args: object) -> None:
        raise XMLRefused("declares an ENTITY (entity expansion is refused)")

    def start(name: str, attrs: dict[str, str]) -> None:
        if len(stack) >= MAX_DEPTH:
            raise XMLRefused(f"nests elements more than {MAX_DEPTH} deep")
        at = parser.CurrentByteIndex
        node = Node(name, attrs, at, _tag_end(data, at), parent=stack[-1] if stack else None)
        if stack:
            stack[-1].children.append(node)
        else:
            root.append(node)
        stack.append(node)

    def end(_name: str) -> None:
        node = stack.pop()
        if data[node.open_end - 2 : node.open_end] == b"/>":
            node.close_start = node.end = node.open_end
        else:
            node.close_start = parser.CurrentByteIndex
            node.end = _tag_end(data, node.close_start)

    def mark(*_args: object) -> None:
        markup.append((parser.CurrentByteIndex, 0))

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_entity
    parser.UnparsedEntityDeclHandler = refuse_entity
    parser.ExternalEntityRefHandler = refuse_entity
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CommentHandler = mark
    parser.ProcessingInstructionHandler = mark
    parser.StartCdataSectionHandler = mark
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        raise XMLRefused(f"not well-formed XML ({xml.parsers.expat.errors.messages[exc.code]})") from None
    except RecursionError:
        raise XMLRefused("nested too deeply") from None
    if not root:
        raise XMLRefused("has no root element")
    marks = sorted(at for at, _ in markup)
    _fill_text(root[0], marks)
    return root[0]


def _fill_text(top: Node, marks: list[int]) -> None:
    """Add the Text between each element's children (iteratively: deep documents exist)."""
    todo = [top]
    while todo:
        node = todo.pop()
        if node.close_start == node.open_end:
            continue
        elements = [c for c in node.children if isinstance(c, Node)]
        out: list[Node | Text] = []
        cursor = node.open_end
        for child in [*elements, None]:
            stop = child.start if child is not None else node.close_start
            if stop > cursor:
                k = bisect.bisect_left(marks, cursor) if marks else 0
                out.append(Text(cursor, stop, k < len(marks) and marks[k] < stop))
            if child is not None:
                out.append(child)
                cursor = child.end
                todo.append(child)
        node.children = out


def unescape(raw: str) -> str:
    """XML character data as text: the five named references and numeric ones."""
    return html.unescape(raw) if "&" in raw else raw


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
