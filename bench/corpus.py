"""Seeded benchmark corpora from the sample article's vocabulary.

unique: every sentence occurs once. news: 30% of sentence occurrences repeat across
articles (datelines, boilerplate, quotes), as in a wire feed.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

# the tests' copy of the sample article: the repository's inputs/ folder is the user's to edit
SAMPLE = Path(__file__).resolve().parent.parent / "tests/data/articles/ukraine-turkey-defense.txt"
SUBJECTS = [
    "The minister",
    "Officials",
    "The committee",
    "Analysts",
    "The government",
    "Diplomats",
    "The company",
    "Local residents",
    "The delegation",
    "Experts",
]
VERBS = [
    "announced",
    "rejected",
    "discussed",
    "welcomed",
    "criticized",
    "reviewed",
    "approved",
    "questioned",
    "supported",
    "postponed",
]


def _words() -> list[str]:
    text = SAMPLE.read_text(encoding="utf-8")
    return sorted({w.lower() for w in re.findall(r"[A-Za-z]{4,}", text)})


def sentences(count: int, seed: int) -> list[str]:
    """count distinct sentences of 8 to 30 words."""
    rng = random.Random(seed)
    words = _words()
    found: dict[str, None] = {}
    while len(found) < count:
        length = rng.randint(5, 27)
        tail = " ".join(rng.choice(words) for _ in range(length))
        found[f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {tail}."] = None
    return list(found)


def articles(
    pool: list[str], per_article: int, repeats: list[str], repeat_share: float, seed: int
) -> list[str]:
    """Articles of per_article sentences; repeat_share of the slots come from `repeats`."""
    rng = random.Random(seed)
    fresh = iter(pool)
    out = []
    for number in range(len(pool) // max(1, round(per_article * (1 - repeat_share)))):
        lines = []
        for _ in range(per_article):
            if repeats and rng.random() < repeat_share:
                lines.append(rng.choice(repeats))
            else:
                sentence = next(fresh, None)
                if sentence is None:
                    break
                lines.append(sentence)
        if not lines:
            break
        body = "\n\n".join(" ".join(lines[i : i + 3]) for i in range(0, len(lines), 3))
        out.append(f"Report {number + 1}\n\n{body}\n")
    return out


def write_corpus(folder: Path, texts: list[str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, text in enumerate(texts):
        path = folder / f"article-{i:04d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
