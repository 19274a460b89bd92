"""Checks on every machine translation before a reviewer sees it.

A failed check is written into the entry's `#.` note (`check: number 3,5 missing`) and the
entry stays fuzzy. Not as a custom flag: msgcat and msgmerge drop flags they do not know.
"""

from __future__ import annotations

import re

from pipeline.translation.inline_html import TAG_KINDS
from pipeline.translation.protect import TOKEN, Masked, Restored

CHECK = "check:"
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_LETTER = re.compile(r"[^\W\d_]")
# characters per word, roughly: scripts without spaces pack a sentence into fewer characters
DENSITY = {"zh": 0.35, "zt": 0.35, "ja": 0.45, "ko": 0.6, "th": 0.9}
LENGTH_BOUNDS = (0.4, 2.6)


def _digits(text: str) -> list[str]:
    return sorted(re.sub(r"\D", "", n) for n in _NUMBER.findall(text))


def _runaway(text: str) -> bool:
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
    plain_source = _NUMBER.findall(TOKEN.sub(" ", masked.text))  # numbers the model saw as text
    got = _digits(restored.text)
    for number in plain_source:
        digits = re.sub(r"\D", "", number)
        if digits in got:
            got.remove(digits)
        else:
            problems.append(f"{CHECK} number {number} missing")
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
    if _runaway(restored.text):
        problems.append(f"{CHECK} repeated words (runaway decoding)")
    if source.strip() and not restored.text.strip():
        problems.append(f"{CHECK} empty output")
    return problems
