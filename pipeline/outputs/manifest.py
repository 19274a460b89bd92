"""locales/manifest.json: what consumers read to know what exists and how it was made."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1


def build_manifest(
    run_key: str,
    articles: dict[str, dict[str, Any]],
    errors: list[str],
    targets: list[str],
    models: list[dict[str, Any]],
) -> dict[str, Any]:
    demo = any(loc.get("demo_model") for art in articles.values() for loc in art.get("locales", {}).values())
    return {
        "schema_version": SCHEMA_VERSION,
        "generator": "locpipe",
        "run_key": run_key,
        "targets": targets,
        "models": models,
        "demo_model_used": demo,
        "articles": articles,
        "errors": errors,
    }


def read_manifest(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
