"""bench/scale.py: the corpus it generates, its time limits, and one end-to-end pass, so the
script keeps printing figures whatever the pipeline looks like inside."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import scale  # noqa: E402


def test_news_articles_have_8_to_15_sentences_and_about_30_percent_repeats() -> None:
    texts = scale.news(300, seed=1)
    assert len(texts) == 300
    slots: list[str] = []
    for text in texts:
        title, *paragraphs = text.strip().split("\n\n")
        assert title.startswith("Report ")
        found = [s for p in paragraphs for s in p.replace(". ", ".\n").splitlines()]
        assert 8 <= len(found) <= 15
        slots += found
    repeated = 1 - len(set(slots)) / len(slots)
    assert 0.2 < repeated < 0.35


def test_a_stage_past_its_limit_is_killed_with_its_children(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(scale, "SCALE", tmp_path)
    marker = tmp_path / "child.pid"
    script = f"sleep 60 & echo $! > {marker}; wait"
    started = time.perf_counter()
    result = scale.timed(["sh", "-c", script], 0.5, tmp_path / "log")
    assert result["timed_out"] and time.perf_counter() - started < 8
    child = int(marker.read_text())
    time.sleep(0.2)
    assert _gone(child)


def _gone(pid: int) -> bool:
    """No such process, or one that has exited and waits to be reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] in {"Z", "X"}


@pytest.mark.slow  # several full runs: the default suite stays under 5 minutes
def test_the_script_prints_its_table_and_writes_its_figures(tmp_path: Path) -> None:
    out = subprocess.run(
        [
            sys.executable,
            str(BENCH / "scale.py"),
            "--sizes",
            "12",
            "--no-drop-caches",
            "--work",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "LOCPIPE_FIGURES": str(tmp_path / "figures")},
    )
    assert out.returncode == 0, out.stderr
    assert "first run" in out.stdout and "one reviewed entry" in out.stdout
    table = json.loads((tmp_path / "figures" / "scale.json").read_text(encoding="utf-8"))
    assert table["bench"] == "scale" and table["tables"][0]["rows"]
    figures = json.loads((tmp_path / "scale.json").read_text(encoding="utf-8"))
    first = figures["first_runs"]["12"]
    assert first["rc"] == 0 and first["segments_translated"] > 0
    assert len(first["walls"]) == 3 and round(first["wall"], 1) == sorted(first["walls"])[1]  # the median
    assert any("median of 3 first runs" in note for note in table["notes"])
    follow = figures["follow_up"]
    assert follow["noop_warm"]["segments_translated"] == 0
    assert follow["noop_cold"] == {"not_measured": "--no-drop-caches"}
    assert follow["edit"]["segments_translated"] == 3
    assert follow["review"]["reached_output"] is True
