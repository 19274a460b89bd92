"""A bench's result table as data: docs/figures/<bench>.json, which the docs site renders.

Each file holds the machine (CPUs, Python, platform), the date, the command that produced it,
and one or more tables (columns and rows), so a page's figures are the last run's, never typed
by hand. `docs/hooks/generated.py` turns a `<!-- figures:<bench> -->` marker into the tables.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import sys
from pathlib import Path

# LOCPIPE_FIGURES: elsewhere (a test's own folder), so that only a real bench run changes the docs
DOCS_FIGURES = Path(__file__).resolve().parent.parent / "docs" / "figures"
FIGURES = Path(os.environ.get("LOCPIPE_FIGURES") or DOCS_FIGURES)


def machine() -> dict[str, object]:
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        usable = os.cpu_count()
    return {
        "cpus": os.cpu_count(),
        "usable_cpus": usable,
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
    }


def table(title: str, columns: list[str], rows: list[list[object]]) -> dict[str, object]:
    return {"title": title, "columns": columns, "rows": rows}


def write(
    bench: str,
    tables: list[dict[str, object]],
    notes: list[str] | None = None,
    command: str | None = None,
    date: datetime.datetime | None = None,
    ran_on: dict[str, object] | None = None,
) -> Path:
    """docs/figures/<bench>.json, replaced whole (written aside, then renamed).

    command, date and ran_on default to this process's; they are given when the figures come
    from an earlier run's raw file (bench/.work/<bench>.json)."""
    FIGURES.mkdir(parents=True, exist_ok=True)
    when = date or datetime.datetime.now(datetime.timezone.utc)
    figures = {
        "bench": bench,
        "command": command or "python " + " ".join(["bench/" + Path(sys.argv[0]).name, *sys.argv[1:]]),
        "date": when.astimezone(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": ran_on or machine(),
        "tables": tables,
        "notes": notes or [],
    }
    path = FIGURES / f"{bench}.json"
    aside = path.with_suffix(".json.tmp")
    aside.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    aside.replace(path)
    return path
