"""`make bench-scale`: locpipe on a news archive of thousands of articles, tiny demo models,
3 locales, driven only through its command line so the figures stay comparable whatever the
task graph looks like inside.

Stages: a first run per size (1,000, 5,000, 20,000 articles by default), then at the largest
size that finished: a no-op rerun (warm, and cold when the page cache may be dropped), one
edited article, one reviewed entry. Each stage runs in its own process group under a time
limit; past it the group is killed and the stage reads "not measured (over N s)".

    python bench/scale.py [--sizes 1000,5000,20000] [--quick] [--workers 1] [--max-seconds N]

Prints one table and the targets, and writes the raw figures to bench/.work/scale.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(BENCH))

import figures as bench_figures  # noqa: E402
from corpus import SAMPLE, sentences, write_corpus  # noqa: E402
from measure import drop_caches, engine_seconds, last_run, new_project, private_env  # noqa: E402
from measure import timed as timed_in  # noqa: E402
from scale_report import figure_tables, measured, report  # noqa: E402

from pipeline.translation.synthetic import build_package  # noqa: E402

PY = sys.executable
WORK = BENCH / ".work"
SCALE = WORK / "scale"
LOCALES = ("uk", "tr", "de")
SIZES = (1000, 5000, 20000)
QUICK = (200, 1000)
REPEAT_SHARE = 0.3
LIMIT_ENV, BUDGET_ENV = "LOCPIPE_BENCH_MAX_SECONDS", "LOCPIPE_BENCH_BUDGET_SECONDS"
# a first run may take 60 s + 80 ms per article (about 1.5 x what the targets allow with the tiny
# models on 2 cores), and never more than what is left of the whole script's budget once the
# four follow-up stages have their share: the default sizes stay within ~25 minutes
FIRST_RUN_BASE_S, FIRST_RUN_PER_ARTICLE_S = 60.0, 0.08
FOLLOW_UP_S = 30.0
BUDGET_S = 25 * 60.0
MIN_FIRST_RUN_S = 30.0
# the smallest size is every ratio's baseline, and one first run of 1,000 articles moved between
# 29 and 37 ms per article on the same machine: it is the median of this many runs (--base-runs)
BASE_RUNS = 3


def env() -> dict[str, str]:
    """A private HOME and no network: what is measured is the pipeline, not the user's setup."""
    return private_env(SCALE / "home", ("ARGOS_", "XDG_", "LUIGI_", "LOCPIPE_"))


def timed(cmd: list[str], limit: float, log: Path) -> dict:
    """cmd timed in its own process group under `limit` (see measure.timed)."""
    return timed_in(cmd, limit, log, env)


def locpipe(root: Path, *args: str) -> list[str]:
    return [PY, "-m", "pipeline.cli", "--config", str(root / "luigi.cfg"), *args]


def project(root: Path, models: Path) -> Path:
    shutil.rmtree(root, ignore_errors=True)
    return new_project(root, models, ",".join(LOCALES))


def news(count: int, seed: int) -> list[str]:
    """count articles of 8 to 15 sentences in paragraphs of 3; REPEAT_SHARE of the sentence slots
    come from a pool of recurring sentences (datelines, boilerplate, quotes) that grows with the
    archive, so the unique sentences to translate grow linearly with the articles."""
    rng = random.Random(seed)
    lengths = [rng.randint(8, 15) for _ in range(count)]
    repeats = sentences(max(25, count // 10), seed + 1)
    fresh = iter(sentences(int(sum(lengths) * (1 - REPEAT_SHARE) * 1.1) + 50, seed))
    texts = []
    for number, length in enumerate(lengths, 1):
        lines = [rng.choice(repeats) if rng.random() < REPEAT_SHARE else next(fresh) for _ in range(length)]
        body = "\n\n".join(" ".join(lines[i : i + 3]) for i in range(0, len(lines), 3))
        texts.append(f"Report {number}\n\n{body}\n")
    return texts


def stage(root: Path, name: str, limit: float, *args: str) -> dict:
    """One `locpipe run` with what it reports about itself."""
    cmd = locpipe(root, "run", "--quiet", *args)
    result = timed(cmd, limit, SCALE / "logs" / f"{root.name}-{name}.log")
    if result["timed_out"] or result["rc"] != 0:
        return result
    run = last_run(root)
    seconds, key = engine_seconds(root, run)
    result.update(
        segments_translated=run.get("segments_translated"),
        models_loaded=run.get("models_loaded"),
        tasks=sum((run.get("tasks_run") or {}).values()) if run else None,
        engine_seconds=seconds,
        engine_seconds_key=key,
    )
    return result


def edit_article(root: Path) -> Path:
    """Replace the first sentence of the middle article's first paragraph with a new one."""
    paths = sorted((root / "inputs").iterdir())
    path = paths[len(paths) // 2]
    title, *paragraphs = path.read_text(encoding="utf-8").split("\n\n")
    first = paragraphs[0]
    cut = first.find(". ")
    new = "Correction: the committee met on Tuesday evening, not on Monday, the newsroom said."
    paragraphs[0] = new + (first[cut + 1 :] if cut >= 0 else "\n")
    path.write_text("\n\n".join([title, *paragraphs]), encoding="utf-8")
    return path


def review_entry(root: Path) -> tuple[Path, str] | None:
    """A translator's review in one .po, as polib (and so Weblate's backend) writes it: msgstr
    set, fuzzy cleared. The catalog and the text the translator wrote, or None without one."""
    import polib

    folder = root / "locales" / LOCALES[0]
    for path in sorted(folder.rglob("*.po")):
        po = polib.pofile(str(path), wrapwidth=79)
        entry = next((e for e in po if "fuzzy" in e.flags and not e.obsolete and e.msgid), None)
        if entry is None:
            continue
        text = f"Reviewed by the desk: {entry.msgid}"
        entry.msgstr = text
        entry.flags.remove("fuzzy")
        entry.previous_msgid = None
        po.save(str(path))
        return path, text
    return None


def reached_output(root: Path, po: Path, text: str) -> bool:
    """Whether the reviewed text is in the article as rendered for its locale."""
    folder = root / "locales" / LOCALES[0]
    for path in folder.glob(f"{po.stem}.*"):
        if path.suffix not in {".po", ".mo"} and text in path.read_text(encoding="utf-8", errors="replace"):
            return True
    return False


def install_models(models: Path, limit: float) -> float:
    """Build and install the tiny demo models; the size of their model.bin files in MB."""
    sample = SAMPLE.read_text(encoding="utf-8")
    setup = project(SCALE / "setup", models)
    for target in LOCALES:
        package = build_package("en", target, SCALE / "packages", size="tiny", sample_text=sample)
        result = timed(
            locpipe(setup, "models", "install", str(package)), limit, SCALE / "logs" / "install.log"
        )
        if not measured(result):
            raise SystemExit(f"bench-scale: installing {package.name} failed; see {result['log']}")
    return sum(p.stat().st_size for p in models.rglob("model.bin")) / 2**20


def main(argv: list[str] | None = None) -> int:
    global WORK, SCALE
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", help="article counts, comma-separated (default 1000,5000,20000)")
    parser.add_argument("--quick", action="store_true", help="a smoke test: 200 and 1,000 articles")
    parser.add_argument("--workers", type=int, default=1, help="locpipe run --workers (default 1)")
    parser.add_argument("--detect", action="store_true", help="let locpipe detect the language")
    parser.add_argument(
        "--no-drop-caches", action="store_true", help="leave the page cache alone (no cold no-op figure)"
    )
    parser.add_argument("--work", type=Path, default=WORK, help="folder for scale.json and the projects")
    parser.add_argument(
        "--base-runs", type=int, default=BASE_RUNS,
        help=f"first runs at the smallest size (the ratios' baseline), median taken (default {BASE_RUNS})",
    )
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=float(os.environ[LIMIT_ENV]) if os.environ.get(LIMIT_ENV) else None,
        help=f"time limit of every stage (env {LIMIT_ENV}; default: first run "
        f"{FIRST_RUN_BASE_S:.0f} s + {FIRST_RUN_PER_ARTICLE_S * 1000:.0f} ms per article, "
        f"within the budget; other stages {FOLLOW_UP_S:.0f} s)",
    )
    parser.add_argument(
        "--budget-seconds",
        type=float,
        default=float(os.environ.get(BUDGET_ENV) or BUDGET_S),
        help=f"the whole script's time budget (env {BUDGET_ENV}; default {BUDGET_S:.0f} s); "
        "a first run gets what is left after the follow-up stages' share",
    )
    args = parser.parse_args(argv)
    WORK, SCALE = args.work.resolve(), args.work.resolve() / "scale"
    sizes = (
        sorted({int(s) for s in args.sizes.split(",")})
        if args.sizes
        else list(QUICK if args.quick else SIZES)
    )
    run_args = ["--workers", str(args.workers)] + ([] if args.detect else ["--source-lang", "en"])

    started = time.perf_counter()
    shutil.rmtree(SCALE, ignore_errors=True)
    SCALE.mkdir(parents=True)
    models = SCALE / "models"
    model_mb = install_models(models, args.max_seconds or FOLLOW_UP_S)
    figures: dict = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "settings": {
            "locales": list(LOCALES),
            "workers": args.workers,
            "source_lang": not args.detect,
            "repeat_share": REPEAT_SHARE,
            "budget_seconds": args.budget_seconds,
            "max_seconds": args.max_seconds,
        },
        "model": {"size": "tiny", "model_bin_mb_total": model_mb, "count": len(LOCALES)},
        "first_runs": {},
    }
    print(
        f"bench-scale: {os.cpu_count()} CPUs, tiny demo models en->{','.join(LOCALES)} "
        f"({model_mb:.1f} MB of model.bin in all), {args.workers} worker(s), sizes {sizes}",
        file=sys.stderr,
    )

    largest: Path | None = None
    stopped = False
    for index, size in enumerate(sizes):
        left = args.budget_seconds - (time.perf_counter() - started) - 4 * (args.max_seconds or FOLLOW_UP_S)
        limit = args.max_seconds or min(FIRST_RUN_BASE_S + FIRST_RUN_PER_ARTICLE_S * size, left)
        if stopped or limit < MIN_FIRST_RUN_S:
            why = "a smaller size was not measured" if stopped else "the time budget is spent"
            figures["first_runs"][size] = {"skipped": why, "limit_s": limit}
            stopped = True
            continue
        texts = news(size, seed=size)
        tries: list[dict] = []
        for attempt in range(args.base_runs if index == 0 else 1):  # each from a fresh project
            spent = time.perf_counter() - started
            if attempt and args.budget_seconds - spent - 4 * (args.max_seconds or FOLLOW_UP_S) < limit:
                break  # the budget has no room for another baseline run
            root = project(SCALE / f"n{size}", models)
            write_corpus(root / "inputs", texts)
            print(f"bench-scale: first run, {size} articles (limit {limit:.0f} s)", file=sys.stderr)
            tries.append(stage(root, "first" if attempt == 0 else f"first-{attempt + 1}", limit, *run_args))
            if not measured(tries[-1]):
                break
        good = sorted((t for t in tries if measured(t)), key=lambda t: t["wall"])
        result = good[(len(good) - 1) // 2] if good else tries[-1]  # the median (the lower of two)
        if len(good) > 1:
            result["walls"] = [round(t["wall"], 1) for t in good]
        result["articles"] = size
        figures["first_runs"][size] = result
        if measured(tries[-1]):  # the project left on disk is the last try's
            largest = root
        else:
            stopped = True

    follow: dict = {}
    if largest is not None:
        limit = args.max_seconds or FOLLOW_UP_S
        follow["articles"] = int(largest.name[1:])
        print(f"bench-scale: follow-up stages at {follow['articles']} articles", file=sys.stderr)
        follow["noop_warm"] = stage(largest, "noop-warm", limit, *run_args)
        reason = "--no-drop-caches" if args.no_drop_caches else drop_caches()
        follow["noop_cold"] = (
            {"not_measured": reason} if reason else stage(largest, "noop-cold", limit, *run_args)
        )
        edited = edit_article(largest)
        follow["edit"] = {"article": edited.name, **stage(largest, "edit", limit, *run_args)}
        reviewed = review_entry(largest)
        if reviewed is None:
            follow["review"] = {"not_measured": f"no fuzzy entry in a {LOCALES[0]} catalog"}
        else:
            po, text = reviewed
            follow["review"] = {"catalog": po.name, **stage(largest, "review", limit, *run_args)}
            follow["review"]["reached_output"] = reached_output(largest, po, text)
    figures["follow_up"] = follow
    figures["bench_seconds"] = time.perf_counter() - started
    (WORK / "scale.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
    report(figures, model_mb, WORK / "scale.json")
    tables, notes = figure_tables(figures)
    command = " ".join(["python bench/scale.py", *(argv if argv is not None else sys.argv[1:])])
    print(f"figures: {bench_figures.write('scale', tables, notes, command=command)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
