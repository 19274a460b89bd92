"""Detect and segment, per article: the first stage's CPU time, this tree against an older one.

Each article goes through `pipeline.segments.record.prepare_file`, the function a run's
PrepareShard calls once per input (read, detect the language, split into segments); its
signature is the same since before the segmentation rules were pooled, so one driver runs on
both trees. The corpus: English news articles from bench/corpus.py, half of them as Markdown,
and articles of the golden sentences of 12 languages (tests/golden/segmentation).

Each tree runs in its own process (PYTHONPATH picks its `pipeline`), the two alternating, ROUNDS
times each; a process warms up on the whole corpus once, then reports its best pass in CPU time.
The figures are the median of the rounds (and the best); a ratio is the median of the rounds'
ratios (each round runs the two trees back to back, each first in turn, so a machine's drift
cancels). The splitter alone (`split_sentences` on the same paragraphs) is timed too: it is the
part the segmentation rules change, and a small share of the whole, where langdetect's n-gram
scoring takes most of the time.

    python bench/detect_segment.py [--against REV] [--rounds 5] [--articles 120]

--against REV extracts REV's `pipeline` into bench/.work/ (git archive) and measures it beside
the working tree; without it only this tree is measured. LOCPIPE_FIGURES redirects the figures.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import figures  # noqa: E402
from corpus import articles, sentences  # noqa: E402
from golden_sets import joined, languages, paragraphs  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
# LOCPIPE_BENCH_WORK: elsewhere (a test's own folder), so a test leaves no tree in bench/.work
WORK = Path(os.environ.get("LOCPIPE_BENCH_WORK") or ROOT / "bench" / ".work") / "detect-segment"
PASSES = 5  # timed passes over the corpus in one process; the best counts

DRIVER = """
import json, sys, time
from pathlib import Path
from pipeline.segments.record import prepare_file
from pipeline.segments.splitter import split_sentences
files = sorted(Path(sys.argv[1]).iterdir())
paragraphs = [
    (p, f.name.split("-")[0]) for f in files for p in f.read_text(encoding="utf-8").split("\\n\\n")
]
segments = sum(len(prepare_file(f, None)["segments"]) for f in files)  # warm: data, caches

def best(work):
    fastest = float("inf")
    for _ in range(int(sys.argv[2])):
        start = time.process_time()
        work()
        fastest = min(fastest, time.process_time() - start)
    return fastest

whole = best(lambda: [prepare_file(f, None) for f in files])
split = best(lambda: [split_sentences(text, lang) for text, lang in paragraphs])
print(json.dumps({"articles": len(files), "segments": segments, "seconds": whole, "split": split}))
"""


def write_corpus(folder: Path, english: int) -> int:
    """English news (.txt and .md) and golden-sentence articles in 12 languages; returns count."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    pool = sentences(english * 12, seed=7)
    for i, text in enumerate(articles(pool, 12, pool[:25], 0.3, seed=7)[:english]):
        paras = [p for p in text.split("\n\n") if p.strip()]
        if i % 2:
            body = f"# {paras[0][:60]}\n\n" + "\n\n".join(paras[1:]) + "\n"
            (folder / f"en-{i:04d}.md").write_text(body, encoding="utf-8")
        else:
            (folder / f"en-{i:04d}.txt").write_text(text, encoding="utf-8")
    for language in languages():
        groups = paragraphs(language, 0) + paragraphs(language, 1)
        for n in range(0, len(groups), 4):
            text = "\n\n".join(joined(language, group) for group in groups[n : n + 4]) + "\n"
            (folder / f"{language}-{n:03d}.txt").write_text(text, encoding="utf-8")
    return sum(1 for _ in folder.iterdir())


def checkout(rev: str) -> Path:
    """REV's `pipeline` package, extracted under bench/.work (once; git archive, so the
    repository's own state is left alone)."""
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--verify", f"{rev}^{{commit}}"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    tree = WORK / f"tree-{commit[:12]}"
    if not (tree / "pipeline").is_dir():
        aside = tree.with_name(tree.name + ".part")
        shutil.rmtree(aside, ignore_errors=True)
        aside.mkdir(parents=True)
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", "--format=tar", commit, "pipeline"],
            capture_output=True, check=True,
        ).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(aside, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
        aside.replace(tree)
    return tree


def measure(tree: Path, corpus: Path) -> dict[str, float]:
    env = {"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin", "HOME": str(WORK)}
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, str(corpus), str(PASSES)],
        capture_output=True, text=True, check=True, env=env, cwd=tree,
    )
    return json.loads(done.stdout.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", help="an older revision to measure beside this tree")
    parser.add_argument("--rounds", type=int, default=5, help="processes per tree (default 5)")
    parser.add_argument("--articles", type=int, default=120, help="English articles (default 120)")
    args = parser.parse_args()
    corpus = WORK / "inputs"
    count = write_corpus(corpus, args.articles)
    trees = {"this tree": ROOT}
    if args.against:
        trees[args.against] = checkout(args.against)
    per: dict[str, dict[str, list[float]]] = {name: {"seconds": [], "split": []} for name in trees}
    segments: dict[str, int] = {}
    order = list(trees.items())
    for round_number in range(args.rounds):  # who goes first alternates: neither always runs warm
        for name, tree in order if round_number % 2 == 0 else order[::-1]:
            found = measure(tree, corpus)
            for key in ("seconds", "split"):
                per[name][key].append(found[key] / found["articles"] * 1000)
            segments[name] = int(found["segments"])
    print(f"detect and segment: {count} articles, {args.rounds} processes a tree x {PASSES} passes (CPU)")
    rows: list[list[object]] = []
    for name, values in per.items():
        whole, split = statistics.median(values["seconds"]), statistics.median(values["split"])
        print(
            f"  {name:<12} {whole:6.2f} ms/article (best {min(values['seconds']):.2f}); "
            f"the splitter alone {split:.3f} ms; {segments[name]:,} segments"
        )
        best = min(values["seconds"])
        rows.append([name, round(whole, 2), round(best, 2), round(split, 3), segments[name]])
    notes = [f"{count} articles; median of {args.rounds} processes, each the best of {PASSES} passes (CPU)"]
    if args.against:  # round by round: the two ran back to back, so drift cancels
        for key, what in (("seconds", "detect and segment"), ("split", "the splitter alone")):
            ratios = [a / b for a, b in zip(per["this tree"][key], per[args.against][key], strict=True)]
            ratio = statistics.median(ratios)
            spread = f"rounds {min(ratios):.3f}-{max(ratios):.3f}"
            line = f"{what}, this tree / {args.against}: median {ratio:.3f} ({spread})"
            print("  " + line)
            notes.append(line)
    columns = ["code", "ms/article (median)", "best", "splitter alone ms/article", "segments"]
    table = figures.table("detect and segment per article", columns, rows)
    print(f"figures: {figures.write('detect_segment', [table], notes)}")


if __name__ == "__main__":
    main()
