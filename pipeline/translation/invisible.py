"""Characters a reviewer cannot see: bidi controls ("Trojan Source", U+202E) and invisible
format characters (zero-width space, soft hyphen, word joiner, BOM). A sentence holding one
reads differently from what it is; each is named in a `#. check:` note, in the source and in
a reviewed translation, and none is sent to the model (it never saw them in training, and a
reversed span would come back scrambled).

Zero-width joiner and non-joiner (U+200D, U+200C) are not flagged: Persian, the Indic scripts
and emoji sequences need them. U+2068/U+2069 around a protected span in a right-to-left
translation are locpipe's own (pipeline.translation.protect) and not flagged there.
"""

from __future__ import annotations

import re
import unicodedata

CHECK = "check:"  # pipeline.translation.checks's note prefix; imported from here, not there
HIDDEN = re.compile(
    "[\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U0001d173-\U0001d17a\U000e0001]"
)
ISOLATES = "\u2068\u2069"
SHOWN_AT_MOST = 5


def hidden_characters(text: str, allowed: str = "") -> list[tuple[int, str]]:
    """(column, character), columns counted from 1 as editors count them."""
    return [(m.start() + 1, m.group()) for m in HIDDEN.finditer(text) if m.group() not in allowed]


def hidden_notes(text: str, where: str, allowed: str = "") -> list[str]:
    """`check: invisible character U+202E RIGHT-TO-LEFT OVERRIDE at column 23 of the source`."""
    found = hidden_characters(text, allowed)
    notes = [
        f"{CHECK} invisible character U+{ord(ch):04X} {unicodedata.name(ch, 'FORMAT CHARACTER')} "
        f"at column {col} of the {where}"
        for col, ch in found[:SHOWN_AT_MOST]
    ]
    if len(found) > SHOWN_AT_MOST:
        notes.append(f"{CHECK} {len(found) - SHOWN_AT_MOST} more invisible characters in the {where}")
    return notes


def without_hidden(text: str) -> str:
    """What the model is given: the text without them."""
    return HIDDEN.sub("", text) if HIDDEN.search(text) else text


def shown(text: str) -> str:
    """A note's copy of text with each one written out as <U+202E>, so a note cannot reverse."""
    return HIDDEN.sub(lambda m: f"<U+{ord(m.group()):04X}>", text) if HIDDEN.search(text) else text
