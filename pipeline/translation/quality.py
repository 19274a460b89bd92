"""A quality estimate, 0 to 100, for every machine entry: which text most needs a human first.

No reference exists at translation time, so the figure combines what the decode already
tells (no second pass, no second model) with the checks every entry gets anyway:

    quality = 100 x confidence x cut x length x copied x runaway x problems

- confidence: the model's own geometric-mean token probability, exp(mean log-probability per
  output token) as CTranslate2 scores the hypothesis (a pivot route multiplies its two legs);
- cut: 0.5 when the decode stopped at the length cap (max_decoding_ratio), the text cut off;
- length: 1 while the output's length over the source's (adjusted for scripts that pack more
  in a character) is within 0.5-2.0, falling as 1/distance outside it;
- copied: 1 - 0.6 x the share of the source's words (4+ letters) found unchanged in the output
  (untranslated words; a source copied through gets 0.4);
- runaway: 0.4 when words repeat as a runaway decode does;
- problems: 0.7 per span, tag or number the output lost or moved (the `check:` notes).

Each factor only falls as its signal gets worse, so the figure is monotonic in each. It ranks
entries of one model; it is no probability of being right. Placeholder (demo) models score low.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from pipeline.translation.checks import DENSITY, runaway_decoding

_WORD = re.compile(r"[^\W\d_]{4,}")
LENGTH_BAND = (0.5, 2.0)


@dataclass(frozen=True)
class ModelScore:
    """What the decode said about its output; stored with the text, so a rerun needs no decode."""

    logprob: float  # mean log-probability per output token (summed over a pivot's legs)
    cut: bool = False  # the hypothesis reached the decoding-length cap

    def to_json(self) -> list[object]:
        return [round(self.logprob, 4), int(self.cut)]

    @classmethod
    def from_json(cls, data: object) -> ModelScore | None:
        if isinstance(data, list) and len(data) == 2 and isinstance(data[0], int | float):
            return cls(float(data[0]), bool(data[1]))
        return None

    def then(self, other: ModelScore) -> ModelScore:
        """The score of a pivot route: the second leg after the first."""
        return ModelScore(self.logprob + other.logprob, self.cut or other.cut)


@dataclass(frozen=True)
class Signals:
    confidence: float  # 0-1
    cut: bool = False
    length_ratio: float = 1.0  # density-adjusted output length over source length
    copied_share: float = 0.0  # 0-1
    runaway: bool = False
    problems: int = 0


def estimate(signals: Signals) -> int:
    low, high = LENGTH_BAND
    r = max(signals.length_ratio, 1e-6)
    length = 1.0 if low <= r <= high else (r / low if r < low else high / r)
    value = (
        signals.confidence
        * (0.5 if signals.cut else 1.0)
        * length
        * (1.0 - 0.6 * min(max(signals.copied_share, 0.0), 1.0))
        * (0.4 if signals.runaway else 1.0)
        * 0.7**signals.problems
    )
    return max(0, min(100, round(100 * value)))


def copied_share(source: str, target: str) -> float:
    words = {w.lower() for w in _WORD.findall(source)}
    if not words:
        return 0.0
    found = {w.lower() for w in _WORD.findall(target)}
    return len(words & found) / len(words)


def signals_for(
    source: str, target: str, score: ModelScore, problems: int, source_lang: str, target_lang: str
) -> Signals:
    expected = DENSITY.get(target_lang, 1.0) / DENSITY.get(source_lang, 1.0)
    ratio = len(target) / max(len(source), 1) / expected if source.strip() else 1.0
    return Signals(
        confidence=math.exp(min(score.logprob, 0.0)),
        cut=score.cut,
        length_ratio=ratio,
        copied_share=copied_share(source, target) if source_lang != target_lang else 0.0,
        runaway=runaway_decoding(target),
        problems=problems,
    )


def quality_note(figure: int) -> str:
    """Appended to the machine note's line: `machine: argos en->uk 1.9 · quality 41`."""
    return f" · quality {figure}"


_FIGURE = re.compile(r" · quality (\d{1,3})\b")


def figure_in(note: str) -> int | None:
    found = _FIGURE.search(note)
    return int(found.group(1)) if found else None
