"""Where GNU gettext may break a PO string line: libunistring's UAX #14 pair table and
greedy fill (u8_possible_linebreaks, u8_width_linebreaks), ported as they are, so our line
breaks are msgcat's.

The pair table is the one GNU gettext 0.21 with libunistring 1.0 applies: each cell was read
off msgcat's own output (a probe string per pair of classes, with and without a space); the
columns whose sample characters have no width (WJ, JV, JT, ZWJ) keep gnulib's 2017 values.
"""

from __future__ import annotations

import bisect
import unicodedata
from functools import lru_cache

from pipeline.catalogs.lbclasses import DATA

UNDEFINED, PROHIBITED, POSSIBLE, MANDATORY = 0, 1, 2, 3
# the classes with a row and column in the pair table, in libunistring's order
TABLE_CLASSES = tuple(
    "WJ GL B2 BA BB HY CL CP EX IN NS OP QU IS NU PO PR SY AL H2 H3 ID JL JV JT HL RI EB EM ZWJ".split()  # noqa: SIM905
)
_D, _I, _P = 1, 2, 3
_ROWS = """
WJ PIIIIIPPPIIIIPIIIPIIIIIIIIIIII
GL PIIIIIPPPIIIIPIIIPIIIIIIIIIIII
B2 PIPIDIPPPIIDIPDDDPDDDDDDDDDDDI
BA PDDIDIPPPIIDIPDDDPDDDDDDDDDDDI
BB PIIIIIPPPIIIIPIIIPIIIIIIIIIIII
HY PDDIDIPPPIIDIPIDDPDDDDDDDDDDDI
CL PIDIDIPPPIPDIPDIIPDDDDDDDDDDDI
CP PIDIDIPPPIIDIPIIIPIDDDDDDIDDDI
EX PIDIDIPPPIIDIPDDDPDDDDDDDDDDDI
IN PIDIDIPPPIIDIPDDDPDDDDDDDDDDDI
NS PIDIDIPPPIIDIPDDDPDDDDDDDDDDDI
OP PPPPPPPPPPPPPPPPPPPPPPPPPPPPPP
QU PIIIIIPPPIIPIPIIIPIIIIIIIIIIII
IS PIDIDIPPPIIDIPIDDPDDDDDDDDDDDI
NU PIDIDIPPPIIIIPIIIPIDDDDDDIDDDI
PO PIDIDIPPPIIIIPIDDPIDDDDDDIDDDI
PR PIDIDIPPPIIIIPIDDPIIIIIIIIDIII
SY PIDIDIPPPIIDIPIDDPDDDDDDDIDDDI
AL PIDIDIPPPIIIIPIIIPIDDDDDDIDDDI
H2 PIDIDIPPPIIDIPDIDPDDDDDIIDDDDI
H3 PIDIDIPPPIIDIPDIDPDDDDDDIDDDDI
ID PIDIDIPPPIIDIPDIDPDDDDDDDDDDDI
JL PIDIDIPPPIIDIPDIDPDIIDIIDDDDDI
JV PIDIDIPPPIIDIPDIDPDDDDDIIDDDDI
JT PIDIDIPPPIIDIPDIDPDDDDDDIDDDDI
HL PIDIDIPPPIIIIPIIIPIDDDDDDIDDDI
RI PIDIDIPPPIIDIPDDDPDDDDDDIDIDDI
EB PIDIDIPPPIIDIPDIDPDDDDDDIDDDII
EM PIDIDIPPPIIDIPDIDPDDDDDDIDDDDI
ZWJ PIIIIIPPPIIIIPIIIPIIIIIDIIIIII
"""
_RULE = {"D": _D, "I": _I, "P": _P}
TABLE = {
    row.split()[0]: dict(zip(TABLE_CLASSES, (_RULE[c] for c in row.split()[1]), strict=True))
    for row in _ROWS.strip().splitlines()
}
_STARTS: list[int] = []
_CLASSES: list[str] = []
for _item in DATA.split(","):
    _start, _cls = _item.split()
    _STARTS.append(int(_start, 16))
    _CLASSES.append(_cls)


@lru_cache(maxsize=4096)
def line_break_class(ch: str) -> str:
    cp = ord(ch)
    cls = _CLASSES[bisect.bisect_right(_STARTS, cp) - 1]
    if cls == "HG":  # Hangul syllables: LV every 28th, LVT between
        return "H2" if (cp - 0xAC00) % 28 == 0 else "H3"
    return cls


@lru_cache(maxsize=4096)
def column_width(ch: str) -> int:
    """libunistring's uc_width outside CJK encodings: wide and fullwidth take two columns,
    combining marks and format characters none, control characters none."""
    cp = ord(ch)
    if cp < 0x20 or 0x7F <= cp < 0xA0:
        return 0
    if cp == 0xAD:
        return 1
    if unicodedata.category(ch) in ("Mn", "Me", "Cf") or cp == 0x200B:
        return 0
    if 0x1160 <= cp <= 0x11FF or 0xD7B0 <= cp <= 0xD7FF:  # conjoining Hangul jamo
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def printable_ascii(text: str) -> bool:
    """Printable ASCII: classes in the pair table (or SP) and one column a character."""
    return text.isascii() and text.isprintable()


def _plain_linebreaks(text: str) -> list[int]:
    """possible_linebreaks for printable ASCII, where no character is BK, ZW or CM: the same
    pair-table walk with the classes as row numbers (wrapping is most of writing a catalog,
    and at 20,000 articles a msgid no longer waits in the wrap cache for its next catalog)."""
    out = [PROHIBITED] * len(text)
    last: list[int] | None = None  # the row of the last character that is not a space
    seen_space = False
    for i, ch in enumerate(text):
        row = _ROW_OF[ch]
        if row is None:  # SP
            seen_space = True
            continue
        if last is not None:
            rule = last[_COLUMN_OF[ch]]
            if rule == _D or (rule == _I and seen_space):
                out[i] = POSSIBLE
        last, seen_space = row, False
    return out


def possible_linebreaks(text: str) -> list[int]:
    """u8_possible_linebreaks: for each character, whether a line may break before it."""
    if printable_ascii(text):
        return _plain_linebreaks(text)
    out = [PROHIBITED] * len(text)
    last = "BK"  # class of the last character that is not a space
    seen_space: int | None = None
    seen_space2: int | None = None
    for i, ch in enumerate(text):
        cls = line_break_class(ch)
        if cls == "BK":
            out[i] = MANDATORY
            last, seen_space, seen_space2 = "BK", None, None
            continue
        q = i
        if cls == "SP":
            out[i] = PROHIBITED
            seen_space2, seen_space = seen_space, i
            continue
        if cls == "ZW":
            out[i] = PROHIBITED
            last, seen_space, seen_space2 = "ZW", None, None
            continue
        if cls == "CM":
            if last == "ZW":
                out[i] = POSSIBLE
                last = "ID"
                continue
            out[i] = PROHIBITED
            if seen_space is None:
                continue
            # a combining mark turns the space before it into an ideograph
            q, seen_space, cls = seen_space, seen_space2, "ID"
        if last == "BK":
            out[q] = PROHIBITED
        elif last == "ZW":
            out[q] = POSSIBLE
        else:
            rule = TABLE[last][cls]
            if rule == _D:
                out[q] = POSSIBLE
            elif rule == _I:
                out[q] = POSSIBLE if seen_space is not None else PROHIBITED
            else:
                out[q] = PROHIBITED
        last, seen_space, seen_space2 = cls, None, None
    return out


def width_linebreaks(text: str, width: int, start_column: int, overrides: list[int]) -> list[int]:
    """u8_width_linebreaks: the breaks a greedy fill to `width` columns takes (POSSIBLE)."""
    marks = possible_linebreaks(text)
    if printable_ascii(text):
        return _plain_width_linebreaks(marks, width, start_column, overrides)
    last_p: int | None = None
    last_column = start_column
    piece_width = 0
    for i, ch in enumerate(text):
        if overrides[i] != UNDEFINED:
            marks[i] = overrides[i]
        if marks[i] in (POSSIBLE, MANDATORY) and last_p is not None and last_column + piece_width > width:
            marks[last_p] = POSSIBLE
            last_column = 0
        if marks[i] == MANDATORY:
            last_p, last_column, piece_width = None, 0, 0
            continue
        if marks[i] == POSSIBLE:
            last_p = i
            last_column += piece_width
            piece_width = 0
        marks[i] = PROHIBITED
        piece_width += column_width(ch)
    if last_p is not None and last_column + piece_width > width:
        marks[last_p] = POSSIBLE
    return marks


def _plain_width_linebreaks(
    marks: list[int], width: int, start_column: int, overrides: list[int]
) -> list[int]:
    """width_linebreaks where every character takes one column and none is MANDATORY."""
    last_p: int | None = None
    last_column = start_column
    piece_width = 0
    for i, override in enumerate(overrides):
        mark = marks[i] if override == UNDEFINED else override
        if mark == POSSIBLE:
            if last_p is not None and last_column + piece_width > width:
                marks[last_p] = POSSIBLE
                last_column = 0
            last_p = i
            last_column += piece_width
            piece_width = 0
        marks[i] = PROHIBITED
        piece_width += 1
    if last_p is not None and last_column + piece_width > width:
        marks[last_p] = POSSIBLE
    return marks


_PRINTABLE = [chr(c) for c in range(0x20, 0x7F)]
_ROWS_BY_CLASS = {cls: [TABLE[cls][col] for col in TABLE_CLASSES] for cls in TABLE_CLASSES}
_ROW_OF = {
    ch: None if line_break_class(ch) == "SP" else _ROWS_BY_CLASS[line_break_class(ch)] for ch in _PRINTABLE
}
_COLUMN_OF = {
    ch: TABLE_CLASSES.index(line_break_class(ch)) for ch in _PRINTABLE if line_break_class(ch) != "SP"
}
