"""A run's first look at its outputs: the sweep of temp files killed writers left behind, then
one stat pass over the files index (files_index.index_verdicts). At 20,000 articles × 3
locales that is 200,000 stats, about a second; `locpipe run` makes it in a child process
while it lists and digests the inputs, so on two cores it costs no wall time. Where there is
no fork, or the child fails, the run makes the same look itself: the child only saves time.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from pipeline.layout import Layout
from pipeline.outputs.atomic import sweep_stale_temps
from pipeline.outputs.files_index import index_verdicts


def look(layout: Layout) -> dict[str, bool]:
    sweep_stale_temps(layout.root)
    return index_verdicts(layout)


class Survey:
    """look(layout) in a child process, started now; result() waits for it."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.pid, self.fd, self.owner = 0, -1, 0
        if not hasattr(os, "fork") or not layout.root.is_dir():
            return
        self.owner = os.getpid()
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: no cleanup of the parent's state, whatever happens
            code = 1
            try:
                os.close(read)
                with os.fdopen(write, "wb") as out:
                    out.write(json.dumps(look(layout)).encode("utf-8"))
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        self.pid, self.fd = pid, read

    def result(self) -> dict[str, bool]:
        """The child's verdicts; where it failed (or never started), the look made here,
        which raises what the child met (an unreadable folder, a full disk)."""
        if self.pid and os.getpid() == self.owner:  # not in a process forked since
            with os.fdopen(self.fd, "rb") as found:
                data = found.read()
            _, status = os.waitpid(self.pid, 0)
            self.pid = 0
            if status == 0:
                with contextlib.suppress(ValueError):
                    verdicts = json.loads(data)
                    if isinstance(verdicts, dict):
                        return {str(k): bool(v) for k, v in verdicts.items()}
        return look(self.layout)


_started: dict[tuple[str, str], Survey] = {}


def start_survey(outputs: Path, run: str) -> None:
    """Begin the run's look at its outputs (see survey_result)."""
    _started.clear()  # one run at a time per process
    _started[(str(outputs), run)] = Survey(Layout(outputs))


def survey_result(layout: Layout, run: str) -> dict[str, bool] | None:
    """The look started for this run, once; None where none was started."""
    survey = _started.pop((str(layout.root), run), None)
    return survey.result() if survey else None
