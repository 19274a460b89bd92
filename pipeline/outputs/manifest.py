"""locales/manifest.json: what consumers read to know what exists and how it was made."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from pipeline.core.atomic import write_json
from pipeline.core.run_id import run_id

SCHEMA_VERSION = 3  # 2: per locale "files" and status "untranslated"; 3: articles in pages


def _stamp_path(path: Path) -> Path:
    return path.parent / ".locpipe" / "manifest-run.json"


def write_manifest(path: Path, manifest: dict[str, Any]) -> None:
    """The manifest, and beside it which run wrote it (the manifest itself stays the same
    bytes for the same result, so the run id is kept apart)."""
    write_json(path, manifest)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    write_json(_stamp_path(path), {"run_id": run_id(), "sha256": digest})


def manifest_of_run(path: Path, run: str) -> dict[str, Any] | None:
    """The manifest if this run wrote it; None when it is an earlier run's (or missing)."""
    stamp = read_index(_stamp_path(path))
    if not stamp or stamp.get("run_id") != run or not path.exists():
        return None
    if hashlib.sha256(path.read_bytes()).hexdigest() != stamp.get("sha256"):
        return None
    return read_index(path)


def read_index(path: Path) -> dict[str, Any] | None:
    """manifest.json itself: everything but the per-article pages."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


def read_manifest(path: Path) -> dict[str, Any] | None:
    """The whole manifest: the index with every page's articles under "articles"."""
    index = read_index(path)
    if index is None or "pages" not in index:
        return index
    articles: dict[str, Any] = {}
    for page in index["pages"]:
        try:
            articles.update(json.loads((path.parent / page).read_text(encoding="utf-8"))["articles"])
        except (OSError, ValueError, KeyError):
            return None  # a page is missing: the next run writes it again
    return {**index, "articles": dict(sorted(articles.items()))}


def article_entry(
    source: str,
    digest: str,
    record: dict[str, Any],
    pot: str | None,
    locales: dict[str, dict[str, Any]],
) -> tuple[dict[str, Any], list[str]]:
    """One article's manifest entry and the errors it carries.

    locales: per locale, {"skip": reason} or the catalog task's result.
    """
    errors: list[str] = []
    entry: dict[str, Any] = {"source": source, "digest": digest, "locales": {}}
    if "error" in record:
        entry.update(status="error", reason=record["error"])
        errors.append(record["error"])
    else:
        segments = record["segments"]
        count = segments if isinstance(segments, int) else len(segments)
        entry.update(detection=record["detection"], segments=count, status="ok")
        entry["encoding"] = record.get("encoding", "utf-8")
        if record.get("warnings"):
            entry["warnings"] = record["warnings"]
        if pot:
            entry["pot"] = pot
    for locale, result in sorted(locales.items()):
        if "skip" in result:
            entry["locales"][locale] = {"status": "skipped", "reason": result["skip"]}
        elif "error" in result:
            errors.append(result["error"])
            entry["locales"][locale] = {"status": "error", "reason": result["error"]}
        else:
            entry["locales"][locale] = {"status": "ok", **result}
    skipped = [r["skip"] for r in locales.values() if "skip" in r]
    if "error" not in record and locales and len(skipped) == len(locales):
        entry.update(status="skipped", reason=skipped[-1])
    return entry, errors
