"""Sentence boundaries as offsets into the source, so that reassembly is exact by construction.

A boundary is proposed after a run of sentence terminators (Unicode's Sentence_Terminal, every
script's: . ! ? … । ։ ۔ ። ။ 。 ..., plus pySBD's Greek ";" and Armenian ":") with the quotation
marks, brackets and citations ("[1]") that close it, and taken unless what surrounds it says
otherwise. The language knowledge is data, pooled from maintained libraries (see
abbreviations.py); the rules here are the ones that hold across languages and that the data lacks:

- a break is never taken before a lower-case letter (in Greek, see LOWER_CASE_OPENS, only after
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
- with markup, no boundary inside code spans, links, autolinks, URLs or e-mail addresses.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import re
import sys
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from pysbd.languages import LANGUAGE_CODES

from pipeline.core.settings import use_segmentation_key
from pipeline.segments.abbreviations import (
    builtin,
    folder_digest,
    pysbd_breaks,
    pysbd_openers,
    sentencex_breaks,
    sentencex_knows,
    titles,
    user_list,
    versions,
)

VERSION = "5"  # bump when a rule here changes what is split
# Argos and gettext codes whose data is filed under another code
DATA_LANGUAGE = {"pb": "pt", "zt": "zh", "nb": "no", "nn": "no"}
# languages that write ordinal numbers with a period after the digits
ORDINAL_PERIOD = frozenset(
    {"de", "tr", "da", "no", "fi", "et", "lv", "lt", "hu", "cs", "sk", "sl", "hr", "sr", "bs", "is", "fo"}
    | {"pl", "az", "eu"}
)

# languages where a period before a lower-case word ends the sentence unless the word before is
# an abbreviation, an initial or an acronym: Greek, where pySBD and sentencex both break there
# ("δούλευε κανένας. το κόστος"). Elsewhere an unlisted abbreviation is the likelier reading
# ("incl. two former ministers", "Rep. Adam Klein (D-Calif.) introduced": the English golden set)
LOWER_CASE_OPENS = frozenset({"el"})
# a period right after an opening bracket, with a space after it ("bracket with period (. in it"),
# has no word before it, so it cannot end an abbreviation, listed or not: before a lower-case word
# it ends the sentence in every language, as a period does in Greek (pySBD and sentencex break
# there too). Not where the bracket closes later in the paragraph ("(. in it)"), nor "(.)"
_OPEN_BRACKETS = frozenset("([{（")

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
_CJK_END = frozenset("。！？｡።፧፨။")
# a half-width (ASCII) digit glued to a CJK full stop continues the sentence, as in sentencex
# ("開発した。1999年、PHP 4の..."); a full-width digit opens one ("しています。２％台後半を...",
# where pySBD and sentencex agree). sentencex continues before any ASCII digit after a terminator;
# locpipe takes that only where no space separates them, in scripts written without spaces
_ASCII_DIGITS = frozenset("0123456789")
# pySBD's terminators that Unicode files elsewhere are added per language: Greek ";" (the question
# mark U+037E folds to it), Armenian ":" typed for "։". Not Hindi's "|" (Markdown table syntax), nor
# Arabic and Persian ":" and "،", a colon and a comma there (sentencex and our golden set agree)
_NOT_TERMINAL = frozenset("|:،")
_TYPED_FOR_TERMINAL = {"hy": ":"}
# Armenian's "." is a pause, between a colon and a semicolon ("ասում էր. «Նա ..."), not a full stop
_PERIOD_IS_NO_END = frozenset({"hy"})
_CLOSERS = "\"'”’»)]}」』》〉›“‘"  # “ and ‘ close German quotes („…“)
_OPENERS = "\"'“‘«„‚([{（「『《〈‹¿¡»`"
# quotation marks and brackets, with what closes each: a sentence end inside a pair that closes
# later in the paragraph is no end ("How many? I don't know." / »Ja. Sicher.« / 《摔跤吧！爸爸》 /
# "[page. 42]")
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
_QUOTES = "\"'“”‘’„‚«»‹›`"
_QUOTED_REACH = 600  # characters: a quotation longer than this is taken to be unclosed
# after a sentence end: quotation marks standing alone (". ' The", "? '' Graham"), citations ("[1]")
_AFTER_END = frozenset(_CLOSERS + _QUOTES + "[")  # what _sentence_end looks at, right or one after
_LONE_QUOTE = re.compile(r"[ \t]+(''|[\"'”’»])(?=\s|$)")
_INTRODUCED = re.compile(r"[,:][ \t]+$")  # a quotation introduced by a comma or colon
_STRAIGHT_QUOTES = re.compile(r"(?<!')'{1,2}(?!')")
_PADDED_QUOTE = re.compile(r"'{1,2}\s")  # a straight quote before a space (standing alone if after one)
_INLINE_BREAK = re.compile(r"\.[ \t]+[A-Z]")
_NEW_UTTERANCE = re.compile(r"[ \t]+[A-Z]")
_CITATIONS = re.compile(r"(?:\s?\[\d{1,3}\])*")
_SPACE = " \t\n\r\f\v\u00a0\u2007\u202f\u3000"
_SPACE_CHARS = frozenset(_SPACE)
_DAY_MONTH = re.compile(r"\d{1,2}\.\d{1,2}")
_ACRONYM = re.compile(r"(?:[^\W\d_]{1,2}\.)+[^\W\d_]{1,2}")
_VOTED = frozenset({"en"})  # where sentencex has data on sentence openers and phrase-final marks
_PARTICLE = re.compile(r"[\u3041-\u309f]")  # hiragana: a particle after a closing bracket
_ELLIPSIS_WORD = re.compile(r"(?:\.{3}|…)[^\W\d_]")
# a Roman numeral: in languages that write ordinals with a period, "XII. Pluku" is a rank
_ROMAN = re.compile(r"[IVXLCDM]{2,}")
# a period glued to the next sentence: "world.Today", "1,000.That", "жағдайы.XVIII"
_GLUED = re.compile(
    r"(?:(?<=[^\W\d_]{2})(?<=[^\W\d_A-Z])|(?<=\d))\.(?=(?:[^\W\d_][^\W\d_A-Z]+|[IVXLCDM]{2,})(?![\w@/]))"
)
_NUMERO = frozenset({"N°", "Nº", "№"})  # "number", in any language: "N°. 1026"
_NEXT_WORD = re.compile(r"\w*")
_VOTE_AFTER = 60  # characters after the break that sentencex sees
# a list item's marker: "1.", "1.)", "1)", "a.", "• 9.", "⁃10." at a word start, before a word
_MARKER = re.compile(r"(?<!\S)(?:[•⁃]\s?)?(\d{1,2}|[a-z])(?:\.\)|[.)])(?=\s+[^\W\d_])")
_WORDLIKE = re.compile(r"[^\W\d_]|[\u0300-\u036f\u0900-\u0963\u0966-\u0dff]")  # letters, Indic vowel signs
_WORD_BEFORE = re.compile(r"\S*$")
_ELIDED = re.compile(r"['’(]")  # "l'art.", "(vgl." : the word after
_TOKEN_BEFORE = re.compile(r"\S+ $")  # tokenised text: "Mr . Robinson", "U.S . Highway"
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


@lru_cache(maxsize=256)
def data_language(language: str) -> str:
    base = re.split(r"[-_@]", language.lower(), maxsplit=1)[0]
    return DATA_LANGUAGE.get(base, base)


@lru_cache(maxsize=128)
def _ends(language: str, astral: bool) -> re.Pattern[str]:
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


def segmentation_key(abbreviations: Path | None = None) -> str:
    """Digest of what decides boundaries: these rules, the libraries' versions, the desk's lists."""
    data = {"version": VERSION, "libraries": versions(), "desk": folder_digest(abbreviations)}
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


use_segmentation_key(segmentation_key)  # Settings.segmentation_key: core asks the stage


def _spaced(text: str, run: str, at: int, end: int, following: int) -> bool:
    """Whether a space separates the end from what follows, or the period is glued to the next
    sentence ("world.Today"): not in "example.com", "U.S.A" or "3.5"."""
    return following > end or (run == "." and _GLUED.match(text, at) is not None)


def _starts_sentence(text: str, at: int) -> bool:
    """Whether the text at `at` can open a sentence: not lower case, not a dash or a comma."""
    while at < len(text) and text[at] in _OPENERS:
        at += 1
        while at < len(text) and text[at] in _SPACE:  # French: « Nous
            at += 1
    if at >= len(text):
        return False
    c = text[at]
    if c in ".…" and _ELLIPSIS_WORD.match(text, at):
        return True  # "raak. ...en toen": an ellipsis glued to the word opens the sentence
    return (c.isalpha() and not c.islower()) or c.isdigit()


class _Rules:
    """The decisions for one language and one desk list."""

    def __init__(self, language: str, abbreviations: Path | None) -> None:
        self.language = data_language(language)
        self.data = builtin(self.language)
        self.desk = user_list(abbreviations, self.language)
        self.ordinals = self.language in ORDINAL_PERIOD
        # sentencex's lists are wider and less exact ("no." and "Istat." are abbreviations to
        # it in Spanish and Italian): it leads only where pySBD has no list (Moses' lists for
        # such languages are short: Malayalam's lacks "മി." and "പ്രൊ.")
        self.sentencex = self.language not in LANGUAGE_CODES
        # an abbreviation that may also end a sentence ("in the U.S. How", "at 6 p.m. He", "and I.
        # We") before a capital: sentencex's English data decides (words that open sentences, marks
        # that close a phrase such as "a.m." or "B.C.", fronted phrases such as "At 5 a.m. Mr. Smith").
        # Elsewhere pySBD's data, where it has the language's own words that open a sentence
        # (Danish, German): such a word after a held period opens one where pySBD breaks there
        # too ("Jeg bor i E.U. Hvad med dig?", "Pitt, Briggs & Co. Det lukkede i går."; not
        # "bl.a. Peter", nor "z. B. Die Linke", which pySBD keeps), and pySBD decides ellipses there
        self.openers = frozenset() if self.language in _VOTED else pysbd_openers(self.language)
        self.breaks = sentencex_breaks if self.language in _VOTED else pysbd_breaks if self.openers else None
        self.voted = self.breaks is not None
        self.titles = titles(self.language)

    def abbreviation(self, word: str, before_number: bool) -> bool:
        desk = self.desk is not None and self.desk.knows(word, before_number)
        return desk or self.data.knows(word, before_number)

    def sentencex_agrees(self, word: str) -> bool:
        """Whether sentencex keeps "word." together, asked only where Moses and pySBD have no list.
        A word may end in a vowel sign (Malayalam "മി.", "പ്രൊ.")."""
        return self.sentencex and bool(_WORDLIKE.match(word[-1])) and sentencex_knows(self.language, word)

    def labelled(self, text: str, at: int) -> bool:
        """Whether the number at `at` follows a label ("nr 7", "A 7", "No. 7"): a count, not a rank."""
        words = text[max(0, at - 40) : at].split()
        label = words[-1].rstrip(".") if words else ""
        if len(label) == 1:
            return label.isupper()
        return self.abbreviation(label, True) and not self.abbreviation(label, False)

    def word_before(self, text: str, at: int, since: int) -> str:
        """The word before the period at `at`, without opening marks ("Tuesday.Mr.": "Mr")."""
        found = _WORD_BEFORE.search(text, max(0, at - 80, since), at)
        word = found.group().lstrip(_OPENERS) if found else ""
        if not word and (token := _TOKEN_BEFORE.search(text, max(0, at - 80, since), at)):
            word = token.group()[:-1].lstrip(_OPENERS)  # tokenised text: "Mr . Robinson"
        return word

    def period_ends(self, text: str, at: int, following: int, since: int) -> bool:
        """Whether the period at `at` ends a sentence; `following`: where the next one would start,
        `since`: where the sentence it would end starts."""
        word = self.word_before(text, at, since)
        if not word or word[-1] in _CLOSERS:
            return True  # «...готові». : the quote closed the sentence
        c = text[following]  # a number, also behind an opening quote: 'Пл. "20 Април"'
        before_number = c.isdigit() or (c in _OPENERS and text[following + 1 : following + 2].isdigit())
        if word.isdigit():  # Moses lists hold ordinals as words: only the ordinal rule decides
            rank = self.ordinals and not before_number and len(word) <= 2
            return not (rank and not self.labelled(text, at - len(word)))
        if self.desk is not None and self.desk.knows(word, before_number):
            return False  # the desk's word is final
        if self.held(word, before_number):
            return self.voted and self.vote(text, word, following, since, before_number)
        return True

    def ends_before_lower_case(self, text: str, at: int, since: int) -> bool:
        """Whether the period at `at`, before a lower-case word, ends a sentence (languages in
        LOWER_CASE_OPENS): unless the word before is an abbreviation (also one that pySBD keeps
        only before a number or a lower-case word), an initial or a dotted acronym."""
        word = self.word_before(text, at, since)
        if not word or word[-1] in _CLOSERS or word.isdigit():
            return True
        if self.desk is not None and self.desk.knows(word, True):
            return False
        return not self.held(word, True)

    def vote(self, text: str, word: str, following: int, since: int, before_number: bool) -> bool:
        """Whether the sentence ends after a held word: not after a title ("Mr. Smith"), nor before a
        day or month ("at 11 p.m. Sunday"); before a number only after an acronym; else where the
        next word is one of pySBD's openers for the language and pySBD breaks, or (English) where
        sentencex breaks."""
        if word in self.titles or word.lower() in self.titles:
            return False
        if not (text[following].isupper() or (before_number and _ACRONYM.fullmatch(word))):
            return False
        if _NEXT_WORD.match(text, following).group() in _calendar(self.language):  # type: ignore[union-attr]
            return False
        window, offset = text[since : following + _VOTE_AFTER], following - since
        if self.openers:  # pySBD's opener words, where pySBD itself breaks there too
            opener = _NEXT_WORD.match(text, following).group() in self.openers  # type: ignore[union-attr]
            return opener and pysbd_breaks(self.language, window, offset)
        return sentencex_breaks(self.language, window, offset)

    def ellipsis_ends(self, text: str, at: int, following: int, since: int) -> bool:
        """Whether the ellipsis at `at` ends a sentence: not as an elision mark "(...)", "[…]";
        in English, as sentencex's data says ("He left... The end" ends, "I thought... I would" not),
        in Danish and German as pySBD does."""
        if text[at - 1 : at] in ("(", "["):
            return False
        if self.openers and text[at] == "…":
            return True  # pySBD reads only ellipses of periods ("...", ". . .")
        return self.breaks is None or self.breaks(
            self.language, text[since : following + _VOTE_AFTER], following - since
        )

    def held(self, word: str, before_number: bool) -> bool:
        """Whether the word before a period marks it as no end: an initial, a dotted acronym,
        a known abbreviation, a day and month (ordinal languages)."""
        if "/" in word and _ACRONYM.fullmatch(word.rsplit("/", 1)[-1]):
            return True  # "Route 171/U.S . Highway"; not "140 km/h."
        for candidate in {word, _ELIDED.split(word)[-1]}:
            if not candidate:
                continue
            if len(candidate) == 1 and candidate.isalpha():
                return True  # an initial
            if _ACRONYM.fullmatch(candidate) or self.abbreviation(candidate, before_number):
                return True
            if self.ordinals and not before_number and (
                _DAY_MONTH.fullmatch(candidate) or _ROMAN.fullmatch(candidate)
            ):
                return True  # "am 12.01. im Rathaus", "XII. Pluku"
            if before_number and candidate in _NUMERO:
                return True
            if self.sentencex and self.sentencex_agrees(candidate):
                return True
        return False


@lru_cache(maxsize=16)
def _calendar(language: str) -> frozenset[str]:
    """Day and month names, which continue a time or date ("at 11 p.m. Sunday", "9 a.m. Monday")."""
    try:
        locale = Locale.parse(language)
    except (ValueError, UnknownLocaleError):
        return frozenset()
    names = [*locale.days["format"]["wide"].values(), *locale.months["format"]["wide"].values()]
    return frozenset(name[:1].upper() + name[1:] for name in names)


def sentence_starts(
    text: str, language: str, markup: bool = False, abbreviations: Path | None = None
) -> list[int]:
    """Offsets where sentences start; always begins with the first non-space character."""
    first = len(text) - len(text.lstrip())
    if first >= len(text):
        return []
    rules: _Rules | None = None
    guarded = [m.span() for m in _UNBREAKABLE.finditer(text)] if markup else []
    quoted: list[tuple[int, int]] | None = None  # found on first need: most ends are decided before
    items = _list_items(text, first)
    starts = {first, *(start for start, _ in items)}
    since = first  # where the sentence being read starts
    astral = _maybe_astral(text)
    size = len(text)
    lower_opens = data_language(language) in LOWER_CASE_OPENS
    for match in _ends(data_language(language), astral).finditer(text, first):
        run, at, end = match.group(), match.start(), match.end()
        if markup or (end < size and text[end] in _AFTER_END) or text[end + 1 : end + 2] in _AFTER_END:
            end = _sentence_end(text, end, markup)
        following = end
        while following < size and text[following] in _SPACE:
            following += 1
        if following >= size or (guarded and _inside(at, guarded)):
            continue
        if items:
            if _inside(at, items):
                continue
            since = max(since, *(start for start, _ in items if start <= at))
        if not _CJK_END.isdisjoint(run):
            if text[following] in _CLOSERS or (end > match.end() and _PARTICLE.match(text, following)):
                continue  # 「…。」と彼は言った: the quotation is part of the sentence that cites it
            if following == end and text[following] in _ASCII_DIGITS:
                continue  # "開発した。1999年、": sentencex's convention, see _ASCII_DIGITS
        elif not _spaced(text, run, at, end, following):
            continue
        elif not _starts_sentence(text, following):
            bare = text[at - 1 : at] in _OPEN_BRACKETS and end == at + 1  # "(. in": see _OPEN_BRACKETS
            if not ((bare or lower_opens) and run == "." and following > end and text[following].islower()):
                continue
            if not bare:
                rules = rules or _Rules(language, abbreviations)
                if not rules.ends_before_lower_case(text, at, since):
                    continue  # "π.χ. το": an abbreviation, an initial
        elif run.startswith(". . . .") and text[at - 1 : at] not in _SPACE:
            following = at + 2  # "compounds. . . . The practice": a period, then an ellipsis that opens
        elif run == "." or set(run) <= {".", "…", " "}:
            rules = rules or _Rules(language, abbreviations)
            if not (rules.period_ends if run == "." else rules.ellipsis_ends)(text, at, following, since):
                continue
        quoted = _quotations(text, first) if quoted is None else quoted
        if not (quoted and _within(at, end, quoted)):
            starts.add(following)
            since = following
    for match in _NEWLINE.finditer(text, first):
        if _starts_sentence(text, match.end()) and not _inside(match.end(), guarded):
            starts.add(match.end())
    return sorted(starts)


def _maybe_astral(text: str) -> bool:
    """Whether the text may hold characters beyond U+FFFF, without a scan: CPython stores such a
    string at four bytes a character, so its size says so. A short string may answer True falsely
    (then the slower pattern runs); a string with such a character never answers False."""
    return not text.isascii() and sys.getsizeof(text) > 4 * len(text) + 40


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
    while end < len(text) and (text[end] in _CLOSERS or text[end] in _QUOTES):
        end += 1  # a quotation mark right after the end closes it
    lone = _LONE_QUOTE.match(text, end)
    if lone and not (
        lone.start(1) in _padded(text)[1]
        if lone.group(1)[0] == "'"
        else _reopened(text, lone.end(), lone.group(1)[0])
    ):
        end = lone.end()
    if end < len(text) and text[end] in " \t[":
        end = _CITATIONS.match(text, end).end()  # type: ignore[union-attr]
    while markup and (tag := _END_TAG.match(text, end)):
        end = tag.end()  # end tags close the sentence before them, not open the next
    return end


def _reopened(text: str, at: int, mark: str) -> bool:
    """Whether a quotation mark standing alone after an end opens the next sentence rather than
    closing this one: the same mark comes again later in the paragraph (". ' Blessings of Baapu '")."""
    limit = min(len(text), at + _QUOTED_REACH)
    blank = text.find("\n\n", at, limit)
    return text.find(mark, at, blank if blank >= 0 else limit) >= 0


def _quotations(text: str, first: int) -> list[tuple[int, int]]:
    """(opening, after closing) of each quotation or CJK bracket pair that closes in its paragraph,
    and of each pair of straight quotes standing alone (see _padded)."""
    padded = _padded(text)[0] if "'" in text else None
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
def _padded(text: str) -> tuple[list[tuple[int, int]], frozenset[int]]:
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
    while at >= 0 and not ((at == 0 or text[at - 1] in _SPACE) and _PADDED_QUOTE.match(text, at)):
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
    """Pairs of one paragraph's marks of one kind, as _padded says."""
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
    return (at == 0 or text[at - 1] in _SPACE) and text[at + size : at + size + 1] in _SPACE_CHARS


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
    "give 'em") or half of a doubled mark ("''"); one standing alone pairs as _padded says."""
    while (found := _OPENING.search(text, at)) is not None:
        at = found.start()
        c = text[at]
        before = text[at - 1] if at else " "
        if c in _CJK_OPENERS:
            return at
        if before in _SPACE or before in _OPENERS:
            after = text[at + 1 : at + 2]
            if c != "'" and after and (after not in _SPACE or c in "«‹"):
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
