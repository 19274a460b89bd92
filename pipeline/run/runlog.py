"""What a run did, from Luigi's own task events: which tasks ran, segments translated,
models loaded.

Events fire in whichever process ran the task (a forked worker, another host). Each task
carries its run's id as a parameter and writes one file of its own per event under
`.locpipe/runs/<run id>/` (appending to one shared file is not safe on NFS); the CLI sums
them up.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import time
from collections import Counter
from pathlib import Path
from typing import Any

from pipeline.core.atomic import write_json, write_state
from pipeline.core.run_id import run_id

KEEP_RUNS = 20


def runs_dir(outputs: Path) -> Path:
    return outputs / ".locpipe" / "runs"


def worker_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


def record_event(outputs: Path, event: dict[str, Any], run: str | None = None) -> None:
    """One file per task and status, written atomically by the process that ran the task."""
    run = run or run_id()
    name = hashlib.sha256(json.dumps([event.get("task"), event.get("params")], sort_keys=True).encode())
    event = {**event, "worker": worker_name(), "at": round(time.time(), 3)}  # stage spans, in the report
    path = runs_dir(outputs) / run / f"{event.get('status')}-{name.hexdigest()[:20]}-{os.getpid()}.json"
    write_state(path, event)


def read_events(outputs: Path, run: str) -> list[dict[str, Any]]:
    folder = runs_dir(outputs) / run
    events = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            events.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue  # a damaged event file costs a line of the summary, nothing else
    return events


def _work(events: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Per stage, the articles really processed (shard tasks reuse the others): what an
    incremental run is judged by."""
    work: dict[str, list[str]] = {}
    for e in events:
        articles = (e.get("stats") or {}).get("articles")
        if e["status"] != "done" or articles is None:
            continue
        locale = e.get("params", {}).get("locale")
        names = [f"{a}@{locale}" if locale else a for a in articles]
        work.setdefault(e["task"], []).extend(names)
    return {k: sorted(v) for k, v in sorted(work.items())}


def summarize(events: list[dict[str, Any]]) -> dict[str, Any]:
    ran = Counter(e["task"] for e in events if e["status"] == "done")
    failed = Counter(e["task"] for e in events if e["status"] == "failed")
    stats = [e.get("stats") or {} for e in events if e["status"] == "done"]
    return {
        "tasks_run": dict(sorted(ran.items())),
        "tasks_failed": dict(sorted(failed.items())),
        "segments_translated": sum(s.get("sentences", 0) for s in stats),
        "warnings": sorted({s["warning"] for s in stats if s.get("warning")}),
        "models_loaded": sum(len(s.get("models_loaded", [])) for s in stats),
        "work": _work(events),
        "workers": sorted({e["worker"] for e in events if e["status"] == "done" and e.get("worker")}),
        "tasks": [{k: e[k] for k in ("task", "params", "status")} for e in events],
    }


def stages(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per task family, in the order the run started them: tasks done and failed, the seconds
    their run() took (summed over workers) and the wall time from the first start to the last
    end, where the events carry their times (events of older runs do not)."""
    found: dict[str, dict[str, Any]] = {}
    for e in sorted(events, key=lambda e: e.get("at") or 0):
        item = found.setdefault(e["task"], {"stage": e["task"], "done": 0, "failed": 0, "seconds": 0.0})
        if e["status"] in {"done", "failed"}:
            item[e["status"]] += 1
            item["seconds"] += e.get("seconds") or 0.0
        if e.get("at") is not None:
            item["first"] = min(item.get("first", e["at"]), e["at"])
            item["last"] = max(item.get("last", e["at"]), e["at"])
    for item in found.values():
        item["seconds"] = round(item["seconds"], 3)
        first, last = item.pop("first", None), item.pop("last", None)
        item["wall"] = round(last - first, 3) if first is not None and last is not None else None
    return list(found.values())


def totals_dir(outputs: Path) -> Path:
    """Each run's word totals, one file per run: apart from its events, whose folder holds
    one file per task and status and nothing else (scripts read it so)."""
    return outputs / ".locpipe" / "run-totals"


def record_totals(outputs: Path, run: str, entry: dict[str, Any]) -> None:
    """Keep this run's word totals, so the report can draw the last KEEP_RUNS runs."""
    folder = totals_dir(outputs)
    write_state(folder / f"{run}.json", entry)
    for path in sorted(folder.glob("*.json"), key=lambda p: (p.stat().st_mtime, p.name))[:-KEEP_RUNS]:
        path.unlink(missing_ok=True)


def run_history(outputs: Path) -> list[dict[str, Any]]:
    """The kept runs' totals (record_totals), oldest first."""
    found = []
    folder = totals_dir(outputs)
    for path in folder.glob("*.json") if folder.is_dir() else []:
        try:
            found.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
    return sorted(found, key=lambda r: (r.get("at") or 0, str(r.get("run_id"))))


def finish_run(outputs: Path, run: str) -> dict[str, Any]:
    """Write .locpipe/last-run.json and drop the oldest run files."""
    summary = {"run_id": run, **summarize(read_events(outputs, run))}
    write_json(outputs / ".locpipe" / "last-run.json", summary)
    folder = runs_dir(outputs)
    old = sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime)[:-KEEP_RUNS] if folder.is_dir() else []
    for path in old:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return summary


def describe(summary: dict[str, Any]) -> str:
    ran = summary["tasks_run"]
    tasks = ", ".join(f"{name} {n}" for name, n in ran.items()) or "none"
    return (
        f"locpipe: tasks run: {tasks}; {summary['segments_translated']} segments machine-translated, "
        f"{summary['models_loaded']} model loads"
    )
