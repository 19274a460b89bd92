"""What Luigi logs, as locpipe's own lines (pipeline.run.log_filter)."""

from __future__ import annotations

import logging

from pipeline.core.errors import ConfigError, LocpipeError
from pipeline.run.log_filter import KnownErrors


def _record(msg: str, exc: BaseException | None = None, exc_info: object = None) -> logging.LogRecord:
    info = (type(exc), exc, None) if exc is not None else exc_info
    return logging.LogRecord("luigi-interface", logging.ERROR, __file__, 1, msg, (), info)  # type: ignore[arg-type]


def test_no_nonetype_line_after_a_scheduler_disconnect() -> None:
    record = _record("Error while pinging the scheduler", exc_info=(None, None, None))
    assert KnownErrors().filter(record) and record.exc_info is None  # Luigi printed NoneType: None


def test_the_runs_own_problems_are_left_to_the_summary() -> None:
    problems = LocpipeError(None, "2 problem(s): a.txt: binary | b.txt: empty")
    assert not KnownErrors().filter(_record("[pid 1] Worker Worker(salt=1) failed TranslateAll()", problems))
    other = _record("[pid 1] Worker Worker(salt=1) failed PlanShard()", ConfigError("cfg", "bad value"))
    assert KnownErrors().filter(other)
    assert other.getMessage() == "locpipe: cfg: bad value" and not other.exc_info


LINE = "/srv/luigi.cfg: [locpipe] beam_size = 0: must be an integer from 1 to 16"


def test_a_complete_error_traceback_becomes_one_line() -> None:
    message = (
        "Will not run TranslateAll() or any dependencies due to error in complete() method:\n"
        "Traceback (most recent call last):\n  File \"x.py\", line 1, in complete\n"
        f"pipeline.core.errors.ConfigError: {LINE}\n"
    )
    record = _record(message)
    assert KnownErrors().filter(record)
    assert record.getMessage() == f"locpipe: {LINE}"
