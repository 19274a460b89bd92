"""locales/report/index.html: one static page a reviewers' lead opens after a run to see where
the work is. One file, no server, no network and no code to run: inline CSS and SVG, and the
figures as a JSON data block, so it opens from a file share or an archived build as it is.
Every text is escaped."""

from __future__ import annotations

import json
import sys
import time
from html import escape
from pathlib import Path
from typing import Any

from pipeline.core.atomic import write_text
from pipeline.core.errors import LocpipeError
from pipeline.core.settings import Settings
from pipeline.run.report_figures import LINKS, Figures, gather
from pipeline.run.runlog import record_totals

PAGE = Path("report") / "index.html"
# word states of a locale's bar, in order: (key, label, colour)
PARTS = (
    ("reviewed", "reviewed", "#2e7d32"),
    ("machine_text", "machine", "#ef6c00"),
    ("memory", "memory", "#1565c0"),
    ("draft", "draft", "#8e24aa"),
    ("untranslated", "untranslated", "#9e9e9e"),
)
LINES = ("#2e7d32", "#1565c0", "#c62828", "#6a1b9a", "#00838f", "#ef6c00", "#5d4037", "#455a64")
STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;padding:0 16px;color:#222}
h1{font-size:22px;margin:8px 0}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd}
.demo{background:#fff3cd;border:1px solid #e0b000;padding:8px 12px;font-weight:600}
.nodemo{color:#555}.meta{color:#555}.muted{color:#777}
table{border-collapse:collapse;width:100%}td,th{padding:3px 8px;text-align:left;vertical-align:top}
tr:nth-child(even) td{background:#f6f6f6}th{border-bottom:1px solid #ccc}
td.n{text-align:right;font-variant-numeric:tabular-nums}code{font-size:13px;white-space:nowrap}
.loc{margin:6px 0 14px}.loc h3{margin:0;font-size:15px}.legend span{margin-right:14px}
.sw{display:inline-block;width:11px;height:11px;margin-right:4px;vertical-align:-1px}
.q{font-weight:700}.src{color:#444}
"""


def report_path(outputs: Path) -> Path:
    return outputs / PAGE


def _bar(
    width: float, total: int, parts: list[tuple[int, str, str]], height: int = 18, unit: str = "words"
) -> str:
    """A stacked bar (words per state); each part says its figure on hover."""
    rects, x = [], 0.0
    for value, label, colour in parts:
        if value <= 0 or total <= 0:
            continue
        w = width * value / total
        rects.append(
            f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{height}" fill="{colour}">'
            f"<title>{escape(label)}: {value} {unit}</title></rect>"
        )
        x += w
    frame = f'<rect x="0" y="0" width="{width}" height="{height}" fill="#eee"/>'
    return (
        f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img">'
        f"{frame}{''.join(rects)}</svg>"
    )


def _figure(key: str, value: object) -> str:
    """A visible figure, tagged so a test can find it and compare it with `status --json`."""
    return f'<b data-figure="{escape(key)}">{escape(str(value))}</b>'


def _locales(fig: Figures) -> str:
    legend = "".join(
        f'<span><i class="sw" style="background:{c}"></i>{escape(label)}</span>' for _, label, c in PARTS
    )
    out = [f'<p class="legend">{legend}</p>']
    for loc, item in sorted(fig.locales.items()):
        offered = fig.offered.get(loc, {"memory": 0, "draft": 0})
        words = {
            "reviewed": item["reviewed"],
            "machine_text": item["machine"] - offered["memory"] - offered["draft"],
            "memory": offered["memory"],
            "draft": offered["draft"],
            "untranslated": item["untranslated"],
        }
        total = item["reviewed"] + item["machine"] + item["untranslated"]
        bar = _bar(600, total, [(words[k], label, c) for k, label, c in PARTS])
        text = (
            f"words: reviewed {_figure(f'{loc}.reviewed', item['reviewed'])} · machine "
            f"{_figure(f'{loc}.machine', item['machine'])} (of which from memory "
            f"{_figure(f'{loc}.memory', offered['memory'])}, "
            f"draft {_figure(f'{loc}.draft', offered['draft'])})"
            f" · untranslated {_figure(f'{loc}.untranslated', item['untranslated'])}"
        )
        out.append(f'<div class="loc"><h3>{escape(loc)}</h3>{bar}<div>{text}</div></div>')
    if not fig.locales:
        out.append('<p class="muted">no catalogs yet</p>')
    return "".join(out)


def _po_link(catalog: str, line: int | None = None) -> str:
    label = f"{catalog}:{line}" if line else catalog
    return f'<a href="../{escape(catalog)}"><code>{escape(label)}</code></a>'


def _worst(fig: Figures) -> str:
    if not fig.worst:
        return '<p class="muted">no unreviewed machine entries with a quality estimate</p>'
    rows = "".join(
        f'<tr><td class="n q" data-figure="worst">{w["quality"]}</td><td>{escape(w["locale"])}</td>'
        f"<td>{_po_link(w['catalog'], w['line'])}</td>"
        f'<td><div class="src">{escape(w["source"])}</div><div>{escape(w["machine"])}</div></td></tr>'
        for w in fig.worst
    )
    head = "<tr><th>quality</th><th>locale</th><th>file:line</th><th>source / machine text</th></tr>"
    return f"<table>{head}{rows}</table>"


def _checks(fig: Figures) -> str:
    out = []
    for loc, item in sorted(fig.locales.items()):
        failed = item["failed_checks"]
        where = fig.catalogs.get(loc, {})
        shown = dict.fromkeys(where.get(a, f"{loc}/LC_MESSAGES/{a}.po") for a in failed[:LINKS])
        links = ", ".join(_po_link(po) for po in shown) or "none"
        if len(failed) > LINKS:
            links += f" and {len(failed) - LINKS} more (<code>locpipe status</code> lists them)"
        out.append(
            f"<li>{escape(loc)}: {_figure(f'{loc}.failed_checks', len(failed))} catalogs: {links}</li>"
        )
    errors = "".join(
        f"<li>{escape(e['article'])} [{escape(e['locale'])}]: {escape(e['reason'])}</li>" for e in fig.errors
    )
    if errors:
        errors = f'<p>errors (not counted above):</p><ul class="errors">{errors}</ul>'
    return (f"<ul>{''.join(out)}</ul>" if out else '<p class="muted">no catalogs yet</p>') + errors


def _changed(fig: Figures) -> str:
    read, written = fig.changed["read"], fig.changed["written"]
    out = [f"<p>read again (new or edited input): {len(read)} article(s)"]
    out.append(f": {escape(', '.join(read))}</p>" if read else "</p>")
    items = "".join(f"<li>{escape(a)} ({escape(', '.join(locs))})</li>" for a, locs in written.items())
    out.append(f"<p>outputs written again: {len(written)} article(s)</p>")
    out.append(f"<ul>{items}</ul>" if items else "")
    if fig.orphaned:
        out.append(
            f"<p>input deleted, outputs kept (<code>locpipe prune --orphans</code>): "
            f"{escape(', '.join(fig.orphaned))}</p>"
        )
    return "".join(out)


def _stages(fig: Figures) -> str:
    if not fig.stages:
        return '<p class="muted">no task ran: nothing had changed</p>'
    longest = max(max(s["wall"] or 0, s["seconds"]) for s in fig.stages) or 1.0
    rows = []
    for s in fig.stages:
        wall = "-" if s["wall"] is None else f"{s['wall']:.2f}"
        ms = round(1000 * s["seconds"])
        bar = _bar(240, round(1000 * longest), [(ms, "task time", "#1565c0")], 12, "ms")
        failed = f", {s['failed']} failed" if s["failed"] else ""
        rows.append(
            f"<tr><td>{escape(s['stage'])}</td><td class='n'>{s['done']}{failed}</td>"
            f"<td class='n'>{s['seconds']:.2f}</td><td class='n'>{wall}</td><td>{bar}</td></tr>"
        )
    head = "<tr><th>stage</th><th>tasks</th><th>task seconds</th><th>wall seconds</th><th></th></tr>"
    return f"<table>{head}{''.join(rows)}</table>"


def _history(fig: Figures) -> str:
    """Words reviewed per locale over the kept runs: one line each."""
    runs = fig.history
    locales = sorted({loc for h in runs for loc in h.get("locales", {})})
    if not runs or not locales:
        return '<p class="muted">no runs recorded yet</p>'
    width, height, pad = 640, 180, 36
    top = max([h["locales"].get(loc, {}).get("reviewed", 0) for h in runs for loc in locales] + [1])
    step = (width - 2 * pad) / max(len(runs) - 1, 1)
    marks, legend = [], []
    for i, loc in enumerate(locales):
        colour = LINES[i % len(LINES)]
        points = []
        for j, h in enumerate(runs):
            if loc not in h["locales"]:
                continue
            value = h["locales"][loc].get("reviewed", 0)
            x, y = pad + j * step, height - pad - (height - 2 * pad) * value / top
            points.append(f"{x:.1f},{y:.1f}")
            marks.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}">'
                f"<title>{escape(loc)} {escape(str(h['run_id']))}: {value} reviewed</title></circle>"
            )
        marks.insert(
            0, f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(points)}"/>'
        )
        legend.append(f'<span><i class="sw" style="background:{colour}"></i>{escape(loc)}</span>')
    axes = (
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" stroke="#999"/>'
        f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{height - pad}" stroke="#999"/>'
        f'<text x="{pad - 4}" y="{pad + 4}" text-anchor="end" font-size="11">{top}</text>'
        f'<text x="{pad - 4}" y="{height - pad + 4}" text-anchor="end" font-size="11">0</text>'
        f'<text x="{pad}" y="{height - 12}" font-size="11">{escape(_when(runs[0]))}</text>'
        f'<text x="{width - pad}" y="{height - 12}" font-size="11" text-anchor="end">'
        f"{escape(_when(runs[-1]))}</text>"
    )
    frame = f'width="{width}" height="{height}" viewBox="0 0 {width} {height}"'
    chart = f'<svg {frame} role="img">{axes}{"".join(marks)}</svg>'
    head = "".join(f"<th>{escape(loc)} reviewed / machine / untranslated</th>" for loc in locales)
    body = "".join(
        f"<tr><td>{escape(_when(h))}</td>"
        + "".join(f"<td class='n'>{_triple(h['locales'].get(loc))}</td>" for loc in locales)
        + "</tr>"
        for h in reversed(runs)
    )
    table = f"<table><tr><th>run</th>{head}</tr>{body}</table>"
    return f'<p class="legend">{"".join(legend)}</p>{chart}{table}'


def _triple(item: dict[str, Any] | None) -> str:
    if not item:
        return "-"
    return " / ".join(str(item.get(k, 0)) for k in ("reviewed", "machine", "untranslated"))


def _when(entry: dict[str, Any]) -> str:
    at = entry.get("at")
    return time.strftime("%Y-%m-%d %H:%M", time.gmtime(at)) if at else str(entry.get("run_id"))


def _json_block(fig: Figures) -> str:
    """The figures as data: `<` and `&` escaped so no text can end the block."""
    data = json.dumps(fig.to_json(), ensure_ascii=False, sort_keys=True)
    data = data.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return f'<script type="application/json" id="figures">{data}</script>'


def render(fig: Figures) -> str:
    if fig.demo_model_used:
        first = (
            '<p class="demo" id="demo">A demo model produced the machine text here: random weights, '
            "placeholder text, not a translation.</p>"
        )
    else:
        first = '<p class="nodemo" id="demo">No demo model produced any of the text here.</p>'
    sections = (
        ("locales", "Words per locale", _locales(fig)),
        ("checks", "Catalogs with failed checks, errors", _checks(fig)),
        ("changed", "Changed in this run", _changed(fig)),
        ("history", "Words reviewed, last runs", _history(fig)),
        ("stages", "Stages of this run", _stages(fig)),
        ("worst", f"Lowest quality estimates ({len(fig.worst)})", _worst(fig)),
    )
    body = "".join(
        f'<section id="{key}"><h2>{escape(title)}</h2>{html}</section>' for key, title, html in sections
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>locpipe report</title><style>{STYLE}</style></head><body>{first}"
        f'<h1>locpipe report</h1><p class="meta">run {escape(fig.run_id)} · made {escape(fig.made)}</p>'
        f"{body}{_json_block(fig)}</body></html>\n"
    )


def write_report(settings: Settings, run: str, summary: dict[str, Any]) -> Path | None:
    """Gather, keep this run's totals for the history, write the page. A page that cannot be
    made costs one line on stderr, never the run's result."""
    try:
        fig = gather(settings, run, summary)
        record_totals(settings.outputs, run, fig.history[-1])
        path = report_path(settings.outputs)
        write_text(path, render(fig))
    except (OSError, LocpipeError) as exc:
        print(f"locpipe: report page not written: {exc}", file=sys.stderr)
        return None
    return path
