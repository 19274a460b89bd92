"""`locpipe run`: translate the inputs into catalogs and articles, on this host's own
scheduler or on a shared luigid; then the run's summary, warnings and report page."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from pipeline.cli.common import AddCommand, command_settings, positive
from pipeline.cli.schedulers import local_scheduler_factory, probe_scheduler
from pipeline.core.errors import ConfigError, LocpipeError
from pipeline.core.settings import Settings
from pipeline.run.log_filter import install_log_filter, os_error_line
from pipeline.run.stop import catch_signals, raise_if_stopped

DEMO_WARNING = (
    "NOTE: a demo model with random weights is installed: its output is placeholder text, "
    "not a translation. Install real models with `locpipe models install FILE.argosmodel`."
)


def add_command(sub: Any, command: AddCommand) -> None:
    run = command(sub, "run", "translate inputs into catalogs and articles")
    run.add_argument("--inputs", help="folder of articles")
    run.add_argument("--out", help="output folder (locales/)")
    run.add_argument("--targets", help="comma-separated gettext locales, e.g. uk,tr,de")
    run.add_argument("--source-lang", help="source language of every article (skip detection), e.g. en")
    run.add_argument("--workers", type=positive, default=1, help="parallel Luigi workers")
    run.add_argument("--local-scheduler", action="store_true", help="no luigid (the default)")
    run.add_argument("--scheduler-host", help="luigid host: share work with other workers")
    run.add_argument("--scheduler-port", type=positive, default=8082)
    run.add_argument(
        "--wait",
        type=positive,
        default=3600,
        help="with --scheduler-host: seconds to wait when another driver holds the same run",
    )
    run.add_argument("--dry-run", action="store_true", help="list pending segments; write nothing")
    run.add_argument("--quiet", action="store_true", help="no progress display and no Luigi summary")
    run.add_argument("--strict", action="store_true", help="exit 1 when a reviewed entry's format is broken")
    run.set_defaults(func=cmd_run)


def _demo_installed(settings: Settings) -> bool:
    from pipeline.translation.packages import installed_models

    return any(m.demo for m in installed_models(settings.models_dir, settings.state_dir))


def check_writable(folder: Path) -> None:
    """A read-only or full output folder is said once, before any work."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".locpipe-probe-"):
            pass
    except OSError as exc:
        raise OutputsUnwritable(os_error_line(exc)) from None


class OutputsUnwritable(LocpipeError):
    def __init__(self, line: str) -> None:
        super().__init__(None, line)


def cmd_run(args: argparse.Namespace) -> int:
    settings = command_settings(
        args,
        "inputs",
        "outputs",
        "models_dir",
        inputs=args.inputs,
        outputs=args.out,
        targets=args.targets,
        source_lang=args.source_lang,
    )
    if not settings.inputs.is_dir():
        where = "--inputs" if args.inputs else f"{settings.config_path}: [locpipe] inputs"
        raise ConfigError(None, f"{where} = {settings.inputs}: no such folder; point it at the articles")
    if args.dry_run:
        from pipeline.run.dry_run import print_dry_run

        return print_dry_run(settings)
    if args.scheduler_host:
        probe_scheduler(args.scheduler_host, args.scheduler_port)
    from pipeline.core.run_id import run_id
    from pipeline.outputs.survey import start_survey
    from pipeline.run.runlog import describe, finish_run

    check_writable(settings.outputs)
    run = run_id()
    start_survey(settings.outputs, run)  # stale temps swept, outputs stat'ed, beside what follows
    import luigi
    import luigi.configuration

    from pipeline.run.progress_display import Progress
    from pipeline.run.tasks import TranslateAll

    if settings.config_path:
        luigi.configuration.get_config().add_config_path(str(settings.config_path))
    demo = _demo_installed(settings)
    if demo and not args.quiet:  # said again last, where a quiet run's only lines are
        print(DEMO_WARNING, file=sys.stderr)
    task = TranslateAll(
        inputs=str(settings.inputs),
        outputs=str(settings.outputs),
        targets=list(settings.targets),
        source_lang=settings.source_lang or "",
        config=str(settings.config_path or ""),
        from_cli=True,
        run_id=run,
    )
    scheduler: dict[str, object] = {"local_scheduler": not args.scheduler_host}
    if args.scheduler_host:
        scheduler.update(scheduler_host=args.scheduler_host, scheduler_port=args.scheduler_port)
        from pipeline.run.worker import install_guard

        install_guard()  # a driver on luigid helps with any pending task: locpipe's only
    from pipeline.translation.engine import WORKERS_ENV

    os.environ[WORKERS_ENV] = str(args.workers)
    install_log_filter()
    catch_signals()
    with Progress(settings.outputs, enabled=not args.quiet):
        if args.scheduler_host:
            result, succeeded = _drive_shared(task, args, scheduler)
        else:
            result = luigi.build(
                [task],
                worker_scheduler_factory=local_scheduler_factory(),
                workers=args.workers,
                detailed_summary=True,
                log_level="WARNING",
                **scheduler,
            )
            succeeded = result.status.name in {"SUCCESS", "SUCCESS_WITH_RETRY"}
    raise_if_stopped()  # a signal Luigi swallowed in an event callback still ends the run with 130
    if not args.quiet:
        print(result.summary_text, file=sys.stderr)
    from pipeline.outputs.manifest import manifest_of_run, read_index
    from pipeline.run.summary import FAILED, WRITTEN, broken_entries, print_run_summary

    path = settings.outputs / "manifest.json"
    # a manifest describes this run only if this run wrote it, or found it up to date
    manifest = read_index(path) if succeeded else manifest_of_run(path, run)
    code = print_run_summary(manifest, quiet=args.quiet) if manifest else FAILED
    if manifest is None:
        print(f"locpipe: the run stopped before writing {path}; see the errors above", file=sys.stderr)
    ran = finish_run(settings.outputs, run)
    from pipeline.run.report_page import write_report

    page = write_report(settings, run, ran)  # with --quiet too: it is read after the run
    for warning in ran["warnings"]:  # found by this run's tasks: said once, by this run
        print(f"  warning: {warning}", file=sys.stderr)
    if not args.quiet:
        print(describe(ran), file=sys.stderr)
        if page:
            print(f"locpipe: report page {page}", file=sys.stderr)
    if demo:
        print(DEMO_WARNING, file=sys.stderr)
    code = code if succeeded or code != 0 else FAILED
    if getattr(args, "strict", False) and code == WRITTEN and manifest and broken_entries(manifest):
        code = FAILED
    return code


def _drive_shared(task: Any, args: argparse.Namespace, scheduler: dict[str, object]) -> tuple[Any, bool]:
    """A run on luigid. The driver is an assistant: a task whose worker died (and the tasks
    that worker's generator had yielded, which luigid files under it) can be run by anyone.
    Until the run is done by anyone, it asks again every 2 s, bounded by --wait; a run another
    driver holds (two hosts' cron jobs overlapping) ends with that run's result."""
    import luigi

    from pipeline.run.worker import driver_factory

    deadline = time.monotonic() + args.wait
    said = False
    while True:
        result = luigi.build(
            [task],
            worker_scheduler_factory=driver_factory(deadline),
            workers=args.workers,
            assistant=True,
            detailed_summary=True,
            log_level="WARNING",
            **scheduler,
        )
        if task.complete():
            return result, True
        if result.status.name in {"FAILED", "FAILED_AND_SCHEDULING_FAILED", "SCHEDULING_FAILED"}:
            return result, False
        if time.monotonic() > deadline:
            return result, False
        if not said and not args.quiet:
            print(
                f"locpipe: other workers hold part of this run; helping for up to {args.wait} s",
                file=sys.stderr,
            )
            said = True
        time.sleep(2)
