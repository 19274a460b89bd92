"""What Luigi logs of a run, as one line from locpipe: a run that stops on bad inputs, a full
disk or a read-only folder is reported in one line per problem, and Luigi's traceback of that
stop, its `Worker(salt=..., username=...) failed` prefix, or the `NoneType: None` it prints
after a scheduler disconnect would only bury those lines. Installed by `locpipe` and by the
task module itself, so plain `luigi --module pipeline.run.tasks` speaks the same way.
"""

from __future__ import annotations

import errno
import logging
import re

from pipeline.core.errors import LocpipeError

FATAL_OS_ERRORS = {errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EDQUOT}


def os_error_line(exc: OSError) -> str:
    where = exc.filename or "output folder"
    return f"{where}: {exc.strerror or exc}; free space or make it writable, then run again (nothing is lost)"


class KnownErrors(logging.Filter):
    """A run that stops on bad inputs, a full disk or a read-only folder is reported in one
    line per problem; Luigi's traceback of that stop would only bury those lines, and the
    same disk error from every task is said once."""

    said: set[int] = set()  # errnos; shared with main(): a disk error is said once per run

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is None:
            record.exc_info = None  # logged "with" no exception: Luigi would print NoneType: None
        exc = record.exc_info[1] if record.exc_info else None
        if exc is None and COMPLETE_ERROR in str(record.msg):
            # Luigi puts the traceback of a complete() error into the message itself
            last = str(record.msg).rstrip().splitlines()[-1]
            if last.startswith(OUR_ERRORS):
                record.msg, record.args = f"locpipe: {last.split(': ', 1)[1]}", ()
            return True
        if isinstance(exc, OSError) and exc.errno in FATAL_OS_ERRORS:
            if exc.errno in self.said:
                return False
            self.said.add(exc.errno)
            record.msg, record.args = f"locpipe: {os_error_line(exc)}", ()
            record.exc_info = record.exc_text = None
        elif isinstance(exc, LocpipeError):
            if PROBLEMS.match(exc.message):
                return False  # the run's problems: the summary says each one on its own line
            record.msg, record.args = f"locpipe: {exc.line()}", ()
            record.exc_info = record.exc_text = None
        return True


COMPLETE_ERROR = "due to error in complete() method"
OUR_ERRORS = tuple(
    f"pipeline.core.errors.{name}: "
    for name in ("LocpipeError", "ConfigError", "InputError", "ModelError", "CatalogError")
)
PROBLEMS = re.compile(r"\d+ problem\(s\): ")  # TranslateAll's error: the manifest's problems


def install_log_filter() -> None:
    logger = logging.getLogger("luigi-interface")
    if not any(isinstance(f, KnownErrors) for f in logger.filters):
        logger.addFilter(KnownErrors())
