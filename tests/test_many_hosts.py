"""Several workers on a real luigid (127.0.0.1, a free port, its own state): a `locpipe worker`
helps a driver, a SIGKILLed worker's translation chunk runs elsewhere, two drivers of one run
both finish, a task run twice at once is harmless, and a foreign task is refused."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import LOCPIPE, SAMPLE, Project, luigid, luigid_tasks, make_project, output_files

from pipeline.segments.splitter import split_sentences

pytestmark = pytest.mark.slow


def _corpus(project: Project, articles: int = 24) -> None:
    """Enough unique sentences for several translation chunks."""
    sentences = [s for s, _ in split_sentences(SAMPLE.read_text(encoding="utf-8"), "en")]
    for n in range(articles):
        body = " ".join(f"{s[:-1]} in report {n}." for s in sentences[n % 7 :: 3])
        (project.inputs / f"report-{n:02d}.txt").write_text(f"Report {n}\n\n{body}\n", encoding="utf-8")


def _project(root: Path, installed_models: Path, **settings: str) -> Project:
    project = make_project(root, ("uk", "tr"))
    shutil.copytree(installed_models, project.models)
    _corpus(project)
    cfg = project.root / "luigi.cfg"
    extra = "".join(f"{k} = {v}\n" for k, v in {"shard_size": "8", "chunk_size": "60", **settings}.items())
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("[locpipe]\n", f"[locpipe]\n{extra}", 1))
    return project


def _reference(tmp_path: Path, installed_models: Path, **settings: str) -> dict[str, bytes]:
    local = _project(tmp_path / "local", installed_models, **settings)
    local.run()
    return output_files(local.locales)


def _events(project: Project) -> list[dict]:
    return [
        json.loads(p.read_text(encoding="utf-8"))
        for p in (project.locales / ".locpipe" / "runs").rglob("*.json")
    ]


def _worker(project: Project, port: int, home: Path, *extra: str) -> subprocess.Popen:
    home.mkdir(exist_ok=True)
    return subprocess.Popen(
        [
            *LOCPIPE,
            "--config",
            str(project.root / "luigi.cfg"),
            "worker",
            "--scheduler-host",
            "127.0.0.1",
            "--scheduler-port",
            str(port),
            *extra,
        ],
        cwd=home,
        env=project.env(HOME=str(home)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _driver(project: Project, port: int, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [
            *LOCPIPE,
            "--config",
            str(project.root / "luigi.cfg"),
            "run",
            "--quiet",
            "--scheduler-host",
            "127.0.0.1",
            "--scheduler-port",
            str(port),
            *extra,
        ],
        cwd=project.root,
        env=project.env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


CHUNK = frozenset({"TranslateChunk"})
STAGES = frozenset({"PrepareShard", "BuildMemory", "PlanShard", "TranslateChunk", "WriteShard"})


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()
    process.wait(timeout=10)


def _started(events: list[dict], pid: int, families: frozenset[str]) -> dict | None:
    for e in events:
        if e["task"] in families and e["status"] == "started" and e["worker"].endswith(f"-{pid}"):
            return e
    return None


@contextmanager
def _driver_held_until_helper_starts(
    project: Project, driver: subprocess.Popen, helper: subprocess.Popen, families: frozenset[str]
) -> Iterator[dict]:
    """Freezes the driver from its first task of `families` until the helper starts one, gives
    the helper's task, and thaws the driver on leaving. A task lasts a fraction of a second and
    the helper asks for work every half second, so left alone the driver can run a whole stage
    before the helper asks."""
    deadline, found, frozen = time.monotonic() + 120, None, False
    try:
        while found is None and time.monotonic() < deadline and driver.poll() is None:
            events = _events(project)
            found = _started(events, helper.pid, families)
            if found is None and not frozen and _started(events, driver.pid, families):
                os.kill(driver.pid, signal.SIGSTOP)  # what is left of the stage is the helper's
                frozen = True
            time.sleep(0.01)
        assert found is not None, f"the worker never started a task of {sorted(families)}"
        yield found
    finally:
        if frozen:
            os.kill(driver.pid, signal.SIGCONT)


def test_a_worker_on_another_home_helps_and_the_bytes_are_the_same(tmp_path: Path, installed_models: Path):
    expected = _reference(tmp_path, installed_models)
    project = _project(tmp_path / "shared", installed_models)
    with luigid(tmp_path, project.root / "luigi.cfg") as port:
        helper = _worker(project, port, tmp_path / "worker-home")
        try:
            time.sleep(1.0)
            driver = _driver(project, port)
            with _driver_held_until_helper_starts(project, driver, helper, STAGES):
                pass
            _, err = driver.communicate(timeout=240)
            assert driver.returncode == 0, err
        finally:
            _stop(helper)
    done = [e for e in _events(project) if e["status"] == "done"]
    assert any(e["worker"].endswith(f"-{helper.pid}") for e in done), "the worker ran no task"
    assert output_files(project.locales) == expected
    assert not any((tmp_path / "worker-home").iterdir())  # nothing lands in the worker's HOME


@pytest.fixture(scope="module")
def slower_models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The "small" demo size: chunks long enough to be caught in the middle."""
    from pipeline.translation.synthetic import build_package

    folder = tmp_path_factory.mktemp("small")
    holder = make_project(folder / "holder", ("uk",))
    for target in ("uk", "tr"):
        package = build_package(
            "en", target, folder, size="small", sample_text=SAMPLE.read_text(encoding="utf-8")
        )
        holder.locpipe("models", "install", str(package))
    return holder.models


def test_a_killed_workers_chunk_runs_elsewhere_within_30_s(tmp_path: Path, slower_models: Path):
    expected = _reference(tmp_path, slower_models, chunk_size="120")
    project = _project(tmp_path / "shared", slower_models, chunk_size="120")
    with luigid(tmp_path, project.root / "luigi.cfg") as port:
        helper = _worker(project, port, tmp_path / "worker-home")
        try:
            time.sleep(1.0)
            driver = _driver(project, port)
            with _driver_held_until_helper_starts(project, driver, helper, CHUNK) as victim:
                os.kill(helper.pid, signal.SIGSTOP)  # frozen mid-chunk: no more pings, no more work
                killed = time.time()
                os.kill(helper.pid, signal.SIGKILL)
            _, err = driver.communicate(timeout=240)
            assert driver.returncode == 0, err
        finally:
            _stop(helper)
    same = [e for e in _events(project) if e["task"] == "TranslateChunk" and e["params"] == victim["params"]]
    finished = [e for e in same if e["status"] == "done"]
    assert finished and all(not e["worker"].endswith(f"-{helper.pid}") for e in finished)
    restarted = min(os.stat(p).st_mtime for p in _event_files(project, victim, "started", helper.pid))
    assert restarted - killed <= 30
    assert output_files(project.locales) == expected


def _event_files(project: Project, event: dict, status: str, not_pid: int) -> list[Path]:
    found = []
    for path in (project.locales / ".locpipe" / "runs").rglob(f"{status}-*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["params"] == event["params"] and not data["worker"].endswith(f"-{not_pid}"):
            found.append(path)
    return found


def test_two_drivers_of_one_run_both_finish_and_each_chunk_is_translated_once(
    tmp_path: Path, installed_models: Path
):
    expected = _reference(tmp_path, installed_models)
    project = _project(tmp_path / "shared", installed_models)
    with luigid(tmp_path, project.root / "luigi.cfg") as port:
        first = _driver(project, port)
        second = _driver(project, port)
        results = [p.communicate(timeout=240) for p in (first, second)]
    assert (first.returncode, second.returncode) == (0, 0), results
    chunks = [
        (e["params"]["target_lang"], e["params"]["name"])
        for e in _events(project)
        if e["task"] == "TranslateChunk" and e["status"] == "done"
    ]
    assert chunks and len(chunks) == len(set(chunks))
    assert output_files(project.locales) == expected


def test_the_same_tasks_run_twice_at_once_give_the_same_bytes(tmp_path: Path, installed_models: Path):
    expected = _reference(tmp_path, installed_models)
    project = _project(tmp_path / "shared", installed_models)
    command = [
        sys.executable,
        "-m",
        "luigi",
        "--module",
        "pipeline.run.tasks",
        "TranslateAll",
        "--local-scheduler",
    ]
    runs = [
        subprocess.Popen(
            command,
            cwd=project.root,
            env=project.env(LUIGI_CONFIG_PATH=str(project.root / "luigi.cfg")),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for run in runs:
        run.communicate(timeout=240)
    project.run()  # whichever lost a race on the way, the next run has nothing left to fix
    assert output_files(project.locales) == expected


EVIL = """
from pathlib import Path
import luigi
Path({marker!r}).write_text("imported")

class Evil(luigi.Task):
    def run(self):
        Path({marker!r}).write_text("ran")
    def complete(self):
        return False
"""


def test_a_task_that_is_not_locpipes_is_refused_by_the_worker(tmp_path: Path, installed_models: Path):
    project = _project(tmp_path / "shared", installed_models)
    marker = tmp_path / "evil-was-here"
    module_dir = tmp_path / "evil"
    module_dir.mkdir()
    (module_dir / "evil_tasks.py").write_text(EVIL.format(marker=str(marker)), encoding="utf-8")
    with luigid(tmp_path, project.root / "luigi.cfg") as port:
        env = project.env(PYTHONPATH=f"{module_dir}{os.pathsep}{project.env()['PYTHONPATH']}")
        subprocess.run(
            [
                sys.executable,
                "-m",
                "luigi",
                "--module",
                "evil_tasks",
                "Evil",
                "--scheduler-host",
                "127.0.0.1",
                "--scheduler-port",
                str(port),
                "--workers",
                "0",
            ],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            timeout=60,
        )
        marker.unlink()  # scheduling it imported it here; the worker must not
        helper = subprocess.Popen(
            [
                *LOCPIPE,
                "--config",
                str(project.root / "luigi.cfg"),
                "worker",
                "--scheduler-host",
                "127.0.0.1",
                "--scheduler-port",
                str(port),
                "--until-idle",
            ],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not luigid_tasks(port, "FAILED"):
                time.sleep(0.2)
            failed = luigid_tasks(port, "FAILED")
        finally:
            _stop(helper)
    assert not marker.exists()
    (task,) = failed.values()
    assert task["name"] == "Evil"
