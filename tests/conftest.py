"""Shared fixtures: tiny synthetic Argos packages, installed the way a user installs a model,
and throw-away projects (luigi.cfg, inputs/, models/) in temp folders."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

# argostranslate, imported by tests in this process, makes folders under XDG_* (default: $HOME)
_XDG = Path(tempfile.mkdtemp(prefix="locpipe-tests-xdg-"))
for _var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
    os.environ[_var] = str(_XDG / _var.lower())

from pipeline.translation.synthetic import build_package  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
# the tests' own articles: the repository's inputs/ folder is the user's (`make run` translates
# it), and an edited or replaced article there must not change what the tests expect
ARTICLES = Path(__file__).resolve().parent / "data" / "articles"
SAMPLE = ARTICLES / "ukraine-turkey-defense.txt"
LOCPIPE = [sys.executable, "-m", "pipeline.cli"]

# The one name for the user's folder in tests/ and bench/ (tests/test_own_fixtures.py checks that):
# an audit hook turns anything this process does there (open, list, copy, move, remove) into
# UserInputsTouched, so a test that reads it fails whatever the folder holds today.
USER_INPUTS = REPO / "inputs"
_USER_INPUTS = (os.path.abspath(USER_INPUTS), os.path.realpath(USER_INPUTS))
_PATH_EVENTS = {  # audit event -> (how many leading arguments are paths, where its dir_fd is)
    "open": (1, ()),  # io.open, or os.open: see _guard_user_inputs
    "os.listdir": (1, ()),
    "os.scandir": (1, ()),
    "os.mkdir": (1, (2,)),
    "os.remove": (1, (1,)),
    "os.rmdir": (1, (1,)),
    "os.utime": (1, (3,)),
    "os.chmod": (1, (2,)),
    "os.truncate": (1, ()),
    "os.rename": (2, (2, 3)),
    "os.link": (2, (2, 3)),
    "shutil.copyfile": (2, ()),
    "shutil.copytree": (2, ()),
    "shutil.move": (2, ()),
    "shutil.rmtree": (1, ()),
}


class UserInputsTouched(AssertionError):
    """A test (or a bench module it imports) used the repository's inputs/ folder."""


def _under_user_inputs(path: object, relative_too: bool = True) -> bool:
    if not isinstance(path, (str, bytes, os.PathLike)):
        return False  # a file descriptor, or None
    name = os.fsdecode(path)
    if not relative_too and not os.path.isabs(name):
        return False
    where = os.path.abspath(name)
    return any(where == top or where.startswith(top + os.sep) for top in _USER_INPUTS)


def _guard_user_inputs(event: str, args: tuple) -> None:
    found = _PATH_EVENTS.get(event)
    if not found:
        return
    count, dir_fds = found
    # a relative name under a dir_fd is not relative to the working folder (shutil.rmtree
    # walks that way); os.open audits no dir_fd at all, and no mode, where io.open gives one
    relative_too = all(i >= len(args) or args[i] in (None, -1) for i in dir_fds)  # -1: no dir_fd
    if event == "open" and len(args) > 1 and args[1] is None:
        relative_too = False
    if any(_under_user_inputs(arg, relative_too) for arg in args[:count]):
        raise UserInputsTouched(
            f"{event} {args[:count]}: tests use their own articles (tests/data/articles), "
            "never the repository's inputs/ folder"
        )


sys.addaudithook(_guard_user_inputs)

CONFIG = """\
[locpipe]
inputs = inputs
outputs = locales
targets = {targets}
domain = test-articles
models_dir = models
state_dir = .state
model_source_dir = models-download
default_pairs = en-uk,en-tr,en-de
batch_size = 8
beam_size = 2
inter_threads = 1
intra_threads = 1
mo_include_fuzzy = {fuzzy}

[core]
log_level = WARNING

[retcode]
task_failed = 1
already_running = 1
not_run = 1
unhandled_exception = 1
scheduling_error = 2
missing_data = 3

[scheduler]
worker_disconnect_delay = 10
retry_delay = 5
prune_on_get_work = true
retry_count = 3
disable_window = 3600

[worker]
wait_interval = 0.5
wait_jitter = 0.2
ping_interval = 1
"""


@dataclass
class Project:
    root: Path
    home: Path

    @property
    def locales(self) -> Path:
        return self.root / "locales"

    @property
    def inputs(self) -> Path:
        return self.root / "inputs"

    @property
    def models(self) -> Path:
        return self.root / "models"

    def env(self, **extra: str) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            # LOCPIPE_RUN_ID: set in this process by a test that builds in-process; each run
            # started here is a run of its own
            if not k.startswith(("XDG_", "ARGOS_", "LUIGI_", "SOURCE_DATE", "LOCPIPE_RUN_"))
        }
        env.update(
            HOME=str(self.home),
            PYTHONPATH=str(REPO),
            ARGOS_PACKAGE_INDEX="http://127.0.0.1:9/",  # never reach out from tests
            SOURCE_DATE_EPOCH="1790000000",
        )
        env.update(extra)
        return env

    def locpipe(self, *args: str, check: bool = True, cwd: Path | None = None, **env: str):
        result = subprocess.run(
            [*LOCPIPE, "--config", str(self.root / "luigi.cfg"), *args],
            cwd=cwd or self.root,
            env=self.env(**env),
            capture_output=True,
            text=True,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"locpipe {' '.join(args)} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
            )
        return result

    def run(self, *args: str, **kwargs):
        return self.locpipe("run", "--quiet", *args, **kwargs)


@pytest.fixture(scope="session")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One tiny .argosmodel per pair, built once per test session."""
    folder = tmp_path_factory.mktemp("argosmodels")
    sample = SAMPLE.read_text(encoding="utf-8")
    return {
        f"{a}-{b}": build_package(a, b, folder, size="tiny", sample_text=sample)
        for a, b in [("en", "uk"), ("en", "tr"), ("en", "de"), ("tr", "en")]
    }


@pytest.fixture(scope="session")
def installed_models(tmp_path_factory: pytest.TempPathFactory, packages: dict[str, Path]) -> Path:
    """The packages installed through `locpipe models install`, as a user would."""
    root = tmp_path_factory.mktemp("installed")
    project = make_project(root, ("uk",))
    for archive in packages.values():
        project.locpipe("models", "install", str(archive))
    return project.models


def make_project(root: Path, targets: tuple[str, ...] = ("uk", "tr"), fuzzy: bool = False) -> Project:
    root.mkdir(parents=True, exist_ok=True)
    (root / "luigi.cfg").write_text(
        CONFIG.format(targets=",".join(targets), fuzzy=str(fuzzy).lower()), encoding="utf-8"
    )
    (root / "inputs").mkdir(exist_ok=True)
    home = root / "home"
    home.mkdir(exist_ok=True)
    return Project(root, home)


@pytest.fixture
def project(tmp_path: Path, installed_models: Path) -> Project:
    """A project with the sample article and the en->uk, en->tr, en->de, tr->en models."""
    proj = make_project(tmp_path / "proj")
    shutil.copy(SAMPLE, proj.inputs / SAMPLE.name)
    shutil.copytree(installed_models, proj.models, dirs_exist_ok=True)
    return proj


def msgfmt_check(path: Path) -> None:
    """GNU gettext's own checks; any output on stderr (a warning) is a failure."""
    result = subprocess.run(
        ["msgfmt", "--check-format", "--check-header", "-o", os.devnull, str(path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0 and not result.stderr, f"{path}: {result.stderr}"


def output_paths(folder: Path) -> list[Path]:
    """What consumers see: everything but the work folder and the report page, which every run
    writes anew (it names its run and time: test_report_page checks it)."""
    return [
        p
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".locpipe" not in p.parts and p.relative_to(folder).parts[0] != "report"
    ]


def output_files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in output_paths(folder)}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def luigid(folder: Path, config: Path):
    """A real central scheduler on 127.0.0.1 (a free port, its own state), with the project's
    [scheduler] settings; stopped and reaped at the end."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LUIGI_")}
    env["LUIGI_CONFIG_PATH"] = str(config)
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from luigi.cmdline import luigid; luigid()",
            "--address",
            "127.0.0.1",
            "--port",
            str(port),
            "--state-path",
            str(folder / "luigid.pickle"),
            "--logdir",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def luigid_tasks(port: int, status: str) -> dict:
    query = urllib.parse.quote(json.dumps({"status": status}))
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/task_list?data={query}") as reply:
        return json.load(reply)["response"]
