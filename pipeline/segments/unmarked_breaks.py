"""Boundaries that no sentence terminator marks, where the writer's convention makes one:

- a dateline closed by a colon ("الاحد, 21 فبراير/ شباط, 2010, 05:01 GMT الصنداي تايمز: رئيس ...",
  "Sunday, 21 February 2010, 05:01 GMT The Sunday Times: Mossad chief ..."): a header that
  opens the paragraph with a year and a clock time with its zone, and names at most a source
  after them, which a translator and a translation memory meet again and again, is a unit of
  its own, not the start of the lead sentence. Otherwise a colon goes on ("سؤال وجواب: ماذا
  حدث", "في الساعة 15:00، قال:", "In 2010, at 10:00 the minister said: ...", "At the 2019
  meeting at 9:00 EST the chairman said: ..."), as sentencex and our Arabic golden set have it;
- an Arabic paragraph written without a single full stop, question or exclamation mark, its
  clauses chained with commas ("... ضغط الدم، والقلب، زرعها عملاء الموساد ...، وقرر الطبيب ...،
  وبدأت ..."): its commas take the role of sentence ends, as pySBD reads them, so that the model
  gets clauses rather than one run of forty words. Not before a one-word list item ("الدم،
  والقلب،", pySBD's rule), and only between clauses of at least three words each. In a paragraph
  that has sentence ends, a comma is a comma (sentencex and our golden set agree).
"""

from __future__ import annotations

import re

from pipeline.segments.sentence_marks import SPACE

# a header up to its first colon that ends a word (not a clock's: "05:01"), before a space
_HEADER = re.compile(r"[^\n]{1,160}?(?<=[^\s\d]):(?=[ \t\u00a0]+\S)")
_YEAR = re.compile(r"(?<![\d:])(?:1[5-9]|20)\d\d(?![\d:])")
_CLOCK = re.compile(r"(?<!\d)[0-2]?\d:[0-5]\d(?::[0-5]\d)?")
# a time zone, as a timestamp gives it: "GMT", "UTC", "EST", "CEST", "Z", "+02:00"
_ZONE = re.compile(r"(?:GMT|UTC|Z|[A-Z]{1,4}T|[+\u2212-]\d\d:?\d\d)(?![\w:])")
# a dateline's shape, in words: at most 4 before the year ("الاحد, 21 فبراير/ شباط," "Sunday, 21
# February"), the year and the clock at most 2 apart, at most 4 after the zone before the colon
# ("GMT The Sunday Times:"); "At the 2019 meeting at 9:00 EST the chairman said:" is a sentence
_BEFORE_YEAR, _YEAR_TO_CLOCK, _AFTER_ZONE = 4, 2, 4
COMMA_CLAUSES = frozenset({"ar"})  # where a comma may stand for a full stop (see above)
_COMMA = re.compile("،(?=[ \t\u00a0]+\\S)")
_WORD_AND_COMMA = re.compile(r"[ \t\u00a0]+[^\s،]+،")
_MIN_WORDS = 3


def dateline_end(text: str, first: int) -> int | None:
    """Where the sentence after a dateline closed by a colon starts, if the text opens with one."""
    found = _HEADER.match(text, first)
    if found is None or not _YEAR.search(found.group()):
        return None
    words = found.group()[:-1].split()
    year = next((i for i, w in enumerate(words) if _YEAR.search(w)), len(words))
    clock = next((i for i, w in enumerate(words) if _CLOCK.match(w)), len(words))
    if year > _BEFORE_YEAR or clock >= len(words) or abs(clock - year) > _YEAR_TO_CLOCK:
        return None
    time = _CLOCK.match(words[clock])
    rest = words[clock][time.end() :] if time else ""
    zone = clock if rest else clock + 1  # "14:00+02:00", or "05:01 GMT"
    if zone >= len(words) or not _ZONE.fullmatch((rest or words[zone]).rstrip(",")):
        return None
    if len(words) - 1 - zone > _AFTER_ZONE:
        return None
    after = found.end()
    while after < len(text) and text[after] in SPACE:
        after += 1
    return after


def comma_clauses(text: str, first: int) -> list[int]:
    """Where the clauses of a paragraph without sentence ends start, after its commas."""
    starts: list[int] = []
    since = first
    for comma in _COMMA.finditer(text, first):
        at = comma.end()
        if _WORD_AND_COMMA.match(text, at):
            continue  # "الدم، والقلب،": a list of single words
        following = at
        while text[following] in SPACE:
            following += 1
        nxt = text.find("،", following)
        rest = text[following : nxt if nxt >= 0 else len(text)]
        if len(text[since:at].split()) >= _MIN_WORDS and len(rest.split()) >= _MIN_WORDS:
            starts.append(following)
            since = following
    return starts
