"""Checks on every machine translation before a reviewer sees it, and on reviewed text.

A failed check is written into the entry's `#.` note (`check: number 3,5 missing`) and the
entry stays fuzzy. Not as a custom flag: msgcat and msgmerge drop flags they do not know.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import cache, lru_cache

from babel import Locale, UnknownLocaleError
from babel.numbers import NumberFormatError, get_decimal_symbol, get_group_symbol, parse_decimal

from pipeline.translation.inline_html import TAG_KINDS
from pipeline.translation.invisible import CHECK  # the one spelling of the note prefix
from pipeline.translation.protect import Masked, Restored

# digit groups joined by a decimal or group sign (`3,000`, `2,5`, `3 000`, `1'000`, `٣٫٥`)
_SEPARATORS = ".,\u00a0\u202f\u2019'\u066b\u066c"
_NUMBER = re.compile(rf"\d+(?:[{_SEPARATORS}]\d+)*")
# where the locale's group sign is a space, people type a plain one too: `3 000`
_SPACED = re.compile(rf"(?<![\d{_SEPARATORS}])\d{{1,3}}(?: \d{{3}})+(?:[{_SEPARATORS}]\d+)?(?!\d)")
_SPACES = {" ", "\u00a0", "\u202f"}
Number = tuple[str, Decimal | None]  # as written, and its value in its language's format
_BABEL_NAMES = {"pb": "pt_BR", "zt": "zh_Hant"}  # Argos codes that are not Babel locales
_LETTER = re.compile(r"[^\W\d_]")
# characters per word, roughly: scripts without spaces pack a sentence into fewer characters
DENSITY = {"zh": 0.35, "zt": 0.35, "ja": 0.45, "ko": 0.6, "th": 0.9}
LENGTH_BOUNDS = (0.4, 2.6)
# a reviewed translation longer than this is a paste gone wrong, not a translation: it stays in
# the catalog (the translator's file) but out of the .mo, the article and the memory
OVERSIZE_FACTOR, OVERSIZE_SLACK, OVERSIZE_CAP = 10, 200, 100_000


def oversize(source: str, text: str) -> bool:
    """Over 10 x the source's length plus 200 characters, or over 100,000 characters at all."""
    return len(text) > min(OVERSIZE_CAP, OVERSIZE_FACTOR * len(source) + OVERSIZE_SLACK)


def oversize_note(source: str, text: str) -> str:
    return (
        f"{CHECK} translation {len(text):,} characters against the source's {len(source):,} "
        f"(over {OVERSIZE_FACTOR}x + {OVERSIZE_SLACK}, or {OVERSIZE_CAP:,}): left out of the .mo, "
        "the article and the memory"
    )


@cache
def number_locale(code: str | None) -> Locale:
    """The Babel locale whose number format a language code's text uses (en when unknown)."""
    name = _BABEL_NAMES.get(code or "", code or "en")
    for candidate in (name, name.split("_")[0].split("@")[0], "en"):
        try:
            return Locale.parse(candidate.replace("-", "_"))
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse("en")


def _numbers(text: str, locale: Locale) -> list[str]:
    """Numbers in text order; where the locale groups digits with a space, `3 000` is one."""
    spaced = []
    if get_group_symbol(locale) in _SPACES:
        spaced = [(m.start(), m.end(), m.group()) for m in _SPACED.finditer(text)]
    found = [
        (m.start(), m.end(), m.group())
        for m in _NUMBER.finditer(text)
        if not any(a <= m.start() < b for a, b, _ in spaced)
    ]
    return [number for *_, number in sorted(spaced + found)]


@lru_cache(maxsize=8192)
def _value(number: str, locale: Locale) -> Decimal | None:
    """The number as a reader of the locale reads it; None where its format is not the
    locale's (a version `2.5.1`, English `2.5` in German text)."""
    digits = "".join(str(unicodedata.digit(ch)) if ch.isdigit() else ch for ch in number)
    group, decimal = get_group_symbol(locale), get_decimal_symbol(locale)
    digits = digits.replace("\u066b", decimal).replace("\u066c", group)
    if group in _SPACES:
        digits = re.sub("[ \u00a0\u202f]", group, digits)
    try:
        return parse_decimal(digits, locale=locale, strict=True)
    except (NumberFormatError, ValueError, ArithmeticError):
        return None


def missing_numbers(source: str, target: str, source_lang: str | None, target_lang: str | None) -> list[str]:
    """Numbers of the source the target does not have, counted one by one (a number twice in
    the source must be there twice). A target number stands for a source number when it is
    written the same (`2.5` kept as in a version) or has the same value, each read in its own
    language's format: English `3,000` is German `3.000`, English `2.5` is German `2,5`."""
    src_locale, tgt_locale = number_locale(source_lang), number_locale(target_lang)
    wanted = [(n, _value(n, src_locale)) for n in _numbers(source, src_locale)]
    left = [(n, _value(n, tgt_locale)) for n in _numbers(target, tgt_locale)]
    wanted = _take(wanted, left)
    if wanted:  # `5 100` read as one number was two after all
        parts = [(p, _value(p, tgt_locale)) for n, _ in left for p in _NUMBER.findall(n)]
        wanted = _take(wanted, parts)
    return [number for number, _ in wanted]


def _take(wanted: list[Number], left: list[Number]) -> list[Number]:
    """Each wanted number takes one equal number out of `left`; returns those with none."""
    missing = []
    for number, value in wanted:
        same = (i for i, (n, v) in enumerate(left) if n == number or (value is not None and v == value))
        match = next(same, None)
        if match is None:
            missing.append((number, value))
        else:
            del left[match]
    return missing


NUMBER_CHECK = f"{CHECK} number "


def number_problems(source: str, target: str, source_lang: str | None, target_lang: str | None) -> list[str]:
    return [f"{NUMBER_CHECK}{n} missing" for n in missing_numbers(source, target, source_lang, target_lang)]


def runaway_decoding(text: str) -> bool:
    words = text.split()
    if len(words) < 2:
        return bool(re.search(r"(.)\1{7,}", text))  # scripts without spaces
    for n in (1, 2, 3):
        repeats = 3 if n > 1 else 4
        for i in range(len(words) - n * repeats + 1):
            gram = words[i : i + n]
            if all(words[i + k * n : i + (k + 1) * n] == gram for k in range(repeats)):
                return True
    return False


def check_translation(
    source: str, masked: Masked, restored: Restored, source_lang: str, target_lang: str
) -> list[str]:
    problems = []
    for span in restored.lost:
        what = "markup" if span.markup else span.kind
        where = "dropped" if span.markup else "restored at the end"
        if span.kind in TAG_KINDS:
            what, where = "tag", "restored"
        problems.append(f"{CHECK} {what} {span.text} missing in MT, {where}")
    for span in restored.moved:
        problems.append(f"{CHECK} tag {span.text} out of order in MT, moved back")
    # every number of the source, protected ones too: a span is put back once, so a plain
    # `2.5` the model dropped is missed even where `2.5 GHz` is restored
    problems += number_problems(source, restored.text, source_lang, target_lang)
    if source.strip() and restored.text.strip():
        expected = DENSITY.get(target_lang, 1.0) / DENSITY.get(source_lang, 1.0)
        ratio = len(restored.text) / len(source) / expected
        low, high = LENGTH_BOUNDS
        if len(source) >= 20 and not low <= ratio <= high:
            problems.append(f"{CHECK} length {ratio:.1f}x the source's, outside {low}-{high}")
    if (
        source_lang != target_lang
        and restored.text.strip() == source.strip()
        and len(_LETTER.findall(source)) >= 8
    ):
        problems.append(f"{CHECK} output identical to the {source_lang} source")
    if runaway_decoding(restored.text):
        problems.append(f"{CHECK} repeated words (runaway decoding)")
    if source.strip() and not restored.text.strip():
        problems.append(f"{CHECK} empty output")
    return problems
