"""Tags of HTML events: attribute values found, read, quoted and set in a start tag as
written; elements never translated; where an element ends."""

from __future__ import annotations

import html
from html.parser import attrfind_tolerant, tagfind_tolerant

from pipeline.inputs.html_tokens import Event

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# never translated: kept as they are at block level, one masked value inside a run
# never translated: kept as they are at block level, one masked value inside a run
OPAQUE = {
    "script", "style", "pre", "code", "kbd", "samp", "var", "template", "textarea", "svg", "math",
    "iframe", "object", "noscript", "select",
}  # fmt: skip


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
