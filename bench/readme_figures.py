"""The README's table of other projects' suites, rendered from the benches' last figures.

docs/figures/segmentation.json (bench/segmentation.py), fidelity.json (bench/fidelity.py) and
detect_segment.json (bench/detect_segment.py) are the source; the README holds the rendering
between two markers, and tests/test_docs.py checks that it is the rendering of the committed
figures, so the README never shows a figure no run produced.

    python bench/readme_figures.py          # print the block
    python bench/readme_figures.py --write  # replace it in README.md
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
FIGURES = ROOT / "docs" / "figures"
BEGIN = "<!-- suites:begin (bench/readme_figures.py --write) -->"
END = "<!-- suites:end -->"
GOALS = {"pysbd-golden": 162, "sentencex": 459}  # the suites' own authors' scores
NAMES = {
    "pysbd-golden": ("pySBD's golden rules", "sentencex", "pySBD"),
    "sentencex": ("sentencex's test cases", "pySBD", "sentencex"),
}


def _figures(bench: str) -> dict:
    return json.loads((FIGURES / f"{bench}.json").read_text(encoding="utf-8"))


def _table(figures: dict, title: str) -> dict:
    return next(t for t in figures["tables"] if t["title"] == title)


def render() -> str:
    segmentation = _figures("segmentation")
    fidelity = _figures("fidelity")
    lines = [
        BEGIN,
        "| suite (another project's tests) | cases | locpipe | other library alone | suite's author | goal |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for suite, (name, other, author) in NAMES.items():
        table = _table(segmentation, suite)
        total = dict(zip(table["columns"], table["rows"][-1], strict=True))
        languages = len(table["rows"]) - 1
        lines.append(
            f"| {name}, {languages} languages | {total['cases']} | {total['locpipe']} | "
            f"{other} {total[other]} | {author} {total[author]} | {GOALS[suite]} |"
        )
    for row in _table(fidelity, "kept / with text")["rows"]:
        suite, engine, kept, cases = row
        lines.append(f"| {suite}, {engine} | {cases} | {kept} | – | – | {cases} |")
    speed = _figures("detect_segment")
    rows = _table(speed, "detect and segment per article")["rows"]
    against = f", and {rows[1][1]} ms at {rows[1][0]} (make's SEGMENT_BASELINE)" if len(rows) > 1 else ""
    dates = sorted({segmentation["date"], fidelity["date"], speed["date"]})
    lines += [
        "",
        f"Detect and segment per article: {rows[0][1]} ms{against}; {speed['notes'][0]}. "
        f"Measured {' and '.join(dates)}; the per-language tables are in "
        "[segmentation](docs/segmentation.md).",
        END,
    ]
    return "\n".join(lines)


def current() -> str:
    text = README.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[start:end]


def main() -> None:
    block = render()
    if "--write" in sys.argv[1:]:
        text = README.read_text(encoding="utf-8")
        README.write_text(text.replace(current(), block), encoding="utf-8")
    print(block)


if __name__ == "__main__":
    main()
