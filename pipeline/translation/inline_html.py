"""Inline HTML in a message: which spans the model must not see, and putting back tags it lost.

The msgid of an HTML paragraph carries its inline markup (`<a href=...>`, `<em>`, `<br>`,
entities, `<code>...</code>`). Tags and entities are found by the same tokenizer that read
the file (html.parser), so masking never disagrees with the document. After MT, a tag the
model dropped, or moved so that elements cross, goes back where the element tree stays
the same as the source's: inside the same parent, between the same siblings.
"""

from __future__ import annotations

from pipeline.inputs.html_tags import VOID, matching_end, opaque
from pipeline.inputs.html_tokens import events

TAG_KINDS = {"tag-open", "tag-close", "tag"}


def inline_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of the markup in a message: tag-open / tag-close (paired later),
    tag (void), entity, comment, and code (an element never translated, kept whole)."""
    evs = events(text)
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(evs):
        e = evs[i]
        if opaque(e):
            last = matching_end(evs, i)
            out.append((e.start, evs[last].end, "code"))
            i = last + 1
            continue
        kind = {"startend": "tag", "end": "tag-close", "entity": "entity", "comment": "comment"}.get(e.kind)
        if e.kind == "start":
            kind = "tag" if e.tag in VOID else "tag-open"
        elif e.kind in {"decl", "pi"}:
            kind = "comment"
        if kind:
            out.append((e.start, e.end, kind))
        i += 1
    return out


def _parents(kinds: list[str], partner: list[int | None]) -> list[int | None]:
    """Per span, the open tag of the element that contains it in the source."""
    parents: list[int | None] = []
    stack: list[int] = []
    for i, kind in enumerate(kinds):
        if kind == "tag-close" and partner[i] is not None and stack and stack[-1] == partner[i]:
            stack.pop()
            parents.append(parents[partner[i]])
            continue
        parents.append(stack[-1] if stack else None)
        if kind == "tag-open":
            stack.append(i)
    return parents


def _crossing(items: list[str | int], kinds: list[str], partner: list[int | None]) -> set[int]:
    """Pairs whose tags are out of order or cross another element in the output."""
    bad: set[int] = set()
    while True:
        stack: list[int] = []
        found = False
        for item in items:
            if not isinstance(item, int) or item in bad or partner[item] is None:
                continue
            mate = partner[item]
            if kinds[item] == "tag-open":
                stack.append(item)
            elif kinds[item] == "tag-close":
                if stack and stack[-1] == mate:
                    stack.pop()
                    continue
                bad.update({item, mate})  # type: ignore[arg-type]
                found = True
                break
        bad.update(x for i in stack for x in (i, partner[i]) if x is not None)
        if not found:
            return bad


def place_tags(
    items: list[str | int], kinds: list[str], partner: list[int | None]
) -> tuple[list[str | int], list[int], list[int]]:
    """items: output text with span indexes where the model kept a token. Returns the items
    with every tag in place, the tags put back (lost), and those moved (out of order)."""
    present = {x for x in items if isinstance(x, int)}
    tags = [i for i, k in enumerate(kinds) if k in TAG_KINDS]
    lost = [i for i in tags if i not in present]
    unmatched = {i for i in tags if partner[i] is not None and partner[i] not in present}
    crossing = _crossing([x for x in items if x not in unmatched], kinds, partner)
    moved = sorted(crossing & present)
    redo = set(lost) | unmatched | crossing
    items = [x for x in items if x not in redo]
    parents = _parents(kinds, partner)
    for i in tags:
        if i not in redo or (kinds[i] == "tag-close" and partner[i] is not None):
            continue  # a pair is placed from its open tag
        close = partner[i] if kinds[i] == "tag-open" else None
        parent = parents[i]
        last = close if close is not None else i
        kept = {x for x in items if isinstance(x, int)}
        before = [k for k in kept if k < i and parents[k] == parent and kinds[k] in {"tag-close", "tag"}]
        after = [k for k in kept if k > last and parents[k] == parent and kinds[k] in {"tag-open", "tag"}]
        start = items.index(max(before)) + 1 if before else _inner_start(items, parent)
        stop = items.index(min(after)) if after else _inner_end(items, parent, partner)
        stop = max(stop, start)
        if close is None:
            items.insert(start if kinds[i] == "tag-open" else stop, i)
            continue
        items.insert(stop, close)
        items.insert(start, i)
    return items, lost, moved


def _inner_start(items: list[str | int], parent: int | None) -> int:
    return 0 if parent is None or parent not in items else items.index(parent) + 1


def _inner_end(items: list[str | int], parent: int | None, partner: list[int | None]) -> int:
    close = partner[parent] if parent is not None else None
    return items.index(close) if close is not None and close in items else len(items)
