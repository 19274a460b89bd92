"""What a run did, from the manifest: skipped articles, errors, demo-model warnings."""

from __future__ import annotations

import sys
from pathlib import Path

from pipeline.outputs.manifest import read_manifest


def print_run_summary(outputs: Path) -> int:
    """Print problems and skips; returns the number of errors."""
    manifest = read_manifest(outputs / "manifest.json")
    if manifest is None:
        print(f"locpipe: no manifest written in {outputs}", file=sys.stderr)
        return 1
    articles = manifest["articles"]
    ok = sum(1 for a in articles.values() if a.get("status") == "ok")
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
    for warning in sorted(warnings):  # a feed's warning is carried by each of its articles
        print(f"  warning: {warning}", file=sys.stderr)
    for where, msgid in broken_entries(outputs):
        print(f"  format: {where}: reviewed entry {msgid!r} does not keep the msgid's placeholders; "
              "left out of the .mo (source text served) until fixed", file=sys.stderr)
    return len(manifest.get("errors", []))


def broken_entries(outputs: Path) -> list[tuple[str, str]]:
    """(catalog path, msgid) of reviewed entries whose format does not match (`--strict` fails)."""
    manifest = read_manifest(outputs / "manifest.json") or {"articles": {}}
    return [
        (info.get("po", f"{loc}/{aid}"), msgid)
        for aid, art in sorted(manifest["articles"].items())
        for loc, info in sorted(art.get("locales", {}).items())
        for msgid in info.get("broken", [])
    ]
