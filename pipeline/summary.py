"""What a run did, from this run's manifest: skipped articles, errors; and the exit code.

Exit codes (README, "Exit codes"), the same for `locpipe run` and plain `luigi`:
0 every article × locale written; 1 a task or an article failed; 2 bad arguments or settings
(nothing started); 3 complete, but some article × locale untranslated for lack of a model or
skipped (language unclear); 130 interrupted.
"""

from __future__ import annotations

import sys
from typing import Any

WRITTEN, FAILED, BAD_SETTINGS, INCOMPLETE, INTERRUPTED = 0, 1, 2, 3, 130


def outcome(manifest: dict[str, Any]) -> int:
    """0, 1 or 3 from the statuses the manifest records."""
    articles = manifest.get("articles", {})
    statuses = {a.get("status") for a in articles.values()}
    statuses |= {loc.get("status") for a in articles.values() for loc in a.get("locales", {}).values()}
    if manifest.get("errors") or "error" in statuses:
        return FAILED
    if statuses & {"skipped", "untranslated"}:
        return INCOMPLETE
    return WRITTEN


def print_run_summary(manifest: dict[str, Any], quiet: bool = False) -> int:
    """Problems and skips of this run's manifest; returns the exit code for them."""
    articles = manifest["articles"]
    ok = sum(1 for a in articles.values() if a.get("status") == "ok")
    if not quiet or ok != len(articles):
        print(
            f"locpipe: {ok}/{len(articles)} articles translated into {', '.join(manifest['targets'])}",
            file=sys.stderr,
        )
    shown = set()
    for aid, art in sorted(articles.items()):
        if art.get("status") in {"skipped", "error"}:
            print(f"  {art['status']}: {aid}: {art.get('reason')}", file=sys.stderr)
            shown.add(art.get("reason"))
            continue
        for loc, info in sorted(art["locales"].items()):
            if info.get("status") != "ok":
                print(f"  {info['status']}: {aid} [{loc}]: {info.get('reason')}", file=sys.stderr)
                shown.add(info.get("reason"))
    for error in manifest.get("errors", []):
        if error not in shown:
            print(f"  error: {error}", file=sys.stderr)
    warnings = {w for art in articles.values() for w in art.get("warnings", [])}
    warnings |= set(manifest.get("warnings", []))
    for warning in sorted(warnings):  # a feed's warning is carried by each of its articles
        print(f"  warning: {warning}", file=sys.stderr)
    for where, msgid in broken_entries(manifest):
        print(
            f"  format: {where}: reviewed entry {msgid!r} does not keep the msgid's placeholders; "
            "left out of the .mo (source text served) until fixed",
            file=sys.stderr,
        )
    return outcome(manifest)


def broken_entries(manifest: dict[str, Any]) -> list[tuple[str, str]]:
    """(catalog path, msgid) of reviewed entries whose format does not match (`--strict` fails)."""
    return [
        (info.get("po", f"{loc}/{aid}"), msgid)
        for aid, art in sorted(manifest.get("articles", {}).items())
        for loc, info in sorted(art.get("locales", {}).items())
        for msgid in info.get("broken", [])
    ]
