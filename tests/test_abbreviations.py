"""The desk's abbreviations/<lang>.txt: read per change, part of the segmentation's identity."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import polib
from conftest import make_project

from pipeline.core.settings import load_settings
from pipeline.segments.splitter import segmentation_key, split_sentences

TEXT = "The report by corr. Olena Petrenko was cited widely. Talks went on for hours."


def sentences(text: str, folder: Path | None) -> list[str]:
    return [s for s, _ in split_sentences(text, "en", abbreviations=folder)]


def test_a_desk_abbreviation_keeps_its_sentence_whole_and_edits_are_seen(tmp_path: Path) -> None:
    folder = tmp_path / "abbreviations"
    folder.mkdir()
    assert len(sentences(TEXT, folder)) == 3  # no list yet: "corr." reads as an end
    listed = folder / "en.txt"
    listed.write_text("# our correspondents\ncorr.\n", encoding="utf-8")
    assert sentences(TEXT, folder) == [
        "The report by corr. Olena Petrenko was cited widely.",
        "Talks went on for hours.",
    ]
    listed.write_text("# none for now\n", encoding="utf-8")
    os.utime(listed, ns=(1, 1))  # same second as the first write on coarse clocks: mtime differs
    assert len(sentences(TEXT, folder)) == 3
    assert len(sentences(TEXT, None)) == 3


def test_the_segmentation_key_follows_the_lists_contents(tmp_path: Path) -> None:
    folder = tmp_path / "abbreviations"
    folder.mkdir()
    empty = segmentation_key(folder)
    assert segmentation_key(folder) == empty == segmentation_key(tmp_path / "missing")
    (folder / "tr.txt").write_text("Gn\n", encoding="utf-8")
    listed = segmentation_key(folder)
    assert listed != empty
    (folder / "tr.txt").write_text("Gn\nMd\n", encoding="utf-8")
    assert segmentation_key(folder) not in {empty, listed}


def test_settings_find_the_folder_next_to_the_config(tmp_path: Path) -> None:
    project = make_project(tmp_path / "proj", ("uk",))
    settings = load_settings(project.root / "luigi.cfg")
    assert settings.abbreviations == (project.root / "abbreviations").resolve()
    before = segmentation_key(settings.abbreviations)
    (project.root / "abbreviations").mkdir()
    (project.root / "abbreviations" / "en.txt").write_text("corr\n", encoding="utf-8")
    assert segmentation_key(settings.abbreviations) != before


def test_changing_the_list_resegments_and_translates_only_changed_sentences(
    tmp_path: Path, installed_models: Path
) -> None:
    project = make_project(tmp_path / "proj", ("uk",))
    shutil.copytree(installed_models, project.models)
    (project.inputs / "brief.txt").write_text(f"Brief\n\n{TEXT}\n", encoding="utf-8")
    project.run()
    po = project.locales / "uk" / "LC_MESSAGES" / "brief.po"
    assert "msgid \"Olena Petrenko was cited widely.\"" in po.read_text(encoding="utf-8")

    (project.root / "abbreviations").mkdir()
    (project.root / "abbreviations" / "en.txt").write_text("corr\n", encoding="utf-8")
    project.run()
    summary = json.loads((project.locales / ".locpipe" / "last-run.json").read_text(encoding="utf-8"))
    assert summary["work"]["PrepareShard"] == ["brief"]
    assert summary["segments_translated"] == 1  # "Talks went on for hours." kept its translation
    catalog = polib.pofile(str(po))
    assert catalog.find("The report by corr. Olena Petrenko was cited widely.") is not None
    assert catalog.find("Olena Petrenko was cited widely.") is None  # kept only as obsolete
