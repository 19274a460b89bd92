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
TARGET_RATIO, TARGET_RSS_OVER_MODEL_MB, TARGET_OUTSIDE_MS, TARGET_STEP_S = 1.15, 600, 10.0, 3.0


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


def measured(result: dict | None) -> bool:
    return bool(result) and not result.get("timed_out") and result.get("rc") == 0


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
    for size in sizes:
        left = args.budget_seconds - (time.perf_counter() - started) - 4 * (args.max_seconds or FOLLOW_UP_S)
        limit = args.max_seconds or min(FIRST_RUN_BASE_S + FIRST_RUN_PER_ARTICLE_S * size, left)
        if stopped or limit < MIN_FIRST_RUN_S:
            why = "a smaller size was not measured" if stopped else "the time budget is spent"
            figures["first_runs"][size] = {"skipped": why, "limit_s": limit}
            stopped = True
            continue
        root = project(SCALE / f"n{size}", models)
        texts = news(size, seed=size)
        write_corpus(root / "inputs", texts)
        print(f"bench-scale: first run, {size} articles (limit {limit:.0f} s)", file=sys.stderr)
        result = stage(root, "first", limit, *run_args)
        result["articles"] = size
        figures["first_runs"][size] = result
        if measured(result):
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
    report(figures, model_mb)
    tables, notes = figure_tables(figures)
    command = " ".join(["python bench/scale.py", *(argv if argv is not None else sys.argv[1:])])
    print(f"figures: {bench_figures.write('scale', tables, notes, command=command)}")
    return 0


def figure_tables(f: dict) -> tuple[list[dict], list[str]]:
    """The table of report() as data for docs/figures/scale.json (the docs site's Performance page)."""
    runs = f["first_runs"]
    locales = len(f["settings"]["locales"])
    base = next((r for r in runs.values() if measured(r)), None)
    base_ms = base["wall"] / base["articles"] * 1000 if base else None
    versus = f"vs {base['articles']:,}" if base else "vs -"
    columns = ["stage", "articles", "seconds", "ms per article", versus, "peak RSS MB",
               "segments translated", "model loads", "outside translation, ms per article × locale"]
    rows: list[list[object]] = []
    for size, r in runs.items():
        why = _cell(r)
        if why:
            rows.append(["first run", int(size), why, "", "", "", "", "", ""])
            continue
        per = r["wall"] / r["articles"] * 1000
        outside = _outside(r, locales)
        rows.append([
            "first run", int(size), round(r["wall"], 1), round(per, 1),
            round(per / base_ms, 2) if base_ms else "", round(r["peak_rss_mb"]),
            r.get("segments_translated"), r.get("models_loaded"),
            round(outside, 2) if outside is not None else "not measured",
        ])
    follow = f.get("follow_up") or {}
    for key, label in (("noop_warm", "no-op rerun, warm cache"), ("noop_cold", "no-op rerun, cold cache"),
                       ("edit", "one edited article"), ("review", "one reviewed entry")):
        r = follow.get(key)
        why = _cell(r) if follow else "not measured (no first run finished)"
        articles = follow.get("articles", "")
        if why:
            rows.append([label, articles, why, "", "", "", "", "", ""])
            continue
        rows.append([label, articles, round(r["wall"], 2), "", "", round(r["peak_rss_mb"]),
                     r.get("segments_translated"), r.get("models_loaded"), ""])
    model = f.get("model", {})
    notes = [
        f"{model.get('size', 'tiny')} demo models en->{','.join(f['settings']['locales'])} "
        f"(model.bin {model.get('model_bin_mb_total', 0):.1f} MB in all), "
        f"{f['settings']['workers']} worker(s); "
        f"news articles of 8-15 sentences, {REPEAT_SHARE:.0%} of them recurring",
        f"the whole bench took {f['bench_seconds']:.0f} s",
    ]
    return [bench_figures.table("first runs and reruns", columns, rows)], notes


def _cell(result: dict | None) -> str | None:
    """Why a stage has no figure, or None when it has one."""
    if not result:
        return "not measured"
    if "skipped" in result:
        return f"not measured ({result['skipped']})"
    if "not_measured" in result:
        return f"not measured ({result['not_measured']})"
    if result.get("timed_out"):
        return f"not measured (over {result['limit_s']:.0f} s)"
    if result.get("rc") != 0:
        return f"failed (exit {result['rc']}; see {result['log']})"
    return None


def report(f: dict, model_mb: float) -> None:
    runs = f["first_runs"]
    base = next((r for r in runs.values() if measured(r)), None)
    base_ms = base["wall"] / base["articles"] * 1000 if base else None
    versus = f"vs {base['articles']:,}" if base else "vs -"
    header = (
        f"{'stage':<22} {'articles':>8} {'seconds':>9} {'ms/article':>10} {versus:>8} "
        f"{'peak RSS MB':>11} {'MT segments':>11} {'loads':>5} {'outside MT ms/art×loc':>21}"
    )
    print()
    print(
        f"Tiny demo models en->{','.join(LOCALES)} (model.bin {model_mb:.1f} MB in all), "
        f"{f['settings']['workers']} worker(s), {f['machine']['cpus']} CPUs; news articles of 8-15 "
        f"sentences, {REPEAT_SHARE:.0%} of them recurring"
    )
    print(header)
    print("-" * len(header))
    targets: list[tuple[str, str, bool | None]] = []
    for size, r in runs.items():
        why = _cell(r)
        if why:
            print(f"{'first run':<22} {size:>8,} {why}")
            continue
        per = r["wall"] / r["articles"] * 1000
        ratio = per / base_ms if base_ms else None
        outside = _outside(r, len(LOCALES))
        outside_cell = f"{outside:.2f}" if outside is not None else "not measured"
        print(
            f"{'first run':<22} {size:>8,} {r['wall']:>9.1f} {per:>10.1f} {ratio:>8.2f} "
            f"{r['peak_rss_mb']:>11.0f} {_num(r.get('segments_translated')):>11} "
            f"{_num(r.get('models_loaded')):>5} {outside_cell:>21}"
        )
        if r is not base:
            targets.append(
                (
                    f"ms/article at {size:,} ≤ {TARGET_RATIO} × at {base['articles']:,}",
                    f"{ratio:.2f}",
                    ratio <= TARGET_RATIO,
                )
            )
        targets.append(
            (
                f"peak RSS at {size:,} ≤ model + {TARGET_RSS_OVER_MODEL_MB} MB",
                f"{r['peak_rss_mb']:.0f} MB",
                r["peak_rss_mb"] <= model_mb + TARGET_RSS_OVER_MODEL_MB,
            )
        )
        targets.append(
            (
                f"outside translation at {size:,} ≤ {TARGET_OUTSIDE_MS:.0f} ms/art×loc",
                outside_cell,
                None if outside is None else outside <= TARGET_OUTSIDE_MS,
            )
        )
    follow = f["follow_up"]
    labels = [
        ("noop_warm", "no-op rerun, warm"),
        ("noop_cold", "no-op rerun, cold"),
        ("edit", "one edited article"),
        ("review", "one reviewed entry"),
    ]
    for key, label in labels:
        r = follow.get(key)
        why = _cell(r) if follow else "not measured (no first run finished)"
        articles = f"{follow['articles']:,}" if follow else "-"
        if why:
            print(f"{label:<22} {articles:>8} {why}")
            targets.append((f"{label} ≤ {TARGET_STEP_S:.0f} s", why, None))
            continue
        print(
            f"{label:<22} {articles:>8} {r['wall']:>9.2f} {'':>10} {'':>8} {r['peak_rss_mb']:>11.0f} "
            f"{_num(r.get('segments_translated')):>11} {_num(r.get('models_loaded')):>5}"
        )
        ok = r["wall"] <= TARGET_STEP_S
        if key.startswith("noop"):
            ok = ok and not r.get("models_loaded")
        targets.append(
            (
                f"{label} ≤ {TARGET_STEP_S:.0f} s" + (", no model" if key.startswith("noop") else ""),
                f"{r['wall']:.2f} s",
                ok,
            )
        )
    print()
    for name, value, ok in targets:
        verdict = "-      " if ok is None else ("met    " if ok else "NOT met")
        print(f"  {verdict}  {name:<48} {value}")
    review = follow.get("review") or {}
    if "reached_output" in review:
        print(
            f"  the reviewed text reached the rendered article: {'yes' if review['reached_output'] else 'NO'}"
        )
    key = next((r.get("engine_seconds_key") for r in runs.values() if r.get("engine_seconds_key")), None)
    if key == "seconds":
        print("  outside MT = (wall - the translation tasks' engine seconds: model load, SentencePiece and")
        print("  translate_batch) / (articles × locales); process start and scheduling count as outside")
    print(f"bench-scale took {f['bench_seconds']:.0f} s; raw figures in {WORK / 'scale.json'}")


def _outside(r: dict, locales: int) -> float | None:
    if r.get("engine_seconds") is None:
        return None
    return (r["wall"] - r["engine_seconds"]) / (r["articles"] * locales) * 1000


def _num(value: object) -> str:
    return "?" if value is None else str(value)


if __name__ == "__main__":
    sys.exit(main())
