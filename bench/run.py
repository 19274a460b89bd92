"""`make bench`: locpipe against a hand-written argostranslate loop and against CTranslate2
itself, on one machine, one model, the same threads, beam size and decoding-length rule.

Prints a table and the targets met or not, and writes the raw figures to
bench/.work/results.json. `--only-c-over-b`: the model, the settings probe and the c/b
figure at 1,000 articles alone. The model is the synthetic Argos-size package (6+6 layers,
d_model 512, ffn 2048, 32k vocabulary, int8): its output is placeholder text, so what is
measured is speed, memory and work done, not quality.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(BENCH))

import figures as bench_figures  # noqa: E402
from corpus import SAMPLE, articles, sentences, write_corpus  # noqa: E402

from pipeline.core.settings_table import default  # noqa: E402
from pipeline.segments.splitter import split_sentences  # noqa: E402
from pipeline.translation.synthetic import build_package  # noqa: E402

PY = sys.executable
WORK = BENCH / ".work"
BEAM, RATIO = default("beam_size"), default("max_decoding_ratio")  # the shipped decoding settings
REPEATS = 1  # (b), (b-all) and (c) on the small corpora; the fastest counts (timing noise here is ~5%)
# c/b at scale, the figure that counts: 1,000 articles of a title and one sentence (the
# Argos-size model translates ~20 segments/s of these on 2 cores: ~100 s a run), (b) and (c)
# interleaved this many times, the median and range; `make bench` stays within 20 minutes
SCALE_ARTICLES, SCALE_SENTENCES, SCALE_TRIALS = 1000, 1, 3
MEASURE = (
    "import json,resource,subprocess,sys,time;t=time.perf_counter();"
    "r=subprocess.run(sys.argv[1:],capture_output=True,text=True);"
    "print(json.dumps({'wall':time.perf_counter()-t,'rc':r.returncode,'stdout':r.stdout,'stderr':r.stderr[-2000:],"
    "'peak_rss_mb':resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024}))"
)


def env() -> dict[str, str]:
    home = WORK / "home"
    home.mkdir(parents=True, exist_ok=True)
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("ARGOS_", "XDG_", "LUIGI_"))}
    return {
        **keep,
        "HOME": str(home),
        "PYTHONPATH": str(REPO),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "ARGOS_PACKAGE_INDEX": "http://127.0.0.1:9/",
        "SOURCE_DATE_EPOCH": "1790000000",
    }


def measured(cmd: list[str], extra: dict[str, str] | None = None) -> dict:
    """Run cmd in a fresh process that reports its wall time and its children's peak RSS."""
    out = subprocess.run(
        [PY, "-c", MEASURE, *cmd], env={**env(), **(extra or {})}, capture_output=True, text=True
    )
    result = json.loads(out.stdout)
    if result["rc"] != 0:
        raise SystemExit(f"bench: {' '.join(cmd[:4])} failed:\n{result['stderr']}")
    return result


def project(name: str, models: Path, targets: str, batch: int, inter: int, intra: int) -> Path:
    """A project in a folder no earlier project used. Creating thousands of files where a
    tree of the same names was just deleted costs the kernel up to ten times more (4,000
    files: 0.3 s in a new folder, 3.7-4.2 s in the re-created one, ext4 here): a (c) trial
    in the previous trial's folder paid seconds that neither (b) nor a user's run pays."""
    root = WORK / f"{name}-{time.time_ns():x}"
    (root / "inputs").mkdir(parents=True)
    (root / "luigi.cfg").write_text(
        f"[locpipe]\ninputs = inputs\noutputs = locales\ntargets = {targets}\nmodels_dir = {models}\n"
        f"state_dir = .state\nbatch_size = {batch}\nbeam_size = {BEAM}\ninter_threads = {inter}\n"
        f"intra_threads = {intra}\nmax_decoding_ratio = {RATIO}\n\n[core]\nlog_level = WARNING\n",
        encoding="utf-8",
    )
    return root


def locpipe(root: Path, *args: str) -> dict:
    result = measured([PY, "-m", "pipeline.cli", "--config", str(root / "luigi.cfg"), *args])
    result["run"] = json.loads((root / "locales" / ".locpipe" / "last-run.json").read_text(encoding="utf-8"))
    return result


def segments_of(texts: list[str]) -> list[str]:
    """Every sentence as the pipeline cuts it: titles and paragraphs, split by its splitter."""
    found = []
    for text in texts:
        for line in text.splitlines():
            if line.strip():
                found += [s for s, _ in split_sentences(line.strip(), "en")]
    return found


def limit(model: Path, corpus: list[str], name: str, batch: int, inter: int, intra: int) -> dict:
    path = WORK / f"{name}.json"
    path.write_text(json.dumps(corpus), encoding="utf-8")
    result = measured(
        [
            PY,
            str(BENCH / "limit.py"),
            str(model),
            str(path),
            str(batch),
            str(inter),
            str(intra),
            str(BEAM),
            str(RATIO),
        ]
    )
    return {**json.loads(result["stdout"]), "wall": result["wall"]}


def baseline(models: Path, folder: Path, inter: int, intra: int) -> dict:
    extra = {
        "ARGOS_INTER_THREADS": str(inter),
        "ARGOS_INTRA_THREADS": str(intra),
        "ARGOS_BEAM_SIZE": str(BEAM),
    }
    result = measured(
        [PY, str(BENCH / "baseline.py"), str(models), str(folder), "en", "uk", str(RATIO)], extra
    )
    return {**json.loads(result["stdout"]), "wall": result["wall"]}


def fastest(run) -> dict:  # noqa: ANN001
    """The fastest of REPEATS runs."""
    return min((run() for _ in range(REPEATS)), key=lambda r: r["wall"])


def installed_model(models: Path) -> Path:
    return next(p for p in models.iterdir() if p.is_dir() and "en_uk" in p.name)


def main() -> None:
    started = time.perf_counter()
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    figures: dict = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}}
    print(f"bench: {os.cpu_count()} CPUs; building the Argos-size demo model (placeholder output)")

    sample = SAMPLE.read_text(encoding="utf-8")
    packages = WORK / "packages"
    t = time.perf_counter()
    argos = build_package("en", "uk", packages, size="argos", sample_text=sample)
    figures["model_build_seconds"] = time.perf_counter() - t
    models = WORK / "models"
    setup = project("setup", models, "uk", 32, 2, 1)
    install = measured(
        [PY, "-m", "pipeline.cli", "--config", str(setup / "luigi.cfg"), "models", "install", str(argos)]
    )
    model_dir = installed_model(models)
    model_mb = (model_dir / "model" / "model.bin").stat().st_size / 2**20
    figures["model"] = {"size": "argos", "model_bin_mb": model_mb, "install_seconds": install["wall"]}

    # corpora: every contender gets the same article texts
    unique_texts = articles(sentences(600, 1), 12, [], 0.0, 1)
    # 38% of the slots drawn from 25 recurring sentences: 31% of all segments are repeats
    news_texts = articles(sentences(430, 2), 12, sentences(25, 3), 0.38, 2)
    corpora = {"unique": unique_texts, "news-30%-repeats": news_texts}
    only_c_over_b = "--only-c-over-b" in sys.argv[1:]  # the figure that counts, alone (~10 min)

    # (b) settings: the fastest batch size and thread split for this machine
    probe = sorted(set(segments_of(unique_texts)))[:120]
    grid = []
    for inter, intra in [(2, 1), (1, 2)]:
        for batch in (8, 16, 32, 64):
            r = limit(model_dir, probe, "probe", batch, inter, intra)
            grid.append(
                {"batch": batch, "inter": inter, "intra": intra, "seconds": r["seconds"] - r["load_seconds"]}
            )
    best = min(grid, key=lambda g: g["seconds"])
    batch, inter, intra = best["batch"], best["inter"], best["intra"]
    figures["tuning"] = {"grid": grid, "best": best}
    print(
        f"bench: best CTranslate2 settings here: batch {batch}, inter_threads {inter}, intra_threads {intra}"
    )

    rows = []
    tuned = (batch, inter, intra)
    for name, texts in ({} if only_c_over_b else corpora).items():
        every = segments_of(texts)
        unique = sorted(set(every))
        folder = WORK / "corpora" / name
        write_corpus(folder, texts)
        info = {
            "articles": len(texts),
            "segments": len(every),
            "unique": len(unique),
            "repeat_share": round(1 - len(unique) / len(every), 3),
        }
        print(f"bench: corpus {name}: {info}")
        result: dict = {"corpus": info}
        if name == "unique":
            result["a"] = baseline(models, folder, inter, intra)
        result["b"] = fastest(lambda u=unique, n=name: limit(model_dir, u, f"{n}-u", *tuned))
        if name != "unique":
            result["b-all"] = fastest(lambda e=every, n=name: limit(model_dir, e, f"{n}-a", *tuned))

        def fresh_c(name: str = name, folder: Path = folder) -> dict:
            root = project(f"c-{name}", models, "uk", batch, inter, intra)
            shutil.copytree(folder, root / "inputs", dirs_exist_ok=True)
            return locpipe(root, "run", "--quiet", "--source-lang", "en", "--workers", "1")

        c = fastest(fresh_c)
        result["c"] = {
            "seconds": c["wall"],
            "peak_rss_mb": c["peak_rss_mb"],
            "model_loads": c["run"]["models_loaded"],
            "segments_translated": c["run"]["segments_translated"],
        }
        for key in ("a", "b", "b-all"):
            if key in result:
                result[key]["seconds_total"] = result[key]["wall"]
        figures[name] = result
        for key in ("a", "b", "b-all", "c"):
            if key in result:
                seconds = result[key].get("seconds_total", result[key]["seconds"])
                rows.append(
                    (
                        name,
                        key,
                        len(every) / seconds,
                        seconds,
                        result[key]["peak_rss_mb"],
                        result[key].get("model_loads", 1),
                    )
                )

    figures["c_over_b_1000"] = c_over_b_at_scale(models, model_dir, tuned)
    if only_c_over_b:
        (WORK / "results.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
        print_c_over_b(figures["c_over_b_1000"])
        return

    # a rerun with nothing changed at 1,000 articles x 3 locales (tiny models: the first run's
    # cost is not what is measured here)
    tiny = WORK / "tiny-models"
    tiny_setup = project("tiny-setup", tiny, "uk", batch, inter, intra)
    for tgt in ("uk", "tr", "de"):
        pkg = build_package("en", tgt, packages / "tiny", size="tiny", sample_text=sample)
        subprocess.run(
            [
                PY,
                "-m",
                "pipeline.cli",
                "--config",
                str(tiny_setup / "luigi.cfg"),
                "models",
                "install",
                str(pkg),
            ],
            env=env(),
            check=True,
            capture_output=True,
        )
    big = project("c-1000x3", tiny, "uk,tr,de", batch, inter, intra)
    write_corpus(big / "inputs", articles(sentences(4200, 4), 5, sentences(100, 5), 0.3, 4)[:1000])
    first = locpipe(big, "run", "--quiet", "--source-lang", "en")
    task_seconds = sum(e.get("seconds") or 0 for e in _events(big))
    noop = locpipe(big, "run", "--quiet", "--source-lang", "en")
    figures["noop_1000x3"] = {
        "articles": len(list((big / "inputs").iterdir())),
        "first_run_seconds": first["wall"],
        "first_run_tasks": first["run"]["tasks_run"],
        "first_run_task_seconds": task_seconds,  # the rest of the wall time is Luigi's scheduling
        "rerun_seconds": noop["wall"],
        "rerun_models_loaded": noop["run"]["models_loaded"],
        "rerun_tasks": noop["run"]["tasks_run"],
    }

    # time to first output: install the model, translate one article
    one = project("first-output", WORK / "models-first", "uk", batch, inter, intra)
    (one / "inputs" / "article.txt").write_text(sample, encoding="utf-8")
    inst = measured(
        [PY, "-m", "pipeline.cli", "--config", str(one / "luigi.cfg"), "models", "install", str(argos)]
    )
    run1 = locpipe(one, "run", "--quiet")
    figures["first_output"] = {"install_seconds": inst["wall"], "run_seconds": run1["wall"]}

    # doubling the articles over the same unique sentences
    pool = sentences(240, 7)
    rng = random.Random(7)
    doubling = {}
    for copies in (1, 2):
        slots = pool * copies
        rng.shuffle(slots)
        texts = [
            "Daily report\n\n"
            + "\n\n".join(" ".join(slots[i + j : i + j + 3]) for j in range(0, 12, 3))
            + "\n"
            for i in range(0, len(slots), 12)
        ]
        root = project(f"double-{copies}", models, "uk", batch, inter, intra)
        write_corpus(root / "inputs", texts)
        r = locpipe(root, "run", "--quiet", "--source-lang", "en")
        mt = sum((t.get("stats") or {}).get("seconds", 0) for t in _events(root))
        doubling[copies] = {
            "articles": len(texts),
            "wall": r["wall"],
            "translation_seconds": mt,
            "segments_translated": r["run"]["segments_translated"],
        }
    figures["doubling"] = doubling
    figures["bench_seconds"] = time.perf_counter() - started
    (WORK / "results.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
    report(figures, rows, model_mb, (batch, inter, intra))


def c_over_b_at_scale(models: Path, model_dir: Path, tuned: tuple[int, int, int]) -> dict:
    """(b) and (c) on 1,000 unique-sentence articles, SCALE_TRIALS times each, interleaved
    (b, c, b, c...): each (c) runs beside its (b), so a slow moment of the machine falls on
    both and cancels in that trial's b/c. The figure is the median of the trials' ratios; the
    ratio of the medians, which may pair a (b) and a (c) from different moments, is kept too."""
    texts = articles(sentences(SCALE_ARTICLES * SCALE_SENTENCES, 11), SCALE_SENTENCES, [], 0.0, 11)
    texts = texts[:SCALE_ARTICLES]
    folder = WORK / "corpora" / "scale-1000"
    write_corpus(folder, texts)
    unique = sorted(set(segments_of(texts)))
    print(f"bench: c/b on {len(texts)} articles, {len(unique)} unique segments, {SCALE_TRIALS} trials each")
    b_runs: list[float] = []
    c_runs: list[float] = []
    mt: list[float] = []
    for trial in range(SCALE_TRIALS):
        b_runs.append(limit(model_dir, unique, "scale-1000", *tuned)["wall"])
        root = project("c-scale-1000", models, "uk", *tuned)
        shutil.copytree(folder, root / "inputs", dirs_exist_ok=True)
        c = locpipe(root, "run", "--quiet", "--source-lang", "en", "--workers", "1")
        if c["run"]["segments_translated"] != len(unique):
            raise SystemExit(f"bench: (c) translated {c['run']['segments_translated']} of {len(unique)}")
        c_runs.append(c["wall"])
        chunks = [t for t in _events(root) if t["task"] == "TranslateChunk"]
        mt.append(sum((t.get("stats") or {}).get("seconds", 0) for t in chunks))
        print(
            f"bench:   trial {trial + 1}: (b) {b_runs[-1]:.1f} s, (c) {c_runs[-1]:.1f} s "
            f"(its translation chunk {mt[-1]:.1f} s, the rest {c_runs[-1] - mt[-1]:.1f} s)"
        )
    ratios = [b / c for b, c in zip(b_runs, c_runs, strict=True)]
    return {
        "articles": len(texts),
        "segments": len(unique),
        "b_seconds": b_runs,
        "c_seconds": c_runs,
        "c_chunk_seconds": mt,
        "ratio": statistics.median(ratios),
        "trial_ratios": ratios,
        "ratio_of_medians": statistics.median(b_runs) / statistics.median(c_runs),
    }


def _events(root: Path) -> list[dict]:
    """The finished tasks' events of every run (one file per task and status)."""
    runs = root / "locales" / ".locpipe" / "runs"
    return [json.loads(f.read_text(encoding="utf-8")) for f in sorted(runs.glob("*/done-*.json"))]


def print_c_over_b(scale: dict) -> None:
    b_median, c_median = statistics.median(scale["b_seconds"]), statistics.median(scale["c_seconds"])
    low, high = min(scale["trial_ratios"]), max(scale["trial_ratios"])
    print(
        f"  c/b at {scale['articles']:,} articles ({scale['segments']:,} segments): "
        f"median of the trials {scale['ratio']:.3f}, range {low:.3f}-{high:.3f}; "
        f"ratio of the medians {scale['ratio_of_medians']:.3f} ((b) {b_median:.1f} s, (c) {c_median:.1f} s)"
    )


def report(f: dict, rows: list, model_mb: float, settings: tuple[int, int, int]) -> None:
    batch, inter, intra = settings
    print()
    print(
        f"Model: synthetic Argos-size en->uk (model.bin {model_mb:.0f} MB int8), beam {BEAM}, "
        f"decoding cap {RATIO} x source tokens + 10, batch {batch}, "
        f"inter_threads {inter}, intra_threads {intra}"
    )
    print(
        "(a) argostranslate.translate.translate per article; its sentencizer replaced by locpipe's splitter,"
    )
    print("    stanza/minisbd stubbed (never called), decoding length capped by the same rule")
    print("(b) ctranslate2 translate_batch on unique sentences; (b-all) on every sentence; (c) locpipe run")
    print()
    print(
        f"{'corpus':<18} {'who':<6} {'segments/s':>11} {'seconds':>9} {'peak RSS MB':>12} "
        f"{'RSS-model':>10} {'loads':>6}"
    )
    for corpus, who, rate, seconds, rss, loads in rows:
        print(
            f"{corpus:<18} {who:<6} {rate:>11.1f} {seconds:>9.2f} {rss:>12.0f} "
            f"{rss - model_mb:>10.0f} {loads:>6}"
        )
    u, n = f["unique"], f["news-30%-repeats"]
    ratio = {
        "c/a unique": u["a"]["seconds_total"] / u["c"]["seconds"],
        "c/b unique": u["b"]["seconds_total"] / u["c"]["seconds"],
        "c/b news": n["b"]["seconds_total"] / n["c"]["seconds"],
        "c/(b-all) news": n["b-all"]["seconds_total"] / n["c"]["seconds"],
    }
    d = f["doubling"]
    growth = d[2]["translation_seconds"] / max(d[1]["translation_seconds"], 1e-9) - 1
    scale = f["c_over_b_1000"]
    targets = [
        (
            f"c/b >= 0.93 ({scale['articles']:,} articles, median of {SCALE_TRIALS})",
            scale["ratio"],
            scale["ratio"] >= 0.93,
        ),
        ("c/a >= 4 (unique)", ratio["c/a unique"], ratio["c/a unique"] >= 4),
        ("c/b >= 0.9 (unique)", ratio["c/b unique"], ratio["c/b unique"] >= 0.9),
        ("c/b >= 0.9 (news)", ratio["c/b news"], ratio["c/b news"] >= 0.9),
        ("c/(b-all) >= 1.3 (news)", ratio["c/(b-all) news"], ratio["c/(b-all) news"] >= 1.3),
        (
            "no-op rerun 1000x3 < 10 s",
            f["noop_1000x3"]["rerun_seconds"],
            f["noop_1000x3"]["rerun_seconds"] < 10 and f["noop_1000x3"]["rerun_models_loaded"] == 0,
        ),
        (
            "peak RSS (c, 1 worker) < model + 600 MB",
            u["c"]["peak_rss_mb"],
            u["c"]["peak_rss_mb"] < model_mb + 600,
        ),
        (
            "first output after install < 5 s",
            f["first_output"]["run_seconds"],
            f["first_output"]["run_seconds"] < 5,
        ),
        ("doubling articles adds < 10% MT time", growth, growth < 0.10),
    ]
    print()
    for name, value, ok in targets:
        print(f"  {'met    ' if ok else 'NOT met'}  {name:<42} {value:.2f}")
    ceiling = u["a"]["seconds_total"] / u["b"]["seconds_total"]
    print(f"  (the limit's own ratio b/a on the unique corpus, which c/a cannot exceed there: {ceiling:.2f})")
    print_c_over_b(scale)
    print()
    print(
        f"no-op rerun, 1000 articles x 3 locales: {f['noop_1000x3']['rerun_seconds']:.2f} s, "
        f"{f['noop_1000x3']['rerun_models_loaded']} models loaded "
        f"(first run {f['noop_1000x3']['first_run_seconds']:.1f} s, tiny models)"
    )
    print(
        f"doubling: {d[1]['articles']} -> {d[2]['articles']} articles over "
        f"{d[1]['segments_translated']} unique "
        f"sentences: MT {d[1]['translation_seconds']:.2f} s -> {d[2]['translation_seconds']:.2f} s "
        f"(wall {d[1]['wall']:.1f} -> {d[2]['wall']:.1f} s)"
    )
    big = f["noop_1000x3"]
    share = 1 - big["first_run_task_seconds"] / big["first_run_seconds"]
    print(
        f"first run, {big['articles']} articles x 3 locales, tiny models, 1 worker: "
        f"{big['first_run_seconds']:.1f} s, of which {share:.0%} outside task bodies (Luigi's scheduler)"
    )
    print(f"bench took {f['bench_seconds']:.0f} s; raw figures in {WORK / 'results.json'}")
    contenders = [
        [corpus, who, round(rate, 1), round(seconds, 2), round(rss), round(rss - model_mb), loads]
        for corpus, who, rate, seconds, rss, loads in rows
    ]
    columns = ["corpus", "contender", "segments/s", "seconds", "peak RSS MB", "RSS − model MB", "model loads"]
    verdicts = [[name, round(value, 3), "met" if ok else "not met"] for name, value, ok in targets]
    notes = [
        f"synthetic Argos-size en->uk model (model.bin {model_mb:.0f} MB int8; placeholder output), "
        f"beam {BEAM}, batch {batch}, inter_threads {inter}, intra_threads {intra}",
        f"the limit's own ratio b/a on the unique corpus: {ceiling:.2f}",
        f"c/b trials {', '.join(f'{r:.3f}' for r in scale['trial_ratios'])}; "
        f"ratio of the medians {scale['ratio_of_medians']:.3f}",
        f"the whole bench took {f['bench_seconds']:.0f} s",
    ]
    tables = [
        bench_figures.table("contenders", columns, contenders),
        bench_figures.table("targets", ["target", "figure", "verdict"], verdicts),
    ]
    print(f"figures: {bench_figures.write('run', tables, notes)}")


if __name__ == "__main__":
    main()
