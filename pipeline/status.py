"""`locpipe status`: per article and locale, how much is reviewed, offered or untranslated,
and which outputs belong to articles that are gone."""

from __future__ import annotations

import json
import sys
from typing import Any

from pipeline.catalogs.pofile import read_catalog
from pipeline.catalogs.write import OutputPaths, count_entries
from pipeline.config import Settings
from pipeline.errors import CatalogError
from pipeline.outputs.manifest import read_manifest
from pipeline.outputs.orphans import find_orphans

COLUMNS = ("total", "reviewed", "machine", "memory", "untranslated", "obsolete", "checks", "broken")


def _counts(row: dict[str, Any], po_path: Any) -> None:
    try:
        po = read_catalog(po_path)
    except CatalogError as exc:  # reported in the row; status itself goes on
        row.update(status="error", reason=exc.line())
        return
    if po is not None:
        row.update(count_entries(po))


def status_rows(settings: Settings) -> list[dict[str, Any]]:
    manifest = read_manifest(settings.outputs / "manifest.json") or {"articles": {}}
    paths = OutputPaths(settings.outputs)
    orphans = find_orphans(settings.outputs, settings.inputs, strict=False)
    gone = {o.article for o in orphans}
    rows: list[dict[str, Any]] = []
    for aid, art in sorted(manifest["articles"].items()):
        if aid in gone:
            continue
        for loc, info in sorted(art.get("locales", {}).items()):
            row: dict[str, Any] = {"article": aid, "locale": loc, "status": info.get("status")}
            po = paths.po(loc, aid)
            if po.exists():
                _counts(row, po)
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


def print_status(settings: Settings, as_json: bool) -> int:
    rows = status_rows(settings)
    if as_json:
        json.dump(rows, sys.stdout, indent=2, ensure_ascii=False)
        print()
        return 0
    if not rows:
        print(f"nothing translated yet in {settings.outputs}; run `locpipe run`")
        return 0
    width = max(len("article"), *(len(str(r["article"])) for r in rows))
    names = (*COLUMNS, "orphaned")
    print(f"{'article':<{width}}  {'locale':<6}  " + "  ".join(f"{c:>12}" for c in names))
    for r in rows:
        cells = [f"{r.get(c, '-')!s:>12}" for c in COLUMNS]
        cells.append(f"{'yes' if r.get('orphaned') else '':>12}")
        extra = " (demo model)" if r.get("demo_model") else ""
        if r.get("status") not in {"ok", "orphaned"}:
            extra += f" {r.get('status')}: {r.get('reason')}"
        print(f"{r['article']!s:<{width}}  {r['locale']:<6}  {'  '.join(cells)}{extra}")
    return 0
