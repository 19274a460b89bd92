"""bench/detect_segment.py: it measures this tree beside an older revision's `pipeline` and
writes both rows, so `make bench-segmentation` keeps printing the detect-and-segment figure."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow  # two trees, each in its own processes: about 20 s
def test_measures_this_tree_beside_an_older_revision(tmp_path: Path) -> None:
    env = {**os.environ, "LOCPIPE_FIGURES": str(tmp_path), "LOCPIPE_BENCH_WORK": str(tmp_path / "work")}
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench/detect_segment.py"), "--against", "HEAD",
         "--rounds", "1", "--articles", "4"],
        capture_output=True, text=True, env=env, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads((tmp_path / "detect_segment.json").read_text(encoding="utf-8"))
    rows = figures["tables"][0]["rows"]
    assert [row[0] for row in rows] == ["this tree", "HEAD"]
    for _, median, best, split, segments in rows:
        assert 0 < best <= median and 0 < split < median and segments > 500
    assert any(note.startswith("detect and segment, this tree / HEAD") for note in figures["notes"])
    assert "this tree / HEAD" in done.stdout
