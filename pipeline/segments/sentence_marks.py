"""The characters that end, open and close sentences, and the pattern of a run of sentence ends.

A run of sentence terminators is Unicode's Sentence_Terminal, every script's (. ! ? … । ։ ۔ ። ။ 。
...), plus pySBD's terminators for the language (Greek ";", Armenian ":").
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache

from pysbd.languages import LANGUAGE_CODES

# Unicode's Sentence_Terminal=Yes (UAX #29; https://www.unicode.org/Public/16.0.0/ucd/PropList.txt),
# every script's full stops and question and exclamation marks (। ։ ۔ ። ။ 。 ...), frozen here as
# `regex`'s \p{Sentence_Terminal} reports it (re and unicodedata lack the property; a test checks
# that the two agree where regex is installed)
_SENTENCE_TERMINAL = (  # regular-expression class bodies: ranges of code points
    "\u0021\u002e\u003f\u0589\u061d-\u061f\u06d4\u0700-\u0702\u07f9\u0837\u0839\u083d-\u083e"
    "\u0964-\u0965\u104a-\u104b\u1362\u1367-\u1368\u166e\u1735-\u1736\u17d4-\u17d5\u1803\u1809"
    "\u1944-\u1945\u1aa8-\u1aab\u1b4e-\u1b4f\u1b5a-\u1b5b\u1b5e-\u1b5f\u1b7d-\u1b7f"
    "\u1c3b-\u1c3c\u1c7e-\u1c7f\u2024\u203c-\u203d\u2047-\u2049\u2cf9-\u2cfb\u2e2e\u2e3c"
    "\u2e53-\u2e54\u2e60-\u2e61\u3002\ua4ff\ua60e-\ua60f\ua6f3\ua6f7\ua876-\ua877\ua8ce-\ua8cf"
    "\ua92f\ua9c8-\ua9c9\uaa5d-\uaa5f\uaaf0-\uaaf1\uabeb\ufe12\ufe15-\ufe16\ufe52\ufe56-\ufe57"
    "\uff01\uff0e\uff1f\uff61"
)
_SENTENCE_TERMINAL_ASTRAL = (  # beyond U+FFFF: scanned only in texts that have such characters
    "\U00010a56-\U00010a57\U00010f55-\U00010f59\U00010f86-\U00010f89\U00011047-\U00011048"
    "\U000110be-\U000110c1\U00011141-\U00011143\U000111c5-\U000111c6\U000111cd"
    "\U000111de-\U000111df\U00011238-\U00011239\U0001123b-\U0001123c\U000112a9"
    "\U000113d4-\U000113d5\U0001144b-\U0001144c\U000115c2-\U000115c3\U000115c9-\U000115d7"
    "\U00011641-\U00011642\U0001173c-\U0001173e\U00011944\U00011946\U00011a42-\U00011a43"
    "\U00011a9b-\U00011a9c\U00011c41-\U00011c42\U00011ef7-\U00011ef8\U00011f43-\U00011f44"
    "\U00016a6e-\U00016a6f\U00016af5\U00016b37-\U00016b38\U00016b44\U00016d6e-\U00016d6f"
    "\U00016e98\U0001bc9f\U0001da88"
)
_TERMINAL = _SENTENCE_TERMINAL + "…"
# ends in scripts written without spaces between sentences (CJK, Ethiopic, Myanmar): no space needed
CJK_END = frozenset("。！？｡።፧፨။")
# a half-width (ASCII) digit glued to a CJK full stop continues the sentence, as in sentencex
# ("開発した。1999年、PHP 4の..."); a full-width digit opens one ("しています。２％台後半を...",
# where pySBD and sentencex agree). sentencex continues before any ASCII digit after a terminator;
# locpipe takes that only where no space separates them, in scripts written without spaces
ASCII_DIGITS = frozenset("0123456789")
# pySBD's terminators that Unicode files elsewhere are added per language: Greek ";" (the question
# mark U+037E folds to it), Armenian ":" typed for "։". Not Hindi's "|" (Markdown table syntax), nor
# Arabic and Persian ":" and "،", a colon and a comma there (sentencex and our golden set agree)
_NOT_TERMINAL = frozenset("|:،")
_TYPED_FOR_TERMINAL = {"hy": ":"}
# Armenian's "." is a pause, between a colon and a semicolon ("ասում էր. «Նա ..."), not a full stop
_PERIOD_IS_NO_END = frozenset({"hy"})
# marks that close a sentence or a quotation, marks that may open one, the quotation marks, spaces
CLOSERS = "\"'”’»)]}」』》〉›“‘"  # “ and ‘ close German quotes („…“)
OPENERS = "\"'“‘«„‚([{（「『《〈‹¿¡»`"
QUOTES = "\"'“”‘’„‚«»‹›`"
SPACE = " \t\n\r\f\v\u00a0\u2007\u202f\u3000"
SPACE_CHARS = frozenset(SPACE)


@lru_cache(maxsize=128)
def terminator_runs(language: str, astral: bool) -> re.Pattern[str]:
    """A run of sentence terminators: Unicode's for every language, plus pySBD's for this one.
    astral: the text has characters beyond U+FFFF (a class with such ranges scans 3x slower)."""
    rules = LANGUAGE_CODES.get(language)
    extra = set(getattr(rules, "Punctuations", [])) - _NOT_TERMINAL if rules else set()
    extra |= set(_TYPED_FOR_TERMINAL.get(language, ""))
    known = _TERMINAL + (_SENTENCE_TERMINAL_ASTRAL if astral else "")
    extra = {c for c in extra if not re.match(f"[{known}]", c)}
    ends = f"[{known}{re.escape(''.join(sorted(extra)))}]"
    if language in _PERIOD_IS_NO_END:
        return re.compile(f"(?:(?!\\.){ends})+")
    return re.compile(f"\\.(?: \\.){{2,}}|{ends}+")  # ". . ." too


def maybe_astral(text: str) -> bool:
    """Whether the text may hold characters beyond U+FFFF, without a scan: CPython stores such a
    string at four bytes a character, so its size says so. A short string may answer True falsely
    (then the slower pattern runs); a string with such a character never answers False."""
    return not text.isascii() and sys.getsizeof(text) > 4 * len(text) + 40
