"""A user's run from the CLI: catalogs valid for gettext, articles complete, runs reproducible."""

from __future__ import annotations

import gettext
import re
import shutil

import polib
from conftest import SAMPLE, luigid, luigid_tasks, make_project, msgfmt_check, output_files, output_paths

from pipeline.outputs.manifest import read_manifest


def test_run_writes_valid_catalogs_articles_and_manifest(project):
    result = project.run()
    assert "demo model" in result.stderr  # placeholder output is always labelled
    loc = project.locales
    article = "ukraine-turkey-defense"
    pot = loc / "templates" / f"{article}.pot"
    for path in [pot, *loc.glob("*/LC_MESSAGES/*.po")]:
        msgfmt_check(path)
    for target in ("uk", "tr"):
        po = polib.pofile(str(loc / target / "LC_MESSAGES" / f"{article}.po"))
        assert po.metadata["Language"] == target
        for field in (
            "Project-Id-Version",
            "POT-Creation-Date",
            "PO-Revision-Date",
            "X-Generator",
            "Language-Team",
            "Last-Translator",
            "MIME-Version",
            "Plural-Forms",
            "Content-Transfer-Encoding",
        ):
            assert po.metadata.get(field), field
        assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
        entries = [e for e in po if not e.obsolete]
        assert entries and all("fuzzy" in e.flags and e.msgstr for e in entries)
        assert all(e.tcomment == "" for e in entries)  # translator comments are not ours
        # "#: article:paragraph.sentence" (polib keeps it whole: the line part is not a number)
        refs = [":".join(filter(None, e.occurrences[0])).rsplit(":", 1)[1] for e in entries]
        assert refs == sorted(refs, key=lambda r: tuple(map(int, r.split("."))))  # article order
        assert all("source: en (langdetect" in e.comment for e in entries)
        assert all(f"machine: argos en->{target} 0.0.1-demo" in e.comment for e in entries)
        assert "demo model" in po.header
        assert (loc / target / f"{article}.txt").exists()
        assert (loc / target / "LC_MESSAGES" / f"{article}.mo").exists()
    manifest = read_manifest(loc / "manifest.json")
    assert manifest["schema_version"] == 3
    assert manifest["demo_model_used"] is True
    info = manifest["articles"][article]
    assert info["detection"]["language"] == "en" and info["detection"]["confidence"] >= 0.8
    uk = info["locales"]["uk"]
    assert uk["models"] == ["argos en->uk 0.0.1-demo"] and uk["demo_model"] is True
    assert uk["counts"]["total"] == uk["counts"]["machine"] > 10
    assert (loc / uk["po"]).exists()


def test_rendered_article_keeps_layout_and_title_first(project):
    project.run()
    source = SAMPLE.read_text(encoding="utf-8")
    rendered = (project.locales / "uk" / "ukraine-turkey-defense.txt").read_text(encoding="utf-8")
    paragraphs = lambda text: [line for line in text.splitlines() if line.strip()]  # noqa: E731
    assert len(paragraphs(rendered)) == len(paragraphs(source))
    # same blank-line structure: paragraph breaks sit where they were
    assert [bool(line.strip()) for line in rendered.splitlines()] == [
        bool(line.strip()) for line in source.splitlines()
    ]
    po = polib.pofile(str(project.locales / "uk" / "LC_MESSAGES" / "ukraine-turkey-defense.po"))
    title = next(e for e in po if e.msgctxt == "title")
    assert paragraphs(rendered)[0].startswith(title.msgstr)


def test_mo_holds_reviewed_entries_and_falls_back_for_fuzzy(project, tmp_path):
    project.run()
    po_path = project.locales / "uk" / "LC_MESSAGES" / "ukraine-turkey-defense.po"
    po = polib.pofile(str(po_path))
    body = [e for e in po if not e.msgctxt]
    reviewed, machine = body[1], body[2]
    reviewed.msgstr = "Перевірений переклад."
    reviewed.flags.remove("fuzzy")
    reviewed.tcomment = "checked against the minister's post"
    po.save(str(po_path))
    project.run()
    msgfmt_check(po_path)
    with open(po_path.with_suffix(".mo"), "rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    assert catalog.gettext(reviewed.msgid) == "Перевірений переклад."
    assert catalog.gettext(machine.msgid) == machine.msgid  # fuzzy: source text, as msgfmt does
    again = polib.pofile(str(po_path))
    kept = again.find(reviewed.msgid)
    assert kept.msgstr == "Перевірений переклад." and "fuzzy" not in kept.flags
    assert kept.tcomment == "checked against the minister's post"
    assert "machine:" not in kept.comment  # provenance goes once reviewed
    rendered = (project.locales / "uk" / "ukraine-turkey-defense.txt").read_text(encoding="utf-8")
    assert "Перевірений переклад." in rendered

    fuzzy_project = make_project(tmp_path / "fuzzy", ("uk",), fuzzy=True)
    shutil.copy(SAMPLE, fuzzy_project.inputs)
    shutil.copytree(project.models, fuzzy_project.models)
    fuzzy_project.run()
    mo = fuzzy_project.locales / "uk" / "LC_MESSAGES" / "ukraine-turkey-defense.mo"
    with open(mo, "rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    assert catalog.gettext(machine.msgid) == machine.msgstr != machine.msgid


def test_second_process_a_day_later_rewrites_nothing(project):
    project.run(SOURCE_DATE_EPOCH="1790000000")
    before = output_files(project.locales)
    mtimes = {p: p.stat().st_mtime_ns for p in output_paths(project.locales)}
    second = project.locpipe("run", SOURCE_DATE_EPOCH=str(1790000000 + 86400))  # not --quiet: Luigi's summary
    assert "complete ones were encountered" in second.stderr
    assert "ran successfully" not in second.stderr  # no task ran, so no model was loaded
    assert output_files(project.locales) == before
    assert {p: p.stat().st_mtime_ns for p in output_paths(project.locales)} == mtimes


def test_fresh_runs_are_byte_identical_whatever_the_worker_count(project, tmp_path):
    other = make_project(tmp_path / "other")
    shutil.copy(SAMPLE, other.inputs)
    (other.inputs / "second.txt").write_text(
        "A second article\n\nThe minister met the president. It was a long meeting.\n",
        encoding="utf-8",
    )
    shutil.copy(other.inputs / "second.txt", project.inputs)
    shutil.copytree(project.models, other.models)
    project.run("--workers", "1")
    other.run("--workers", "2")
    assert output_files(project.locales) == output_files(other.locales)


def test_header_date_moves_only_when_content_changes(project):
    project.run(SOURCE_DATE_EPOCH="1790000000")
    article = project.inputs / SAMPLE.name
    article.write_text(article.read_text(encoding="utf-8") + "\nA new closing line.\n", encoding="utf-8")
    project.run(SOURCE_DATE_EPOCH=str(1790000000 + 86400))
    po = polib.pofile(str(project.locales / "uk" / "LC_MESSAGES" / "ukraine-turkey-defense.po"))
    assert po.metadata["PO-Revision-Date"].startswith("2026-09-22")
    assert po.find("A new closing line.") is not None
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d\+0000", po.metadata["POT-Creation-Date"])


def test_central_scheduler_with_two_workers_matches_a_local_run(project, tmp_path):
    """A real luigid on 127.0.0.1 hands the tasks to two worker processes; the outputs are
    the same bytes as a local one-worker run, and luigid knows every task it ran."""
    other = make_project(tmp_path / "other")
    shutil.copy(SAMPLE, other.inputs)
    shutil.copytree(project.models, other.models)
    for proj in (project, other):
        (proj.inputs / "brief.txt").write_text("Brief\n\nThe minister met the president.\n", encoding="utf-8")
    with luigid(tmp_path, other.root / "luigi.cfg") as port:
        other.run("--workers", "2", "--scheduler-host", "127.0.0.1", "--scheduler-port", str(port))
        done = luigid_tasks(port, "DONE")
    families = [task["name"] for task in done.values()]
    assert families.count("WriteShard") == 2 and families.count("BuildMemory") == 2
    assert "TranslateAll" in families
    project.run("--workers", "1")
    assert output_files(project.locales) == output_files(other.locales)
