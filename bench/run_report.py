"""What `make bench` (bench/run.py) prints, and the figures it writes for the docs site."""

from __future__ import annotations

import statistics
from pathlib import Path

import figures as bench_figures


def print_c_over_b(scale: dict) -> None:
    b_median, c_median = statistics.median(scale["b_seconds"]), statistics.median(scale["c_seconds"])
    low, high = min(scale["trial_ratios"]), max(scale["trial_ratios"])
    print(
        f"  c/b at {scale['articles']:,} articles ({scale['segments']:,} segments): "
        f"median of the trials {scale['ratio']:.3f}, range {low:.3f}-{high:.3f}; "
        f"ratio of the medians {scale['ratio_of_medians']:.3f} ((b) {b_median:.1f} s, (c) {c_median:.1f} s)"
    )


def report(
    f: dict,
    rows: list,
    model_mb: float,
    settings: tuple[int, int, int],
    beam_size: int,
    decoding_ratio: float,
    raw: Path,
) -> None:
    """The table, the targets met or not and the notes; the same as data for docs/figures/run.json.
    settings: batch size, inter and intra threads; raw: the raw figures' file."""
    batch, inter, intra = settings
    print()
    print(
        f"Model: synthetic Argos-size en->uk (model.bin {model_mb:.0f} MB int8), beam {beam_size}, "
        f"decoding cap {decoding_ratio} x source tokens + 10, batch {batch}, "
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
            f"c/b >= 0.93 ({scale['articles']:,} articles, median of {len(scale['trial_ratios'])})",
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
    print(f"bench took {f['bench_seconds']:.0f} s; raw figures in {raw}")
    contenders = [
        [corpus, who, round(rate, 1), round(seconds, 2), round(rss), round(rss - model_mb), loads]
        for corpus, who, rate, seconds, rss, loads in rows
    ]
    columns = ["corpus", "contender", "segments/s", "seconds", "peak RSS MB", "RSS − model MB", "model loads"]
    verdicts = [[name, round(value, 3), "met" if ok else "not met"] for name, value, ok in targets]
    notes = [
        f"synthetic Argos-size en->uk model (model.bin {model_mb:.0f} MB int8; placeholder output), "
        f"beam {beam_size}, batch {batch}, inter_threads {inter}, intra_threads {intra}",
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
