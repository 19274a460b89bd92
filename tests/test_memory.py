"""Memory export/import (TMX 1.4 and .po), prune, and orphans in status."""

from __future__ import annotations

import hashlib
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import polib
import pytest
from conftest import SAMPLE, Project, make_project, msgfmt_check, output_paths

from pipeline.memory.tmx import XML_LANG

FIRST = "Talks went on for hours in the capital."
SECOND = "The ministry declined to comment on the report."
THIRD = "Officials said the meeting was productive."


def write_article(project: Project, name: str, *sentences: str) -> Path:
    path = project.inputs / f"{name}.txt"
    path.write_text(f"{name.title()}\n\n" + "\n\n".join(sentences) + "\n", encoding="utf-8")
    return path


def review(po_path: Path, translations: dict[str, str]) -> None:
    po = polib.pofile(str(po_path))
    for entry in po:
        if entry.msgid in translations:
            entry.msgstr, entry.flags = translations[entry.msgid], []
    po.save()


def po_of(project: Project, article: str, locale: str = "uk") -> Path:
    return project.locales / locale / "LC_MESSAGES" / f"{article}.po"


@pytest.mark.slow  # several full runs: the default suite stays under 5 minutes
def test_export_and_import_seed_another_project(tmp_path: Path, installed_models: Path) -> None:
    source = make_project(tmp_path / "source", ("uk",))
    shutil.copytree(installed_models, source.models)
    write_article(source, "alpha", FIRST, SECOND)
    source.run()
    review(
        po_of(source, "alpha"), {FIRST: "Переговори тривали годинами.", SECOND: "Міністерство відмовилося."}
    )

    tmx = tmp_path / "uk.tmx"
    assert "exported 2" in source.locpipe("memory", "export", "--locale", "uk", str(tmx)).stdout
    root = ET.parse(tmx).getroot()
    assert root.get("version") == "1.4" and root.find("header").get("srclang") == "en"
    units = [{tuv.get(XML_LANG): tuv.find("seg").text for tuv in tu.iter("tuv")} for tu in root.iter("tu")]
    assert {"en": FIRST, "uk": "Переговори тривали годинами."} in units
    assert {u["en"] for u in units} == {FIRST, SECOND}
    as_po = tmp_path / "uk-memory.po"
    source.locpipe("memory", "export", "--locale", "uk", str(as_po))
    msgfmt_check(as_po)
    assert {e.msgid: e.msgstr for e in polib.pofile(str(as_po))}[SECOND] == "Міністерство відмовилося."

    target = make_project(tmp_path / "target", ("uk",))
    shutil.copytree(installed_models, target.models)
    write_article(target, "beta", FIRST, SECOND, THIRD)
    assert "imported 2" in target.locpipe("memory", "import", "--locale", "uk", str(tmx)).stdout
    target.run()
    entries = {e.msgid: e for e in polib.pofile(str(po_of(target, "beta")))}
    assert entries[FIRST].msgstr == "Переговори тривали годинами."
    assert "fuzzy" in entries[FIRST].flags and "from memory 100% (tmx:uk.tmx)" in entries[FIRST].comment
    assert "machine:" in entries[THIRD].comment

    # a .po from elsewhere seeds the memory too: its reviewed entries only
    other = make_project(tmp_path / "other", ("uk",))
    shutil.copytree(installed_models, other.models)
    write_article(other, "gamma", SECOND, THIRD)
    po_seed = polib.pofile(str(as_po))
    po_seed.append(polib.POEntry(msgid=THIRD, msgstr="Машинний варіант.", flags=["fuzzy"]))
    po_seed.save(str(as_po))
    assert "imported 2" in other.locpipe("memory", "import", "--locale", "uk", str(as_po)).stdout
    other.run()
    gamma = {e.msgid: e for e in polib.pofile(str(po_of(other, "gamma")))}
    assert gamma[SECOND].msgstr == "Міністерство відмовилося." and "from memory 100%" in gamma[SECOND].comment
    assert "machine:" in gamma[THIRD].comment  # a fuzzy entry is not reviewed work

    # the same file again is the same seed: nothing new to do
    target.locpipe("memory", "import", "--locale", "uk", str(tmx))
    target.run()
    assert json.loads((target.locales / ".locpipe" / "last-run.json").read_text())["tasks_run"] == {}

    bad = tmp_path / "bad.tmx"
    bad.write_text("<tmx><body><tu>", encoding="utf-8")
    result = target.locpipe("memory", "import", "--locale", "uk", str(bad), check=False)
    assert result.returncode == 2 and str(bad) in result.stderr and "TMX" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 2  # the config and folders used, the error


def test_prune_keeps_reviewed_work_in_memory(project: Project) -> None:
    write_article(project, "brief", FIRST, SECOND)
    project.run("--targets", "uk")
    review(po_of(project, "brief"), {FIRST: "Переговори тривали годинами."})
    sample = project.inputs / SAMPLE.name
    sentence = "However, the Russian Ministry of Foreign Affairs recently commented"
    main_po = po_of(project, "ukraine-turkey-defense")
    full = next(e.msgid for e in polib.pofile(str(main_po)) if e.msgid.startswith(sentence))
    review(main_po, {full: "Проте МЗС Росії нещодавно висловило скептицизм."})
    text = sample.read_text(encoding="utf-8")
    start = text.index(sentence)
    sample.write_text(text[:start] + text[text.index("\n", start) + 1 :], encoding="utf-8")
    (project.inputs / "brief.txt").unlink()
    project.run("--targets", "uk")

    rows = {r["article"]: r for r in json.loads(project.locpipe("status", "--json").stdout)["rows"]}
    assert rows["brief"]["orphaned"] is True and rows["brief"]["reviewed"] == 1
    assert rows["ukraine-turkey-defense"]["orphaned"] is False
    assert rows["ukraine-turkey-defense"]["obsolete"] == 1
    table = project.locpipe("status").stdout
    assert "orphaned" in table.splitlines()[0] and "yes" in next(
        line for line in table.splitlines() if "brief" in line
    )

    dry = project.locpipe("prune", "--orphans", "--dry-run")
    assert "would remove uk/LC_MESSAGES/brief.po" in dry.stdout and po_of(project, "brief").exists()
    before = po_of(project, "ukraine-turkey-defense").read_bytes()
    assert "would drop 1 entries" in project.locpipe("prune", "--obsolete", "--dry-run").stdout
    assert po_of(project, "ukraine-turkey-defense").read_bytes() == before
    done = project.locpipe("prune", "--orphans", "--obsolete")
    assert "removed uk/LC_MESSAGES/brief.po" in done.stdout
    assert not [p for p in output_paths(project.locales) if p.name.startswith("brief.")]
    po = polib.pofile(str(po_of(project, "ukraine-turkey-defense")))
    assert not [e for e in po if e.obsolete]
    msgfmt_check(po_of(project, "ukraine-turkey-defense"))
    exported = project.root / "uk.po"
    project.locpipe("memory", "export", "--locale", "uk", str(exported))
    assert polib.pofile(str(exported)).find(full).msgstr == "Проте МЗС Росії нещодавно висловило скептицизм."

    # the deleted article's reviewed sentence still serves a new article
    write_article(project, "later", FIRST)
    project.run("--targets", "uk")
    entry = polib.pofile(str(po_of(project, "later"))).find(FIRST)
    assert entry.msgstr == "Переговори тривали годинами." and "from memory 100% (brief)" in entry.comment


def test_prune_leaves_a_broken_catalog_alone(project: Project) -> None:
    project.run("--targets", "uk")
    (project.inputs / SAMPLE.name).unlink()
    po = po_of(project, "ukraine-turkey-defense")
    po.write_text(po.read_text(encoding="utf-8") + 'msgid "unterminated\n', encoding="utf-8")
    digest = hashlib.sha256(po.read_bytes()).hexdigest()
    result = project.locpipe("prune", "--orphans", "--force", check=False)
    assert result.returncode == 1
    assert f"{po}:" in result.stderr and "kept" in result.stderr
    assert hashlib.sha256(po.read_bytes()).hexdigest() == digest
