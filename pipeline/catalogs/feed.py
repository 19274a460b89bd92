"""One catalog per JSONL feed (`feed_catalog = feed`): each line's entries carry the line's
id as msgctxt, so Weblate needs one component per feed instead of one per line.

A line's own entries are a *view* of the feed catalog: the entries whose msgctxt is the
line's id (`<id>`) or starts with it (`<id>|title`, `<id>|heading`), with that prefix taken
off. Every per-article step (plan, merge, render, memory) works on the view exactly as it
works on an article's own catalog; the feed catalog is the views joined in line order.
Article ids never contain `|` (see pipeline.inputs.ids), so the split is unambiguous.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import polib

from pipeline.catalogs.pofile import WRAP_WIDTH
from pipeline.inputs.ids import article_id

SEP = "|"


def record_feed(record: dict[str, Any], feed_mode: bool) -> str | None:
    """The feed catalog a record's entries go to, or None (its own catalog)."""
    if not feed_mode or not record.get("member"):
        return None
    return article_id(Path(record["source"]))


def line_context(line: str, context: str | None) -> str:
    return line if context is None else f"{line}{SEP}{context}"


def _strip(line: str, context: str | None) -> tuple[bool, str | None]:
    """(belongs to the line, its context without the line's id)."""
    if context == line:
        return True, None
    if context is not None and context.startswith(line + SEP):
        return True, context[len(line) + 1 :]
    return False, None


def line_view(po: polib.POFile | None, line: str) -> polib.POFile | None:
    """The line's entries as its own catalog would hold them; None when the feed catalog
    does not exist (as for an article whose .po does not exist)."""
    if po is None:
        return None
    view = polib.POFile(wrapwidth=WRAP_WIDTH)
    view.header = po.header
    view.metadata = dict(po.metadata)
    for entry in po:
        mine, context = _strip(line, entry.msgctxt)
        if not mine:
            continue
        own = copy.deepcopy(entry)
        own.msgctxt = context
        if own.previous_msgid is not None and own.previous_msgctxt is not None:
            own.previous_msgctxt = _strip(line, own.previous_msgctxt)[1]
        view.append(own)
    return view


def owner(context: str | None) -> str:
    """The line an entry of a feed catalog belongs to."""
    return (context or "").split(SEP, 1)[0]


def split_views(po: polib.POFile) -> dict[str, polib.POFile]:
    """Every line's view at once: one pass over a feed catalog of thousands of lines."""
    groups: dict[str, list[polib.POEntry]] = {}
    for entry in po:
        groups.setdefault(owner(entry.msgctxt), []).append(entry)
    views = {}
    for line, entries in groups.items():
        part = polib.POFile(wrapwidth=WRAP_WIDTH)
        part.header, part.metadata = po.header, dict(po.metadata)
        part.extend(entries)
        views[line] = line_view(part, line) or part
    return views


def join_views(
    views: list[tuple[str, polib.POFile]], header: str, metadata: dict[str, str]
) -> polib.POFile:
    """The feed catalog: each line's live entries in line order, then the obsolete ones (as
    one article's catalog keeps them last)."""
    po = polib.POFile(wrapwidth=WRAP_WIDTH)
    po.header = header
    po.metadata = metadata
    live: list[polib.POEntry] = []
    gone: list[polib.POEntry] = []
    for line, view in views:
        for entry in view:
            joined = copy.deepcopy(entry)
            joined.msgctxt = line_context(line, entry.msgctxt)
            if joined.previous_msgid is not None:
                joined.previous_msgctxt = line_context(line, entry.previous_msgctxt)
            (gone if entry.obsolete else live).append(joined)
    po.extend(live + gone)
    return po

