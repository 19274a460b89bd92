"""`make bench`: locpipe against a hand-written argostranslate loop and against CTranslate2
itself, on one machine, one model, the same threads, beam size and decoding-length rule.

Prints a table and the targets met or not, and writes the raw figures to
bench/.work/results.json. `--only-c-over-b`: the model, the settings probe and the c/b
figure at 1,000 articles alone. The model is the synthetic Argos-size package (6+6 layers,
d_model 512, ffn 2048, 32k vocabulary, int8): its output is placeholder text, so what is
measured is speed, memory and work done, not quality.
"""

from __future__ import annotations

import argparse
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

from corpus import SAMPLE, articles, sentences, write_corpus  # noqa: E402
from measure import new_project, private_env, reported, task_events  # noqa: E402
from run_report import print_c_over_b, report  # noqa: E402

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


def env() -> dict[str, str]:
    return private_env(WORK / "home", ("ARGOS_", "XDG_", "LUIGI_"))


def measured(cmd: list[str], extra: dict[str, str] | None = None) -> dict:
    """Run cmd in a fresh process that reports its wall time and its children's peak RSS."""
    result = reported(cmd, {**env(), **(extra or {})})
    if result["rc"] != 0:
        raise SystemExit(f"bench: {' '.join(cmd[:4])} failed:\n{result['stderr']}")
    return result


def project(name: str, models: Path, targets: str, batch: int, inter: int, intra: int) -> Path:
    """A project in a folder no earlier project used. Creating thousands of files where a
    tree of the same names was just deleted costs the kernel up to ten times more (4,000
    files: 0.3 s in a new folder, 3.7-4.2 s in the re-created one, ext4 here): a (c) trial
    in the previous trial's folder paid seconds that neither (b) nor a user's run pays."""
    root = WORK / f"{name}-{time.time_ns():x}"
    return new_project(
        root,
        models,
        targets,
        f"batch_size = {batch}\nbeam_size = {BEAM}\ninter_threads = {inter}\nintra_threads = {intra}\n"
        f"max_decoding_ratio = {RATIO}\n",
    )


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
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--only-c-over-b", action="store_true", help="the model, the settings probe and c/b at 1,000 articles"
    )
    only_c_over_b = parser.parse_args().only_c_over_b  # the figure that counts, alone (~10 min)
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
    task_seconds = sum(e.get("seconds") or 0 for e in task_events(big))
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
        mt = sum((t.get("stats") or {}).get("seconds", 0) for t in task_events(root))
        doubling[copies] = {
            "articles": len(texts),
            "wall": r["wall"],
            "translation_seconds": mt,
            "segments_translated": r["run"]["segments_translated"],
        }
    figures["doubling"] = doubling
    figures["bench_seconds"] = time.perf_counter() - started
    (WORK / "results.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
    report(figures, rows, model_mb, (batch, inter, intra), BEAM, RATIO, WORK / "results.json")


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
        chunks = [t for t in task_events(root) if t["task"] == "TranslateChunk"]
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


if __name__ == "__main__":
    main()
