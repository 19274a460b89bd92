"""Quotation marks and brackets that pair within a paragraph: a sentence end inside a pair that
closes later in the paragraph is no end ("How many? I don't know." / »Ja. Sicher.« / 《摔跤吧！爸爸》),
and straight quotes standing alone between spaces pair as sentencex pairs them ("saying ' ...
wrong . It should ... ' pay .")."""

from __future__ import annotations

import bisect
import re
import sys
from functools import lru_cache

from pipeline.segments.sentence_marks import OPENERS, SPACE, SPACE_CHARS

# quotation marks and brackets, with what closes each: a sentence end inside a pair that closes
# later in the paragraph is no end ("How many? I don't know." / »Ja. Sicher.« / 《摔跤吧！爸爸》 /
# "[page. 42]")
# fmt: off
_PAIRS = {
    '"': '"', "“": "”", "„": "“”", "«": "»", "»": "«", "‹": "›", "›": "‹", "‚": "‘’",
    "`": "`'", "'": "'", "(": ")", "[": "]",
    "《": "》", "「": "」", "『": "』", "〈": "〉", "【": "】", "（": "）",
}
_CJK_OPENERS = "《「『〈【（"
_OPENING = re.compile("[" + re.escape("".join(_PAIRS)) + "]")
# the closing mark ends a word: after a non-space, not before a letter or digit ("they'll")
_CLOSING = {
    o: re.compile(
        r"(?<=\S)(?<!')" + ("[ \u00a0\u202f]?" if o in "«‹" else "") + "[" + re.escape(c) + "]"
        + ("" if o in "《「『〈【（" else r"(?![\w'])")
    )
    for o, c in _PAIRS.items()
}
# fmt: on
_QUOTED_REACH = 600  # characters: a quotation longer than this is taken to be unclosed
_INTRODUCED = re.compile(r"[,:][ \t]+$")  # a quotation introduced by a comma or colon
_STRAIGHT_QUOTES = re.compile(r"(?<!')'{1,2}(?!')")
_PADDED_QUOTE = re.compile(r"'{1,2}\s")  # a straight quote before a space (standing alone if after one)
_INLINE_BREAK = re.compile(r"\.[ \t]+[A-Z]")
_NEW_UTTERANCE = re.compile(r"[ \t]+[A-Z]")


def reopened(text: str, at: int, mark: str) -> bool:
    """Whether a quotation mark standing alone after an end opens the next sentence rather than
    closing this one: the same mark comes again later in the paragraph (". ' Blessings of Baapu '")."""
    limit = min(len(text), at + _QUOTED_REACH)
    blank = text.find("\n\n", at, limit)
    return text.find(mark, at, blank if blank >= 0 else limit) >= 0


def quotations(text: str, first: int) -> list[tuple[int, int]]:
    """(opening, after closing) of each quotation or CJK bracket pair that closes in its paragraph,
    and of each pair of straight quotes standing alone (see padded_quotes)."""
    padded = padded_quotes(text)[0] if "'" in text else None
    return sorted(_marked(text, first) + padded) if padded else _marked(text, first)


def _marked(text: str, first: int) -> list[tuple[int, int]]:
    """(opening, after closing) of each quotation or CJK bracket pair that closes in its paragraph.

    An opening mark stands at a word start (after a space, a bracket or the text's start); its
    closing mark ends a word: "they'll" holds an apostrophe, not a closing quote."""
    spans: list[tuple[int, int]] = []
    at = first
    while (at := _next_opening(text, at)) >= 0:
        close = _closing(text, at)
        if close < 0:
            at += 1
            continue
        spans.append((at, close + 1))
        at = close + 1
    return spans


@lru_cache(maxsize=4)
def padded_quotes(text: str) -> tuple[list[tuple[int, int]], frozenset[int]]:
    """Pairs of straight quotes ("'" or "''") that open standing alone, between spaces, as in
    tokenised or typed text ("saying ' ... was wrong . It should ... councillors ' pay ."), and the
    marks that open: ([(opening, after closing)], {opening}). A mark pairs with the next one of
    its kind in the paragraph (not an apostrophe inside a word, not inside another quotation),
    except where the two look like back-to-back utterances: the span holds a sentence break, a
    capital follows the second, and the second opens a clean span itself ("through. ' The
    milkman ... doors. '  Guess you could eat something, eh, boy? ' he said": the first "'"
    closes a quotation, the second opens one). A stray mark before a capital opens the next
    sentence where a pair of its kind came before it ("'' she wrote . '' Why"). Where a
    paragraph holds an odd number of such marks, a pair across a sentence break does not hold
    the break ("itself '' . Lead editor ... and '' the"). sentencex pairs straight quotes so."""
    at = text.find("'")
    while at >= 0 and not ((at == 0 or text[at - 1] in SPACE) and _PADDED_QUOTE.match(text, at)):
        at = text.find("'", at + 1)
    if at < 0:  # no straight quote stands alone
        return [], frozenset()
    marked = _marked(text, len(text) - len(text.lstrip()))
    pairs: list[tuple[int, int]] = []
    opens: set[int] = set()
    for kind in ("'", "''"):
        size = len(kind)
        marks = [
            m.start()
            for m in _STRAIGHT_QUOTES.finditer(text)
            if len(m.group()) == size
            and not (text[m.start() - 1 : m.start()].isalnum() and text[m.end() : m.end() + 1].isalnum())
            and not _inside_any(m.start(), marked)
        ]
        for group in _paragraph_groups(text, marks):
            found = _pairs_of(text, group, size)
            paired = {a for a, _ in found} | {b - size for _, b in found}
            opens.update(a for a, _ in found)
            opens.update(
                at
                for at in group
                if at not in paired
                and _alone(text, at, size)
                and _NEW_UTTERANCE.match(text, at + size)
                and any(b <= at for _, b in found)
            )
            if len(group) % 2:
                found = [(a, b) for a, b in found if not _INLINE_BREAK.search(text, a, b)]
            pairs += found
    return sorted(pairs), frozenset(opens)


def _inside_any(at: int, spans: list[tuple[int, int]]) -> bool:
    """Whether `at` lies in one of the spans (sorted, apart): start <= at < end."""
    i = bisect.bisect_right(spans, (at, sys.maxsize))
    return i > 0 and at < spans[i - 1][1]


def _paragraph_groups(text: str, marks: list[int]) -> list[list[int]]:
    """The marks, grouped by paragraph (a blank line parts them)."""
    groups: list[list[int]] = []
    for at in marks:
        if groups and "\n\n" not in text[groups[-1][-1] : at]:
            groups[-1].append(at)
        else:
            groups.append([at])
    return groups


def _pairs_of(text: str, marks: list[int], size: int) -> list[tuple[int, int]]:
    """Pairs of one paragraph's marks of one kind, as padded_quotes says."""
    pairs = []
    pending = -1
    for i, at in enumerate(marks):
        if pending >= 0 and _pair(text, pending, at, size, marks[i + 1] if i + 1 < len(marks) else -1):
            pairs.append((pending, at + size))
            pending = -1
        else:
            pending = at
    return pairs


def _alone(text: str, at: int, size: int) -> bool:
    """Whether the mark at `at` stands alone: a space or the text's start before, a space after."""
    return (at == 0 or text[at - 1] in SPACE) and text[at + size : at + size + 1] in SPACE_CHARS


def _pair(text: str, opening: int, closing: int, size: int, later: int) -> bool:
    """Whether the marks at `opening` and `closing` pair (`later`: the next mark, or -1)."""
    if not _alone(text, opening, size):
        return False
    broken = _INLINE_BREAK.search(text, opening + size, closing)
    if not (broken and _NEW_UTTERANCE.match(text, closing + size)):
        return True
    # back to back utterances: the second mark opens the next quotation where that one is clean
    opens_clean = _alone(text, closing, size) and later >= 0
    return not (opens_clean and not _INLINE_BREAK.search(text, closing + size, later))


def _next_opening(text: str, at: int) -> int:
    """The next opening mark from `at`, or -1: at a word start (CJK brackets anywhere), not before
    a space. A straight "'" opens only before a capital ("'Gosh") or, after a comma or colon, a
    lower-case letter ("he went on, 'that you"): elsewhere it is an apostrophe ("Walter 's",
    "give 'em") or half of a doubled mark ("''"); one standing alone pairs as padded_quotes says."""
    while (found := _OPENING.search(text, at)) is not None:
        at = found.start()
        c = text[at]
        before = text[at - 1] if at else " "
        if c in _CJK_OPENERS:
            return at
        if before in SPACE or before in OPENERS:
            after = text[at + 1 : at + 2]
            if c != "'" and after and (after not in SPACE or c in "«‹"):
                return at  # French spaces its guillemets: « Nous partons. Tout de suite. »
            if (
                c == "'"
                and before != "'"
                and text[at + 1 : at + 2].isalpha()
                and (text[at + 1].isupper() or _INTRODUCED.search(text, max(0, at - 4), at))
            ):
                return at  # "'Gosh", "he went on, 'that you"; not "give 'em"

        at += 1
    return -1


def _closing(text: str, at: int) -> int:
    """Where the quotation opened at `at` closes, or -1: not past a blank line or _QUOTED_REACH."""
    limit = min(len(text), at + _QUOTED_REACH)
    blank = text.find("\n\n", at, limit)
    found = _CLOSING[text[at]].search(text, at + 1, blank if blank >= 0 else limit)
    return found.end() - 1 if found else -1
