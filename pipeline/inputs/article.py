"""The in-memory article: translatable paragraphs and the literal text between them."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Paragraph:
    index: int  # 0 is the title
    text: str  # what is segmented and translated, without surrounding whitespace
    role: str = "body"  # "title", "heading", "table header" or "body": roles get their own msgctxt
    kind: str = "plain"  # how a translation is written back: "plain", "markdown", "cell", "yaml", "xml"
    source: str | None = None  # the exact source text when it differs from text (markup prefixes)

    def original(self) -> str:
        return self.text if self.source is None else self.source

    def write(self, translated: str) -> str:
        """A translated paragraph in the syntax of its place in the file."""
        if self.kind == "markdown":
            return _markdown_lines(translated, self.original())
        if self.kind == "cell":
            return re.sub(r"(?<!\\)\|", r"\\|", " ".join(translated.split("\n")))
        if self.kind == "yaml":
            return json.dumps(translated, ensure_ascii=False)  # a YAML double-quoted scalar
        if self.kind == "xml":  # character data of an XML element (an EPUB's title)
            return translated.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return translated


# a line that would open a block instead of going on with the paragraph
_BLOCK_START = re.compile(
    r"[ \t]*(?:(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)|#{1,6}(?:[ \t]|$)|>|(?:=+|-+)[ \t]*$"
    r"|`{3,}|~{3,}|(?:\*[ \t]*){3,}$|(?:_[ \t]*){3,}$"
    r"|<(?:script|pre|style|textarea)(?:[ \t>]|$)|<!--|<\?|<![A-Za-z]|<!\[CDATA\["  # HTML blocks
    r"|</?(?:address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd"
    r"|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]"
    r"|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup"
    r"|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul)"
    r"(?:[ \t>]|/>|$))",
    re.IGNORECASE,
)


def _markdown_lines(text: str, source: str) -> str:
    """A Markdown paragraph's text with its line breaks: those the source had (a hard break,
    inside inline HTML or code) are kept, continued with the source's line prefix (`> `, the
    list indentation); a break before what would open a block is a space. Only "\\n" breaks a
    line: U+2028 and U+0085 are characters of the text."""
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    source_lines = source.split("\n")
    prefix = ""
    if len(source_lines) > 1:
        second = source_lines[1]
        prefix = second[: len(second) - len(second.lstrip(" \t>"))]
    out = lines[0]
    for line in lines[1:]:
        line = line.lstrip(" \t")
        out += " " + line if _BLOCK_START.match(line) else "\n" + prefix + line
    return out


@dataclass
class Article:
    """layout interleaves literal strings with paragraph indexes; joining it returns the source."""

    id: str
    source: Path
    paragraphs: list[Paragraph]
    layout: list[str | int]
    lang_hint: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # one line each: read, but not quite as it is
    references: tuple[str, ...] = ()  # Markdown: the link reference labels defined, normalized
    # a zip package's text parts: [member, layout items, paragraphs, kind] in order (the
    # layout and paragraphs are the parts' one after the other); empty for a text file
    parts: list[list] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.paragraphs[0].text if self.paragraphs else ""

    def part_slices(self) -> list[tuple[str, str, list[str | int], list[Paragraph]]]:
        """(member, kind, layout, paragraphs) of each text part of a zip package."""
        out = []
        at_layout = at_paragraph = 0
        for member, layout_count, paragraph_count, kind in self.parts:
            layout = self.layout[at_layout : at_layout + layout_count]
            paragraphs = self.paragraphs[at_paragraph : at_paragraph + paragraph_count]
            out.append((member, kind, layout, paragraphs))
            at_layout += layout_count
            at_paragraph += paragraph_count
        return out

    def render(self, texts: dict[int, str] | None = None) -> str:
        """The article with paragraph i replaced by texts[i] where given, the source elsewhere."""
        texts = texts or {}
        by_index = {p.index: p for p in self.paragraphs}
        return "".join(
            part
            if isinstance(part, str)
            else by_index[part].write(texts[part])
            if part in texts
            else by_index[part].original()
            for part in self.layout
        )
