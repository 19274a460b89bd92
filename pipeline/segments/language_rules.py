"""The per-language decisions on a period or an ellipsis that may end a sentence: abbreviations (the
pooled data of abbreviations.py and the desk's lists), initials, dotted acronyms, ordinals, and
where an abbreviation may also end a sentence, the votes of sentencex's and pySBD's data."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from pysbd.languages import LANGUAGE_CODES

from pipeline.segments.abbreviations import (
    builtin,
    pysbd_breaks,
    pysbd_openers,
    sentencex_breaks,
    sentencex_knows,
    titles,
    user_list,
)
from pipeline.segments.sentence_marks import CLOSERS, OPENERS

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
LOWER_CASE_OPENS = frozenset({"el", "en"})
# English words of closed classes (prepositions, pronouns, conjunctions, auxiliaries, a few
# adverbs) that no abbreviation list holds in that position: a period after one ends the sentence
# even before a lower-case word ("He came in. then he left"), as sentencex has it, where an
# unlisted longer word more often is an abbreviation ("incl. two", "(D-Calif.) introduced").
# "in" after a number is the unit ("6 in. of rain"): see Rules.ends_before_lower_case
CLOSED_CLASS = {
    "en": frozenset(
        {
            "about", "above", "across", "after", "against", "along", "among", "around", "at", "before",
            "behind", "below", "beneath", "beside", "besides", "between", "beyond", "by", "down", "during",
            "except", "for", "from", "in", "inside", "into", "near", "of", "off", "on", "onto", "out",
            "outside", "over", "past", "since", "through", "throughout", "till", "to", "toward", "towards",
            "under", "underneath", "until", "up", "upon", "with", "within", "without", "me", "my", "mine",
            "myself", "you", "your", "yours", "yourself", "he", "him", "his", "himself", "she", "her",
            "hers", "herself", "it", "its", "itself", "we", "us", "our", "ours", "ourselves", "they",
            "them", "their", "theirs", "themselves", "this", "that", "these", "those", "who", "whom",
            "whose", "which", "what", "and", "but", "or", "nor", "so", "yet", "if", "because", "although",
            "though", "while", "here", "there", "now", "then", "too", "also", "again", "away", "back", "is",
            "are", "was", "were", "be", "been", "being", "am", "do", "does", "did", "have", "has", "had",
            "will", "would", "shall", "should", "can", "could", "may", "might", "must", "not",
        }
    )
}
_NUMBER_BEFORE = re.compile(r"\d[\s\u00a0]*$")
_DAY_MONTH = re.compile(r"\d{1,2}\.\d{1,2}")
_ACRONYM = re.compile(r"(?:[^\W\d_]{1,2}\.)+[^\W\d_]{1,2}")
_VOTED = frozenset({"en"})  # where sentencex has data on sentence openers and phrase-final marks
# a Roman numeral: in languages that write ordinals with a period, "XII. Pluku" is a rank
_ROMAN = re.compile(r"[IVXLCDM]{2,}")
_NUMERO = frozenset({"N°", "Nº", "№"})  # "number", in any language: "N°. 1026"
_NEXT_WORD = re.compile(r"\w*")
_VOTE_AFTER = 60  # characters after the break that sentencex sees
_WORDLIKE = re.compile(r"[^\W\d_]|[\u0300-\u036f\u0900-\u0963\u0966-\u0dff]")  # letters, Indic vowel signs
_ELIDED = re.compile(r"['’(]")  # "l'art.", "(vgl." : the word after
_TOKEN_BEFORE = re.compile(r"\S+ $")  # tokenised text: "Mr . Robinson", "U.S . Highway"


@lru_cache(maxsize=256)
def data_language(language: str) -> str:
    base = re.split(r"[-_@]", language.lower(), maxsplit=1)[0]
    return DATA_LANGUAGE.get(base, base)


class Rules:
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
        self.closed = CLOSED_CLASS.get(self.language)

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
        end = at - 1 if text[at - 1 : at] == "\n" else at  # "word\n." : the word before the break
        start, bound = end, max(0, at - 80, since)
        while start > bound and not text[start - 1].isspace():  # a scan back: "\S*$" searched
            start -= 1  # from 80 characters before tries every start, at 4x the cost
        word = text[start:end].lstrip(OPENERS)
        if not word and (token := _TOKEN_BEFORE.search(text, max(0, at - 80, since), at)):
            word = token.group()[:-1].lstrip(OPENERS)  # tokenised text: "Mr . Robinson"
        return word

    def period_ends(self, text: str, at: int, following: int, since: int) -> bool:
        """Whether the period at `at` ends a sentence; `following`: where the next one would start,
        `since`: where the sentence it would end starts."""
        word = self.word_before(text, at, since)
        if not word or word[-1] in CLOSERS:
            return True  # «...готові». : the quote closed the sentence
        c = text[following]  # a number, also behind an opening quote: 'Пл. "20 Април"'
        before_number = c.isdigit() or (c in OPENERS and text[following + 1 : following + 2].isdigit())
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
        only before a number or a lower-case word), an initial or a dotted acronym; in English only
        after a closed-class word (CLOSED_CLASS)."""
        word = self.word_before(text, at, since)
        if self.closed is not None:  # only a closed-class word, not a unit after a number
            number = _NUMBER_BEFORE.search(text, max(0, at - len(word) - 8), at - len(word))
            return word in self.closed and number is None and not self.held(word, False)
        if not word or word[-1] in CLOSERS or word.isdigit():
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
            if (
                self.ordinals
                and not before_number
                and (_DAY_MONTH.fullmatch(candidate) or _ROMAN.fullmatch(candidate))
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
