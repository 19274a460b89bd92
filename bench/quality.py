"""What the quality estimate costs: the same sentences translated with and without scores.

    python bench/quality.py [--size argos|small] [--sentences N]

The score comes from the decode already run (CTranslate2's `return_scores`), and the figure
from checks each entry gets anyway; this measures both against the translation itself, on the
synthetic Argos-size model (placeholder text: speed, not quality). Rounds alternate, the
fastest of each counts.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import figures as bench_figures  # noqa: E402
from corpus import sentences  # noqa: E402

from pipeline.translation.engine import DecodeOptions, LoadedModel  # noqa: E402
from pipeline.translation.packages import install_package, read_package  # noqa: E402
from pipeline.translation.quality import ModelScore, estimate, signals_for  # noqa: E402
from pipeline.translation.synthetic import build_package  # noqa: E402


def timed_translate(loaded: LoadedModel, texts: list[str], scores: bool) -> float:
    """One pass over the texts, return_scores on or off, in the engine's own batching."""
    tokens = [loaded.tokenizer.encode(t, out_type=str) for t in texts]
    started = time.perf_counter()
    for start in range(0, len(tokens), loaded.options.batch_size):
        batch = tokens[start : start + loaded.options.batch_size]
        loaded.translator.translate_batch(
            batch,
            beam_size=loaded.options.beam_size,
            max_batch_size=loaded.options.batch_size,
            max_decoding_length=max(loaded.options.cap(len(t)) for t in batch),
            return_scores=scores,
        )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="argos", choices=("argos", "small"))
    parser.add_argument("--sentences", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="locpipe-bench-quality-"))
    texts = sentences(args.sentences, seed=7)
    archive = build_package("en", "uk", work / "packages", size=args.size, sample_text=" ".join(texts))
    model = read_package(install_package(archive, work / "models").path)
    loaded = LoadedModel(model, DecodeOptions(beam_size=4, batch_size=32, inter_threads=1, intra_threads=2))
    best = {True: float("inf"), False: float("inf")}
    for round_ in range(args.rounds):
        for scores in (False, True) if round_ % 2 == 0 else (True, False):
            best[scores] = min(best[scores], timed_translate(loaded, texts, scores))
    outputs = loaded.translate(texts)
    started = time.perf_counter()
    for text, out, score in zip(texts, outputs, loaded.scores, strict=True):
        estimate(signals_for(text, out, score or ModelScore(0.0), 0, "en", "uk"))
    figures = time.perf_counter() - started
    plain, scored = best[False], best[True]
    print(f"quality estimate, {len(texts)} sentences, {args.size} model, beam 4, best of {args.rounds}:")
    print(f"  translate without scores {plain:.2f} s, with scores {scored:.2f} s "
          f"({(scored - plain) / plain * 100:+.1f} %)")
    share = figures / plain * 100
    total = (scored - plain + figures) / plain * 100
    print(f"  figures from the signals {figures * 1000:.1f} ms ({share:.2f} % of translation)")
    print(f"  cost of scoring: {total:+.1f} % of translation time (target <= 3 %)")
    rows = [
        ["translate without scores, s", round(plain, 2)],
        ["translate with scores, s", round(scored, 2)],
        ["figures from the signals, ms", round(figures * 1000, 1)],
        ["cost of scoring, % of translation time (target <= 3 %)", round(total, 1)],
    ]
    note = (
        f"{len(texts)} sentences, {args.size} demo model en->uk (placeholder output), "
        f"beam 4, best of {args.rounds}"
    )
    table = bench_figures.table("quality estimate against translation", ["figure", "value"], rows)
    print(f"figures: {bench_figures.write('quality', [table], [note])}")


if __name__ == "__main__":
    main()
