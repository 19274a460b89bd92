"""The figures of the report page (report_page), gathered apart from the HTML so that a test
can compare them with `status --json` without a browser. Every word count comes from the same
functions as `status` (status_rows, locale_totals); nothing here counts on its own."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pipeline.catalogs.worst import Worst, lowest_catalogs, worst_entries
from pipeline.config import Settings
from pipeline.layout import Layout
from pipeline.outputs.manifest import read_manifest
from pipeline.runlog import read_events, run_history, stages
from pipeline.status import locale_totals, status_rows

WORST = 20
LINKS = 50  # catalogs with failed checks linked per locale; status lists them all
HISTORY = 20  # the runs runlog keeps


@dataclass
class Figures:
    run_id: str
    made: str  # when the page was made, UTC
    demo_model_used: bool  # the manifest's: a demo model wrote text in these outputs
    # per locale exactly as `status --json` "locales": reviewed, machine, untranslated, failed_checks
    locales: dict[str, dict[str, Any]]
    # per locale, the part of `machine` that is not machine text: memory (with carried), draft
    offered: dict[str, dict[str, int]]
    catalogs: dict[str, dict[str, str]]  # locale -> article -> its .po (the linked ones)
    worst: list[dict[str, Any]]  # worst_entries, lowest first
    changed: dict[str, list[str]]  # "read": articles read again; "written": article -> locales
    orphaned: list[str]  # articles whose input is gone (outputs kept)
    errors: list[dict[str, str]]  # article, locale, reason: what status shows as errors
    stages: list[dict[str, Any]]  # runlog.stages of this run
    history: list[dict[str, Any]] = field(default_factory=list)  # oldest first, this run last

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _offered(rows: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """From the same rows locale_totals sums: what its `machine` holds besides machine text."""
    found: dict[str, dict[str, int]] = {}
    for row in rows:
        if row.get("orphaned") or "words" not in row:
            continue
        item = found.setdefault(row["locale"], {"memory": 0, "draft": 0})
        item["memory"] += row["words"]["memory"] + row["words"]["carried"]
        item["draft"] += row["words"].get("draft", 0)
    return found


def _catalogs(
    manifest: dict[str, Any], outputs: Path, totals: dict[str, dict[str, Any]]
) -> dict[str, dict[str, str]]:
    """Where the catalogs the page links are (a feed's lines share the feed's): the first
    LINKS with failed checks per locale, so the page stays small at 20,000 articles."""
    layout = Layout(outputs)
    articles = manifest.get("articles", {})
    found: dict[str, dict[str, str]] = {}
    for loc, item in totals.items():
        for aid in item["failed_checks"][:LINKS]:
            info = articles.get(aid, {}).get("locales", {}).get(loc, {})
            po = info.get("po") or layout.po(loc, aid).relative_to(outputs).as_posix()
            found.setdefault(loc, {})[aid] = po
    return found


def _changed(work: dict[str, list[str]]) -> dict[str, Any]:
    """The run's own work (runlog.summarize): articles read again, outputs written again."""
    written: dict[str, list[str]] = {}
    for name in work.get("WriteShard", []):
        article, _, locale = name.rpartition("@")
        written.setdefault(article, []).append(locale)
    return {"read": sorted(set(work.get("PrepareShard", []))), "written": dict(sorted(written.items()))}


def _worst(outputs: Path, settings: Settings, manifest: dict[str, Any]) -> list[Worst]:
    """Only the catalogs that can hold the lowest entries are read, found from each one's
    lowest figure in the manifest (at 20,000 articles a run must not parse every catalog).
    A catalog that does not parse is in the rows' errors already: left out here."""
    layout = Layout(outputs)
    locales = [loc for loc in settings.targets if layout.messages(loc).is_dir()]
    lows: dict[tuple[str, Path], int] = {}
    for aid, art in manifest.get("articles", {}).items():
        for loc, info in art.get("locales", {}).items():
            low = (info.get("counts") or {}).get("quality", {}).get("min")
            if loc in locales and low is not None:
                po = outputs / info["po"] if info.get("po") else layout.po(loc, aid)
                lows[(loc, po)] = min(low, lows.get((loc, po), low))
    among = lowest_catalogs(lows, WORST)
    return worst_entries(outputs, locales, WORST, unreadable=[], among=among)


def history_entry(run: str, totals: dict[str, dict[str, Any]], at: float) -> dict[str, Any]:
    """What runlog.record_totals keeps of a run: its words per locale and state."""
    words = {loc: {k: v for k, v in item.items() if k != "failed_checks"} for loc, item in totals.items()}
    return {"run_id": run, "at": round(at, 3), "locales": words}


def gather(settings: Settings, run: str, summary: dict[str, Any]) -> Figures:
    """summary: this run's runlog summary (finish_run's), for the work it did."""
    outputs = settings.outputs
    manifest = read_manifest(outputs / "manifest.json") or {"articles": {}}
    rows = status_rows(settings, from_manifest=True)
    totals = locale_totals(rows)
    now = time.time()
    past = [h for h in run_history(outputs) if h.get("run_id") != run]
    return Figures(
        run_id=run,
        made=time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(now)),
        demo_model_used=bool(manifest.get("demo_model_used")),
        locales=totals,
        offered=_offered(rows),
        catalogs=_catalogs(manifest, outputs, totals),
        worst=[w.to_json() for w in _worst(outputs, settings, manifest)],
        changed=_changed(summary.get("work", {})),
        orphaned=sorted({r["article"] for r in rows if r.get("orphaned")}),
        errors=[
            {"article": r["article"], "locale": r["locale"], "reason": str(r.get("reason"))}
            for r in rows
            if r.get("status") == "error"
        ],
        stages=stages(read_events(outputs, run)),
        history=[*past, history_entry(run, totals, now)][-HISTORY:],
    )
