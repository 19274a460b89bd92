"""Which run this process belongs to: the manifest stamps its files with it and the run
records are filed under it, so it sits below both."""

from __future__ import annotations

import os
import time

RUN_ID_ENV = "LOCPIPE_RUN_ID"


def run_id() -> str:
    """Set once per run by the CLI and inherited by its workers; plain luigi gets its own."""
    return os.environ.setdefault(RUN_ID_ENV, f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}")
