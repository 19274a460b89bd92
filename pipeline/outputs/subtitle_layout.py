"""Translated text laid back into subtitle cues, within the line limits, with reading-speed notes.

A sentence spread over cues is one msgid (pipeline.inputs.subtitle_file); its translation is
shared out again over the same cues. The rule: each sentence's translation is cut at word
boundaries (a styling tag stays with its word) so that each cue gets the share of it that
the cue held of the source sentence, counted in letters and digits; a cue whose source had text always gets
at least one word (a translation with fewer words than cues has its longest words split).
A sentence left untranslated keeps its source text in its cues, and a cue whose text is all
untranslated keeps its source lines byte for byte.

Each changed cue is wrapped at word boundaries into as few lines as `line_length` allows,
balanced (the shortest widest line for that many lines), within `lines` lines (shared among
the speakers' turns of a cue). A cue that cannot fit, or that reads faster than `max_cps`
characters a second (cue duration from its timing line), is named in a note on the entries
whose text it shows.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from pipeline.core.settings_table import default
from pipeline.inputs.article import Article
from pipeline.inputs.subtitle_file import KIND, flatten, timing, visible
from pipeline.segments.segment import Segment, normalize

NOTE = "subtitle:"  # how this module's notes start: replaced, not piled up, on every write
_WORD = re.compile(r"(?:<[^<>]*>|[^\s<]|<(?![^<>]*>))+")
_NEWLINE = re.compile(r"\r\n|\n|\r")
_LETTER = re.compile(r"[^\W_]")
_STYLE_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)[^<>]*>")  # <i>, </i>, <c.yellow>, <v Anna>


@dataclass(frozen=True)
class SubtitleLimits:
    """Broadcast guidelines (the subtitle_* settings): characters a line, lines a cue, and the
    characters a second a viewer can read."""

    line_length: int = default("subtitle_line_length")
    lines: int = default("subtitle_lines")
    max_cps: float = default("subtitle_max_cps")


@dataclass
class _Piece:
    """The text of one cue in one paragraph."""

    paragraph: int
    cue: int
    source: str  # exactly as in the file
    text: str  # its lines trimmed and joined by spaces, as in the paragraph's text
    start: int  # where text starts in the paragraph's text
    label: int  # width of what precedes it on its first line (a speaker label)
    parts: list[str] = field(default_factory=list)
    segments: set[int] = field(default_factory=set)
    changed: bool = False
    lines: list[str] = field(default_factory=list)  # its words, then its wrapped lines


@dataclass
class Laid:
    text: str
    notes: dict[int, list[str]]  # per segment index: the cues it shows in that break a limit


def words(text: str) -> list[str]:
    """Words with their styling tags; a tag alone is joined to the word it closes or opens."""
    out: list[str] = []
    pending = ""
    for word in _WORD.findall(text):
        if visible(word):
            out.append(pending + word)
            pending = ""
        elif word.startswith("</") and out:
            out[-1] += word
        else:
            pending += word
    if pending:
        if out:
            out[-1] += pending
        else:
            out.append(pending)
    return out


def weight_of(text: str) -> int:
    """What a piece of text weighs in the share: its letters and digits (punctuation, spaces
    and padding count nothing, so a cue's share is its share of the words)."""
    return len(_LETTER.findall(visible(text)))


def share(items: list[str], weights: list[int]) -> list[list[str]]:
    """items cut into len(weights) runs, each run's length in proportion to its weight."""
    k = len(weights)
    if k == 1:
        return [items]
    items = _enough(items, k)
    n = len(items)
    sizes = [weight_of(w) + 1 for w in items]
    cumulative = [0]
    for size in sizes:
        cumulative.append(cumulative[-1] + size)
    total, weight = cumulative[-1], max(sum(weights), 1)
    cuts, prev, acc = [], 0, 0
    for j in range(k - 1):
        acc += weights[j]
        goal = total * acc / weight
        low = prev + 1 if n >= k else prev
        high = n - (k - 1 - j) if n >= k else n
        cut = min(range(low, max(low, high) + 1), key=lambda c: (abs(cumulative[c] - goal), c))
        cuts.append(cut)
        prev = cut
    bounds = [0, *cuts, n]
    return [items[bounds[j] : bounds[j + 1]] for j in range(k)]


def _enough(items: list[str], k: int) -> list[str]:
    """At least k words where the text allows: the longest words split in two."""
    items = list(items)
    while len(items) < k:
        i = max(range(len(items)), key=lambda j: len(visible(items[j])), default=None)
        if i is None or len(items[i]) < 2 or "<" in items[i]:
            break
        half = len(items[i]) // 2
        items[i : i + 1] = [items[i][:half], items[i][half:]]
    return items


def wrap(items: list[str], width: int, label: int = 0) -> list[str]:
    """The fewest lines within width (a word wider than width has a line of its own), balanced:
    the narrowest widest line for that many lines. label: width taken on the first line."""
    sizes = [len(visible(w)) for w in items]

    def fill(limit: int) -> list[list[str]]:
        out: list[list[str]] = [[]]
        used = label
        for word, size in zip(items, sizes, strict=True):
            if out[-1] and used + 1 + size > limit:
                out.append([])
                used = 0
            used += size + (1 if out[-1] else 0)
            out[-1].append(word)
        return out

    best = fill(width)
    low, high = max(math.ceil((label + sum(sizes) + len(sizes) - 1) / len(best)), 1), width
    while low < high:  # the narrowest limit that needs no more lines (fewer lines as it widens)
        middle = (low + high) // 2
        found = fill(middle)
        if len(found) <= len(best):
            best, high = found, middle
        else:
            low = middle + 1
    return [" ".join(line) for line in best]


def lay_out(
    article: Article, segments: list[Segment], chosen: dict[int, str], limits: SubtitleLimits | None = None
) -> Laid:
    """The subtitle file with chosen[i] (segment index -> translation) laid into the cues."""
    limits = limits or SubtitleLimits()
    by_index = {p.index: p for p in article.paragraphs}
    newline = "\r\n" if any(isinstance(p, str) and "\r\n" in p for p in article.layout) else "\n"
    of_paragraph: dict[int, list[int]] = {}
    for i, seg in enumerate(segments):
        of_paragraph.setdefault(seg.paragraph, []).append(i)
    tokens: list[str | _Piece] = []
    cue = -1

    def literal(text: str) -> None:
        nonlocal cue
        cue += sum(1 for line in _NEWLINE.split(text) if _is_timing(line))
        tokens.append(text)

    for part in article.layout:
        if isinstance(part, str):
            literal(part)
            continue
        paragraph = by_index[part]
        source = paragraph.original()
        if paragraph.kind != KIND:
            tokens.append(source)
            continue
        pieces: list[_Piece] = []
        cursor, offset = 0, 0
        for spans in flatten(source):
            start, end = spans[0][0], spans[-1][1]
            if start > cursor:
                literal(source[cursor:start])
            before = tokens[-1] if tokens and isinstance(tokens[-1], str) else ""
            label = len(visible(_NEWLINE.split(before)[-1]))
            text = " ".join(source[a:b] for a, b in spans)
            piece = _Piece(part, cue, source[start:end], text, offset, label)
            pieces.append(piece)
            tokens.append(piece)
            offset += len(text) + 1
            cursor = end
        if cursor < len(source):
            literal(source[cursor:])
        _distribute(paragraph.text, pieces, [(i, segments[i]) for i in of_paragraph.get(part, [])], chosen)
    _wrap_cues([t for t in tokens if isinstance(t, _Piece)], limits)
    text = "".join(
        t if isinstance(t, str) else t.source if not t.changed else newline.join(t.lines) for t in tokens
    )
    return Laid(text, _notes(text, [t for t in tokens if isinstance(t, _Piece)], limits))


def _is_timing(line: str) -> bool:
    try:
        return timing(line) is not None
    except ValueError:
        return False


def _distribute(
    text: str, pieces: list[_Piece], segs: list[tuple[int, Segment]], chosen: dict[int, str]
) -> None:
    """Each sentence's translation shared out over the cues its source ran through."""
    if sum(len(s.text) + len(s.gap) for _, s in segs) != len(text):  # not this paragraph's split
        joined = " ".join(chosen.get(i, s.text) for i, s in segs)
        changed = any(i in chosen and normalize(chosen[i]) != s.msgid for i, s in segs)
        segs = [(segs[0][0], Segment(segs[0][1].paragraph, 0, text, "", normalize(text)))] if segs else []
        chosen = {segs[0][0]: joined} if changed and segs else {}
    at = 0
    for i, seg in segs:
        a, b = at, at + len(seg.text)
        at = b + len(seg.gap)
        touched = [p for p in pieces if p.start < b and a < p.start + len(p.text)]
        if not touched:
            continue
        target = chosen.get(i)
        same = target is None or normalize(target) == seg.msgid
        for piece in touched:
            piece.segments.add(i)
            piece.changed = piece.changed or not same
        if same:
            for piece in touched:
                piece.parts.append(text[max(a, piece.start) : min(b, piece.start + len(piece.text))])
            continue
        overlaps = [weight_of(text[max(a, p.start) : min(b, p.start + len(p.text))]) or 1 for p in touched]
        for piece, run in zip(touched, share(words(target or ""), overlaps), strict=True):
            piece.parts.append(" ".join(run))


def _wrap_cues(pieces: list[_Piece], limits: SubtitleLimits) -> None:
    """Each changed turn wrapped on its own (unchanged turns keep their source lines), after
    words are moved to a neighbouring cue of the same paragraph where a cue would not fit."""
    budgets = _budgets(pieces, limits)
    by_paragraph: dict[int, list[_Piece]] = {}
    for piece in pieces:
        if piece.changed:
            piece.lines = words(" ".join(x for x in piece.parts if x.strip()))  # words, until wrapped
            by_paragraph.setdefault(piece.paragraph, []).append(piece)
    for group in by_paragraph.values():
        _fit(group, budgets, limits.line_length)
        if all(not _open_tags([p.text]) for p in group):
            _close_per_cue(group)
    for piece in pieces:
        if piece.changed:
            piece.lines = wrap(piece.lines, limits.line_length, piece.label) if piece.lines else [""]


def _open_tags(items: list[str], carried: list[str] | None = None) -> list[str]:
    """The styling tags still open after items (their opening tags, outermost first)."""
    stack = list(carried or [])
    for tag in _STYLE_TAG.finditer(" ".join(items)):
        if not tag.group(1):
            stack.append(tag.group())
            continue
        names = [_STYLE_TAG.match(t).group(2) for t in stack]  # type: ignore[union-attr]
        if tag.group(2) in names:
            at = len(names) - 1 - names[::-1].index(tag.group(2))
            del stack[at:]
    return stack


def _close_per_cue(group: list[_Piece]) -> None:
    """Where each source cue's tags were closed in the cue (as players read them, one cue at a
    time), a tag the translation carries over a cue boundary is closed at the end of the cue
    and opened again at the start of the next."""
    carried: list[str] = []
    for j, piece in enumerate(group):
        if not piece.lines:
            continue
        if carried and (j == 0 or group[j - 1].cue == piece.cue - 1):
            piece.lines[0] = "".join(carried) + piece.lines[0]
        still = _open_tags(piece.lines)
        closing = "".join(f"</{_STYLE_TAG.match(t).group(2)}>" for t in reversed(still))  # type: ignore[union-attr]
        piece.lines[-1] += closing
        carried = still


def _budgets(pieces: list[_Piece], limits: SubtitleLimits) -> dict[int, int]:
    """Lines each changed turn may take: its cue's lines less those of unchanged turns, shared
    among the changed turns (at least one each; the longer turns get what is left over)."""
    by_cue: dict[int, list[_Piece]] = {}
    for piece in pieces:
        by_cue.setdefault(piece.cue, []).append(piece)
    budgets: dict[int, int] = {}
    for group in by_cue.values():
        changed = [p for p in group if p.changed]
        if not changed:
            continue
        kept = sum(len(_NEWLINE.split(p.source)) for p in group if not p.changed)
        budget = max(limits.lines - kept, len(changed))
        for p in changed:
            budgets[id(p)] = budget // len(changed)
        for p in sorted(changed, key=lambda p: -len(" ".join(p.parts)))[: budget % len(changed)]:
            budgets[id(p)] += 1
    return budgets


def _fit(group: list[_Piece], budgets: dict[int, int], width: int) -> None:
    """A cue over its lines gives its last word to the next cue, or its first to the previous
    one, while that cue still fits: the text keeps its order, cues keep at least one word."""

    def fits(items: list[str], piece: _Piece) -> bool:
        lines = wrap(items, width, piece.label)
        return len(lines) <= budgets[id(piece)] and all(len(visible(x)) <= width for x in lines)

    for _ in range(sum(len(p.lines) for p in group)):
        moved = False
        for j, piece in enumerate(group):
            if len(piece.lines) < 2 or fits(piece.lines, piece):
                continue
            after = group[j + 1] if j + 1 < len(group) and group[j + 1].cue == piece.cue + 1 else None
            before = group[j - 1] if j and group[j - 1].cue == piece.cue - 1 else None
            if after is not None and fits(piece.lines[-1:] + after.lines, after):
                after.lines.insert(0, piece.lines.pop())
                moved = True
            elif before is not None and fits(before.lines + piece.lines[:1], before):
                before.lines.append(piece.lines.pop(0))
                moved = True
        if not moved:
            break


def cue_texts(text: str) -> list[tuple[str, int, int, list[str]]]:
    """(timing line, start, end, text lines) of each cue of a subtitle file."""
    cues: list[tuple[str, int, int, list[str]]] = []
    inside = False
    for line in _NEWLINE.split(text):
        if not line.strip():
            inside = False
            continue
        if _is_timing(line):
            start, end = timing(line) or (0, 0)
            cues.append((line.strip(), start, end, []))
            inside = True
        elif inside:
            cues[-1][3].append(line)
    return cues


def _notes(text: str, pieces: list[_Piece], limits: SubtitleLimits) -> dict[int, list[str]]:
    """Per segment: the cues it shows in that are too fast to read or over the line limits."""
    showing: dict[int, set[int]] = {}
    for piece in pieces:
        showing.setdefault(piece.cue, set()).update(piece.segments)
    notes: dict[int, list[str]] = {}
    for n, (line, start, end, lines) in enumerate(cue_texts(text)):
        found = []
        chars = sum(len(visible(x.strip())) for x in lines)
        seconds = max(end - start, 1) / 1000
        if chars / seconds > limits.max_cps:
            found.append(
                f"{NOTE} cue {line}: {chars} characters in {seconds:.1f} s, "
                f"{chars / seconds:.0f} a second (over {limits.max_cps:g}); shorten the text"
            )
        widest = max((len(visible(x.rstrip())) for x in lines), default=0)
        if len(lines) > limits.lines or widest > limits.line_length:
            found.append(
                f"{NOTE} cue {line}: {len(lines)} lines, the longest {widest} characters "
                f"(limits: {limits.lines} lines of {limits.line_length}); shorten the text"
            )
        for i in showing.get(n, ()) if found else ():
            notes.setdefault(i, []).extend(found)
    return notes
