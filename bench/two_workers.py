"""Two processes each pinned to one core against one pinned process, on a real luigid: what a
second host adds to a translation-bound run.

One run: `locpipe run --scheduler-host` (a driver is a Luigi assistant, so it translates too)
under `taskset -c 0`. Two: the same driver on core 0 plus `locpipe worker` under `taskset -c 1`.
The corpus is unique sentences for the Argos-size demo model, cut into `--chunks` translation
chunks, so translation dominates and a chunk is the unit the second process takes. Both runs
start from an empty output folder; their outputs must be byte-identical, and the worker must
have run at least one chunk (from the run's task events).

    python bench/two_workers.py [--sentences 1200] [--chunks 24] [--max-seconds 600]

Prints one table; raw figures go to bench/.work/two_workers.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(BENCH))

import figures as bench_figures  # noqa: E402
from corpus import SAMPLE, sentences  # noqa: E402
from scale import env  # noqa: E402

from pipeline.translation.synthetic import build_package  # noqa: E402

PY = sys.executable
WORK = BENCH / ".work" / "two_workers"
TARGET = 1.8


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_luigid(folder: Path, config: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    (folder / "luigid.pickle").unlink(missing_ok=True)  # a fresh scheduler: no task of an earlier run
    environ = {**env(), "LUIGI_CONFIG_PATH": str(config)}
    cmd = [PY, "-c", "from luigi.cmdline import luigid; luigid()", "--address", "127.0.0.1"]
    cmd += ["--port", str(port), "--state-path", str(folder / "luigid.pickle"), "--logdir", str(folder)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environ)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return proc, port
        time.sleep(0.1)
    proc.kill()
    raise SystemExit("bench: luigid did not start on 127.0.0.1")


def project(root: Path, count: int, chunks: int) -> Path:
    """A project of one-paragraph articles of unique sentences, chunk_size cut to give `chunks`."""
    shutil.rmtree(root, ignore_errors=True)
    (root / "inputs").mkdir(parents=True)
    pool = sentences(count, seed=11)
    for i in range(0, len(pool), 6):
        body = " ".join(pool[i : i + 6])
        text = f"Brief {i // 6}\n\n{body}\n"
        (root / "inputs" / f"brief-{i // 6:04d}.txt").write_text(text, encoding="utf-8")
    config = (REPO / "luigi.cfg").read_text(encoding="utf-8")
    settings = {
        "targets": "uk",
        "batch_size": "16",
        "inter_threads": "1",
        "intra_threads": "1",
        "shard_size": "64",
        "chunk_size": str(max(1, -(-count // chunks))),
    }
    for key, value in settings.items():
        config = re.sub(rf"^{key} = .*$", f"{key} = {value}", config, count=1, flags=re.M)
    (root / "luigi.cfg").write_text(config, encoding="utf-8")
    return root / "luigi.cfg"


def locpipe(config: Path, *args: str) -> list[str]:
    return [PY, "-m", "pipeline.cli", "--config", str(config), *args]


def outputs(folder: Path) -> dict[str, str]:
    """Digests of what a run publishes: not its own state (.locpipe) nor the report page, which
    names its run and time and so differs between any two runs (docs/quality.md)."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".locpipe" not in p.parts and p.relative_to(folder).parts[0] != "report"
    }


def differing(a: dict[str, str] | None, b: dict[str, str] | None) -> list[str]:
    """The files whose bytes differ between two runs' outputs (or exist in one only)."""
    a, b = a or {}, b or {}
    return sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))


def chunk_events(locales: Path) -> list[dict]:
    """The run's TranslateChunk events (one file per task and status, written atomically)."""
    found = []
    for path in (locales / ".locpipe" / "runs").rglob("*.json"):
        try:
            event = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if event.get("task") == "TranslateChunk":
            found.append(event)
    return found


def chunks_by_host(locales: Path) -> dict[str, int]:
    """TranslateChunk tasks done, per worker (host and pid), from the run's task events."""
    counts: dict[str, int] = {}
    for event in chunk_events(locales):
        if event.get("status") == "done":
            who = str(event.get("worker", "?"))
            counts[who] = counts.get(who, 0) + 1
    return counts


def recovery_round(config: Path, port: int, limit: float) -> dict:
    """SIGKILL the worker while it translates a chunk; seconds until another process starts
    that chunk, and until it is done."""
    locales = config.parent / "locales"
    shutil.rmtree(locales, ignore_errors=True)
    scheduler = ["--scheduler-host", "127.0.0.1", "--scheduler-port", str(port)]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env()}
    worker = subprocess.Popen(["taskset", "-c", "1", *locpipe(config, "worker", *scheduler)], **quiet)
    driver = subprocess.Popen(
        ["taskset", "-c", "0", *locpipe(config, "run", "--quiet", "--source-lang", "en", *scheduler)], **quiet
    )
    mine = f"-{worker.pid}"
    deadline = time.monotonic() + limit
    victim = None
    while victim is None and time.monotonic() < deadline and driver.poll() is None:
        victim = next(
            (
                e["params"]
                for e in chunk_events(locales)
                if e["status"] == "started" and e["worker"].endswith(mine)
            ),
            None,
        )
        time.sleep(0.05)
    if victim is None:
        worker.kill()
        driver.wait(timeout=limit)
        return {"restarted_s": None, "done_s": None}
    worker.kill()
    killed = time.monotonic()
    worker.wait()
    restarted = done = None
    while time.monotonic() < deadline and (restarted is None or done is None):
        for e in chunk_events(locales):
            if e["params"] == victim and not e["worker"].endswith(mine):
                if e["status"] == "started" and restarted is None:
                    restarted = time.monotonic() - killed
                if e["status"] == "done" and done is None:
                    done = time.monotonic() - killed
        if driver.poll() is not None and done is None:
            break
        time.sleep(0.1)
    code = driver.wait(timeout=max(1.0, deadline - time.monotonic()))
    return {
        "restarted_s": None if restarted is None else round(restarted, 1),
        "done_s": None if done is None else round(done, 1),
        "code": code,
        "outputs": outputs(locales),
    }


def one_round(config: Path, port: int, helpers: int, limit: float) -> dict:
    locales = config.parent / "locales"
    shutil.rmtree(locales, ignore_errors=True)
    scheduler = ["--scheduler-host", "127.0.0.1", "--scheduler-port", str(port)]
    workers = [
        subprocess.Popen(
            ["taskset", "-c", str(1 + n), *locpipe(config, "worker", *scheduler)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env(),
        )
        for n in range(helpers)
    ]
    started = time.perf_counter()
    try:
        run = subprocess.run(
            ["taskset", "-c", "0", *locpipe(config, "run", "--quiet", "--source-lang", "en", *scheduler)],
            capture_output=True,
            text=True,
            env=env(),
            timeout=limit,
        )
        seconds = time.perf_counter() - started
    except subprocess.TimeoutExpired:
        return {"seconds": None, "code": None}
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(timeout=20)
    return {
        "seconds": round(seconds, 2),
        "code": run.returncode,
        "stderr": run.stderr[-2000:],
        "chunks": chunks_by_host(locales),
        "outputs": outputs(locales),
    }


def engine_part(model: Path, part: int, parts: int, count: int) -> None:
    """CTranslate2 alone, one thread, on every `parts`-th of the corpus's sentences."""
    import ctranslate2
    import sentencepiece as spm

    tokenizer = spm.SentencePieceProcessor(model_file=str(model / "sentencepiece.model"))
    translator = ctranslate2.Translator(str(model / "model"), device="cpu", inter_threads=1, intra_threads=1)
    tokens = [tokenizer.encode(t, out_type=str) for t in sentences(count, seed=11)[part::parts]]
    translator.translate_batch(tokens, beam_size=4, max_batch_size=16, max_decoding_length=80)


def engine_ceiling(config: Path, count: int) -> float | None:
    """What the cores give: translate_batch on `count` sentences in one pinned process,
    against two pinned processes with half each (the ratio of wall times)."""
    model = next((config.parent / "models").glob("translate-*/"), None)
    if model is None:
        return None

    def wall(parts: int) -> float:
        me = [PY, __file__, "--engine-part"]
        started = time.perf_counter()
        procs = [
            subprocess.Popen(
                ["taskset", "-c", str(n), *me, f"{n}/{parts}", str(model), str(count)],
                env=env(),
            )
            for n in range(parts)
        ]
        for proc in procs:
            proc.wait()
        return time.perf_counter() - started

    return wall(1) / wall(2)


def with_luigid(config: Path, stage: Callable[..., dict], *args: object) -> dict:
    """Each round on a fresh luigid, as a nightly run would find it: no task of a round before."""
    luigid, port = start_luigid(WORK, config)
    try:
        return stage(config, port, *args)
    finally:
        luigid.terminate()
        luigid.wait(timeout=20)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=1200, help="unique sentences (default 1200)")
    parser.add_argument("--chunks", type=int, default=24, help="translation chunks (default 24)")
    parser.add_argument("--max-seconds", type=float, default=600.0, help="limit per run (default 600)")
    parser.add_argument("--engine-part", help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args(argv)
    if args.engine_part:
        part, parts = (int(n) for n in args.engine_part.split("/"))
        engine_part(Path(rest[0]), part, parts, int(rest[1]))
        return 0
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2 or shutil.which("taskset") is None:
        print(f"two workers: not measured (needs taskset and 2 CPUs; this process may use {len(cpus)})")
        return 0
    WORK.mkdir(parents=True, exist_ok=True)
    packages = WORK / "packages"
    sample = SAMPLE.read_text(encoding="utf-8")
    package = next(packages.glob("translate-en_uk-*.argosmodel"), None) if packages.is_dir() else None
    package = package or build_package("en", "uk", packages, size="argos", sample_text=sample)
    config = project(WORK / "project", args.sentences, args.chunks)
    install_cmd = locpipe(config, "models", "install", str(package))
    install = subprocess.run(install_cmd, capture_output=True, env=env())
    if install.returncode != 0:
        print(install.stderr.decode(errors="replace"), file=sys.stderr)
        return 1
    one = with_luigid(config, one_round, 0, args.max_seconds)
    two = with_luigid(config, one_round, 1, args.max_seconds)
    killed = with_luigid(config, recovery_round, args.max_seconds)
    ceiling = engine_ceiling(config, min(args.sentences, 240))
    ratio = one["seconds"] / two["seconds"] if one["seconds"] and two["seconds"] else None
    same = one.get("outputs") == two.get("outputs") and bool(one.get("outputs"))
    helped = len(two.get("chunks", {})) >= 2
    figures = {
        "sentences": args.sentences,
        "chunks": args.chunks,
        "one": {k: v for k, v in one.items() if k != "outputs"},
        "two": {k: v for k, v in two.items() if k != "outputs"},
        "ratio": ratio,
        "identical_outputs": same,
        "worker_ran_chunks": helped,
        "engine_ceiling": ceiling,
        "recovery": {k: v for k, v in killed.items() if k != "outputs"},
        "recovery_identical_outputs": killed.get("outputs") == one.get("outputs"),
        "differing": differing(one.get("outputs"), two.get("outputs"))[:20],
        "recovery_differing": differing(one.get("outputs"), killed.get("outputs"))[:20],
    }
    (WORK.parent / "two_workers.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")

    def cell(result: dict) -> str:
        if result["seconds"] is None:
            return f"not measured (over {args.max_seconds:.0f} s)"
        per = ", ".join(str(n) for n in sorted(result["chunks"].values(), reverse=True))
        return f"{result['seconds']:.1f} s, exit {result['code']}, chunks per process: {per}"

    print(
        f"two workers: {args.sentences} unique sentences, Argos-size demo model en->uk, {args.chunks} chunks"
    )
    print(f"  one process  (taskset -c 0):          {cell(one)}")
    print(f"  two processes (taskset -c 0 and 1):   {cell(two)}")
    verdict = "met" if ratio and ratio >= TARGET else "not met"
    shown = f"{ratio:.2f}x" if ratio else "not measured"
    limit = f"{ceiling:.2f}x" if ceiling else "not measured"
    print(f"  the cores' own ceiling (translate_batch alone, one pinned process against two): {limit}")
    print(
        f"  throughput two/one: {shown} (target >= {TARGET}x: {verdict}); outputs identical: {same}; "
        f"the worker ran chunks: {helped}"
    )
    for key, label in (("differing", "two against one"), ("recovery_differing", "killed against one")):
        if figures[key]:
            print(f"  files that differ, {label}: {', '.join(figures[key])}")
    again = killed.get("restarted_s")
    print(
        "  SIGKILL of the worker during a chunk: "
        + (
            f"started elsewhere after {again} s, done after {killed['done_s']} s (target <= 30 s: "
            f"{'met' if again is not None and again <= 30 else 'not met'}); run exit {killed['code']}, "
            f"outputs identical: {figures['recovery_identical_outputs']}"
            if again is not None
            else "not measured (the worker ran no chunk, or the chunk never ran again)"
        )
    )
    rows = [
        ["one process (taskset -c 0)", one["seconds"], _per_process(one)],
        ["two processes (taskset -c 0 and 1)", two["seconds"], _per_process(two)],
    ]
    notes = [
        f"{args.sentences} unique sentences, Argos-size demo model en->uk (placeholder output), "
        f"{args.chunks} chunks; a fresh luigid on 127.0.0.1 per round",
        f"throughput two/one: {shown}; the cores' own ceiling (translate_batch alone): {limit}",
        f"outputs identical: {same}; the worker ran chunks: {helped}",
        f"SIGKILL of the worker during a chunk: started elsewhere after {again} s, done after "
        f"{killed.get('done_s')} s, run exit {killed.get('code')}",
    ]
    table = bench_figures.table("one process against two", ["", "seconds", "chunks per process"], rows)
    print(f"figures: {bench_figures.write('two_workers', [table], notes)}")
    return 0 if same and helped else 1


def _per_process(result: dict) -> str:
    return ", ".join(str(n) for n in sorted((result.get("chunks") or {}).values(), reverse=True))


if __name__ == "__main__":
    sys.exit(main())
