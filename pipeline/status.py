"""`locpipe status`: per article and locale, how much is reviewed, machine or untranslated."""

from __future__ import annotations

import json
import sys

from pipeline.config import Settings
from pipeline.outputs.manifest import read_manifest

COLUMNS = ("total", "reviewed", "machine", "untranslated", "obsolete")


def status_rows(settings: Settings) -> list[dict[str, object]]:
    from pipeline.catalogs.pofile import read_catalog
    from pipeline.catalogs.write import OutputPaths, count_entries

    manifest = read_manifest(settings.outputs / "manifest.json") or {"articles": {}}
    paths = OutputPaths(settings.outputs)
    rows: list[dict[str, object]] = []
    for aid, art in sorted(manifest["articles"].items()):
        for loc, info in sorted(art.get("locales", {}).items()):
            row: dict[str, object] = {"article": aid, "locale": loc, "status": info.get("status")}
            po = paths.po(loc, aid)
            if po.exists():
                try:
                    row.update(count_entries(read_catalog(po)))  # type: ignore[arg-type]
                except Exception as exc:  # a broken .po is reported, not fatal, in status
                    row["status"] = "error"
                    row["reason"] = str(exc)
            else:
                row["reason"] = info.get("reason")
            row["demo_model"] = bool(info.get("demo_model"))
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
    width = max(len(str(r["article"])) for r in rows)
    print(f"{'article':<{width}}  locale  " + "  ".join(f"{c:>12}" for c in COLUMNS))
    for r in rows:
        cells = "  ".join(f"{r.get(c, '-')!s:>12}" for c in COLUMNS)
        extra = " (demo model)" if r.get("demo_model") else ""
        if r.get("status") != "ok":
            extra += f" {r.get('status')}: {r.get('reason')}"
        print(f"{r['article']!s:<{width}}  {r['locale']:<6}  {cells}{extra}")
    return 0
