"""What a run did, from this run's manifest: skipped articles, errors; and the exit code.

Exit codes (docs/exit-codes.md), the same for `locpipe run` and plain `luigi`:
0 every article × locale written; 1 a task or an article failed; 2 bad arguments or settings
(nothing started); 3 complete, but some article × locale untranslated for lack of a model or
skipped (language unclear); 130 interrupted.
"""

from __future__ import annotations

import sys
from typing import Any

WRITTEN, FAILED, BAD_SETTINGS, INCOMPLETE, INTERRUPTED = 0, 1, 2, 3, 130


def report_of(articles: dict[str, Any], errors: list[str], warnings: list[str]) -> dict[str, Any]:
    """What the run summary says about these articles, small enough to keep in the manifest's
    index (a 20,000-article manifest is not read to print five lines)."""
    lines: list[str] = []
    shown = set()
    statuses: set[str] = set()
    for aid, art in sorted(articles.items()):
        statuses.add(art.get("status", "ok"))
        if art.get("status") in {"skipped", "error"}:
            lines.append(f"  {art['status']}: {aid}: {art.get('reason')}")
            shown.add(art.get("reason"))
            continue
        for loc, info in sorted(art["locales"].items()):
            statuses.add(info.get("status", "ok"))
            if info.get("status") != "ok":
                lines.append(f"  {info['status']}: {aid} [{loc}]: {info.get('reason')}")
                shown.add(info.get("reason"))
    lines += [f"  error: {e}" for e in errors if e not in shown]
    found = {w for art in articles.values() for w in art.get("warnings", [])} | set(warnings)
    broken = [
        [info.get("po", f"{loc}/{aid}"), msgid]
        for aid, art in sorted(articles.items())
        for loc, info in sorted(art.get("locales", {}).items())
        for msgid in info.get("broken", [])
    ]
    # translated: into every locale; an untranslated locale (no model) does not count
    ok = sum(
        1
        for a in articles.values()
        if a.get("status") == "ok" and all(i.get("status") == "ok" for i in a.get("locales", {}).values())
    )
    demo = any(loc.get("demo_model") for art in articles.values() for loc in art.get("locales", {}).values())
    return {
        "articles": len(articles),
        "demo": demo,
        "ok": ok,
        "statuses": sorted(statuses),
        "lines": lines,
        "warnings": sorted(found),
        "broken": broken,
    }


def merge_reports(reports: list[dict[str, Any]]) -> dict[str, Any]:
    merged: dict[str, Any] = {
        "articles": 0,
        "demo": False,
        "ok": 0,
        "statuses": set(),
        "lines": [],
        "warnings": set(),
        "broken": [],
    }
    for rep in reports:
        merged["articles"] += rep["articles"]
        merged["demo"] = merged["demo"] or rep.get("demo", False)
        merged["ok"] += rep["ok"]
        merged["statuses"] |= set(rep["statuses"])
        merged["lines"] += [line for line in rep["lines"] if line not in merged["lines"]]
        merged["warnings"] |= set(rep["warnings"])
        merged["broken"] += rep["broken"]
    merged["statuses"] = sorted(merged["statuses"])
    merged["warnings"] = sorted(merged["warnings"])
    return merged


def _report(manifest: dict[str, Any]) -> dict[str, Any]:
    if "report" in manifest:
        return manifest["report"]
    return report_of(manifest.get("articles", {}), manifest.get("errors", []), manifest.get("warnings", []))


def outcome(manifest: dict[str, Any]) -> int:
    """0, 1 or 3 from the statuses the manifest records."""
    statuses = set(_report(manifest)["statuses"])
    if manifest.get("errors") or "error" in statuses:
        return FAILED
    if statuses & {"skipped", "untranslated"}:
        return INCOMPLETE
    return WRITTEN


def print_run_summary(manifest: dict[str, Any], quiet: bool = False) -> int:
    """Problems and skips of this run's manifest; returns the exit code for them."""
    rep = _report(manifest)
    if not quiet or rep["ok"] != rep["articles"]:
        into = ", ".join(manifest["targets"])
        print(f"locpipe: {rep['ok']}/{rep['articles']} articles translated into {into}", file=sys.stderr)
    for line in rep["lines"]:
        print(line, file=sys.stderr)
    for warning in rep["warnings"]:  # a feed's warning is carried by each of its articles
        print(f"  warning: {warning}", file=sys.stderr)
    for where, msgid in rep["broken"]:
        short = msgid if len(msgid) <= 80 else msgid[:77] + "..."
        print(
            f"  broken: {where}: reviewed entry {short!r} fails a check (its #. check: note says "
            "which: placeholders, or far longer than its source); left out of the .mo (source "
            "text served) until fixed",
            file=sys.stderr,
        )
    return outcome(manifest)


def broken_entries(manifest: dict[str, Any]) -> list[tuple[str, str]]:
    """(catalog path, msgid) of reviewed entries whose format does not match (`--strict` fails)."""
    return [(where, msgid) for where, msgid in _report(manifest)["broken"]]
