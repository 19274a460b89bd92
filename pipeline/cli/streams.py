"""Standard output and error that outlive their reader.

A run whose output goes into a pipe (`locpipe run 2>&1 | logger`, `| head -1`) must not stop
when the reader goes away: the work is the point, the lines only report on it. Before this, the
first line written into a closed pipe raised BrokenPipeError and the run ended with exit 0
having translated nothing. Now the stream, once its reader is gone, points at /dev/null (the
file descriptor too, so libraries writing to fd 1 and 2, and worker processes started after
that, follow) and the command goes on to its own exit status.
"""

from __future__ import annotations

import io
import os
import sys
from typing import TextIO


class OutlastingStream(io.TextIOBase):
    """A text stream whose writes go nowhere once the pipe it writes into is closed."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self._stream = stream
        self.reader_gone = False

    def write(self, text: str) -> int:
        if not self.reader_gone:
            try:
                return self._stream.write(text)
            except BrokenPipeError:
                self._to_devnull()
        return len(text)

    def flush(self) -> None:
        if not self.reader_gone:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._to_devnull()

    def _to_devnull(self) -> None:
        self.reader_gone = True
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)
            self._stream.flush()  # what was buffered goes to /dev/null, not into an error at exit
        except (OSError, ValueError):
            pass

    def fileno(self) -> int:
        return self._stream.fileno()

    @property
    def buffer(self) -> object:
        """The binary stream beneath, for code that writes bytes (its writes are not guarded)."""
        return self._stream.buffer

    def isatty(self) -> bool:
        return self._stream.isatty()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:
        return self._stream.encoding

    @property
    def errors(self) -> str | None:
        return self._stream.errors


def outlast_readers() -> None:
    """sys.stdout and sys.stderr keep the command going after their readers close."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is not None and not isinstance(stream, OutlastingStream):
            setattr(sys, name, OutlastingStream(stream))
