"""The outputs are the truth: a deleted output comes back byte for byte, deleting the work
folder loses nothing (machine text still in the catalogs is reused, not translated again),
and shard size, chunk size and worker count never change a byte."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import polib
import pytest
from conftest import LOCPIPE, SAMPLE, Project, make_project, output_files

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


def test_what_a_crash_leaves_of_files_written_without_fsync_is_written_again(corpus: Project):
    """Derived files are renamed in without an fsync: after a power cut one may be empty or
    cut short. Such outputs (templates, compiled catalogs, rendered articles), then all of
    locpipe's state but the fsynced model output, are found and written again."""
    before = output_files(corpus.locales)
    outputs = ["templates/brief-a.pot", "tr/LC_MESSAGES/brief-b.mo", "uk/brief-b.md", "tr/brief-c.txt"]

    def state() -> list[Path]:
        work = corpus.locales / ".locpipe"
        return [p for p in work.rglob("*") if p.is_file() and p.suffix != ".jsonl" and "runs" not in p.parts]

    for damaged in (lambda: [corpus.locales / name for name in outputs], state):
        for number, path in enumerate(damaged()):
            data = path.read_bytes()
            path.write_bytes(b"" if number % 2 else data[: len(data) // 2])
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


def test_a_shard_with_a_touched_file_is_checked_the_long_way_the_others_are_trusted(project: Project):
    from pipeline.core.layout import Layout
    from pipeline.run.run_outputs import trusted_stamps

    _settings(project, shard_size="1")
    for name, text in BRIEFS.items():
        (project.inputs / name).write_text(text, encoding="utf-8")
    project.run()
    layout = Layout(project.locales)
    done = {str(p) for p in (project.locales / ".locpipe" / "done").glob("[pw]*/*.json")}
    assert done and done <= trusted_stamps(layout)  # every shard's stamps, with nothing changed
    po = project.locales / "uk" / "LC_MESSAGES" / "brief-c.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace("#. machine: argos", "#. note: argos"), encoding="utf-8")
    kept = done & trusted_stamps(layout)
    assert kept and kept < done  # brief-c's shard is not trusted, the others are
    (project.inputs / "brief-a.txt").write_text(BRIEFS["brief-a.txt"] + "\nA line was added.\n", "utf-8")
    project.run()
    assert po.read_text(encoding="utf-8") == text  # the rewritten catalog was merged again
    work = last_run(project)["work"]
    assert sorted(work["WriteShard"]) == ["brief-a@tr", "brief-a@uk", "brief-c@uk"]


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
            assert last_run(project)["tasks_run"]["PrepareShard"] >= 2  # several shards really ran
    assert all(o == outputs[0] for o in outputs[1:])


def test_a_deleted_catalog_with_reviews_offers_them_back_from_the_memory(corpus: Project):
    po_path = corpus.locales / "uk" / "LC_MESSAGES" / "brief-a.po"
    po = polib.pofile(str(po_path))
    entry = next(e for e in po if "fuzzy" in e.flags)
    entry.msgstr, entry.flags = "Перевірено.", []
    po.save()
    corpus.run()
    po_path.unlink()
    corpus.run()
    back = polib.pofile(str(po_path)).find(entry.msgid)
    assert back.msgstr == "Перевірено." and "fuzzy" in back.flags
    assert "from memory 100% (brief-a)" in back.comment


@pytest.mark.slow
def test_a_run_killed_during_translation_loses_at_most_the_batch_in_flight(tmp_path: Path):
    from pipeline.translation.synthetic import build_package

    models = make_project(tmp_path / "models-holder", ("uk",))
    package = build_package("en", "uk", tmp_path / "pkg", size="small", sample_text=SAMPLE.read_text())
    models.locpipe("models", "install", str(package))
    sentences = [s.strip() + "." for s in SAMPLE.read_text(encoding="utf-8").split(".") if len(s.split()) > 4]
    projects = []
    for name in ("reference", "killed"):
        project = make_project(tmp_path / name, ("uk",))
        shutil.copytree(models.models, project.models)
        for n in range(40):
            body = " ".join(f"{s[:-1]} in dispatch {n}." for s in sentences[n % 5 :: 4])
            (project.inputs / f"dispatch-{n:02d}.txt").write_text(
                f"Dispatch {n}\n\n{body}\n", encoding="utf-8"
            )
        projects.append(project)
    reference, killed = projects
    reference.run()
    total = last_run(reference)["segments_translated"]
    process = subprocess.Popen(
        [*LOCPIPE, "--config", str(killed.root / "luigi.cfg"), "run", "--quiet"],
        cwd=killed.root,
        env=killed.env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    store = killed.locales / ".locpipe" / "mt"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if sum(p.stat().st_size for p in store.rglob("*.jsonl")) > 0:
            break
        time.sleep(0.01)
    process.kill()
    process.wait()
    stored = {
        json.loads(line)[0]
        for p in store.rglob("*.jsonl")
        for line in p.read_text().splitlines()
        if line.endswith("]")
    }
    assert 0 < len(stored) < total, "the kill did not land during translation"
    killed.run()
    assert last_run(killed)["segments_translated"] == total - len(stored)  # nothing stored is redone
    assert output_files(killed.locales) == output_files(reference.locales)


def test_the_look_at_the_outputs_is_the_same_from_the_child_or_made_here(corpus: Project, monkeypatch):
    """`locpipe run` sweeps stale temps and stats the files index in a child process; where
    the child fails, the parent makes the same look itself."""
    import os

    from pipeline.core import temp_files
    from pipeline.core.layout import Layout
    from pipeline.outputs import survey
    from pipeline.outputs.files_index import index_verdicts

    layout = Layout(corpus.locales)
    po = corpus.locales / "uk" / "LC_MESSAGES" / "brief-a.po"
    po.write_text(po.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # one shard moved
    expected = index_verdicts(layout)
    assert False in expected.values() and True in expected.values()
    finished = subprocess.Popen(["true"])
    dead = finished.wait() or finished.pid  # a writer that is gone
    stale = po.parent / f".brief-a.mo.{temp_files._HOST}{temp_files._BOOT}p{dead}-abcdef.tmp"
    stale.write_bytes(b"half a file")
    assert survey.Survey(layout).result() == expected and not stale.exists()

    parent, real_sweep, real_part = os.getpid(), survey.sweep_stale_temps, survey.part_holds

    def sweep_failing_in_the_child(root: Path) -> int:
        if os.getpid() != parent:
            raise OSError("the child cannot read the folder")
        return real_sweep(root)

    monkeypatch.setattr(survey, "sweep_stale_temps", sweep_failing_in_the_child)
    stale.write_bytes(b"half a file")
    assert survey.Survey(layout).result() == expected and not stale.exists()

    monkeypatch.setattr(survey, "sweep_stale_temps", real_sweep)
    answered: list[str] = []

    def part_failing_in_the_child_after_one(layout: Layout, name: str, digests: bool) -> bool:
        if os.getpid() != parent:
            if answered:
                os._exit(1)  # killed half-way through the index
            answered.append(name)
        return real_part(layout, name, digests)

    monkeypatch.setattr(survey, "part_holds", part_failing_in_the_child_after_one)
    stale.write_bytes(b"half a file")
    assert survey.Survey(layout).result() == expected and not stale.exists()
