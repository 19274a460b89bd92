"""Progress of a run, read from the work folder, so it works with any number of workers.

TranslateAll writes a plan (expected outputs, pending segments); translation tasks write
their counts as they go. The CLI polls both: bars with rate and ETA on a terminal, a log
line every 30 seconds otherwise (cron, CI).
"""

from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path
from types import TracebackType

from pipeline.outputs.atomic import write_bytes, write_json

WORK = ".locpipe"


def plan_path(outputs: Path) -> Path:
    return outputs / WORK / "plan.json"


def write_plan(outputs: Path, segments: int, outputs_expected: list[str]) -> None:
    write_json(plan_path(outputs), {"segments": segments, "outputs": outputs_expected})


_last_report: dict[str, float] = {}


def report_segments(outputs: Path, job: str, done: int, total: int) -> None:
    """At most twice a second, and at the end: the display polls at that rate anyway."""
    now = time.monotonic()
    if done < total and now - _last_report.get(job, 0.0) < 0.5:
        return
    _last_report[job] = now
    data = json.dumps({"done": done, "total": total}).encode()
    write_bytes(outputs / WORK / "progress" / f"{job}.json", data, durable=False)


def _read(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _rate(done: int, total: int, seconds: float) -> str:
    """' (12.5 seg/s, ETA 40 s)' once there is a rate to tell."""
    if done <= 0 or seconds <= 0:
        return ""
    rate = done / seconds
    return f" ({rate:.1f} seg/s, ETA {max(0, total - done) / rate:.0f} s)"


class Progress:
    def __init__(self, outputs: Path, enabled: bool = True, interval: float = 0.5) -> None:
        self.outputs = outputs
        self.enabled = enabled
        self.interval = interval
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.tty = sys.stderr.isatty()

    def __enter__(self) -> Progress:
        for stale in (self.outputs / WORK / "progress").glob("*.json"):
            stale.unlink(missing_ok=True)
        plan_path(self.outputs).unlink(missing_ok=True)
        if self.enabled:
            self.thread.start()
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.stop.set()
        if self.thread.is_alive():
            self.thread.join(timeout=5)

    def counts(self) -> tuple[int, int, int, int]:
        plan = _read(plan_path(self.outputs)) or {"segments": 0, "outputs": []}
        done_outputs = sum(1 for p in plan["outputs"] if Path(p).exists())
        done_segments = 0
        for path in (self.outputs / WORK / "progress").glob("*.json"):
            data = _read(path)
            done_segments += data["done"] if data else 0
        return done_outputs, len(plan["outputs"]), done_segments, plan["segments"]

    def _loop(self) -> None:
        bars = None
        last_log = 0.0
        started = 0.0  # when the plan was first seen
        while not self.stop.wait(self.interval):
            done_o, total_o, done_s, total_s = self.counts()
            if self.tty:
                if bars is None and (total_o or total_s):
                    from tqdm import tqdm

                    bars = (
                        tqdm(total=total_s, desc="segments", unit="seg", position=0, leave=True),
                        tqdm(total=total_o, desc="articles x locales", unit="out", position=1, leave=True),
                    )
                if bars:
                    for bar, value, total in ((bars[0], done_s, total_s), (bars[1], done_o, total_o)):
                        bar.total = total
                        bar.n = value
                        bar.refresh()
            elif time.monotonic() - last_log > 30 and (total_o or total_s):
                last_log = time.monotonic()
                started = started or last_log
                print(
                    f"locpipe: segments {done_s}/{total_s}{_rate(done_s, total_s, last_log - started)}, "
                    f"outputs {done_o}/{total_o}",
                    file=sys.stderr,
                    flush=True,
                )
        if bars:
            done_o, total_o, done_s, total_s = self.counts()
            bars[0].n, bars[1].n = done_s, done_o
            for bar in bars:
                bar.close()
