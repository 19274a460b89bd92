"""`locpipe worker`: a Luigi assistant worker that helps any run on a central scheduler.

A normal Luigi worker only runs tasks it scheduled itself; an assistant takes whatever
luigid hands it. luigid has no authentication and an assistant imports whatever module the
scheduler names, so this one loads locpipe's own task families only, from locpipe's own
module, planned by the same locpipe version, and refuses anything else (the scheduler marks
the refused task failed with the reason).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import luigi.worker
from luigi.task_register import TaskClassException

from pipeline import __version__

TASK_MODULE = "pipeline.run.tasks"
FAMILIES = frozenset(
    {"TranslateAll", "PrepareShard", "BuildMemory", "PlanShard", "TranslateChunk", "WriteShard", "WriteFeed"}
)


def refusal(module: str | None, family: str, params: str | dict[str, Any] | None) -> str | None:
    """Why this worker will not load a task, or None."""
    if family not in FAMILIES or module not in (None, TASK_MODULE):
        return f"refused {module}.{family}: this worker runs locpipe's own tasks only"
    try:
        values = json.loads(params) if isinstance(params, str) else dict(params or {})
    except ValueError:
        values = {}
    planned = values.get("release")
    if planned and planned != __version__:
        return (
            f"refused {family}: planned by locpipe {planned}, this worker runs {__version__}; "
            "run the same version on every host"
        )
    return None


def guarded(load: Callable[..., Any]) -> Callable[..., Any]:
    def load_task(module: str | None, task_name: str, params_str: Any) -> Any:
        reason = refusal(module, task_name, params_str)
        if reason:
            raise TaskClassException(reason)
        return load(module, task_name, params_str)

    return load_task


def install_guard() -> None:
    """From now on this process's Luigi workers load locpipe's tasks only."""
    if not getattr(luigi.worker.load_task, "locpipe_guard", False):
        load_task = guarded(luigi.worker.load_task)
        load_task.locpipe_guard = True  # type: ignore[attr-defined]
        luigi.worker.load_task = load_task


def driver_factory(deadline: float) -> Any:
    """Luigi's worker factory for a driver on luigid.

    An assistant without keep_alive leaves as soon as nothing is runnable this instant, e.g.
    while its plan waits on a chunk another host translates; each return costs a new build
    (the plan checked again) and a pause at every stage. This one stays while the scheduler
    still lists pending tasks of its own and none of its tasks failed, bounded by the deadline.
    """
    import time

    from luigi import interface

    class DriverWorker(luigi.worker.Worker):
        def _keep_alive(self, get_work_response: Any) -> bool:
            return (
                get_work_response.n_pending_tasks > 0 and self.run_succeeded and time.monotonic() < deadline
            )

    class Factory(interface._WorkerSchedulerFactory):
        def create_worker(self, scheduler: Any, worker_processes: int, assistant: bool = False) -> Any:
            return DriverWorker(scheduler=scheduler, worker_processes=worker_processes, assistant=assistant)

    return Factory()
