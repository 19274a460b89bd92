"""Incremental runs: each kind of change redoes exactly the affected articles, catalogs and
sentences, read from Luigi's own task events (shard tasks report which articles they really
processed), and a run with nothing changed does nothing at all."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polib
import pytest
from conftest import SAMPLE, Project, make_project, output_paths

from pipeline.translation.synthetic import build_package

SHARED = (
    "Despite these challenges, the continued engagement between Turkey and Ukraine suggests a growing "
    "alignment of interests in the face of a common adversary."
)
ARTICLE = "ukraine-turkey-defense"


def last_run(project: Project) -> dict:
    return json.loads((project.locales / ".locpipe" / "last-run.json").read_text(encoding="utf-8"))


def work(summary: dict, stage: str) -> set[str]:
    return set(summary["work"].get(stage, []))


def mtimes(folder: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in output_paths(folder)}


def set_option(project: Project, key: str, value: str) -> None:
    cfg = project.root / "luigi.cfg"
    lines = [
        f"{key} = {value}" if line.split("=")[0].strip() == key else line
        for line in cfg.read_text(encoding="utf-8").splitlines()
    ]
    cfg.write_text("\n".join(lines) + "\n", encoding="utf-8")


def both(*articles: str, locales: tuple[str, ...] = ("uk", "de")) -> set[str]:
    return {f"{a}@{loc}" for a in articles for loc in locales}


@pytest.mark.slow  # several full runs: the default suite stays under 5 minutes
def test_change_matrix(tmp_path: Path, installed_models: Path) -> None:
    project = make_project(tmp_path / "proj", ("uk", "de"))
    shutil.copytree(installed_models, project.models)
    shutil.copy(SAMPLE, project.inputs / SAMPLE.name)
    brief = project.inputs / "brief.txt"
    brief.write_text("Brief\n\nTalks went on for hours.\n\nThe delegation left at noon.\n", encoding="utf-8")

    project.run()
    first = last_run(project)
    assert first["models_loaded"] == 2 and first["segments_translated"] > 0
    assert work(first, "PrepareShard") == {ARTICLE, "brief"}
    assert work(first, "WriteShard") == both(ARTICLE, "brief")
    # the driver plans the same tasks each time it comes back: each ran once
    assert first["tasks_run"] == {
        "PrepareShard": 1, "BuildMemory": 2, "PlanShard": 2, "TranslateChunk": 2, "WriteShard": 2,
        "TranslateAll": 1,
    }

    # nothing changed: no task, no model, no file touched
    before = mtimes(project.locales)
    project.run()
    idle = last_run(project)
    assert idle["tasks_run"] == {} and idle["models_loaded"] == 0 and idle["segments_translated"] == 0
    assert mtimes(project.locales) == before

    # an edited article: only that article, and only its new sentence is translated
    brief.write_text(
        brief.read_text(encoding="utf-8") + "\nThe ministry declined to comment.\n", encoding="utf-8"
    )
    project.run()
    edit = last_run(project)
    assert work(edit, "PrepareShard") == {"brief"}
    assert work(edit, "PlanShard") == work(edit, "WriteShard") == both("brief")
    assert edit["segments_translated"] == 2 and edit["models_loaded"] == 2

    # a review: the memory and the reviewed catalog only; an article that is new afterwards
    # gets the reviewed text from the memory instead of MT
    po_path = project.locales / "uk" / "LC_MESSAGES" / f"{ARTICLE}.po"
    po = polib.pofile(str(po_path))
    entry = po.find(SHARED)
    entry.msgstr, entry.flags = "Попри ці виклики, взаємодія триває.", []
    po.save()
    project.run()
    review = last_run(project)
    assert review["tasks_run"].get("BuildMemory") == 1
    assert work(review, "PlanShard") == work(review, "WriteShard") == {f"{ARTICLE}@uk"}
    assert review["segments_translated"] == 0 and review["models_loaded"] == 0
    assert polib.pofile(str(po_path)).find(SHARED).msgstr == entry.msgstr
    (project.inputs / "follow-up.txt").write_text(f"Follow-up\n\n{SHARED}\n", encoding="utf-8")
    project.run()
    offered = polib.pofile(str(project.locales / "uk" / "LC_MESSAGES" / "follow-up.po")).find(SHARED)
    assert offered.msgstr == entry.msgstr and "from memory 100%" in offered.comment
    assert work(last_run(project), "WriteShard") == both("follow-up")

    # a new model version for one pair: that pair's translations and catalogs only
    newer = build_package(
        "en", "de", tmp_path / "newer", version="0.0.2-demo", sample_text=SAMPLE.read_text()
    )
    project.locpipe("models", "install", str(newer))
    project.run()
    model = last_run(project)
    assert work(model, "WriteShard") == both(ARTICLE, "brief", "follow-up", locales=("de",))
    assert model["models_loaded"] == 1 and model["segments_translated"] > 10
    de = polib.pofile(str(project.locales / "de" / "LC_MESSAGES" / "brief.po"))
    assert all("0.0.2-demo" in e.comment for e in de if e.msgstr)

    # a catalog setting: every catalog, no MT
    set_option(project, "mo_include_fuzzy", "true")
    project.run()
    setting = last_run(project)
    assert work(setting, "WriteShard") == both(ARTICLE, "brief", "follow-up")
    assert setting["segments_translated"] == 0 and setting["models_loaded"] == 0

    # a decoding setting: MT again for every pair, then every catalog
    set_option(project, "beam_size", "1")
    project.run()
    decoding = last_run(project)
    assert work(decoding, "WriteShard") == both(ARTICLE, "brief", "follow-up")
    assert decoding["models_loaded"] == 2 and decoding["segments_translated"] > 20

    # a new target locale: only that locale's work
    project.run("--targets", "uk,de,tr")
    added = last_run(project)
    assert work(added, "WriteShard") == both(ARTICLE, "brief", "follow-up", locales=("tr",))
    assert work(added, "PrepareShard") == set() and added["models_loaded"] == 1

    before = mtimes(project.locales)
    project.run("--targets", "uk,de,tr")
    assert last_run(project)["tasks_run"] == {} and mtimes(project.locales) == before
