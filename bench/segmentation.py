"""Sentence segmentation: locpipe against each library alone, on other projects' suites and on
the golden sets; speed on English.

    python bench/segmentation.py            # Markdown tables on stdout

Peer suites (../shared/suites/segmentation-cases.json; skipped when absent): cases passed per
language for pySBD's golden rules and sentencex's cases, scored as tests/segmentation_suites.py
says; documented choices (tests/suite_choices.yaml) count as failures. The golden sets: "right"
counts the golden sentences (tests/golden/segmentation/<lang>.txt) that come out as exactly one
sentence when the set is joined into paragraphs (tests/golden_sets.py). Each library runs with its
own data for the language; "-" where it has none. Speed: sentences per second over the English
set's paragraphs, best of seven rounds of CPU time (wall time swings with other load on the machine).
"""

from __future__ import annotations

import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import figures  # noqa: E402
import pysbd  # noqa: E402
import segmentation_suites as peer  # noqa: E402
import sentencex  # noqa: E402
from golden_sets import joined, languages, paragraphs, right, sentences  # noqa: E402
from peer_suites import SUITES, choices  # noqa: E402
from pysbd.languages import LANGUAGE_CODES  # noqa: E402
from sentence_splitter import SentenceSplitter  # noqa: E402

from pipeline.segments.splitter import split_sentences  # noqa: E402

Splitter = Callable[[str], list[str]]


def locpipe(language: str) -> Splitter:
    return lambda text: [s for s, _ in split_sentences(text, language)]


def pysbd_alone(language: str) -> Splitter | None:
    if language not in LANGUAGE_CODES:
        return None
    segmenter = pysbd.Segmenter(language=language, clean=False)
    return lambda text: segmenter.segment(text)


def sentencex_alone(language: str) -> Splitter:
    return lambda text: list(sentencex.segment(language, text))


def moses_alone(language: str) -> Splitter | None:
    """The Moses splitter with its prefix list (sentence-splitter's port)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            splitter = SentenceSplitter(language=language)
    except Exception:  # noqa: BLE001 - no prefix list for the language
        return None
    return splitter.split


def speed(split: Splitter, texts: list[str], count: int, rounds: int = 7, repeat: int = 20) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for _ in range(repeat):
            for text in texts:
                split(text)
        best = min(best, time.process_time() - start)
    return count * repeat / best


def peer_tables(tables: list[dict[str, object]], notes: list[str]) -> None:
    """One table per suite: cases per language and how many each splitter gets right."""
    path = SUITES / peer.FILE
    if not path.exists():
        print(f"(peer suites not found under {SUITES}: skipped)\n")
        notes.append(f"peer suites not found under {SUITES}: skipped")
        return
    cases = peer.load(path)
    found = {name: peer.scores(cases, split) for name, split in peer.SPLITTERS.items()}
    sizes = peer.counts(cases)
    for suite in peer.SUITES:
        print(f"**{suite}**\n")
        print("| language | cases | " + " | ".join(found) + " |")
        print("|---|---:|" + "---:|" * len(found))
        rows: list[list[object]] = []
        for key in sorted(k for k in sizes if k[0] == suite):
            cells = [_cell(found[name], key, name) for name in found]
            print(f"| {key[1]} | {sizes[key]} | " + " | ".join(cells) + " |")
            rows.append([key[1], sizes[key], *cells])
        totals = [str(peer.total(found[name], suite)) for name in found]
        print(f"| **total** | {peer.total(sizes, suite)} | " + " | ".join(totals) + " |\n")
        rows.append(["total", peer.total(sizes, suite), *totals])
        tables.append(figures.table(suite, ["language", "cases", *found], rows))
    documented = choices("segmentation")
    print(f"Documented choices (tests/suite_choices.yaml, counted as failures above): {len(documented)}\n")
    notes.append(f"documented choices (tests/suite_choices.yaml), counted as failures: {len(documented)}")


def _cell(found: dict[tuple[str, str], int], key: tuple[str, str], name: str) -> str:
    if name == "pySBD" and key[1] not in LANGUAGE_CODES:
        return "-"
    return str(found.get(key, 0))


def main() -> None:
    tables: list[dict[str, object]] = []
    notes: list[str] = []
    peer_tables(tables, notes)
    print("**golden sets** (sentences right)\n")
    columns = [("locpipe", locpipe), ("pySBD", pysbd_alone), ("sentencex", sentencex_alone)]
    columns.append(("Moses (sentence-splitter)", moses_alone))
    print("| language | sentences | " + " | ".join(name for name, _ in columns) + " |")
    print("|---|---:|" + "---:|" * len(columns))
    golden: list[list[object]] = []
    for language in languages():
        cells = []
        for _, make in columns:
            split = make(language)
            cells.append("-" if split is None else str(right(language, split)))
        print(f"| {language} | {len(sentences(language))} | " + " | ".join(cells) + " |")
        golden.append([language, len(sentences(language)), *cells])
    tables.append(figures.table("golden sets (sentences right)",
                                ["language", "sentences", *(name for name, _ in columns)], golden))
    texts = [joined("en", group) for group in paragraphs("en")]
    count = len(sentences("en"))
    ours = speed(locpipe("en"), texts, count)
    theirs = speed(pysbd_alone("en"), texts, count)  # type: ignore[arg-type]
    print()
    print(f"English speed: locpipe {ours:,.0f} sentences/s, pySBD alone {theirs:,.0f} sentences/s "
          f"({ours / theirs:.1f}x)")
    speeds = [["locpipe", round(ours)], ["pySBD", round(theirs)]]
    title = "English speed (sentences per second, best of 7 rounds of CPU time)"
    tables.append(figures.table(title, ["splitter", "sentences/s"], speeds))
    print(f"figures: {figures.write('segmentation', tables, notes)}")


if __name__ == "__main__":
    main()
