"""The outputs are the truth: a deleted output comes back byte for byte, deleting the work
folder loses nothing (machine text still in the catalogs is reused, not translated again),
and shard size, chunk size and worker count never change a byte."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE, Project, make_project, output_files

LATER = {"SOURCE_DATE_EPOCH": str(1790000000 + 86400)}  # the clock moved a day

BRIEFS = {
    "brief-a.txt": "Talks in Ankara\n\nThe delegation met for three hours. Both sides called it useful.\n",
    "brief-b.md": "# Budget vote\n\nThe council approved the budget on Monday.\n\n- roads\n- schools\n",
    "brief-c.txt": "Storm warning\n\nHeavy rain is expected tonight. Schools will open late.\n",
}


def last_run(project: Project) -> dict:
    return json.loads((project.locales / ".locpipe" / "last-run.json").read_text(encoding="utf-8"))


@pytest.fixture
def corpus(project: Project) -> Project:
    for name, text in BRIEFS.items():
        (project.inputs / name).write_text(text, encoding="utf-8")
    project.run()
    return project


KINDS = [
    "templates/brief-a.pot",
    "uk/LC_MESSAGES/brief-a.po",
    "tr/LC_MESSAGES/brief-b.mo",
    "uk/brief-b.md",
    "memory/uk.json",
    "manifest.json",
]


@pytest.mark.parametrize("kind", KINDS)
def test_a_deleted_output_comes_back_byte_for_byte_without_mt(corpus: Project, kind: str):
    before = output_files(corpus.locales)
    (corpus.locales / kind).unlink()
    corpus.run(**LATER)
    assert output_files(corpus.locales) == before
    assert last_run(corpus)["segments_translated"] == 0


def test_deleting_the_work_folder_loses_nothing(corpus: Project):
    before = output_files(corpus.locales)
    shutil.rmtree(corpus.locales / ".locpipe")
    corpus.run(**LATER)
    assert output_files(corpus.locales) == before
    summary = last_run(corpus)
    assert summary["segments_translated"] == 0 and summary["models_loaded"] == 0
    # and the run after that has nothing to do
    corpus.run(**LATER)
    assert last_run(corpus)["tasks_run"] == {}


def test_a_catalog_another_tool_rewrote_is_merged_again(corpus: Project):
    po = corpus.locales / "uk" / "LC_MESSAGES" / "brief-c.po"
    before = po.read_bytes()
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace("#. machine: argos", "#. note: argos"), encoding="utf-8")
    corpus.run(**LATER)
    assert po.read_bytes() == before
    assert last_run(corpus)["work"]["WriteShard"] == ["brief-c@uk"]


def _settings(project: Project, **values: str) -> None:
    cfg = project.root / "luigi.cfg"
    text = cfg.read_text(encoding="utf-8")
    extra = "".join(f"{k} = {v}\n" for k, v in values.items())
    cfg.write_text(text.replace("[locpipe]\n", f"[locpipe]\n{extra}", 1), encoding="utf-8")


@pytest.mark.slow
def test_shard_and_chunk_sizes_and_workers_change_no_byte(tmp_path: Path, installed_models: Path):
    outputs = []
    for name, sizes, workers in [
        ("default", {}, "1"),
        ("tiny", {"shard_size": "1", "chunk_size": "1"}, "1"),
        ("huge", {"shard_size": "100000", "chunk_size": "100000"}, "1"),
        ("two-workers", {"shard_size": "2", "chunk_size": "7"}, "2"),
    ]:
        project = make_project(tmp_path / name)
        shutil.copytree(installed_models, project.models)
        shutil.copy(SAMPLE, project.inputs / SAMPLE.name)
        for file, text in BRIEFS.items():
            (project.inputs / file).write_text(text, encoding="utf-8")
        _settings(project, **sizes)
        project.run("--workers", workers)
        outputs.append(output_files(project.locales))
        if name == "tiny":
            assert last_run(project)["tasks_run"]["PrepareShard"] >= 3  # several shards really ran
    assert all(o == outputs[0] for o in outputs[1:])
