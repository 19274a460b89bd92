"""The figures of the report page (report_page), gathered apart from the HTML so that a test
can compare them with `status --json` without a browser. Every word count comes from the same
functions as `status` (status_rows, locale_totals); nothing here counts on its own."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pipeline.catalogs.worst import Worst, lowest_catalogs, worst_entries
from pipeline.config import Settings
from pipeline.layout import Layout
from pipeline.outputs.atomic import write_state
from pipeline.outputs.manifest import read_index
from pipeline.runlog import read_events, run_history, stages
from pipeline.status import catalog_row, dropped_locales, locale_totals

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
    rows: list[dict[str, Any]], outputs: Path, totals: dict[str, dict[str, Any]]
) -> dict[str, dict[str, str]]:
    """Where the catalogs the page links are (a feed's lines share the feed's): the first
    LINKS with failed checks per locale, so the page stays small at 20,000 articles."""
    where = {(r["article"], r["locale"]): r.get("po") for r in rows}
    layout = Layout(outputs)
    found: dict[str, dict[str, str]] = {}
    for loc, item in totals.items():
        for aid in item["failed_checks"][:LINKS]:
            po = where.get((aid, loc)) or layout.po(loc, aid).relative_to(outputs).as_posix()
            found.setdefault(loc, {})[aid] = po
    return found


def _changed(work: dict[str, list[str]]) -> dict[str, Any]:
    """The run's own work (runlog.summarize): articles read again, outputs written again."""
    written: dict[str, list[str]] = {}
    for name in work.get("WriteShard", []):
        article, _, locale = name.rpartition("@")
        written.setdefault(article, []).append(locale)
    return {"read": sorted(set(work.get("PrepareShard", []))), "written": dict(sorted(written.items()))}


def _worst(outputs: Path, settings: Settings, lows: dict[tuple[str, str], int]) -> list[Worst]:
    """Only the catalogs that can hold the lowest entries are read, found from each one's
    lowest figure in the manifest (at 20,000 articles a run must not parse every catalog).
    A catalog that does not parse is in the rows' errors already: left out here."""
    locales = [loc for loc in settings.targets if Layout(outputs).messages(loc).is_dir()]
    among = lowest_catalogs({k: v for k, v in lows.items() if k[0] in locales}, WORST)
    paths = [(loc, outputs / rel) for loc, rel in among]
    return worst_entries(outputs, locales, WORST, unreadable=[], among=paths)


def _pages(outputs: Path, index: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The manifest's articles a page at a time: at 20,000 articles the whole manifest in
    memory is hundreds of MB, and the page needs a few figures of each."""
    for page in index.get("pages", []):
        try:
            yield json.loads((outputs / page).read_text(encoding="utf-8"))["articles"]
        except (OSError, ValueError, KeyError):
            continue
    if "articles" in index:
        yield index["articles"]


def _rows(
    settings: Settings, index: dict[str, Any], lows: dict[tuple[str, str], int]
) -> list[dict[str, Any]]:
    """status_rows' rows as the run just wrote them (counts from the manifest; a catalog
    whose counts the manifest lacks is read), and each catalog's lowest quality figure."""
    dropped = set(dropped_locales(settings))
    rows: list[dict[str, Any]] = []
    for articles in _pages(settings.outputs, index):
        for aid, art in sorted(articles.items()):
            for loc, info in sorted(art.get("locales", {}).items()):
                if loc in dropped:
                    continue
                rel = info.get("po") or f"{loc}/LC_MESSAGES/{aid}.po"  # Layout.po, as a string
                counts = info.get("counts") or {}
                row: dict[str, Any] = {"article": aid, "locale": loc, "status": info.get("status")}
                row["po"] = info.get("po")
                if "words" in counts:
                    row.update(words=counts["words"], checks=counts.get("checks", 0))
                elif (po := settings.outputs / rel).exists():
                    row.update(catalog_row(po, aid))
                if info.get("status") != "ok":
                    row.setdefault("reason", info.get("reason"))
                rows.append(row)
                low = counts.get("quality", {}).get("min")
                if low is not None:
                    lows[(loc, rel)] = min(low, lows.get((loc, rel), low))
    return rows


def history_entry(run: str, totals: dict[str, dict[str, Any]], at: float) -> dict[str, Any]:
    """What runlog.record_totals keeps of a run: its words per locale and state."""
    words = {loc: {k: v for k, v in item.items() if k != "failed_checks"} for loc, item in totals.items()}
    return {"run_id": run, "at": round(at, 3), "locales": words}


def _manifest_key(outputs: Path, index: dict[str, Any], targets: tuple[str, ...]) -> str:
    """The manifest's files as they are (size and time of each): a run that changed nothing
    leaves them alone, and the page's figures are then those of the last run."""
    parts = [str(targets)]
    for name in ["manifest.json", *index.get("pages", [])]:
        try:
            info = (outputs / name).stat()
        except OSError:
            return ""
        parts.append(f"{name}:{info.st_size}:{info.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _from_catalogs(settings: Settings, index: dict[str, Any]) -> dict[str, Any]:
    """What the page says of the catalogs: from the manifest, and the few lowest catalogs."""
    outputs = settings.outputs
    key = _manifest_key(outputs, index, settings.targets)
    cache = Layout(outputs).work / "report-figures.json"
    try:
        kept = json.loads(cache.read_text(encoding="utf-8"))
        if key and kept.get("key") == key:
            return kept["figures"]
    except (OSError, ValueError, AttributeError):
        pass
    lows: dict[tuple[str, str], int] = {}
    rows = _rows(settings, index, lows)
    totals = locale_totals(rows)
    figures = {
        "locales": totals,
        "offered": _offered(rows),
        "catalogs": _catalogs(rows, outputs, totals),
        "worst": [w.to_json() for w in _worst(outputs, settings, lows)],
        "errors": [
            {"article": r["article"], "locale": r["locale"], "reason": str(r.get("reason"))}
            for r in rows
            if r.get("status") == "error"
        ],
    }
    if key:
        write_state(cache, {"key": key, "figures": figures})
    return figures


def gather(settings: Settings, run: str, summary: dict[str, Any]) -> Figures:
    """summary: this run's runlog summary (finish_run's), for the work it did. Outputs of
    deleted articles are left to `locpipe status`: finding them walks every output file."""
    outputs = settings.outputs
    index = read_index(outputs / "manifest.json") or {}
    found = _from_catalogs(settings, index)
    now = time.time()
    past = [h for h in run_history(outputs) if h.get("run_id") != run]
    return Figures(
        run_id=run,
        made=time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(now)),
        demo_model_used=bool(index.get("demo_model_used")),
        locales=found["locales"],
        offered=found["offered"],
        catalogs=found["catalogs"],
        worst=found["worst"],
        changed=_changed(summary.get("work", {})),
        orphaned=[],
        errors=found["errors"],
        stages=stages(read_events(outputs, run)),
        history=[*past, history_entry(run, found["locales"], now)][-HISTORY:],
    )
