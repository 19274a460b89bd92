"""Ctrl-C and SIGTERM that Luigi cannot swallow.

Luigi's event callbacks return quietly on KeyboardInterrupt (`luigi.Task.trigger_event`), so a
signal that lands while a task's events are recorded would be lost: the run would go on and
exit 0. The signal is remembered here, and the next task check raises it again.
"""

from __future__ import annotations

import signal

_received = False


def on_signal(signum: int, frame: object) -> None:
    """SIGINT and SIGTERM (systemd, docker stop, kill) both stop a run: exit 130."""
    global _received
    _received = True
    raise KeyboardInterrupt


def catch_signals() -> None:
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)


def raise_if_stopped() -> None:
    if _received:
        raise KeyboardInterrupt


def exit_now(code: int) -> None:
    """Leave at once: a CTranslate2 batch still running in the engine's threads would hold the
    interpreter's exit until it ends (seconds to minutes). Nothing is lost: every output is
    written by rename, and an abandoned batch's results were never stored. Task processes
    (--workers > 1) are killed first, as a kill would."""
    import multiprocessing
    import os
    import sys

    for child in multiprocessing.active_children():
        child.kill()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
