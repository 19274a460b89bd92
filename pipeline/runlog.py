"""What a run did, from Luigi's own task events: which tasks ran, segments translated,
models loaded.

Events fire in whichever process ran the task (a forked worker, another host), so each
appends one line to the run's file in the shared output folder; the CLI sums them up.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from pathlib import Path
from typing import Any

from pipeline.outputs.atomic import write_json

RUN_ID_ENV = "LOCPIPE_RUN_ID"
KEEP_RUNS = 20


def run_id() -> str:
    """Set once per run by the CLI and inherited by its workers; plain luigi gets its own."""
    return os.environ.setdefault(RUN_ID_ENV, f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}")


def runs_dir(outputs: Path) -> Path:
    return outputs / ".locpipe" / "runs"


def record_event(outputs: Path, event: dict[str, Any]) -> None:
    folder = runs_dir(outputs)
    folder.mkdir(parents=True, exist_ok=True)
    line = json.dumps(event, sort_keys=True, ensure_ascii=False) + "\n"
    # one short O_APPEND write per event: lines from concurrent workers do not interleave
    fd = os.open(folder / f"{run_id()}.jsonl", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        os.write(fd, line.encode("utf-8"))
    finally:
        os.close(fd)


def read_events(outputs: Path, run: str) -> list[dict[str, Any]]:
    path = runs_dir(outputs) / f"{run}.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


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
        "models_loaded": sum(len(s.get("models_loaded", [])) for s in stats),
        "work": _work(events),
        "tasks": [{k: e[k] for k in ("task", "params", "status")} for e in events],
    }


def finish_run(outputs: Path, run: str) -> dict[str, Any]:
    """Write .locpipe/last-run.json and drop the oldest run files."""
    summary = {"run_id": run, **summarize(read_events(outputs, run))}
    write_json(outputs / ".locpipe" / "last-run.json", summary)
    old = sorted(runs_dir(outputs).glob("*.jsonl"), key=lambda p: p.stat().st_mtime)[:-KEEP_RUNS]
    for path in old:
        path.unlink(missing_ok=True)
    return summary


def describe(summary: dict[str, Any]) -> str:
    ran = summary["tasks_run"]
    tasks = ", ".join(f"{name} {n}" for name, n in ran.items()) or "none"
    return (
        f"locpipe: tasks run: {tasks}; {summary['segments_translated']} segments machine-translated, "
        f"{summary['models_loaded']} model loads"
    )
