"""The command line as a newcomer meets it: in a project folder with its own luigi.cfg."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import polib
import pytest
from conftest import LOCPIPE, REPO, SAMPLE


def _bare(project, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """locpipe without the fixture's --config: it has to find the project's file itself."""
    return subprocess.run(
        [*LOCPIPE, *args], cwd=cwd or project.root, env=project.env(), capture_output=True, text=True
    )


def test_first_stderr_line_names_the_config_inputs_and_outputs(project):
    cfg = project.root / "luigi.cfg"
    result = _bare(project, "run", "--config", str(cfg), "--dry-run", "--targets", "uk")  # after the command
    assert result.returncode == 0, result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith("locpipe run: config ") and str(cfg) in first
    assert f"inputs {project.inputs}" in first and f"outputs {project.locales}" in first
    status = _bare(project, "status", "--json", "--config", str(cfg))
    report = json.loads(status.stdout)
    assert report["config"] == str(cfg) and report["outputs"] == str(project.locales)
    assert str(cfg) in status.stderr.splitlines()[0]


def test_config_before_and_after_the_command_mean_the_same(project):
    cfg = str(project.root / "luigi.cfg")
    before = _bare(project, "--config", cfg, "models", "list", cwd=REPO)
    after = _bare(project, "models", "list", "--config", cfg, cwd=REPO)
    assert before.returncode == after.returncode == 0
    assert before.stdout == after.stdout and str(project.models) in before.stderr


def _into_head(project, *args: str, streams: str = "") -> subprocess.CompletedProcess[str]:
    """`locpipe ARGS [2>&1] | head -1` under bash's pipefail: the reader goes after one line.
    Output is block-buffered, as it is for a command in a pipe (PYTHONUNBUFFERED unset)."""
    command = " ".join([*LOCPIPE, "--config", str(project.root / "luigi.cfg"), *args])
    return subprocess.run(
        f"set -o pipefail; {command} {streams} | head -1",
        shell=True,
        executable="/bin/bash",
        cwd=project.root,
        env=project.env(PYTHONUNBUFFERED=""),
        capture_output=True,
        text=True,
    )


def test_status_into_head_exits_0_without_a_traceback(project):
    project.run("--targets", "uk,tr")
    for _ in range(3):
        result = _into_head(project, "status")
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr


def test_unreachable_scheduler_is_one_line_within_seconds(project):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    started = time.monotonic()
    result = project.locpipe(
        "run", "--quiet", "--scheduler-host", "127.0.0.1", "--scheduler-port", str(port), check=False
    )
    assert time.monotonic() - started < 10
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and "luigid not reachable" in lines[1], result.stderr
    assert not project.locales.exists()


def test_empty_export_never_replaces_a_good_one(project, tmp_path):
    good = tmp_path / "uk.tmx"
    good.write_text("<tmx>a good export</tmx>", encoding="utf-8")
    result = project.locpipe("memory", "export", "--locale", "uk", str(good), check=False)
    assert result.returncode == 2
    assert "holds no reviewed translations" in result.stderr and str(project.locales) in result.stderr
    assert good.read_text(encoding="utf-8") == "<tmx>a good export</tmx>"


def test_build_demo_wants_from_to_codes(project, tmp_path):
    dest = tmp_path / "built"
    dest.mkdir()
    result = project.locpipe("models", "build-demo", "--pair", "enuk", "--dest", str(dest), check=False)
    assert result.returncode == 2 and "--pair enuk: not FROM-TO" in result.stderr
    assert list(dest.iterdir()) == []
    help_text = project.locpipe("models", "build-demo", "--help").stdout
    assert "--size" in help_text and "tiny" in help_text and "placeholder" in help_text


def test_dropped_locale_is_shown_and_pruned_only_with_force_keeping_reviews(project):
    project.run("--targets", "uk,tr")
    po_path = project.locales / "tr" / "LC_MESSAGES" / "ukraine-turkey-defense.po"
    po = polib.pofile(str(po_path))
    entry = next(e for e in po if e.msgid and not e.obsolete)
    entry.msgstr, entry.flags = "Gözden geçirildi.", []
    po.save()
    cfg = project.root / "luigi.cfg"
    cfg.write_text(cfg.read_text().replace("targets = uk,tr", "targets = uk"), encoding="utf-8")
    project.run()
    status = project.locpipe("status").stdout
    assert "tr: not in targets any more" in status and "prune --locales tr --force" in status
    refused = project.locpipe("prune", "--locales", "tr", check=False)
    assert refused.returncode == 2 and "--force" in refused.stderr and po_path.exists()
    assert project.locpipe("prune", "--locales", "uk", "--force", check=False).returncode == 2  # in targets
    done = project.locpipe("prune", "--locales", "tr", "--force")
    assert "1 reviewed translations kept in memory" in done.stdout
    assert not (project.locales / "tr").exists() and (project.locales / "uk").is_dir()
    seeds = list((project.locales / "memory" / "tr").glob("*"))
    assert seeds and "Gözden geçirildi." in seeds[0].read_text(encoding="utf-8")


def test_status_counts_words_per_locale(project):
    project.run("--targets", "uk")
    report = json.loads(project.locpipe("status", "--json").stdout)
    uk = report["locales"]["uk"]
    assert uk["machine"] > 0 and uk["reviewed"] == 0 and report["stale"] is None
    later = time.time() + 5
    os.utime(project.inputs / "ukraine-turkey-defense.txt", (later, later))  # same bytes
    assert "inputs changed" not in project.locpipe("status").stdout


@pytest.mark.slow  # several full runs: the default suite stays under 5 minutes
def test_status_staleness_goes_by_content_not_file_times(project):
    """touch (or cp, git checkout) is no change; an edit is, until a run takes it in; a
    catalog edited by a reviewer is, a touched one is not."""
    article = project.inputs / "ukraine-turkey-defense.txt"
    project.run("--targets", "uk")

    def stale() -> str | None:
        return json.loads(project.locpipe("status", "--json").stdout)["stale"]

    later = time.time() + 5
    os.utime(article, (later, later))
    assert stale() is None
    project.run("--targets", "uk")  # changes nothing, and status stays clear
    assert stale() is None
    article.write_text(article.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert "inputs changed after the last run" in (stale() or "")
    project.run("--targets", "uk")
    assert stale() is None
    (project.inputs / "new.txt").write_text("A new article.\n\nIt has text.\n", encoding="utf-8")
    assert "inputs changed" in (stale() or "")
    project.run("--targets", "uk")
    po = project.locales / "uk" / "LC_MESSAGES" / "ukraine-turkey-defense.po"
    os.utime(po, (later + 5, later + 5))
    assert stale() is None
    po.write_text(po.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert "catalogs edited" in (stale() or "")
    project.run("--targets", "uk")
    assert stale() is None


def test_the_test_suite_leaves_home_alone(tmp_path):
    """What `make test` imports in-process (argostranslate) writes under XDG_*, never $HOME."""
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env.update(HOME=str(home), PYTHONPATH=str(REPO))
    code = "import conftest; import argostranslate.settings"
    subprocess.run(
        [sys.executable, "-c", code], cwd=REPO / "tests", env=env, check=True, capture_output=True, text=True
    )
    assert list(home.iterdir()) == []


def test_translation_reports_its_segments_to_the_progress_display(project):
    """The segments bar (and the log line without a terminal) reads what TranslateChunk
    reports; it has to reach the plan's total, not stay at 0."""
    from pipeline.run.progress import counts
    from pipeline.run.progress_display import rate_text

    project.run("--targets", "uk")
    found = {c.stage: c for c in counts(project.locales)}
    assert set(found) == {"detect", "translate", "write"}
    assert all(c.total > 0 and c.done == c.total for c in found.values())
    assert found["write"].total == 1  # one article x one locale, not shards x locales
    assert rate_text(50, 100, 10.0) == " (5.0/s, ETA 20 s)" and rate_text(0, 150, 10.0) == ""


PROGRESS = re.compile(
    r"locpipe: detect/segment (\d+)/(\d+) articles.*translate (\d+)/(\d+) segments.*"
    r"write (\d+)/(\d+) article×locale"
)


def test_progress_lines_without_a_terminal_show_every_stage_with_its_total(project):
    """What cron sees: lines every LOCPIPE_PROGRESS_INTERVAL seconds with each stage's total
    from the plan (articles before any work; segments; article x locale), rate and ETA."""
    text = (project.inputs / "ukraine-turkey-defense.txt").read_text(encoding="utf-8")
    for i in range(39):  # other sentences, so there is translating to watch
        (project.inputs / f"copy-{i}.txt").write_text(text.replace(".", f" {i}."), encoding="utf-8")
    cfg = project.root / "luigi.cfg"
    cfg.write_text(cfg.read_text().replace("batch_size = 8", "batch_size = 1"), encoding="utf-8")
    result = project.locpipe("run", "--targets", "uk,tr", LOCPIPE_PROGRESS_INTERVAL="0.2")
    lines = [line for line in result.stderr.splitlines() if line.startswith("locpipe: detect/segment")]
    assert len(lines) >= 3, result.stderr
    assert lines[0].startswith("locpipe: detect/segment 0/40 articles") and "write 0/80" in lines[0]
    full = [tuple(map(int, m.groups())) for line in lines if (m := PROGRESS.match(line))]
    during = [c for c in full if c[2] < c[3]]  # translation not finished yet
    assert during and all(c[1] == 40 and c[3] > 0 and c[5] == 80 for c in during), lines
    assert any("/s, ETA" in line for line in lines)
    assert full[-1][0::2] == full[-1][1::2]  # the last line: every stage done


def test_scheduler_host_where_something_else_answers_is_one_line(project):
    """A port that accepts connections but is not luigid (a web server, a proxy): Luigi would
    retry it for a minute and print a traceback."""
    import http.server
    import threading

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        started = time.monotonic()
        result = project.locpipe(
            "run", "--quiet", "--scheduler-host", "127.0.0.1",
            "--scheduler-port", str(server.server_address[1]), check=False,
        )  # fmt: skip
        assert time.monotonic() - started < 10
    finally:
        server.shutdown()
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2 and len(lines) == 2 and "not luigid?" in lines[1], result.stderr


def test_argument_errors_come_after_the_line_naming_config_and_folders(project):
    """`--targets english` (checked by locpipe) and `--workers 0` (by argparse) alike: the
    first stderr line still says which config, inputs and outputs the command would use."""
    cfg = project.root / "luigi.cfg"
    for args in (["run", "--targets", "english"], ["run", "--workers", "0"], ["status", "--bogus"]):
        result = _bare(project, *args)
        assert result.returncode == 2, result.stderr
        first, *rest = result.stderr.splitlines()
        assert first.startswith(f"locpipe {args[0]}: config {cfg}") and f"inputs {project.inputs}" in first
        assert f"outputs {project.locales}" in first and rest, result.stderr
    error = _bare(project, "run", "--targets", "english").stderr.splitlines()
    assert error[1].startswith("locpipe: --targets english: not a gettext locale") and len(error) == 2
    elsewhere = _bare(project, "run", "--out", str(project.root / "other"), "--targets", "english")
    assert f"outputs {project.root / 'other'}" in elsewhere.stderr.splitlines()[0]
    assert not project.locales.exists()


def test_a_run_on_the_demo_model_says_its_text_is_placeholder(project):
    """Once with --quiet (where the two notes would stand one under the other), and as the last
    line of a full run, after the summary a user reads."""
    note = "its output is placeholder text, not a translation"
    quiet = project.locpipe("run", "--quiet")
    assert quiet.stderr.count(note) == 1
    full = project.locpipe("run")
    assert full.stderr.count(note) == 2
    assert note in full.stderr.strip().splitlines()[-1]


def test_a_run_whose_reader_goes_away_still_does_all_its_work(project):
    """`locpipe run 2>&1 | head -1` from cron: the pipe closes after the first line, and the run
    goes on to translate, write and exit with its own status (it used to stop at the first line
    into the closed pipe with exit 0, having done nothing)."""
    result = _into_head(project, "run", "--targets", "uk,tr", streams="2>&1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("locpipe run: config")
    article = SAMPLE.stem
    for locale in ("uk", "tr"):
        assert (project.locales / locale / "LC_MESSAGES" / f"{article}.po").is_file()
        assert (project.locales / locale / f"{article}.txt").is_file()
    status = project.locpipe("status", "--json")
    assert "edited after the last run" not in status.stderr
    assert "tasks run: none;" in project.locpipe("run", "--targets", "uk,tr").stderr  # nothing left to do
