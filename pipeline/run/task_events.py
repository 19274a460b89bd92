"""What locpipe's tasks tell the run's event log (pipeline.run.runlog): each one's start, end
(done or failed), time and what it did itself. The handlers are Luigi's, registered for
every task when pipeline.run.tasks imports this module; tasks of other modules are left out.
"""

from __future__ import annotations

import luigi

from pipeline.core.clock import use_run_clock
from pipeline.run.runlog import record_event


@luigi.Task.event_handler(luigi.Event.PROCESSING_TIME)
def _timed(task: luigi.Task, seconds: float) -> None:
    task.locpipe_seconds = round(seconds, 3)


@luigi.Task.event_handler(luigi.Event.SUCCESS)
def _succeeded(task: luigi.Task) -> None:
    _record(task, "done")


@luigi.Task.event_handler(luigi.Event.FAILURE)
def _failed(task: luigi.Task, exception: BaseException) -> None:
    _record(task, "failed")


@luigi.Task.event_handler(luigi.Event.START)
def _started(task: luigi.Task) -> None:
    from pipeline.run.tasks import LocpipeTask  # imported by now: tasks imports this module

    if isinstance(task, LocpipeTask):
        use_run_clock(task.run_time)  # the driver's clock, whichever host runs the task
    _record(task, "started")


def _record(task: luigi.Task, status: str) -> None:
    from pipeline.run.tasks import LocpipeTask, TranslateAll  # imported by now, as above

    if not isinstance(task, (LocpipeTask, TranslateAll)):
        return
    event = {
        "task": task.get_task_family(),
        "params": task.to_str_params(only_significant=True),
        "status": status,
        "seconds": getattr(task, "locpipe_seconds", None),
        "stats": getattr(task, "run_stats", None),
    }
    record_event(task.settings.outputs, event, getattr(task, "run_id", "") or None)
