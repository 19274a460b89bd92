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
