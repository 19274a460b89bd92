"""Markup fidelity: other projects' suites through locpipe's read -> catalog -> render path.

    python bench/fidelity.py            # Markdown table on stdout

Engines: identity (model input returned as it is) and transform (letters upper-cased, each
segment in brackets, tokens kept). What "kept" and "with text" mean: tests/fidelity.py.
Documented choices (tests/suite_choices.yaml) count as failures.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import figures  # noqa: E402
from fidelity import commonmark_results, html5lib_results  # noqa: E402
from peer_suites import SUITES  # noqa: E402


def main() -> int:
    rows = []
    started = time.perf_counter()
    spec = SUITES / "commonmark_spec.md"
    trees = SUITES / "html5lib-tree-construction"
    if spec.exists():
        for engine in ("identity", "transform"):
            results = commonmark_results(spec, engine)
            rows.append(("CommonMark spec (token structure)", engine, sum(results.values()), len(results)))
    if trees.is_dir():
        results = html5lib_results(trees, "transform")
        rows.append(
            ("html5lib tree-construction (same tree)", "transform", sum(results.values()), len(results))
        )
    if not rows:
        print(f"no suites under {SUITES} (set LOCPIPE_SUITES)", file=sys.stderr)
        return 1
    print("| suite | engine | kept / with text |")
    print("|---|---|---|")
    for suite, engine, passed, total in rows:
        print(f"| {suite} | {engine} | {passed} / {total} |")
    seconds = time.perf_counter() - started
    print(f"\n({seconds:.1f} s)")
    table = figures.table(
        "kept / with text",
        ["suite", "engine", "kept", "with text"],
        [[suite, engine, passed, total] for suite, engine, passed, total in rows],
    )
    print(f"figures: {figures.write('fidelity', [table], [f'took {seconds:.1f} s'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
