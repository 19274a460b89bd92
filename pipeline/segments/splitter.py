"""Sentence boundaries from pySBD, mapped back to offsets in the original text.

pySBD's rules handle abbreviations ("Mr.", "U.S.", "No. 5"), decimals, quotes and
ellipses per language. Even with clean=False it can drop or add characters, so its
sentences are used only to find where each sentence *starts*; the text between two
starts is taken from the source itself, which makes reassembly exact by construction.

pySBD has no rules for some languages (Ukrainian, Turkish, ...). FALLBACK names the
closest language whose abbreviation and punctuation rules fit; anything else uses the
English rules, which split on . ! ? and keep decimals and common abbreviations intact.
A break before a lower-case letter is never taken: in cased scripts it follows an
abbreviation the rules do not know.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pysbd
from pysbd.languages import LANGUAGE_CODES

FALLBACK: dict[str, str] = {
    "uk": "ru",  # Cyrillic, same quotes and abbreviation style
    "be": "ru",
    "bg": "bg",
    "sr": "ru",
    "tr": "en",
    "pb": "en",
    "pt": "es",
    "zt": "zh",
    "ko": "ja",
}


def splitter_language(language: str) -> str:
    if language in LANGUAGE_CODES:
        return language
    fallback = FALLBACK.get(language, "en")
    return fallback if fallback in LANGUAGE_CODES else "en"


@lru_cache(maxsize=64)
def _segmenter(language: str) -> pysbd.Segmenter:
    return pysbd.Segmenter(language=splitter_language(language), clean=False)


_SPACE = re.compile(r"\s+")
# never split inside these: a "!" or "." in them is not a sentence end
_UNBREAKABLE = re.compile(
    r"(`+).+?\1"  # code span
    r"|!?\[[^\]]*\]\([^)]*\)"  # link or image
    r"|<[^<>\s]+>"  # autolink or inline HTML
    r"|</?[A-Za-z][^<>]*>"  # an HTML tag with attributes
    r"|\b(?:https?|ftp)://\S+|\b[\w.+-]+@[\w-]+\.[\w.-]+"  # URL, e-mail
)


_CLOSING = re.compile(r"(?:</[A-Za-z][^<>]*>\s*)+")
# where a sentence could end inside a text; a text without one is one sentence
_CANDIDATE = re.compile(r"[.!?…;:][\"'”’»)\]]*(?:</[A-Za-z][^<>]*>)*\s+\S|[。！？]\S|\n")


def sentence_starts(text: str, language: str, markup: bool = False) -> list[int]:
    """Offsets where sentences start; always begins with the first non-space character."""
    first = len(text) - len(text.lstrip())
    if first >= len(text):
        return []
    if not _CANDIDATE.search(text, first):
        return [first]  # pySBD is the slow part of segmenting: skip it where it cannot split
    starts = [first]
    cursor = first
    guarded = [m.span() for m in _UNBREAKABLE.finditer(text)] if markup else []
    for sentence in _segmenter(language).segment(text):
        probe = sentence.strip()[:24]
        if not probe:
            continue
        found = text.find(probe, cursor)
        if found < 0:
            # pySBD altered the text: look for the first word only
            word = _SPACE.split(probe, maxsplit=1)[0]
            found = text.find(word, cursor) if word else -1
        closing = _CLOSING.match(text, found) if markup and found >= 0 else None
        if closing and closing.end() < len(text):
            found = closing.end()  # end tags close the sentence before them, not open the next
        # a "sentence" starting in lower case follows an abbreviation pySBD's rules for the
        # language do not know ("т. зв. допомоги", "vb. gibi"): keep it with its sentence
        if found > starts[-1] and not text[found].islower() and not _inside(found, guarded):
            starts.append(found)
        if found >= 0:
            cursor = max(cursor, found + 1)
    return starts


def _inside(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < offset < end for start, end in spans)


def split_sentences(text: str, language: str, markup: bool = False) -> list[tuple[str, str]]:
    """(sentence, whitespace after it) pairs whose concatenation is text minus leading space.
    markup: the text is Markdown or HTML inline content; no break inside code, links, tags or URLs."""
    starts = sentence_starts(text, language, markup)
    pieces: list[tuple[str, str]] = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        chunk = text[start:end]
        body = chunk.rstrip()
        pieces.append((body, chunk[len(body) :]))
    return pieces
