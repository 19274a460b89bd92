"""A translator saving a .po again and again while `locpipe run` rewrites it: a real writer
process against a real run, many trials. Not one saved review may be lost."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import polib
import pytest
from conftest import LOCPIPE, Project, msgfmt_check

pytestmark = pytest.mark.slow

# each trial is two runs, about 20 s on 2 cores; the two save styles (in place, by rename)
# alternate. LOCPIPE_RACE_TRIALS=20 or more for a longer hunt before a release
TRIALS = int(os.environ.get("LOCPIPE_RACE_TRIALS", "8"))

WRITER = r"""
import json, os, sys, time
import polib
po_path, log_path, stop_path, by_rename = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1"
n = 0
while not os.path.exists(stop_path):
    try:
        po = polib.pofile(po_path)
    except Exception:
        time.sleep(0.005)  # caught the file between a truncate and a write: try again
        continue
    entry = next((e for e in po if "fuzzy" in e.flags and e.msgstr and not e.obsolete), None)
    n += 1
    if entry is None:
        continue
    entry.msgstr = f"Рецензія {n}"
    entry.flags.remove("fuzzy")
    if by_rename:
        tmp = po_path + ".saving"
        po.save(tmp)
        os.replace(tmp, po_path)
    else:
        po.save()
    with open(log_path, "a", encoding="utf-8") as log:
        log.write(json.dumps(["report.po", entry.msgctxt, entry.msgid, entry.msgstr]) + "\n")
"""


def _lost(messages: Path, saved: list[list[str]]) -> list[list[str]]:
    """Saved reviews that are not in the catalog now, reviewed as saved."""
    catalogs = {p.name: polib.pofile(str(p)) for p in messages.glob("*.po")}
    lost = []
    for name, context, msgid, msgstr in saved:
        entry = catalogs[name].find(msgid, msgctxt=context)
        if entry is None or entry.msgstr != msgstr or "fuzzy" in entry.flags:
            lost.append([name, context, msgid, msgstr])
    return lost


def test_no_review_is_lost_to_a_concurrent_run(project: Project, tmp_path: Path):
    lines = [f"Item {i} of the long report says the council met on day {i}." for i in range(300)]
    (project.inputs / "report.txt").write_text(
        "Long report\n\n" + "\n\n".join(" ".join(lines[i : i + 3]) for i in range(0, 300, 3)) + "\n",
        encoding="utf-8",
    )
    project.run()
    base = tmp_path / "base"
    shutil.copytree(project.root, base, symlinks=True)
    lost_total, saved_total = 0, 0
    for trial in range(TRIALS):
        root = tmp_path / f"trial-{trial}"
        shutil.copytree(base, root, symlinks=True)
        proj = Project(root, project.home)
        article = proj.inputs / "report.txt"  # its catalogs are merged and replaced
        article.write_text(
            article.read_text(encoding="utf-8") + f"\nClosing line number {trial}.\n", encoding="utf-8"
        )
        messages = proj.locales / "uk" / "LC_MESSAGES"
        log, stop = root / "saved.jsonl", root / "stop"
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(messages / "report.po"), str(log), str(stop), str(trial % 2)],
            env=proj.env(),
        )
        run = subprocess.run(
            [*LOCPIPE, "--config", str(root / "luigi.cfg"), "run", "--quiet"],
            cwd=root, env=proj.env(), capture_output=True, text=True, timeout=120,
        )
        time.sleep(0.05)
        stop.write_text("")
        writer.wait(timeout=30)
        assert run.returncode in (0, 1), run.stderr
        lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
        saved = [json.loads(line) for line in lines]
        lost_total += len(_lost(messages, saved))
        saved_total += len(saved)
        # the next run finishes the merge with every review in place
        proj.run()
        assert not _lost(messages, saved)
        assert polib.pofile(str(messages / "report.po")).find(f"Closing line number {trial}.") is not None
        msgfmt_check(messages / "report.po")
    assert saved_total > TRIALS  # the writer really saved during the runs
    assert lost_total == 0
