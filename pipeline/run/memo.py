"""What a process remembers while it runs tasks: the settings, tasks found complete, the
run's one look at its outputs, memory matchers, catalog keys files and what TranslateAll's
generator computed. Every entry is a function of files on disk (or keyed by their stat), so
a process without it (a forked worker, another host) computes the same; it only saves work.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.catalogs.shard_plan import read_json
from pipeline.core.environment import prepare_environment
from pipeline.core.layout import Layout
from pipeline.core.settings import Settings, find_config, load_settings
from pipeline.memory.match import Matcher
from pipeline.memory.store import read_units
from pipeline.outputs.files_index import index_verdicts
from pipeline.outputs.survey import survey_result
from pipeline.run.plan import forget_inputs
from pipeline.run.run_outputs import trusted_stamps
from pipeline.run.stop import raise_if_stopped


def task_settings(config: str, outputs: str) -> Settings:
    """Settings are read once per worker process, not once per task, and again when the
    config file changes."""
    path = find_config(config or None)
    stamp = path.stat().st_mtime_ns if path else 0
    return _task_settings(config, outputs, stamp)


@lru_cache(maxsize=8)
def _task_settings(config: str, outputs: str, stamp: int) -> Settings:
    settings = load_settings(config or None, outputs=outputs)
    prepare_environment(settings)
    return settings


_found_complete: set[tuple[str, str]] = set()


def remembered(check: Callable[[Any], bool]) -> Callable[[Any], bool]:
    """A task found complete stays complete for the rest of its run: Luigi runs TranslateAll's
    plan again after every stage and asks every shard task each time (at 20,000 articles that
    is seconds of stat calls per stage). Luigi's own cache_task_completion does this through a
    multiprocessing Manager: a server process per run, left behind when a run is interrupted."""

    @functools.wraps(check)
    def complete(self: Any) -> bool:
        raise_if_stopped()
        key = (self.run_id, self.task_id)
        if key in _found_complete:
            return True
        done = check(self)
        if done:
            _found_complete.add(key)
        return done

    return complete


_trusted: dict[tuple[str, str], set[str]] = {}
_verdicts: dict[tuple[str, str], dict[str, bool]] = {}


def run_verdicts(layout: Layout, run: str) -> dict[str, bool]:
    """The run's one stat pass over the files index (files_index.index_verdicts), made by
    TranslateAll.complete or the first task asked about, before this run writes anything."""
    key = (str(layout.root), run)
    if key not in _verdicts:
        _verdicts.clear()  # one run at a time per process
        found = survey_result(layout, run)  # `locpipe run` started it in a child process
        _verdicts[key] = index_verdicts(layout) if found is None else found
    return _verdicts[key]


def trusted(layout: Layout, run: str) -> set[str]:
    """trusted_stamps once per run and process, when its first task is asked about: the
    run's own writes come later, and a task found trusted is never run, so never rewritten."""
    key = (str(layout.root), run)
    if key not in _trusted:
        _trusted.clear()  # one run at a time per process
        _trusted[key] = trusted_stamps(layout, run_verdicts(layout, run))
    return _trusted[key]


@lru_cache(maxsize=4)
def _matcher(path: str, _stamp: int, threshold: float) -> Matcher:
    return Matcher(read_units(Path(path)), threshold)


def memory_matcher(layout: Layout, locale: str, threshold: float) -> Matcher:
    path = layout.memory(locale)
    stamp = path.stat().st_mtime_ns if path.exists() else 0
    return _matcher(str(path), stamp, threshold)


@lru_cache(maxsize=4)
def _keys_file(path: str, _stat: tuple[int, int, int]) -> dict[str, dict[str, str]]:
    return read_json(Path(path)) or {}


def shard_catalog_keys(path: str, shard: int) -> dict[str, str]:
    """One shard's catalog keys from the run's keys file, which holds the locale's every
    catalog (20,000 at 20,000 articles): parsed once per process and file version, not once
    per shard task (384 parses of a megabyte in a first run at 20,000 x 3)."""
    st = os.stat(path)
    return _keys_file(path, (st.st_size, st.st_mtime_ns, st.st_ino))[str(shard)]


_run_memos: dict[str, dict[str, Any]] = {}


def forget_process_state() -> None:
    """What this process remembers of a run (task objects, tasks found complete, the stat
    pass, the inputs plan) goes when TranslateAll is asked whether it is complete, which
    Luigi does as a build starts: two builds in one process (a long-lived worker, tests) may
    share a run id, and the second must see the files as they are then."""
    for memo in (_run_memos, _found_complete, _trusted, _verdicts):
        memo.clear()
    forget_inputs()


def run_memo(run: str) -> dict[str, Any]:
    """What TranslateAll's generator computed in this run and process. Luigi runs it from the
    top after every stage, and building ~1,300 task objects and reading their plan files again
    cost about a second a pass at 20,000 articles. Each entry is computed once the stages
    before it are complete, from files on disk, so a process without it (a forked worker,
    another host) computes the same."""
    if run not in _run_memos:
        _run_memos.clear()  # one run at a time per process
        _run_memos[run] = {}
    return _run_memos[run]
