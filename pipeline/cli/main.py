"""The locpipe command: run, status, models, memory, prune."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from pipeline.core.environment import prepare_environment
from pipeline.core.errors import ConfigError, LocpipeError
from pipeline.core.settings import Settings, load_settings
from pipeline.core.settings_table import check_option, language_code, locale_code
from pipeline.run.log_filter import FATAL_OS_ERRORS, KnownErrors, install_log_filter, os_error_line
from pipeline.run.stop import catch_signals, exit_now, raise_if_stopped

DEMO_WARNING = (
    "NOTE: a demo model with random weights is installed: its output is placeholder text, "
    "not a translation. Install real models with `locpipe models install FILE.argosmodel`."
)


def _settings(args: argparse.Namespace, *uses: str, **overrides: object) -> Settings:
    """Settings, checked; then one stderr line saying which config and folders this command uses
    (a project folder with its own luigi.cfg must never silently use another one)."""
    try:
        settings = load_settings(getattr(args, "config", None), prefer_project=True, **overrides)
    except LocpipeError:
        _say_uses_despite_error(args, uses, overrides)
        raise
    prepare_environment(settings)
    if settings.config_path:
        os.environ["LUIGI_CONFIG_PATH"] = str(settings.config_path)
    _say_uses(args, settings, uses)
    return settings


def _say_uses(args: argparse.Namespace, settings: Settings, uses: tuple[str, ...]) -> None:
    line = "; ".join(f"{k} {v}" for k, v in _uses(settings, uses).items())
    print(f"locpipe {args.command}: {line}", file=sys.stderr)


def _say_uses_despite_error(args: argparse.Namespace, uses: tuple[str, ...], overrides: dict) -> None:
    """A bad option (`--targets english`) still gets the first line, with the folders given
    on the command line, wherever the config itself can be read."""
    folders = {k: v for k, v in overrides.items() if k in {"inputs", "outputs", "models_dir"}}
    try:
        settings = load_settings(getattr(args, "config", None), prefer_project=True, **folders)
    except LocpipeError:
        return  # the config itself is the error, and its line names the file
    _say_uses(args, settings, uses)


def _uses(settings: Settings, uses: tuple[str, ...]) -> dict[str, str]:
    """What a command reads and writes, for its first line and its --json output."""
    config = str(settings.config_path) if settings.config_path else "none (built-in defaults)"
    return {"config": config, **{key: str(getattr(settings, key)) for key in uses}}


def _demo_installed(settings: Settings) -> bool:
    from pipeline.translation.packages import installed_models

    return any(m.demo for m in installed_models(settings.models_dir, settings.state_dir))


def _scheduler_factory():  # noqa: ANN202  (luigi's factory protocol)
    """Luigi's local scheduler prunes its whole task list on every request for work, which
    makes a run of thousands of tasks quadratic; one process has nothing to prune."""
    from luigi import interface, scheduler

    class Factory(interface._WorkerSchedulerFactory):
        def create_local_scheduler(self):  # noqa: ANN202
            return scheduler.Scheduler(prune_on_get_work=False, record_task_history=False)

    return Factory()


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


def _probe_scheduler(host: str, port: int, timeout: float = 3.0) -> None:
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


def cmd_run(args: argparse.Namespace) -> int:
    settings = _settings(
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
        _probe_scheduler(args.scheduler_host, args.scheduler_port)
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
    if demo:
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
                worker_scheduler_factory=_scheduler_factory(),
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


def cmd_worker(args: argparse.Namespace) -> int:
    settings = _settings(args, "outputs", "models_dir")
    _probe_scheduler(args.scheduler_host, args.scheduler_port)
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


def cmd_status(args: argparse.Namespace) -> int:
    from pipeline.run.status import print_status

    settings = _settings(args, "inputs", "outputs", inputs=args.inputs, outputs=args.out)
    if args.worst is not None:
        from pipeline.run.status import print_worst

        return print_worst(settings, args.worst, args.locale, as_json=args.json)
    return print_status(settings, as_json=args.json, uses=_uses(settings, ("inputs", "outputs")))


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a positive whole number")
    return int(value)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def cmd_memory(args: argparse.Namespace) -> int:
    from pipeline.catalogs.memory_exchange import export_memory, forget_memory, import_memory
    from pipeline.catalogs.memory_sources import current_memory

    settings = _settings(args, "outputs", outputs=args.out)
    check_option("--locale", args.locale, locale_code)
    where = settings.outputs
    if args.action == "forget":
        if not args.source and not args.units:
            raise ConfigError(None, "memory forget: give the source text(s), or --units FILE.tmx|FILE.po")
        units_file = Path(args.units) if args.units else None
        gone = forget_memory(where, args.locale, args.source, units_file, args.source_lang)
        if not gone:
            print(f"no unit of the {args.locale} memory in {where} matched; nothing withdrawn")
            return 0
        print(
            f"withdrew {_plural(len(gone), 'unit')} from the {args.locale} memory in {where} "
            "(kept, marked withdrawn, never offered again); the next run renders without them"
        )
        return 0
    path = Path(args.file)
    if args.action == "export":
        if path.exists() and not args.force:
            units = current_memory(where, args.locale)
            if not [u for u in units if not args.source_lang or u.source_lang == args.source_lang]:
                raise LocpipeError(
                    path,
                    f"exists, and {where} holds no reviewed translations into {args.locale}: not "
                    "overwritten; check --out/--config and --locale, or add --force",
                )
        done = export_memory(where, args.locale, path, args.source_lang)
        withdrawn = f" (and {done.withdrawn} withdrawn, marked as such)" if done.withdrawn else ""
        print(
            f"exported {_plural(done.units, 'reviewed translation')}{withdrawn} into {args.locale} "
            f"from {where} to {path}"
        )
        if done.plurals_left_out:
            print(
                f"{_plural(done.plurals_left_out, 'plural unit')} left out: TMX has no plural forms "
                "(export to a .po keeps them)"
            )
    else:
        before = {(u.source_lang, u.source, u.target) for u in current_memory(where, args.locale)}
        n = import_memory(where, args.locale, path, args.source_lang)
        after = {(u.source_lang, u.source, u.target) for u in current_memory(where, args.locale)}
        new = len(after - before)
        added = f"{new} new" if new else "none new: all were already in the memory"
        print(
            f"imported {_plural(n, 'translation')} ({added}) from {path} into the {args.locale} memory "
            f"in {where}; the next run uses them"
        )
    return 0


def cmd_prune(args: argparse.Namespace) -> int:
    from pipeline.outputs.prune import prune_locales, prune_obsolete, prune_orphans

    if not (args.obsolete or args.orphans or args.locales):
        raise LocpipeError(None, "say what to prune: --obsolete, --orphans, --locales or several")
    settings = _settings(args, "inputs", "outputs", inputs=args.inputs, outputs=args.out)
    verb = "would drop" if args.dry_run else "dropped"
    errors: list[str] = []
    if args.locales:
        dropped = tuple(x.strip() for x in args.locales.split(",") if x.strip())
        for code in dropped:
            check_option("--locales", code, locale_code)
        report = prune_locales(settings.outputs, dropped, settings.targets, args.dry_run, args.force)
        for path in report.removed:
            print(f"{'would remove' if args.dry_run else 'removed'} {path.relative_to(settings.outputs)}")
        kept = f"{report.reviewed_kept} reviewed translations kept in memory"
        print(f"locales: {len(report.removed)} files; {kept}")
        errors += report.errors
    if args.orphans:
        report = prune_orphans(settings.outputs, settings.inputs, args.dry_run, args.force)
        for path in report.removed:
            print(f"{'would remove' if args.dry_run else 'removed'} {path.relative_to(settings.outputs)}")
        kept = f"{report.reviewed_kept} reviewed translations kept in memory"
        print(f"orphans: {len(report.removed)} files; {kept}")
        errors += report.errors
    if args.obsolete:
        report = prune_obsolete(settings.outputs, args.dry_run)
        print(
            f"obsolete: {verb} {report.obsolete_dropped} entries; "
            f"{report.reviewed_kept} reviewed translations kept in memory"
        )
        errors += report.errors
    for error in errors:
        print(f"locpipe: {error}", file=sys.stderr)
    return 1 if errors else 0


def cmd_models(args: argparse.Namespace) -> int:
    from pipeline.translation.packages import install_package, installed_models

    settings = _settings(args, "models_dir")
    staging = settings.state_dir / "tmp"
    if args.action == "list":
        models = installed_models(settings.models_dir, settings.state_dir)
        if not models:
            print(f"no models installed in {settings.models_dir}")
        for m in models:
            label = "  DEMO: placeholder output, not a translation" if m.demo else ""
            version = m.version
            if m.weights:  # re-issued under the same version with other weights
                version += f" (weights {m.weights}: not those first installed as {m.version})"
            print(f"{m.from_code}->{m.to_code}\t{version}\t{m.path.name}{label}")
        return 0
    if args.action == "install":
        model = install_package(Path(args.file), settings.models_dir, staging)
        print(f"installed {model.id} into {model.path}")
        return 0
    if args.action == "install-default":
        from pipeline.translation.defaults import install_defaults

        sample = _sample_text(settings)
        done = install_defaults(
            settings.default_pairs,
            settings.model_source_dir,
            settings.models_dir,
            staging,
            demo_fallback=args.demo_fallback,
            sample=sample,
        )
        for (src, tgt), how in done:
            print(f"{src}->{tgt}: {how}")
        if not done:
            print("all default pairs are installed")
        return 0
    if args.action == "build-demo":
        from pipeline.translation.synthetic import build_package

        pairs = [_pair(p) for p in args.pair] if args.pair else list(settings.default_pairs)
        for src, tgt in pairs:
            path = build_package(
                src, tgt, Path(args.dest), size=args.size, sample_text=_sample_text(settings)
            )
            print(f"built {path} (demo model: placeholder output)")
        return 0
    raise LocpipeError(None, f"unknown models action {args.action!r}")


def _pair(raw: str) -> tuple[str, str]:
    """--pair FROM-TO with two language codes (en-uk), never 'enuk'."""
    src, sep, tgt = raw.partition("-")
    if not sep:
        raise ConfigError(None, f"--pair {raw}: not FROM-TO (e.g. en-uk)")
    return (
        str(check_option("--pair", src, language_code)),
        str(check_option("--pair", tgt, language_code)),
    )


def _sample_text(settings: Settings) -> str | None:
    if not settings.inputs.is_dir():
        return None
    texts = []
    for path in sorted(settings.inputs.glob("*.txt"))[:20]:
        try:
            texts.append(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
    return "\n".join(texts) or None


COMMAND_USES = {
    "run": ("inputs", "outputs", "models_dir"),
    "status": ("inputs", "outputs"),
    "prune": ("inputs", "outputs"),
    "memory": ("outputs",),
    "worker": ("outputs", "models_dir"),
    "models": ("models_dir",),
}


class _Parser(argparse.ArgumentParser):
    """An argument error (`--workers 0`) comes after the command's usual first line, so even
    a mistyped option says which config and folders the command would have used."""

    argv: list[str] = []

    def error(self, message: str) -> None:  # type: ignore[override]
        words = self.prog.split()[1:2] or [w for w in self.argv if w in COMMAND_USES][:1]
        if words and words[0] in COMMAND_USES:
            loose = argparse.ArgumentParser(add_help=False)
            for flag in ("--config", "--inputs", "--out"):
                loose.add_argument(flag)
            known, _ = loose.parse_known_args(self.argv)
            args = argparse.Namespace(command=words[0], config=known.config)
            given = {"inputs": known.inputs, "outputs": known.out}
            _say_uses_despite_error(args, COMMAND_USES[words[0]], given)
        super().error(message)


def build_parser() -> argparse.ArgumentParser:
    # global options, accepted before or after the command (`locpipe run --config x`);
    # SUPPRESS keeps a command's missing option from hiding one given before it
    common = _Parser(add_help=False)
    common.add_argument(
        "--config", default=argparse.SUPPRESS, help="luigi.cfg to use (default: the project's)"
    )
    parser = _Parser(prog="locpipe", description=__doc__, parents=[common])
    sub = parser.add_subparsers(dest="command", required=True)

    def command(parent: Any, name: str, text: str) -> argparse.ArgumentParser:
        return parent.add_parser(name, help=text, description=text, parents=[common])

    run = command(sub, "run", "translate inputs into catalogs and articles")
    run.add_argument("--inputs", help="folder of articles")
    run.add_argument("--out", help="output folder (locales/)")
    run.add_argument("--targets", help="comma-separated gettext locales, e.g. uk,tr,de")
    run.add_argument("--source-lang", help="source language of every article (skip detection), e.g. en")
    run.add_argument("--workers", type=_positive, default=1, help="parallel Luigi workers")
    run.add_argument("--local-scheduler", action="store_true", help="no luigid (the default)")
    run.add_argument("--scheduler-host", help="luigid host: share work with other workers")
    run.add_argument("--scheduler-port", type=_positive, default=8082)
    run.add_argument(
        "--wait",
        type=_positive,
        default=3600,
        help="with --scheduler-host: seconds to wait when another driver holds the same run",
    )
    run.add_argument("--dry-run", action="store_true", help="list pending segments; write nothing")
    run.add_argument("--quiet", action="store_true", help="no progress display and no Luigi summary")
    run.add_argument("--strict", action="store_true", help="exit 1 when a reviewed entry's format is broken")
    run.set_defaults(func=cmd_run)

    worker = command(sub, "worker", "help runs on a central scheduler (luigid): run the tasks it hands out")
    worker.add_argument("--scheduler-host", required=True, help="luigid host (keep it on a private address)")
    worker.add_argument("--scheduler-port", type=_positive, default=8082)
    worker.add_argument("--workers", type=_positive, default=1, help="parallel task processes on this host")
    worker.add_argument("--until-idle", action="store_true", help="exit when the scheduler has nothing to do")
    worker.set_defaults(func=cmd_worker)

    status = command(sub, "status", "per article and locale: reviewed / machine / memory / ...")
    status.add_argument("--inputs", help="folder of articles")
    status.add_argument("--out", help="output folder (locales/)")
    status.add_argument("--json", action="store_true", help="machine-readable output")
    status.add_argument(
        "--worst",
        type=_positive,
        metavar="N",
        help="list the N machine entries with the lowest quality estimate (file:line, figure, text)",
    )
    status.add_argument("--locale", action="append", help="with --worst: only this locale (repeatable)")
    status.set_defaults(func=cmd_status)

    memory = command(sub, "memory", "export or import a locale's translation memory")
    memory_sub = memory.add_subparsers(dest="action", required=True)
    export = command(memory_sub, "export", "write a locale's reviewed translations to a .tmx or .po")
    export.add_argument("--force", action="store_true", help="overwrite FILE even with an empty export")
    imports = command(memory_sub, "import", "read reviewed translations (.tmx, .po) into a locale's memory")
    for action in (export, imports):
        action.add_argument("file", help="a .tmx (TMX 1.4) or .po file")
        action.add_argument("--locale", required=True, help="gettext locale, e.g. uk")
        action.add_argument("--source-lang", help="only this source language (.po import: its msgids')")
        action.add_argument("--out", help="output folder (locales/) whose memory to use")
        action.set_defaults(func=cmd_memory)
    forget = command(memory_sub, "forget", "withdraw units from a locale's memory: never offered again")
    forget.add_argument("source", nargs="*", help="source text(s) whose units to withdraw")
    forget.add_argument(
        "--units", metavar="FILE", help="a .tmx or .po whose units (source and target) to withdraw"
    )
    forget.add_argument("--locale", required=True, help="gettext locale, e.g. uk")
    forget.add_argument("--source-lang", help="only units of this source language")
    forget.add_argument("--out", help="output folder (locales/) whose memory to use")
    forget.set_defaults(func=cmd_memory)

    prune = command(sub, "prune", "drop obsolete entries, outputs of deleted articles or dropped locales")
    prune.add_argument("--obsolete", action="store_true", help="drop #~ entries, as msgattrib --no-obsolete")
    prune.add_argument("--orphans", action="store_true", help="remove outputs whose input is gone")
    prune.add_argument(
        "--locales", help="remove these locales' outputs (comma-separated; not in targets; needs --force)"
    )
    prune.add_argument("--dry-run", action="store_true", help="say what would go; change nothing")
    prune.add_argument(
        "--force",
        action="store_true",
        help="--locales: really remove them; --orphans: even when most articles, or all, would go",
    )
    prune.add_argument("--inputs", help="folder of articles")
    prune.add_argument("--out", help="output folder (locales/)")
    prune.set_defaults(func=cmd_prune)

    models = command(sub, "models", "list, install or build Argos model packages")
    models_sub = models.add_subparsers(dest="action", required=True)
    command(models_sub, "list", "the installed models").set_defaults(func=cmd_models)
    install = command(models_sub, "install", "install a .argosmodel file")
    install.add_argument("file", help="the .argosmodel to install")
    install.set_defaults(func=cmd_models)
    default = command(
        models_sub, "install-default", "install default_pairs from model_source_dir or Argos's index"
    )
    default.add_argument(
        "--demo-fallback",
        action="store_true",
        help="build the labelled demo model when no real one can be had",
    )
    default.set_defaults(func=cmd_models)
    demo = command(models_sub, "build-demo", "build a demo .argosmodel (random weights: placeholder output)")
    demo.add_argument(
        "--pair", action="append", help="FROM-TO, e.g. en-uk (repeatable; default: default_pairs)"
    )
    demo.add_argument(
        "--size",
        default="tiny",
        choices=["tiny", "small", "argos"],
        help="model dimensions: tiny (tests, ~1 MB), small, argos (as large as a real Argos model)",
    )
    demo.add_argument("--dest", default=".", help="folder for the .argosmodel")
    demo.set_defaults(func=cmd_models)
    return parser


def _positive(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{raw!r}: must be an integer ≥ 1")
    return value


def main(argv: list[str] | None = None) -> int:
    _Parser.argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except OutputsUnwritable as exc:
        print(f"locpipe: {exc.line()}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # `locpipe status | head -2`: the reader has what it wanted; no traceback, no error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as exc:
        if exc.errno not in FATAL_OS_ERRORS:
            raise
        if exc.errno not in KnownErrors.said:
            print(f"locpipe: {os_error_line(exc)}", file=sys.stderr)
        return 1
    except LocpipeError as exc:
        print(f"locpipe: {exc.line()}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("locpipe: interrupted; run again to resume", file=sys.stderr)
        exit_now(130)
        return 130


if __name__ == "__main__":
    sys.exit(main())
