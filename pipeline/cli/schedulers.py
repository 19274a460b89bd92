"""Luigi's schedulers as locpipe uses them: its local one without the pruning that makes a
large run quadratic, and a central luigid checked once before anything starts."""

from __future__ import annotations

from pipeline.core.errors import ConfigError


def local_scheduler_factory():  # noqa: ANN201  (luigi's factory protocol)
    """Luigi's local scheduler prunes its whole task list on every request for work, which
    makes a run of thousands of tasks quadratic; one process has nothing to prune."""
    from luigi import interface, scheduler

    class Factory(interface._WorkerSchedulerFactory):
        def create_local_scheduler(self):  # noqa: ANN202
            return scheduler.Scheduler(prune_on_get_work=False, record_task_history=False)

    return Factory()


def probe_scheduler(host: str, port: int, timeout: float = 3.0) -> None:
    """Luigi retries an unreachable luigid for a minute, then prints a traceback; one request
    first (luigid's read-only is_paused call, so something else on the port is refused too)
    turns that into one line (exit 2: nothing started)."""
    import json
    import urllib.error
    import urllib.request

    url = f"http://{host}:{port}/api/is_paused"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as reply:
            if "response" not in json.loads(reply.read(65536)):
                raise ValueError("no luigid reply")
        return
    except urllib.error.HTTPError as exc:
        reason = f"HTTP {exc.code}: not luigid?"
    except (OSError, ValueError, TypeError) as exc:
        inner = getattr(exc, "reason", exc)
        reason = getattr(inner, "strerror", None) or (
            "not luigid?" if isinstance(exc, (ValueError, TypeError)) else type(inner).__name__
        )
    raise ConfigError(
        None,
        f"--scheduler-host {host}:{port}: luigid not reachable ({reason}); start it or drop the option",
    )
