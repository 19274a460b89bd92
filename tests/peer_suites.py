"""Other projects' test suites, read as data from ../shared/suites (never copied here).

A test that needs a suite calls `suite_path(name)`: it skips with the reason when the folder
is absent, so a clone without it still passes; CI has it. LOCPIPE_SUITES points elsewhere.
Failures that are a documented choice are listed, with their reasons, in suite_choices.yaml;
they still count as failures in the figures.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SUITES = Path(os.environ.get("LOCPIPE_SUITES") or ROOT.parent / "shared" / "suites")
CHOICES = Path(__file__).parent / "suite_choices.yaml"


def suites_folder() -> Path | None:
    return SUITES if SUITES.is_dir() else None


def suite_path(name: str) -> Path:
    path = SUITES / name
    if not path.exists():
        pytest.skip(f"peer suite {name} not found under {SUITES} (set LOCPIPE_SUITES to its folder)")
    return path


def choices(section: str) -> list[dict[str, Any]]:
    """The documented choices for one suite: each a dict naming the case and its reason."""
    data = yaml.safe_load(CHOICES.read_text(encoding="utf-8")) or {}
    return list(data.get(section) or [])
