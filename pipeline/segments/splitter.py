"""Sentence boundaries as offsets into the source, so that reassembly is exact by construction.

A boundary is proposed after . ! ? … (and 。！？ ؟) plus any closing quotes or brackets, and
taken unless what surrounds it says otherwise. The language knowledge is data, pooled from
maintained libraries (see abbreviations.py); the rules here are the ones that hold across
languages and that the data lacks:

- a break is never taken before a lower-case letter, a dash or other punctuation;
- a period after a known abbreviation, a single letter (initials: "О. Іваненко", "z. B."), or
  a dotted acronym ("A.Ş.", "U.S.", "m.in.") is no end;
- in languages that write ordinals with a period ("3. Oktober", "1. Bölge", "19. yy."), a
  period after a one- to three-digit number or a day and month ("am 12.01. im Rathaus") is no end;
- an ellipsis ends a sentence before a capital, except as an elision mark "(...)" / "[…]";
- a line break before anything but a lower-case letter is a boundary;
- with markup, no boundary inside code spans, links, autolinks, URLs or e-mail addresses.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from pipeline.segments.abbreviations import (
    builtin,
    folder_digest,
    has_lists,
    sentencex_knows,
    user_list,
    versions,
)

VERSION = "2"  # bump when a rule here changes what is split
# Argos and gettext codes whose data is filed under another code
DATA_LANGUAGE = {"pb": "pt", "zt": "zh", "nb": "no", "nn": "no"}
# languages that write ordinal numbers with a period after the digits
ORDINAL_PERIOD = frozenset(
    {"de", "tr", "da", "no", "fi", "et", "lv", "lt", "hu", "cs", "sk", "sl", "hr", "sr", "bs", "is", "fo"}
    | {"pl", "az", "eu"}
)

_END = re.compile(r"[.!?…؟。！？]+")
_CJK_END = frozenset("。！？")
_CLOSERS = "\"'”’»)]}」』》〉›“‘"  # “ and ‘ close German quotes („…“)
_OPENERS = "\"'“‘«„‚([{（「『《〈‹¿¡"
_SPACE = " \t\n\r\f\v\u00a0\u2007\u202f\u3000"
_DAY_MONTH = re.compile(r"\d{1,2}\.\d{1,2}")
_ACRONYM = re.compile(r"(?:[^\W\d_]{1,2}\.)+[^\W\d_]{1,2}")
_WORD_BEFORE = re.compile(r"\S*$")
_NEWLINE = re.compile(r"\n\s*(?=\S)")
_END_TAG = re.compile(r"</[A-Za-z][^<>]*>")
# never split inside these: a "!" or "." in them is not a sentence end
_UNBREAKABLE = re.compile(
    r"(`+)[\s\S]+?\1"  # code span, over line breaks too
    r"|<code\b[^>]*>[\s\S]*?</code\s*>"  # an HTML code element
    r"|!?\[[^\]]*\]\([^)]*\)"  # link or image
    r"|<[^<>\s]+>"  # autolink or inline HTML
    r"|</?[A-Za-z][^<>]*>"  # an HTML tag with attributes
    r"|\b(?:https?|ftp)://\S+|\b[\w.+-]+@[\w-]+\.[\w.-]+"  # URL, e-mail
)


def data_language(language: str) -> str:
    base = re.split(r"[-_@]", language.lower(), maxsplit=1)[0]
    return DATA_LANGUAGE.get(base, base)


def segmentation_key(abbreviations: Path | None = None) -> str:
    """Digest of what decides boundaries: these rules, the libraries' versions, the desk's lists."""
    data = {"version": VERSION, "libraries": versions(), "desk": folder_digest(abbreviations)}
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


def _starts_sentence(text: str, at: int) -> bool:
    """Whether the text at `at` can open a sentence: not lower case, not a dash or a comma."""
    while at < len(text) and text[at] in _OPENERS:
        at += 1
        while at < len(text) and text[at] in _SPACE:  # French: « Nous
            at += 1
    if at >= len(text):
        return False
    c = text[at]
    return (c.isalpha() and not c.islower()) or c.isdigit()


class _Rules:
    """The decisions for one language and one desk list."""

    def __init__(self, language: str, abbreviations: Path | None) -> None:
        self.language = data_language(language)
        self.data = builtin(self.language)
        self.desk = user_list(abbreviations, self.language)
        self.ordinals = self.language in ORDINAL_PERIOD
        # sentencex's lists are wider and less exact ("no." and "Istat." are abbreviations to
        # it in Spanish and Italian): it leads only where Moses and pySBD have no list
        self.sentencex = not has_lists(self.language)

    def abbreviation(self, word: str, before_number: bool) -> bool:
        desk = self.desk is not None and self.desk.knows(word, before_number)
        return desk or self.data.knows(word, before_number)

    def labelled(self, text: str, at: int) -> bool:
        """Whether the number at `at` follows a label ("nr 7", "A 7", "No. 7"): a count, not a rank."""
        words = text[max(0, at - 40) : at].split()
        label = words[-1].rstrip(".") if words else ""
        if len(label) == 1:
            return label.isupper()
        return self.abbreviation(label, True) and not self.abbreviation(label, False)

    def period_ends(self, text: str, at: int, following: int) -> bool:
        """Whether the period at `at` ends a sentence; `following`: where the next one would start."""
        found = _WORD_BEFORE.search(text, max(0, at - 80), at)
        word = found.group().lstrip(_OPENERS) if found else ""
        if not word or word[-1] in _CLOSERS:
            return True  # «...готові». : the quote closed the sentence
        before_number = text[following].isdigit()
        if word.isdigit():  # Moses lists hold ordinals as words: only the ordinal rule decides
            rank = self.ordinals and not before_number and len(word) <= 2
            return not (rank and not self.labelled(text, at - len(word)))
        for candidate in {word, re.split(r"['’(]", word)[-1]}:
            if not candidate:
                continue
            if len(candidate) == 1 and candidate.isalpha():
                return False  # an initial
            if _ACRONYM.fullmatch(candidate) or self.abbreviation(candidate, before_number):
                return False
            if self.ordinals and not before_number and _DAY_MONTH.fullmatch(candidate):
                return False  # "am 12.01. im Rathaus"
            if self.sentencex and candidate[-1].isalpha() and sentencex_knows(self.language, candidate):
                return False
        return True


def sentence_starts(
    text: str, language: str, markup: bool = False, abbreviations: Path | None = None
) -> list[int]:
    """Offsets where sentences start; always begins with the first non-space character."""
    first = len(text) - len(text.lstrip())
    if first >= len(text):
        return []
    rules: _Rules | None = None
    guarded = [m.span() for m in _UNBREAKABLE.finditer(text)] if markup else []
    starts = {first}
    for match in _END.finditer(text, first):
        run = match.group()
        end = match.end()
        while end < len(text) and (
            text[end] in _CLOSERS or (text[end] in _SPACE and text[end + 1 : end + 2] == "»")
        ):
            end += 1
        while markup and (tag := _END_TAG.match(text, end)):
            end = tag.end()  # end tags close the sentence before them, not open the next
        following = end
        while following < len(text) and text[following] in _SPACE:
            following += 1
        if following >= len(text) or _inside(match.start(), guarded):
            continue
        if any(c in _CJK_END for c in run):
            if text[following] not in _CLOSERS:
                starts.add(following)
            continue
        if following == end or not _starts_sentence(text, following):
            continue
        if run == ".":
            rules = rules or _Rules(language, abbreviations)
            if not rules.period_ends(text, match.start(), following):
                continue
        elif set(run) <= {".", "…"} and text[match.start() - 1 : match.start()] in ("(", "["):
            continue  # "(...)": words left out of a quote
        starts.add(following)
    for match in _NEWLINE.finditer(text, first):
        if _starts_sentence(text, match.end()) and not _inside(match.end(), guarded):
            starts.add(match.end())
    return sorted(starts)


def _inside(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < offset < end for start, end in spans)


def split_sentences(
    text: str, language: str, markup: bool = False, abbreviations: Path | None = None
) -> list[tuple[str, str]]:
    """(sentence, whitespace after it) pairs whose concatenation is text minus leading space.
    markup: the text is Markdown or HTML inline content; no break inside code, links, tags or URLs.
    abbreviations: the desk's folder of <language>.txt lists."""
    starts = sentence_starts(text, language, markup, abbreviations)
    pieces: list[tuple[str, str]] = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        chunk = text[start:end]
        body = chunk.rstrip()
        pieces.append((body, chunk[len(body) :]))
    return pieces
