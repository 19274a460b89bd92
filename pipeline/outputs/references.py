"""Markdown reference links survive translation of their text.

`[foo]` and `[foo][]` link to the definition `[foo]: /url` through their own text, so a
translated `[фу]` would stop being a link. Where the source's bracket text names a defined
label, the translation's bracket at the same place is written as a full reference link
(`[фу][foo]`): the same link, to the same definition, with the translated text. The catalog
keeps the translator's text as written; only the rendered article gets the label.
"""

from __future__ import annotations

import re

from markdown_it.common.utils import normalizeReference

_GROUP = re.compile(r"(?<!\\)\[((?:[^\[\]\\]|\\.)*)\]")
# an inline link's (destination "title") right after the brackets, as CommonMark reads it
_INLINE = re.compile(
    r"\(\s*(?:<[^<>\n]*>|[^\s()<]*(?:\([^\s()]*\)[^\s()]*)*)"
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*\)"
)


def _shortcuts(text: str, labels: frozenset[str]) -> list[tuple[int, int, str, bool]]:
    """Bracket groups that stand alone or collapsed ([x], [x][]), in order: (start, end, text,
    collapsed). A group with an inline destination after it, or a defined label after it (a
    full reference), is a link by its own syntax and left out."""
    out: list[tuple[int, int, str, bool]] = []
    groups = list(_GROUP.finditer(text))
    i = 0
    while i < len(groups):
        group = groups[i]
        after = groups[i + 1] if i + 1 < len(groups) and groups[i + 1].start() == group.end() else None
        if _INLINE.match(text, group.end()):
            i += 1
        elif after is not None and after.group(1) == "":
            out.append((group.start(), after.end(), group.group(1), True))
            i += 2
        elif after is not None and normalizeReference(after.group(1)) in labels:
            i += 2  # [text][label]
        else:
            out.append((group.start(), group.end(), group.group(1), False))
            i += 1
    return out


def keep_references(source: str, translation: str, labels: frozenset[str]) -> str:
    """The translation with each bracket group that stands for a defined label in the source
    (in order) made a full reference link; left as it is when the groups do not line up."""
    wanted = _shortcuts(source, labels)
    found = _shortcuts(translation, labels)
    if not wanted or len(found) != len(wanted):
        return translation
    out, cursor = [], 0
    for (start, end, text, collapsed), (_, _, label, _) in zip(found, wanted, strict=True):
        key = normalizeReference(label)
        if key not in labels or (normalizeReference(text) == key and not collapsed):
            continue
        out.append(translation[cursor:start] + f"[{text}][{label}]")
        cursor = end
    return "".join(out) + translation[cursor:]
