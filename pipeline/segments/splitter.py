"""Sentence boundaries as offsets into the source, so that reassembly is exact by construction.

A boundary is proposed after a run of sentence terminators (Unicode's Sentence_Terminal, every
script's: . ! ? … । ։ ۔ ። ။ 。 ..., plus pySBD's Greek ";" and Armenian ":") with the quotation
marks, brackets and citations ("[1]") that close it, and taken unless what surrounds it says
otherwise. The language knowledge is data, pooled from maintained libraries (see
abbreviations.py); the rules here are the ones that hold across languages and that the data lacks:

- a break is never taken before a lower-case letter (in Greek, see language_rules.py, only after
  an abbreviation; everywhere, after a period with no word before it: "(. in", see
  _OPEN_BRACKETS), a dash or other punctuation; it needs a space after it, except in scripts
  written without spaces (CJK, Ethiopic, Myanmar) and for a period glued to a capitalised word
  ("world.Today"); in scripts without spaces, an ASCII digit glued to the stop continues the
  sentence ("開発した。1999年、", as sentencex has it);
- a period after a known abbreviation, a single letter (initials: "О. Іваненко", "z. B."), or
  a dotted acronym ("A.Ş.", "U.S.", "m.in.") is no end; in English, where such a period may also
  end a sentence ("in the U.S. How", "at 6 p.m. He"), sentencex's data on sentence openers decides,
  and in Danish and German pySBD's: one of its opener words ends it where pySBD breaks too
  ("i E.U. Hvad", "& Co. Det"; not "z. B. Die Linke");
- in languages that write ordinals with a period ("3. Oktober", "1. Bölge", "19. yy.", "XII."), a
  period after a one- to three-digit number, a Roman numeral or a day and month is no end;
- an ellipsis ends a sentence before a capital, except as an elision mark "(...)" / "[…]" (and in
  English where sentencex's data says the sentence goes on: "I thought... I would go."; in Danish
  and German where pySBD does: "the thing is . . . I didn't mean it");
- an end inside a quotation or bracket pair that closes in the paragraph is no end
  ("How many? I don't know." / »Ja. Sicher.« / 《摔跤吧！爸爸》); straight quotes standing alone
  between spaces pair as sentencex pairs them ("saying ' ... wrong . It should ... ' pay .");
- a list run into one paragraph ("1. The first item 2. The second item") breaks before each marker;
- a line break before anything but a lower-case letter is a boundary;
- a dateline closed by a colon, and the commas of an Arabic paragraph without a single full stop,
  end a segment (unmarked_breaks.py);
- with markup, no boundary inside code spans, links, autolinks, URLs or e-mail addresses.

This module proposes and takes the boundaries; the character tables and the pattern of a run of
terminators are in sentence_marks.py, the per-language decisions on periods and ellipses in
language_rules.py, the pairing of quotation marks and brackets in quotations.py.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from pipeline.segments.abbreviations import folder_digest, versions
from pipeline.segments.language_rules import LOWER_CASE_OPENS, Rules, data_language
from pipeline.segments.quotations import padded_quotes, quotations, reopened
from pipeline.segments.sentence_marks import (
    ASCII_DIGITS,
    CJK_END,
    CLOSERS,
    OPENERS,
    QUOTES,
    SPACE,
    SPACE_CHARS,
    maybe_astral,
    terminator_runs,
)
from pipeline.segments.unmarked_breaks import COMMA_CLAUSES, comma_clauses, dateline_end

# bump when a rule here, in sentence_marks, language_rules or quotations changes what is split
VERSION = "8"
# a period right after an opening bracket, with a space after it ("bracket with period (. in it"),
# has no word before it, so it cannot end an abbreviation, listed or not: before a lower-case word
# it ends the sentence in every language, as a period does in Greek (pySBD and sentencex break
# there too). Not where the bracket closes later in the paragraph ("(. in it)"), nor "(.)"
_OPEN_BRACKETS = frozenset("([{（")
# after a sentence end: quotation marks standing alone (". ' The", "? '' Graham"), citations ("[1]")
_AFTER_END = frozenset(CLOSERS + QUOTES + "[")  # what _sentence_end looks at, right or one after
_LONE_QUOTE = re.compile(r"[ \t]+(''|[\"'”’»])(?=\s|$)")
_CITATIONS = re.compile(r"(?:\s?\[\d{1,3}\])*")
_PARTICLE = re.compile(r"[\u3041-\u309f]")  # hiragana: a particle after a closing bracket
_ELLIPSIS_WORD = re.compile(r"(?:\.{3}|…)[^\W\d_]")
# a period glued to the next sentence: "world.Today", "1,000.That", "жағдайы.XVIII"
_GLUED = re.compile(
    r"(?:(?<=[^\W\d_]{2})(?<=[^\W\d_A-Z])|(?<=\d))\.(?=(?:[^\W\d_][^\W\d_A-Z]+|[IVXLCDM]{2,})(?![\w@/]))"
)
# a list item's marker: "1.", "1.)", "1)", "a.", "• 9.", "⁃10." at a word start, before a word
_MARKER = re.compile(r"(?<!\S)(?:[•⁃]\s?)?(\d{1,2}|[a-z])(?:\.\)|[.)])(?=\s+[^\W\d_])")
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


def segmentation_key(abbreviations: Path | None = None) -> str:
    """Digest of what decides boundaries: these rules, the libraries' versions, the desk's lists."""
    data = {"version": VERSION, "libraries": versions(), "desk": folder_digest(abbreviations)}
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]




def _spaced(text: str, run: str, at: int, end: int, following: int) -> bool:
    """Whether a space separates the end from what follows, or the period is glued to the next
    sentence ("world.Today"): not in "example.com", "U.S.A" or "3.5"."""
    return following > end or (run == "." and _GLUED.match(text, at) is not None)


def _starts_sentence(text: str, at: int) -> bool:
    """Whether the text at `at` can open a sentence: not lower case, not a dash or a comma."""
    while at < len(text) and text[at] in OPENERS:
        at += 1
        while at < len(text) and text[at] in SPACE:  # French: « Nous
            at += 1
    if at >= len(text):
        return False
    c = text[at]
    if c in ".…" and _ELLIPSIS_WORD.match(text, at):
        return True  # "raak. ...en toen": an ellipsis glued to the word opens the sentence
    return (c.isalpha() and not c.islower()) or c.isdigit()


def sentence_starts(
    text: str, language: str, markup: bool = False, abbreviations: Path | None = None
) -> list[int]:
    """Offsets where sentences start; always begins with the first non-space character."""
    first = len(text) - len(text.lstrip())
    if first >= len(text):
        return []
    rules: Rules | None = None
    guarded = [m.span() for m in _UNBREAKABLE.finditer(text)] if markup else []
    quoted: list[tuple[int, int]] | None = None  # found on first need: most ends are decided before
    items = _list_items(text, first)
    starts = {first, *(start for start, _ in items)}
    since = first  # where the sentence being read starts
    astral = maybe_astral(text)
    size = len(text)
    lower_opens = data_language(language) in LOWER_CASE_OPENS
    if ":" in text and (head := dateline_end(text, first)) is not None and not _inside(head, guarded):
        starts.add(head)
    stopped = False  # whether the text has a sentence end at all (not "3.5", "example.com")
    for match in terminator_runs(data_language(language), astral).finditer(text, first):
        run, at, end = match.group(), match.start(), match.end()
        stopped = stopped or end >= size or text[end] in SPACE_CHARS or text[end] in _AFTER_END
        if markup or (end < size and text[end] in _AFTER_END) or text[end + 1 : end + 2] in _AFTER_END:
            end = _sentence_end(text, end, markup)
        following = end
        while following < size and text[following] in SPACE:
            following += 1
        if following >= size or (guarded and _inside(at, guarded)):
            continue
        if items:
            if _inside(at, items):
                continue
            since = max(since, *(start for start, _ in items if start <= at))
        if not CJK_END.isdisjoint(run):
            if text[following] in CLOSERS or (end > match.end() and _PARTICLE.match(text, following)):
                continue  # 「…。」と彼は言った: the quotation is part of the sentence that cites it
            if following == end and text[following] in ASCII_DIGITS:
                continue  # "開発した。1999年、": sentencex's convention, see ASCII_DIGITS
        elif not _spaced(text, run, at, end, following):
            continue
        elif not _starts_sentence(text, following):
            bare = text[at - 1 : at] in _OPEN_BRACKETS and end == at + 1  # "(. in": see _OPEN_BRACKETS
            if not ((bare or lower_opens) and run == "." and following > end and text[following].islower()):
                continue
            if not bare:
                rules = rules or Rules(language, abbreviations)
                if not rules.ends_before_lower_case(text, at, since):
                    continue  # "π.χ. το": an abbreviation, an initial
        elif run.startswith(". . . .") and text[at - 1 : at] not in SPACE:
            following = at + 2  # "compounds. . . . The practice": a period, then an ellipsis that opens
        elif run == "." or set(run) <= {".", "…", " "}:
            rules = rules or Rules(language, abbreviations)
            if not (rules.period_ends if run == "." else rules.ellipsis_ends)(text, at, following, since):
                continue
        quoted = quotations(text, first) if quoted is None else quoted
        if not (quoted and _within(at, end, quoted)):
            starts.add(following)
            since = following
    if not stopped and data_language(language) in COMMA_CLAUSES:
        quoted = quotations(text, first) if quoted is None else quoted
        starts.update(at for at in comma_clauses(text, first) if not _inside(at, guarded + quoted))
    for match in _NEWLINE.finditer(text, first):
        if _starts_sentence(text, match.end()) and not _inside(match.end(), guarded):
            starts.add(match.end())
    return sorted(starts)


def _list_items(text: str, first: int) -> list[tuple[int, int]]:
    """The markers of a list run into one paragraph ("1. The first item 2. The second item",
    "a. ... b. ...", "• 9. ... • 10. ...", "1) ... 2) ..."): each opens a sentence and its period is
    no end. Only a list that opens the text and counts on by one, so "der 1. Liga und der 2. Liga"
    keeps its ordinals."""
    if not _MARKER.match(text, first):
        return []
    items: list[tuple[int, int]] = []
    expected = ""
    for found in _MARKER.finditer(text, first):
        label = found.group(1)
        if expected and label != expected:
            continue
        if not items and found.start() != first:
            break
        items.append(found.span())
        expected = str(int(label) + 1) if label.isdigit() else chr(ord(label) + 1)
    return items if len(items) > 1 else []


def _sentence_end(text: str, end: int, markup: bool) -> int:
    """Where the sentence whose terminators end at `end` ends: with the quotation marks and
    brackets right after them, a closing mark standing alone, citations and (markup) end tags."""
    while end < len(text) and (text[end] in CLOSERS or text[end] in QUOTES):
        end += 1  # a quotation mark right after the end closes it
    lone = _LONE_QUOTE.match(text, end)
    if lone and not (
        lone.start(1) in padded_quotes(text)[1]
        if lone.group(1)[0] == "'"
        else reopened(text, lone.end(), lone.group(1)[0])
    ):
        end = lone.end()
    if end < len(text) and text[end] in " \t[":
        end = _CITATIONS.match(text, end).end()  # type: ignore[union-attr]
    while markup and (tag := _END_TAG.match(text, end)):
        end = tag.end()  # end tags close the sentence before them, not open the next
    return end


def _within(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Whether the run start..end lies inside a span, before its closing mark."""
    return any(s < start and end < e for s, e in spans)


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
