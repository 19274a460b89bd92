"""`locpipe status`: per article and locale, how much is reviewed, offered or untranslated;
per locale, the words in each state and the catalogs with failed checks; and what the table
cannot be trusted for: inputs or catalogs whose content changed since the run, outputs of deleted
articles, locales no longer in `targets`."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from pipeline.catalogs.counts import COLUMNS, catalog_counts
from pipeline.catalogs.ledger import load_ledger
from pipeline.catalogs.memory_sources import ParsedCatalogs
from pipeline.catalogs.pofile import read_catalog
from pipeline.core.errors import CatalogError, LocpipeError
from pipeline.core.layout import Layout
from pipeline.core.settings import Settings
from pipeline.inputs.discover import discover
from pipeline.outputs.inputs_index import inputs_changed
from pipeline.outputs.manifest import read_manifest
from pipeline.outputs.orphans import find_orphans, output_locales
from pipeline.run.run_outputs import changed_outputs

WORD_STATES = ("reviewed", "machine", "untranslated")


def _counts(
    row: dict[str, Any], po_path: Path, line: str | None = None, parsed: ParsedCatalogs | None = None
) -> None:
    """line: a feed line's id, counted from its entries in the feed catalog."""
    try:
        po = (parsed or ParsedCatalogs()).view(po_path, line) if line else read_catalog(po_path)
    except CatalogError as exc:  # reported in the row; status itself goes on
        row.update(status="error", reason=exc.line())
        return
    if po is not None:
        layout = Layout(po_path.parent.parent.parent)
        ledger = load_ledger(layout.ledger(po_path.parent.parent.name, line or po_path.stem))
        row.update(catalog_counts(po, ledger))


def _inputs_differ(settings: Settings, manifest: dict[str, Any]) -> bool:
    """By content: the index of what the last run read (stat, then digest where the stat
    moved); without one, every article's digest against the manifest's."""
    layout = Layout(settings.outputs)
    changed = inputs_changed(layout.work, settings.inputs)
    if changed is not None:
        return changed
    try:
        sources, _ = discover(settings.inputs)
    except LocpipeError:
        return False
    now = {s.id: s.digest for s in sources}
    return now != {aid: art.get("digest") for aid, art in manifest.get("articles", {}).items()}


def staleness(settings: Settings) -> str | None:
    """Why the manifest may not describe the files as they are now, or None. Content decides,
    not file times: a touched, copied or checked-out file with the same bytes is no change."""
    manifest = read_manifest(settings.outputs / "manifest.json")
    if manifest is None:
        return None
    if _inputs_differ(settings, manifest):
        return "inputs changed after the last run: run `locpipe run` to bring this up to date"
    if any(rel.endswith(".po") for rel in changed_outputs(Layout(settings.outputs))):
        return "catalogs edited after the last run (reviews?): `locpipe run` takes them in"
    return None


def catalog_row(po: Path, article: str) -> dict[str, Any]:
    """One catalog's counts read as it is now (a feed catalog's view of one line)."""
    row: dict[str, Any] = {}
    _counts(row, po, article if po.stem != article else None)
    return row


def status_rows(settings: Settings) -> list[dict[str, Any]]:
    manifest = read_manifest(settings.outputs / "manifest.json") or {"articles": {}}
    paths = Layout(settings.outputs)
    orphans = find_orphans(settings.outputs, settings.inputs, strict=False)
    gone = {o.article for o in orphans}
    dropped = set(dropped_locales(settings))
    rows: list[dict[str, Any]] = []
    parsed = ParsedCatalogs()
    for aid, art in sorted(manifest["articles"].items()):
        if aid in gone:
            continue
        for loc, info in sorted(art.get("locales", {}).items()):
            if loc in dropped:
                continue
            row: dict[str, Any] = {"article": aid, "locale": loc, "status": info.get("status")}
            po = settings.outputs / info["po"] if info.get("po") else paths.po(loc, aid)
            if po.exists():  # a feed catalog (feed_catalog = feed) is named after its feed
                _counts(row, po, aid if po.stem != aid else None, parsed)
            if info.get("status") != "ok":
                row.setdefault("reason", info.get("reason"))
            row["orphaned"] = False
            row["demo_model"] = bool(info.get("demo_model"))
            rows.append(row)
    for orphan in orphans:
        for loc, po in sorted(orphan.catalogs.items()):
            row = {"article": orphan.article, "locale": loc, "status": "orphaned"}
            _counts(row, po)
            row.update(orphaned=True, reason="input article deleted; `locpipe prune --orphans` removes it")
            rows.append(row)
    return rows


def dropped_locales(settings: Settings) -> list[str]:
    """Locales with outputs that are no longer in `targets`."""
    return [loc for loc in output_locales(settings.outputs) if loc not in settings.targets]


def locale_totals(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per locale: words reviewed / machine (memory and carried-over offers included) /
    untranslated, and the catalogs with failed checks: what a reviewers' lead plans with."""
    totals: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row.get("orphaned") or "words" not in row:
            continue
        item = totals.setdefault(row["locale"], {**dict.fromkeys(WORD_STATES, 0), "failed_checks": []})
        words = row["words"]
        item["reviewed"] += words["reviewed"]
        item["machine"] += words["machine"] + words["memory"] + words["carried"] + words.get("draft", 0)
        item["untranslated"] += words["untranslated"]
        if row.get("checks"):
            item["failed_checks"].append(row["article"])
    return totals


def print_status(settings: Settings, as_json: bool, uses: dict[str, str] | None = None) -> int:
    rows = status_rows(settings)
    stale = staleness(settings)
    dropped = dropped_locales(settings)
    totals = locale_totals(rows)
    if as_json:
        report = {
            **(uses or {}),
            "stale": stale,
            "dropped_locales": dropped,
            "locales": totals,
            "rows": rows,
        }
        json.dump(report, sys.stdout, indent=2, ensure_ascii=False)
        print()
        return 0
    if stale:
        print(f"NOTE: {stale}")
    if not rows:
        print(f"nothing translated yet in {settings.outputs}; run `locpipe run`")
    else:
        _print_table(rows)
        print()
        for loc, item in sorted(totals.items()):
            words = ", ".join(f"{item[state]} {state}" for state in WORD_STATES)
            checks = ", ".join(item["failed_checks"]) or "none"
            print(f"{loc}: words {words}; catalogs with failed checks: {checks}")
    for loc in dropped:
        print(
            f"{loc}: not in targets any more, outputs kept in {settings.outputs / loc}; "
            f"`locpipe prune --locales {loc} --force` removes them (reviewed work goes to the memory)"
        )
    return 0


def print_worst(settings: Settings, count: int, locales: list[str] | None, as_json: bool) -> int:
    """`status --worst N`: the entries a reviewer should open first, lowest figure first."""
    from pipeline.catalogs.worst import worst_entries

    wanted = locales or list(settings.targets)
    unknown = [loc for loc in wanted if not (settings.outputs / loc).is_dir()]
    if unknown:
        where = settings.outputs
        print(f"locpipe status: no outputs for locale {', '.join(unknown)} in {where}", file=sys.stderr)
        return 2
    found = worst_entries(settings.outputs, wanted, count)
    if as_json:
        json.dump([w.to_json() for w in found], sys.stdout, indent=2, ensure_ascii=False)
        print()
        return 0
    if not found:
        print("no machine entries with a quality estimate (reviewed, or translated before estimates)")
        return 0
    for w in found:
        where = f"{os.path.relpath(settings.outputs / w.catalog)}:{w.line}"
        print(f"{w.quality:>3}  {where}\n     {_short(w.source)}\n  -> {_short(w.machine)}")
    return 0


def _short(text: str, width: int = 100) -> str:
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"


def _print_table(rows: list[dict[str, Any]]) -> None:
    width = max(len("article"), *(len(str(r["article"])) for r in rows))
    names = (*COLUMNS, "orphaned")
    print(f"{'article':<{width}}  {'locale':<6}  " + "  ".join(f"{c:>12}" for c in names) + "  note")
    for r in rows:
        cells = [f"{r.get(c, '-')!s:>12}" for c in COLUMNS]
        cells.append(f"{'yes' if r.get('orphaned') else '':>12}")
        notes = ["demo model: placeholder text"] if r.get("demo_model") else []
        if r.get("status") not in {"ok", "orphaned"}:
            notes.append(f"{r.get('status')}: {r.get('reason')}")
        note = "  " + "; ".join(notes) if notes else ""
        print(f"{r['article']!s:<{width}}  {r['locale']:<6}  {'  '.join(cells)}{note}")
