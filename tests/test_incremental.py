"""Incremental runs: each kind of change reruns exactly the affected tasks, read from
Luigi's own task events, and a run with nothing changed does nothing at all."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import polib
from conftest import SAMPLE, Project, make_project, output_paths

from pipeline.translation.synthetic import build_package

SHARED = (
    "Despite these challenges, the continued engagement between Turkey and Ukraine suggests a growing "
    "alignment of interests in the face of a common adversary."
)


def last_run(project: Project) -> dict:
    return json.loads((project.locales / ".locpipe" / "last-run.json").read_text(encoding="utf-8"))


def ran(summary: dict) -> dict[str, int]:
    return dict(Counter(t["task"] for t in summary["tasks"] if t["status"] == "done"))


def catalogs_written(summary: dict) -> set[tuple[str, str]]:
    return {
        (Path(t["params"]["segments"]).name.split(".txt")[0], t["params"]["locale"])
        for t in summary["tasks"]
        if t["task"] == "WriteLocale"
    }


def mtimes(folder: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in output_paths(folder)}


def set_option(project: Project, key: str, value: str) -> None:
    cfg = project.root / "luigi.cfg"
    lines = [
        f"{key} = {value}" if line.split("=")[0].strip() == key else line
        for line in cfg.read_text(encoding="utf-8").splitlines()
    ]
    cfg.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_change_matrix(tmp_path: Path, installed_models: Path) -> None:
    import shutil

    project = make_project(tmp_path / "proj", ("uk", "de"))
    shutil.copytree(installed_models, project.models)
    shutil.copy(SAMPLE, project.inputs / SAMPLE.name)
    brief = project.inputs / "brief.txt"
    brief.write_text(f"Brief\n\n{SHARED}\n\nTalks went on for hours.\n", encoding="utf-8")

    project.run()
    first = last_run(project)
    assert first["models_loaded"] == 2 and first["segments_translated"] > 0
    assert catalogs_written(first) == {
        (a, loc) for a in ("ukraine-turkey-defense", "brief") for loc in ("uk", "de")
    }

    # nothing changed: no task, no model, no file touched
    before = mtimes(project.locales)
    project.run()
    idle = last_run(project)
    assert ran(idle) == {} and idle["models_loaded"] == 0 and idle["segments_translated"] == 0
    assert mtimes(project.locales) == before

    # an edited article: only that article's tasks, and only its new sentence is translated
    brief.write_text(
        brief.read_text(encoding="utf-8") + "\nThe ministry declined to comment.\n", encoding="utf-8"
    )
    project.run()
    edit = last_run(project)
    assert ran(edit) == {
        "DetectLanguage": 1,
        "SegmentArticle": 1,
        "WriteTemplate": 1,
        "TranslatePair": 2,
        "WriteLocale": 2,
        "TranslateAll": 1,
    }
    assert catalogs_written(edit) == {("brief", "uk"), ("brief", "de")}
    assert edit["segments_translated"] == 2 and edit["models_loaded"] == 2

    # a review: the locale's memory, the reviewed catalog, and the article the memory now serves
    po_path = project.locales / "uk" / "LC_MESSAGES" / "ukraine-turkey-defense.po"
    po = polib.pofile(str(po_path))
    entry = po.find(SHARED)
    entry.msgstr, entry.flags = "Попри ці виклики, взаємодія триває.", []
    po.save()
    project.run()
    review = last_run(project)
    assert ran(review) == {"BuildMemory": 1, "WriteLocale": 2, "TranslateAll": 1}
    assert catalogs_written(review) == {("ukraine-turkey-defense", "uk"), ("brief", "uk")}
    assert review["segments_translated"] == 0 and review["models_loaded"] == 0
    offered = polib.pofile(str(project.locales / "uk" / "LC_MESSAGES" / "brief.po")).find(SHARED)
    assert offered.msgstr == entry.msgstr and "from memory 100%" in offered.comment

    # a new model version for one pair: that pair's translations and catalogs only
    newer = build_package(
        "en", "de", tmp_path / "newer", version="0.0.2-demo", sample_text=SAMPLE.read_text()
    )
    project.locpipe("models", "install", str(newer))
    project.run()
    model = last_run(project)
    assert ran(model) == {"TranslatePair": 1, "WriteLocale": 2, "TranslateAll": 1}
    assert catalogs_written(model) == {("ukraine-turkey-defense", "de"), ("brief", "de")}
    assert model["models_loaded"] == 1 and model["segments_translated"] > 10
    de = polib.pofile(str(project.locales / "de" / "LC_MESSAGES" / "brief.po"))
    assert all("0.0.2-demo" in e.comment for e in de if e.msgstr)

    # a catalog setting: every catalog, no MT
    set_option(project, "mo_include_fuzzy", "true")
    project.run()
    setting = last_run(project)
    assert ran(setting) == {"WriteLocale": 4, "TranslateAll": 1}
    assert setting["segments_translated"] == 0

    # a decoding setting: MT again for every pair, then every catalog
    set_option(project, "beam_size", "1")
    project.run()
    decoding = last_run(project)
    assert ran(decoding) == {"TranslatePair": 2, "WriteLocale": 4, "TranslateAll": 1}
    assert decoding["models_loaded"] == 2

    # a new target locale: only that locale's work
    project.run("--targets", "uk,de,tr")
    added = last_run(project)
    assert ran(added) == {"BuildMemory": 1, "TranslatePair": 1, "WriteLocale": 2, "TranslateAll": 1}
    assert catalogs_written(added) == {("ukraine-turkey-defense", "tr"), ("brief", "tr")}

    before = mtimes(project.locales)
    project.run("--targets", "uk,de,tr")
    assert ran(last_run(project)) == {} and mtimes(project.locales) == before
