"""The golden segmentation sets (tests/golden/segmentation/<lang>.txt), joined into paragraphs.

One sentence per line. Consecutive sentences are joined into paragraphs of 3, 5, 2, 4, ...
sentences (always the same grouping), with a space between them ("" for Chinese), so each
paragraph holds boundaries the splitter must find and abbreviations it must not split at.
"""

from __future__ import annotations

from itertools import cycle
from pathlib import Path

FOLDER = Path(__file__).parent / "golden" / "segmentation"
SIZES = (3, 5, 2, 4)
UNSPACED = {"zh", "ja"}


def languages() -> list[str]:
    return sorted(p.stem for p in FOLDER.glob("*.txt"))


def sentences(language: str) -> list[str]:
    lines = (FOLDER / f"{language}.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip()]


def paragraphs(language: str, shift: int = 0) -> list[list[str]]:
    """The golden sentences grouped into paragraphs, each a list of its sentences.
    shift: a first paragraph of that many sentences, so the sentences that ended a paragraph
    in the plain grouping meet their successors."""
    found = sentences(language)
    groups: list[list[str]] = [found[:shift]] if shift else []
    found = found[shift:]
    sizes = cycle(SIZES)
    while found:
        size = next(sizes)
        groups.append(found[:size])
        found = found[size:]
    return groups


def joined(language: str, group: list[str]) -> str:
    return ("" if language in UNSPACED else " ").join(group)


def right(language: str, split) -> int:  # type: ignore[no-untyped-def]
    """Golden sentences that `split(text) -> list[str]` returns as exactly one sentence."""
    count = 0
    for group in paragraphs(language):
        found = {s.strip() for s in split(joined(language, group))}
        count += sum(1 for s in group if s in found)
    return count
