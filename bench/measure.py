"""What the bench scripts share to run locpipe and measure it: a private environment, a project
folder, a command timed in its own process (wall time, peak RSS, a time limit), the page cache
dropped, and what a run records about itself (last-run.json, its tasks' events)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# run in a fresh process, it runs argv[1:] and reports its wall time and its children's peak RSS
REPORTING = (
    "import json,resource,subprocess,sys,time;t=time.perf_counter();"
    "r=subprocess.run(sys.argv[1:],capture_output=True,text=True);"
    "print(json.dumps({'wall':time.perf_counter()-t,'rc':r.returncode,'stdout':r.stdout,'stderr':r.stderr[-2000:],"
    "'peak_rss_mb':resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024}))"
)


def private_env(home: Path, drop: tuple[str, ...]) -> dict[str, str]:
    """A private HOME and no network: what is measured is the pipeline, not the user's setup.
    drop: the prefixes of the variables not passed on."""
    home.mkdir(parents=True, exist_ok=True)
    keep = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    return {
        **keep,
        "HOME": str(home),
        "PYTHONPATH": str(REPO),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "ARGOS_PACKAGE_INDEX": "http://127.0.0.1:9/",
        "SOURCE_DATE_EPOCH": "1790000000",
    }


def new_project(root: Path, models: Path, targets: str, settings: str = "") -> Path:
    """A project folder: an empty inputs/ and a luigi.cfg; settings: more [locpipe] lines."""
    (root / "inputs").mkdir(parents=True)
    (root / "luigi.cfg").write_text(
        f"[locpipe]\ninputs = inputs\noutputs = locales\ntargets = {targets}\nmodels_dir = {models}\n"
        f"state_dir = .state\n{settings}\n[core]\nlog_level = WARNING\n",
        encoding="utf-8",
    )
    return root


def timed(cmd: list[str], limit: float, log: Path, env: Callable[[], dict[str, str]]) -> dict:
    """Run cmd in its own process group; wall time, exit code and the peak RSS of the process
    and every child it waited for (wait4's rusage). Past `limit` the whole group is killed."""
    log.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env(), start_new_session=True)
        timed_out = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - started > limit:
                timed_out = True
                pid, status, usage = _kill_group(proc.pid)
                break
            time.sleep(0.01)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {
        "wall": wall,
        "rc": proc.returncode,
        "timed_out": timed_out,
        "limit_s": limit,
        "peak_rss_mb": usage.ru_maxrss / 1024,
        "log": str(log),
    }


def _kill_group(pid: int) -> tuple[int, int, object]:
    """SIGTERM to the group (Luigi's forked workers included), SIGKILL after 5 s; wait4's result."""
    for sig, grace in ((signal.SIGTERM, 5.0), (signal.SIGKILL, None)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, sig)
        deadline = time.monotonic() + (grace or 0)
        while grace and time.monotonic() < deadline:
            found = os.wait4(pid, os.WNOHANG)
            if found[0]:
                return found
            time.sleep(0.1)
    return os.wait4(pid, 0)


def reported(cmd: list[str], env: dict[str, str]) -> dict:
    """Run cmd in a fresh process that reports its wall time and its children's peak RSS."""
    out = subprocess.run([sys.executable, "-c", REPORTING, *cmd], env=env, capture_output=True, text=True)
    return json.loads(out.stdout)


def drop_caches() -> str | None:
    """Empty the page cache for a cold rerun; the reason it could not, or None."""
    subprocess.run(["sync"], check=False)
    try:
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    except OSError as exc:
        return f"drop_caches: {exc.strerror or exc}"
    return None


def last_run(root: Path) -> dict:
    """What the project's last run recorded (last-run.json), or {} without one."""
    path = root / "locales" / ".locpipe" / "last-run.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def task_events(root: Path) -> list[dict]:
    """The finished tasks' events of every run (one file per task and status)."""
    runs = root / "locales" / ".locpipe" / "runs"
    return [json.loads(f.read_text(encoding="utf-8")) for f in sorted(runs.glob("*/done-*.json"))]


def engine_seconds(root: Path, run: dict) -> tuple[float | None, str | None]:
    """Seconds the run spent translating, from its task events' stats (one file per task and
    status under .locpipe/runs/<run id>/): an explicit translate_batch figure where a task
    records one, else the engine's `seconds` (model load, SentencePiece and translate_batch).
    None where the run records neither."""
    folder = root / "locales" / ".locpipe" / "runs" / str(run.get("run_id", ""))
    stats = []
    for path in sorted(folder.glob("done-*.json")) if run.get("run_id") and folder.is_dir() else []:
        try:
            stats.append(json.loads(path.read_text(encoding="utf-8")).get("stats") or {})
        except (OSError, ValueError):
            continue
    for key in ("translate_batch_seconds", "seconds"):
        found = [s[key] for s in stats if isinstance(s.get(key), (int, float))]
        if found:
            return sum(found), key
    return None, None
