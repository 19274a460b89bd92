"""bench/scale.py's figures: the table it prints against the targets, and the same table as data
for docs/figures/scale.json (the docs site's Performance page)."""

from __future__ import annotations

from pathlib import Path

import figures as bench_figures

TARGET_RATIO, TARGET_RSS_OVER_MODEL_MB, TARGET_OUTSIDE_MS, TARGET_STEP_S = 1.15, 600, 10.0, 3.0


def measured(result: dict | None) -> bool:
    return bool(result) and not result.get("timed_out") and result.get("rc") == 0


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
        f"news articles of 8-15 sentences, {f['settings']['repeat_share']:.0%} of them recurring",
        f"the whole bench took {f['bench_seconds']:.0f} s",
    ]
    for size, r in runs.items():
        if r.get("walls"):
            notes.append(f"{int(size):,} articles: the median of {len(r['walls'])} first runs "
                         f"({', '.join(f'{w} s' for w in r['walls'])}), each from a fresh project")
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


def report(f: dict, model_mb: float, raw: Path) -> None:
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
        f"Tiny demo models en->{','.join(f['settings']['locales'])} (model.bin {model_mb:.1f} MB in all), "
        f"{f['settings']['workers']} worker(s), {f['machine']['cpus']} CPUs; news articles of 8-15 "
        f"sentences, {f['settings']['repeat_share']:.0%} of them recurring"
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
        outside = _outside(r, len(f["settings"]["locales"]))
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
    print(f"bench-scale took {f['bench_seconds']:.0f} s; raw figures in {raw}")


def _outside(r: dict, locales: int) -> float | None:
    if r.get("engine_seconds") is None:
        return None
    return (r["wall"] - r["engine_seconds"]) / (r["articles"] * locales) * 1000


def _num(value: object) -> str:
    return "?" if value is None else str(value)
