"""Progress of a run, read from the work folder, so it works with any number of workers.

TranslateAll writes a plan as soon as it knows each stage's size: detect/segment (articles,
from the inputs listing, before any work), translate (segments still to translate, once the
catalogs are planned), write (article × locale outputs). Tasks write their counts as they go;
the CLI polls both (pipeline/run/progress_display.py).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.core.atomic import write_bytes, write_state

WORK = ".locpipe"
STAGES = ("detect", "translate", "write")
LABELS = {"detect": ("detect/segment", "articles"), "translate": ("translate", "segments"),
          "write": ("write", "article×locale")}  # fmt: skip


def plan_path(outputs: Path) -> Path:
    return outputs / WORK / "plan.json"


def progress_folder(outputs: Path) -> Path:
    return outputs / WORK / "progress"


Tasks = dict[str, tuple[str, int]]  # job: (its stamp, units it stands for)


def write_plan(outputs: Path, stage: str, total: int, tasks: Tasks | None = None) -> None:
    """Add one stage to the plan. tasks: per job, its stamp and how many units it stands for,
    so a task that is already done (its stamp is there and it does not run) counts as done."""
    plan = _read(plan_path(outputs)) or {}
    plan[stage] = {"total": total, "tasks": {job: list(t) for job, t in (tasks or {}).items()}}
    write_state(plan_path(outputs), plan)


_last_report: dict[str, float] = {}


def report(outputs: Path, stage: str, job: str, done: int, total: int) -> None:
    """At most twice a second, and at the start and the end: the display polls at that rate."""
    now = time.monotonic()
    key = f"{stage}/{job}"
    if 0 < done < total and now - _last_report.get(key, 0.0) < 0.5:
        return
    _last_report[key] = now
    data = json.dumps({"done": done, "total": total}).encode()
    write_bytes(progress_folder(outputs) / stage / f"{job}.json", data, durable=False)


def report_segments(outputs: Path, job: str, done: int, total: int) -> None:
    report(outputs, "translate", job, done, total)


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


@dataclass(frozen=True)
class Count:
    stage: str
    done: int
    total: int


def counts(outputs: Path) -> list[Count]:
    """Each planned stage's done and total, in stage order; an unplanned stage is left out."""
    plan = _read(plan_path(outputs)) or {}
    found: list[Count] = []
    for stage in STAGES:
        if not isinstance(plan.get(stage), dict):
            continue
        reported: dict[str, int] = {}
        for path in (progress_folder(outputs) / stage).glob("*.json"):
            data = _read(path)
            reported[path.stem] = int(data["done"]) if isinstance(data, dict) else 0
        done = sum(reported.values())
        for job, (stamp, units) in plan[stage].get("tasks", {}).items():
            if job not in reported and Path(stamp).exists():
                done += units
        total = int(plan[stage]["total"])
        found.append(Count(stage, min(done, total), total))
    return found


def clear(outputs: Path) -> None:
    """A new run starts from an empty plan: the display never shows the last run's counts."""
    for path in progress_folder(outputs).glob("*/*.json"):
        path.unlink(missing_ok=True)
    for path in progress_folder(outputs).glob("*.json"):
        path.unlink(missing_ok=True)
    plan_path(outputs).unlink(missing_ok=True)
