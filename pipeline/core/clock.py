"""The time written into catalog headers: one clock per run, the driver's, passed to every
task (a worker on a host whose clock is hours off writes the driver's dates, not its own);
SOURCE_DATE_EPOCH pins it for reproducible builds."""

from __future__ import annotations

import os
import time
from datetime import datetime, timezone

RUN_TIME_ENV = "LOCPIPE_RUN_TIME"
_run_time: int | None = None  # the run this process's current task belongs to


def run_time() -> int:
    """The driver's time at the start of the run, set once and inherited by its forked workers;
    tasks get it as a parameter (pipeline.run.tasks), remote workers too."""
    return int(os.environ.setdefault(RUN_TIME_ENV, str(int(time.time()))))


def use_run_clock(epoch: int | None) -> None:
    global _run_time
    _run_time = epoch or None


def now() -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().lstrip("-").isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    if _run_time is not None:
        return datetime.fromtimestamp(_run_time, tz=timezone.utc)
    return datetime.now(tz=timezone.utc)


def po_date(moment: datetime | None = None) -> str:
    """gettext's header date format: 2026-11-25 14:03+0000."""
    return (moment or now()).strftime("%Y-%m-%d %H:%M%z")
