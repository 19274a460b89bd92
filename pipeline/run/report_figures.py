"""The figures of the report page (report_page), gathered apart from the HTML so that a test
can compare them with `status --json` without a browser. Every word count comes from the same
functions as `status` (status_rows, locale_totals); nothing here counts on its own."""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pipeline.catalogs.worst import Worst, lowest_catalogs, worst_entries
from pipeline.core.atomic import write_state
from pipeline.core.layout import Layout
from pipeline.core.settings import Settings
from pipeline.outputs.manifest import read_index
from pipeline.run.runlog import read_events, run_history, stages
from pipeline.run.status import WORD_STATES, catalog_row, dropped_locales, locale_totals

WORST = 20
LINKS = 50  # catalogs with failed checks linked per locale; status lists them all
HISTORY = 20  # the runs runlog keeps
CACHE_VERSION = 2  # of .locpipe/report-figures.json: per manifest page


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


def _page_digest(settings: Settings, articles: dict[str, Any], dropped: set[str]) -> dict[str, Any]:
    """What the page needs of one manifest page, in sums that add up across pages: status_rows'
    rows as the run wrote them (a catalog whose counts the manifest lacks is read), reduced to
    their locale totals, offers, errors, where the catalogs with failed checks are, and the
    catalogs that can hold a locale's lowest entries."""
    rows: list[dict[str, Any]] = []
    lows: dict[tuple[str, str], int] = {}
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
    totals = locale_totals(rows)
    failed = {(aid, loc) for loc, item in totals.items() for aid in item["failed_checks"]}
    kept: list[list[Any]] = []
    for loc in sorted({loc for loc, _ in lows}):  # a locale's first WORST here hold its share
        mine = {key: low for key, low in lows.items() if key[0] == loc}
        kept += [[loc, rel, mine[(loc, rel)]] for loc, rel in lowest_catalogs(mine, WORST)]
    return {
        "totals": totals,
        "offered": _offered(rows),
        "where": [
            [r["article"], r["locale"], r["po"]] for r in rows if (r["article"], r["locale"]) in failed
        ],
        "lows": kept,
        "errors": [
            {"article": r["article"], "locale": r["locale"], "reason": str(r.get("reason"))}
            for r in rows
            if r.get("status") == "error"
        ],
    }


def _page_key(path: Path) -> str:
    try:
        info = path.stat()
    except OSError:
        return ""
    return f"{info.st_size}:{info.st_mtime_ns}"


def _digests(settings: Settings, index: dict[str, Any], kept: dict[str, Any]) -> list[dict[str, Any]]:
    """Each manifest page's digest, read again only where the page's file changed (a run that
    edits one article rewrites one page of 20,000 articles' manifest)."""
    dropped = set(dropped_locales(settings))
    found: list[dict[str, Any]] = []
    for page in index.get("pages", []):
        key = _page_key(settings.outputs / page)
        old = kept.get(page)
        if key and isinstance(old, dict) and old.get("key") == key:
            found.append({**old, "page": page})
            continue
        try:
            articles = json.loads((settings.outputs / page).read_text(encoding="utf-8"))["articles"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        found.append({**_page_digest(settings, articles, dropped), "key": key, "page": page})
    if "articles" in index:  # a manifest from before pages
        found.append(_page_digest(settings, index["articles"], dropped))
    return found


Where = dict[tuple[str, str], "str | None"]  # (article, locale) -> its .po, as the manifest has it


def _combine(
    digests: list[dict[str, Any]],
) -> tuple[dict[str, Any], Where, dict[tuple[str, str], int]]:
    totals: dict[str, dict[str, Any]] = {}
    offered: dict[str, dict[str, int]] = {}
    where: Where = {}
    lows: dict[tuple[str, str], int] = {}
    for digest in digests:
        for loc, item in digest["totals"].items():
            into = totals.setdefault(loc, {**dict.fromkeys(WORD_STATES, 0), "failed_checks": []})
            for state in WORD_STATES:
                into[state] += item.get(state, 0)
            into["failed_checks"] += item["failed_checks"]
        for loc, item in digest["offered"].items():
            into = offered.setdefault(loc, {"memory": 0, "draft": 0})
            for name, value in item.items():
                into[name] += value
        where.update({(aid, loc): po for aid, loc, po in digest["where"]})
        for loc, rel, low in digest["lows"]:
            lows[(loc, rel)] = min(low, lows.get((loc, rel), low))
    return {"locales": totals, "offered": offered}, where, lows


def history_entry(run: str, totals: dict[str, dict[str, Any]], at: float) -> dict[str, Any]:
    """What runlog.record_totals keeps of a run: its words per locale and state."""
    words = {loc: {k: v for k, v in item.items() if k != "failed_checks"} for loc, item in totals.items()}
    return {"run_id": run, "at": round(at, 3), "locales": words}


def _from_catalogs(settings: Settings, index: dict[str, Any]) -> dict[str, Any]:
    """What the page says of the catalogs: from the manifest, a page at a time (at 20,000
    articles the whole manifest in memory is hundreds of MB), and the few lowest catalogs."""
    outputs = settings.outputs
    cache = Layout(outputs).work / "report-figures.json"
    kept: dict[str, Any] = {}
    try:
        saved = json.loads(cache.read_text(encoding="utf-8"))
        if saved.get("version") == CACHE_VERSION and saved.get("targets") == list(settings.targets):
            kept = saved.get("pages", {})
    except (OSError, ValueError, AttributeError):
        pass
    digests = _digests(settings, index, kept)
    figures, where, lows = _combine(digests)
    totals = figures["locales"]
    layout = Layout(outputs)
    links: dict[str, dict[str, str]] = {}
    for loc, item in totals.items():  # the first LINKS with failed checks per locale
        for aid in item["failed_checks"][:LINKS]:
            po = where.get((aid, loc)) or layout.po(loc, aid).relative_to(outputs).as_posix()
            links.setdefault(loc, {})[aid] = po
    figures["catalogs"] = links
    figures["worst"] = [w.to_json() for w in _worst(outputs, settings, lows)]
    figures["errors"] = [e for d in digests for e in d["errors"]]
    pages = {d["page"]: {k: v for k, v in d.items() if k != "page"} for d in digests if d.get("key")}
    if pages != kept:
        write_state(cache, {"version": CACHE_VERSION, "targets": list(settings.targets), "pages": pages})
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
