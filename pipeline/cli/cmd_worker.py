"""`locpipe worker`: help runs on a central scheduler (luigid) by running the tasks it hands out."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from pipeline.cli.common import AddCommand, command_settings, positive
from pipeline.cli.schedulers import probe_scheduler
from pipeline.run.log_filter import install_log_filter
from pipeline.run.stop import catch_signals


def add_command(sub: Any, command: AddCommand) -> None:
    worker = command(sub, "worker", "help runs on a central scheduler (luigid): run the tasks it hands out")
    worker.add_argument("--scheduler-host", required=True, help="luigid host (keep it on a private address)")
    worker.add_argument("--scheduler-port", type=positive, default=8082)
    worker.add_argument("--workers", type=positive, default=1, help="parallel task processes on this host")
    worker.add_argument("--until-idle", action="store_true", help="exit when the scheduler has nothing to do")
    worker.set_defaults(func=cmd_worker)


def cmd_worker(args: argparse.Namespace) -> int:
    settings = command_settings(args, "outputs", "models_dir")
    probe_scheduler(args.scheduler_host, args.scheduler_port)
    import luigi
    import luigi.configuration

    from pipeline.run.worker import install_guard
    from pipeline.translation.engine import WORKERS_ENV

    config = luigi.configuration.get_config()
    if settings.config_path:
        config.add_config_path(str(settings.config_path))
    config.set("worker", "keep_alive", "false" if args.until_idle else "true")
    install_guard()
    import pipeline.run.tasks  # noqa: F401  (registers the task families it may run)

    os.environ[WORKERS_ENV] = str(args.workers)
    install_log_filter()
    catch_signals()
    where = f"{args.scheduler_host}:{args.scheduler_port}"
    print(f"locpipe worker: running locpipe tasks from {where}, {args.workers} process(es)", file=sys.stderr)
    result = luigi.build(
        [],
        workers=args.workers,
        assistant=True,
        scheduler_host=args.scheduler_host,
        scheduler_port=args.scheduler_port,
        detailed_summary=True,
        log_level="WARNING",
    )
    return 0 if result.scheduling_succeeded else 1
