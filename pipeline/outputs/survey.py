"""A run's first look at its outputs: the sweep of temp files killed writers left behind, then
one stat pass over the files index (files_index.index_verdicts). At 20,000 articles × 3
locales that is 200,000 stats, about a second. `locpipe run` starts it in a child process
before its own imports, and the child reports each part's verdict as it goes; when the parent
has listed and digested the inputs it takes the parts the child has not reached yet, from the
other end, so the two cores meet in the middle. Where there is no fork, or the child fails, the
run makes the same look itself: the child only saves time.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
from pathlib import Path

from pipeline.core.layout import Layout
from pipeline.core.temp_files import sweep_stale_temps
from pipeline.outputs.files_index import index_state, index_verdicts, part_holds

SWEPT = "-swept"  # the child's first line: temp files are swept, catalogs put back


def look(layout: Layout) -> dict[str, bool]:
    sweep_stale_temps(layout.root)
    return index_verdicts(layout)


def _parts(layout: Layout) -> list[str]:
    return [str(name) for name in index_state(layout).get("files", ["-"])]


class Survey:
    """look(layout), shared with a child process started now; result() finishes it."""

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
                sweep_stale_temps(layout.root)
                os.write(write, f"{SWEPT}\n".encode())
                for name in _parts(layout):
                    os.write(write, f"{int(part_holds(layout, name, digests=False))} {name}\n".encode())
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        self.pid, self.fd = pid, read

    def result(self) -> dict[str, bool]:
        """The verdicts of every part: the child's so far, and the rest made here from the last
        part backwards. Where the child failed before its sweep (or never started), the whole
        look is made here, which raises what the child met (an unreadable folder, a full disk)."""
        if not self.pid or os.getpid() != self.owner:  # none, or a process forked since
            return look(self.layout)
        stream = _Lines(self.fd)
        try:
            if stream.next_line() != SWEPT:
                return look(self.layout)  # the child failed before its sweep was done
            parts = _parts(self.layout)
            verdicts: dict[str, bool] = {}
            left = list(parts)
            while left:
                for line in stream.ready():
                    verdict, _, name = line.partition(" ")
                    if verdict in ("0", "1") and name in left:
                        verdicts[name] = verdict == "1"
                        left.remove(name)
                if left:
                    name = left.pop()
                    verdicts[name] = part_holds(self.layout, name, digests=False)
            return {name: verdicts[name] for name in parts}
        finally:
            os.close(self.fd)
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)  # it only reads now: what is left is done here
            os.waitpid(self.pid, 0)
            self.pid = 0


class _Lines:
    """Lines from a pipe: the next one, waiting for it, or those already there."""

    def __init__(self, fd: int) -> None:
        self.fd, self.buffer, self.closed = fd, b"", False

    def _read(self) -> None:
        data = os.read(self.fd, 65536)
        self.closed = not data
        self.buffer += data

    def next_line(self) -> str | None:
        while b"\n" not in self.buffer and not self.closed:
            self._read()
        if b"\n" not in self.buffer:
            return None
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.decode("utf-8", "replace")

    def ready(self) -> list[str]:
        while not self.closed and select.select([self.fd], [], [], 0)[0]:
            self._read()
        return self._take()

    def _take(self) -> list[str]:
        *lines, self.buffer = self.buffer.split(b"\n")
        return [line.decode("utf-8", "replace") for line in lines]


_started: dict[tuple[str, str], Survey] = {}


def start_survey(outputs: Path, run: str) -> None:
    """Begin the run's look at its outputs (see survey_result)."""
    _started.clear()  # one run at a time per process
    _started[(str(outputs), run)] = Survey(Layout(outputs))


def survey_result(layout: Layout, run: str) -> dict[str, bool] | None:
    """The look started for this run, once; None where none was started."""
    survey = _started.pop((str(layout.root), run), None)
    return survey.result() if survey else None
