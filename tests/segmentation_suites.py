"""Scoring on other projects' segmentation suites (../shared/suites/segmentation-cases.json).

One module for the test (tests/test_peer_segmentation.py) and the bench (bench/segmentation.py),
so both count the same way. A case is {suite, lang, text, expected[, xfail]}:

- suite "pysbd-golden": pySBD's golden rules. pySBD's own tests run
  `pysbd.Segmenter(language=lang, clean=False).segment(text)` and compare
  `[s.strip() for s in segments] == expected`; so do we, for every splitter. `xfail` marks the
  cases pySBD expects itself to fail; they still count here (as failures where they fail).
- suite "sentencex": sentencex's tests/<lang>.txt cases. sentencex compares after collapsing
  every whitespace run into one space and stripping each sentence; so do we, on both sides.

A splitter is `(text, lang) -> list[str]`; empty pieces (all whitespace) are dropped before the
comparison, as both projects' tests ignore them. Documented choices (tests/suite_choices.yaml,
section "segmentation") are listed with their reasons but still count as failures.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pysbd
import sentencex
from pysbd.languages import LANGUAGE_CODES

from pipeline.segments.splitter import split_sentences

FILE = "segmentation-cases.json"
SUITES = ("pysbd-golden", "sentencex")
Splitter = Callable[[str, str], "list[str] | None"]  # None: no data for the language
_RUN = re.compile(r"\s+")


@dataclass(frozen=True)
class Case:
    suite: str
    lang: str
    text: str
    expected: tuple[str, ...]
    xfail: bool = False


def load(path: Path) -> list[Case]:
    data: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return [
        Case(d["suite"], d["lang"], d["text"], tuple(d["expected"]), bool(d.get("xfail")))
        for d in data
    ]


def normal(suite: str, pieces: list[str] | tuple[str, ...]) -> list[str]:
    """The pieces as the suite's own tests compare them."""
    if suite == "sentencex":
        pieces = [_RUN.sub(" ", p) for p in pieces]
    return [p.strip() for p in pieces if p.strip()]


def passes(case: Case, split: Splitter) -> bool:
    found = split(case.text, case.lang)
    return found is not None and normal(case.suite, found) == normal(case.suite, case.expected)


def locpipe(text: str, lang: str) -> list[str]:
    return [s for s, _ in split_sentences(text, lang)]


_PYSBD: dict[str, pysbd.Segmenter] = {}


def pysbd_alone(text: str, lang: str) -> list[str] | None:
    """pySBD with its own data; None where it has none for the language (every case fails)."""
    if lang not in LANGUAGE_CODES:
        return None
    segmenter = _PYSBD.get(lang) or _PYSBD.setdefault(lang, pysbd.Segmenter(language=lang, clean=False))
    return list(segmenter.segment(text))


def sentencex_alone(text: str, lang: str) -> list[str]:
    return list(sentencex.segment(lang, text))


SPLITTERS: dict[str, Splitter] = {"locpipe": locpipe, "pySBD": pysbd_alone, "sentencex": sentencex_alone}


def scores(cases: list[Case], split: Splitter) -> dict[tuple[str, str], int]:
    """Cases passed per (suite, language)."""
    found: dict[tuple[str, str], int] = {}
    for case in cases:
        key = (case.suite, case.lang)
        found[key] = found.get(key, 0) + passes(case, split)
    return found


def counts(cases: list[Case]) -> dict[tuple[str, str], int]:
    found: dict[tuple[str, str], int] = {}
    for case in cases:
        found[(case.suite, case.lang)] = found.get((case.suite, case.lang), 0) + 1
    return found


def total(found: dict[tuple[str, str], int], suite: str) -> int:
    return sum(n for (s, _), n in found.items() if s == suite)
