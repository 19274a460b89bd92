"""`feed_catalog = feed`: one .pot/.po/.mo per JSONL feed and locale, each line's entries
told apart by msgctxt, with every guarantee the per-article catalogs give."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import polib
from conftest import Project, make_project, msgfmt_check, output_files, output_paths

ITEMS = [
    {"id": "a-1", "title": "Markets rally", "body": "Stocks rose on Monday. Analysts were surprised."},
    {"id": "a-2", "title": "Rain expected", "body": "Heavy rain is forecast for the weekend."},
    {"id": "a-3", "title": "Markets rally", "body": "The council met on Tuesday.", "extra": 7},
]


def feed_project(root: Path, installed_models: Path, mode: str) -> Project:
    project = make_project(root, ("uk",))
    shutil.copytree(installed_models, project.models)
    cfg = project.root / "luigi.cfg"
    cfg.write_text(
        cfg.read_text(encoding="utf-8").replace("[locpipe]\n", f"[locpipe]\nfeed_catalog = {mode}\n", 1),
        encoding="utf-8",
    )
    write_items(project, ITEMS)
    return project


def write_items(project: Project, items: list[dict]) -> None:
    text = "\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n"
    (project.inputs / "news.jsonl").write_text(text, encoding="utf-8")


def last_run(project: Project) -> dict:
    return json.loads((project.locales / ".locpipe" / "last-run.json").read_text(encoding="utf-8"))


def msgcat_identical(path: Path) -> None:
    printed = subprocess.run(["msgcat", str(path)], capture_output=True, check=True).stdout
    assert printed == path.read_bytes(), path


def test_feed_mode_writes_one_catalog_per_feed(tmp_path: Path, installed_models: Path) -> None:
    feed = feed_project(tmp_path / "feed", installed_models, "feed")
    article = feed_project(tmp_path / "article", installed_models, "article")
    feed.run()
    article.run()
    files = sorted(str(p.relative_to(feed.locales)) for p in output_paths(feed.locales))
    assert [f for f in files if f.endswith((".po", ".pot", ".mo"))] == [
        "templates/news.pot", "uk/LC_MESSAGES/news.mo", "uk/LC_MESSAGES/news.po",
    ]
    po = polib.pofile(str(feed.locales / "uk" / "LC_MESSAGES" / "news.po"))
    contexts = [e.msgctxt for e in po]
    assert contexts[:2] == ["a-1|title", "a-1"] and "a-3|title" in contexts
    assert {c.split("|")[0] for c in contexts} == {"a-1", "a-2", "a-3"}
    pot = polib.pofile(str(feed.locales / "templates" / "news.pot"))
    assert [(e.msgctxt, e.msgid) for e in pot] == [(e.msgctxt, e.msgid) for e in po]
    for path in (feed.locales / "uk" / "LC_MESSAGES" / "news.po", feed.locales / "templates" / "news.pot"):
        msgfmt_check(path)
        msgcat_identical(path)
    # the rendered feed is the same bytes whichever catalog layout
    rendered = feed.locales / "uk" / "news.jsonl"
    assert rendered.read_bytes() == (article.locales / "uk" / "news.jsonl").read_bytes()
    status = json.loads(feed.locpipe("status", "--json").stdout)
    rows = {r["article"]: r for r in status["rows"]} if isinstance(status, dict) else {}
    assert rows and rows["a-1"]["total"] == 3 and rows["a-2"]["machine"] == 2
    assert not any(r.get("orphaned") for r in status["rows"])
    feed.locpipe("prune", "--orphans")
    assert (feed.locales / "uk" / "LC_MESSAGES" / "news.po").exists()


def mtimes(folder: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in output_paths(folder)}


def test_feed_catalog_review_edit_and_idle_rerun(tmp_path: Path, installed_models: Path) -> None:
    project = feed_project(tmp_path / "proj", installed_models, "feed")
    project.run()
    po_path = project.locales / "uk" / "LC_MESSAGES" / "news.po"

    # nothing changed: no task, nothing translated, no file rewritten
    before = mtimes(project.locales)
    project.run()
    assert last_run(project)["tasks_run"] == {} and mtimes(project.locales) == before

    # a review in the feed catalog reaches the rendered feed, the .mo and the memory
    po = polib.pofile(str(po_path), wrapwidth=79)
    entry = po.find("Heavy rain is forecast for the weekend.", msgctxt="a-2")
    entry.msgstr, entry.flags = "Рецензований переклад.", []
    po.save(str(po_path))
    project.run()
    run = last_run(project)
    assert run["segments_translated"] == 0 and run["work"]["WriteShard"] == ["a-2@uk"]
    lines = [json.loads(x) for x in (project.locales / "uk" / "news.jsonl").read_text().splitlines()]
    assert lines[1]["body"] == "Рецензований переклад."
    mo = polib.mofile(str(po_path.with_suffix(".mo")))
    assert [(e.msgctxt, e.msgstr) for e in mo] == [("a-2", "Рецензований переклад.")]
    memory = (project.locales / "memory" / "uk.json").read_text(encoding="utf-8")
    assert "Рецензований переклад." in memory
    msgfmt_check(po_path)
    msgcat_identical(po_path)

    # editing one line: only its new sentence is translated, the review stays
    items = [dict(i) for i in ITEMS]
    items[2]["body"] = "The council met on Tuesday. It approved the budget."
    write_items(project, items)
    project.run()
    run = last_run(project)
    assert run["segments_translated"] == 1 and run["work"]["WriteShard"] == ["a-3@uk"]
    po = polib.pofile(str(po_path))
    reviewed = po.find("Heavy rain is forecast for the weekend.", msgctxt="a-2")
    assert reviewed.msgstr == "Рецензований переклад."
    assert po.find("It approved the budget.", msgctxt="a-3") is not None
    msgfmt_check(po_path)
    msgcat_identical(po_path)
    before = mtimes(project.locales)
    project.run()
    assert last_run(project)["tasks_run"] == {} and mtimes(project.locales) == before


def test_switching_to_feed_catalog_uses_stored_mt(tmp_path: Path, installed_models: Path) -> None:
    project = feed_project(tmp_path / "proj", installed_models, "article")
    project.run()
    rendered = (project.locales / "uk" / "news.jsonl").read_bytes()
    cfg = project.root / "luigi.cfg"
    cfg.write_text(cfg.read_text().replace("feed_catalog = article", "feed_catalog = feed"), encoding="utf-8")
    project.run()
    run = last_run(project)
    assert run["segments_translated"] == 0 and run["models_loaded"] == 0
    assert (project.locales / "uk" / "LC_MESSAGES" / "news.po").exists()
    assert (project.locales / "uk" / "news.jsonl").read_bytes() == rendered
    assert output_files(project.locales)["uk/news.jsonl"] == rendered
