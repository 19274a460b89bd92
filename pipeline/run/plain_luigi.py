"""What `luigi --module pipeline.run.tasks TranslateAll` reports and exits with, without the CLI.

Luigi's exit code comes from its [retcode] section and the categories of tasks in its summary,
never from a task's result. A run that wrote every catalog but left some article × locale
untranslated (no model) or skipped (language unclear) must still exit 3, so TranslateAll then
asks for one more task, EveryArticleTranslated: an external task that is only complete when the
manifest says so. Luigi files it under "missing external dependencies", which luigi.cfg maps to 3
(`missing_data = 3`). `locpipe run` computes its exit code from the manifest itself instead.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import luigi

from pipeline.core.settings import Settings
from pipeline.outputs.manifest import read_index as read_manifest
from pipeline.run.report_page import write_report
from pipeline.run.runlog import finish_run
from pipeline.run.summary import INCOMPLETE, outcome, print_run_summary


class EveryArticleTranslated(luigi.ExternalTask):
    """Complete when the manifest has no skipped or untranslated article × locale."""

    manifest = luigi.Parameter(description="locales/manifest.json")

    def complete(self) -> bool:
        manifest = read_manifest(Path(self.manifest))
        return manifest is not None and outcome(manifest) != INCOMPLETE


def finish(
    settings: Settings, run: str, manifest: dict[str, Any], path: Path
) -> Iterator[EveryArticleTranslated]:
    """TranslateAll's last step under plain luigi: the run's record and report page, as `locpipe
    run` writes them after Luigi returns (this task's own end is not in them yet), a short
    summary, then exit 3 if incomplete."""
    try:
        write_report(settings, run, finish_run(settings.outputs, run))
    except OSError as exc:  # the record and page report on the run; they never fail it
        print(f"locpipe: run record not written: {exc}", file=sys.stderr)
    print_run_summary(manifest)
    if outcome(manifest) == INCOMPLETE:
        print("locpipe: complete, but not every article × locale is translated (exit 3)", file=sys.stderr)
        yield EveryArticleTranslated(manifest=str(path))


@luigi.Task.event_handler(luigi.Event.DEPENDENCY_PRESENT)
def _already_done(task: luigi.Task) -> None:
    """Plain luigi on a project with nothing to do still says what the outputs hold."""
    if task.get_task_family() != "TranslateAll" or getattr(task, "from_cli", True):
        return
    manifest = read_manifest(Path(task.output().path))
    if manifest is not None:
        print("locpipe: nothing to do; the outputs are up to date", file=sys.stderr)
        print_run_summary(manifest)
