"""What locpipe's tasks tell the run's event log (pipeline.run.runlog): each one's start, end
(done or failed), time and what it did itself. pipeline.run.tasks hands its task classes to
`record_events_of` once they are defined; Luigi calls the handlers for those classes and their
subclasses only, so tasks of other modules are left out and this module needs no task class.
"""

from __future__ import annotations

import luigi

from pipeline.core.clock import use_run_clock
from pipeline.run.runlog import record_event


def record_events_of(clocked: type[luigi.Task], *others: type[luigi.Task]) -> None:
    """Register the handlers on these classes (none a subclass of another: a subclass would
    hear each event twice). clocked: tasks that carry the driver's clock (run_time), set before
    their start is recorded, whichever host runs them. Luigi keeps an event's handlers in a set,
    in no order: so one handler a class and event."""
    clocked.event_handler(luigi.Event.START)(_started_on_drivers_clock)
    for family in others:
        family.event_handler(luigi.Event.START)(_started)
    for family in (clocked, *others):
        family.event_handler(luigi.Event.PROCESSING_TIME)(_timed)
        family.event_handler(luigi.Event.SUCCESS)(_succeeded)
        family.event_handler(luigi.Event.FAILURE)(_failed)


def _started_on_drivers_clock(task: luigi.Task) -> None:
    use_run_clock(task.run_time)
    _record(task, "started")


def _timed(task: luigi.Task, seconds: float) -> None:
    task.locpipe_seconds = round(seconds, 3)


def _started(task: luigi.Task) -> None:
    _record(task, "started")


def _succeeded(task: luigi.Task) -> None:
    _record(task, "done")


def _failed(task: luigi.Task, exception: BaseException) -> None:
    _record(task, "failed")


def _record(task: luigi.Task, status: str) -> None:
    event = {
        "task": task.get_task_family(),
        "params": task.to_str_params(only_significant=True),
        "status": status,
        "seconds": getattr(task, "locpipe_seconds", None),
        "stats": getattr(task, "run_stats", None),
    }
    record_event(task.settings.outputs, event, getattr(task, "run_id", "") or None)
