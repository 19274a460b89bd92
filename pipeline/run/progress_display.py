"""What `locpipe run` shows while it works: a tqdm bar per stage on a terminal, else a log line
(cron, CI) every few seconds while the counts move, with each stage's rate and ETA."""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from pipeline.run.progress import LABELS, Count, clear, counts

INTERVAL_ENV = "LOCPIPE_PROGRESS_INTERVAL"  # seconds between log lines; default 5
HEARTBEAT = 30.0  # a line even when nothing moved, so a stuck run is seen to be stuck


def log_interval() -> float:
    try:
        return max(0.1, float(os.environ.get(INTERVAL_ENV, "5")))
    except ValueError:
        return 5.0


class Rates:
    """Per stage: units per second since the display first saw the stage, counting only what
    this run did (outputs already done before it started are not speed)."""

    def __init__(self) -> None:
        self.first: dict[str, tuple[float, int]] = {}

    def text(self, count: Count, now: float) -> str:
        since, base = self.first.setdefault(count.stage, (now, count.done))
        return rate_text(count.done - base, count.total - count.done, now - since)


def rate_text(done: int, left: int, seconds: float) -> str:
    """' (12.5/s, ETA 40 s)' once there is a rate to tell."""
    if left <= 0:
        return ""
    if done <= 0 or seconds <= 0:
        return ""
    rate = done / seconds
    return f" ({rate:.1f}/s, ETA {left / rate:.0f} s)"


def log_line(found: list[Count], rates: Rates, now: float) -> str:
    parts = []
    for count in found:
        name, unit = LABELS[count.stage]
        parts.append(f"{name} {count.done}/{count.total} {unit}{rates.text(count, now)}")
    return "locpipe: " + ", ".join(parts)


class Progress:
    def __init__(self, outputs: Path, enabled: bool = True, poll: float = 0.5) -> None:
        self.outputs = outputs
        self.enabled = enabled
        self.interval = log_interval()
        self.poll = min(poll, self.interval)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.tty = sys.stderr.isatty()
        self.rates = Rates()
        self.bars: dict[str, Any] = {}
        self.last: tuple[float, list[Count] | None] = (0.0, None)

    def __enter__(self) -> Progress:
        clear(self.outputs)
        if self.enabled:
            self.thread.start()
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.stop.set()
        if self.thread.is_alive():
            self.thread.join(timeout=5)
            self._show(final=True)
        for bar in self.bars.values():
            bar.close()

    def _loop(self) -> None:
        while not self.stop.wait(self.poll):
            self._show(final=False)

    def _show(self, final: bool) -> None:
        found = counts(self.outputs)
        if not found:
            return
        if self.tty:
            self._bars(found)
            return
        now = time.monotonic()
        said_at, said = self.last
        due = now - said_at >= self.interval and found != said
        if due or (final and found != said) or now - said_at >= HEARTBEAT:
            line = log_line(found, self.rates, now)
            print(line, file=sys.stderr, flush=True)
            self.last = (now, found)
        else:
            for count in found:  # the rate starts when the stage is first seen
                self.rates.text(count, now)

    def _bars(self, found: list[Count]) -> None:
        from tqdm import tqdm

        for count in found:
            bar = self.bars.get(count.stage)
            if bar is None:
                name, unit = LABELS[count.stage]
                bar = tqdm(
                    total=count.total, initial=count.done, desc=name, unit=unit.split("×")[0],
                    position=len(self.bars), leave=True, file=sys.stderr,
                )  # fmt: skip
                self.bars[count.stage] = bar
            bar.total = count.total
            if count.done > bar.n:
                bar.update(count.done - bar.n)
            bar.refresh()
