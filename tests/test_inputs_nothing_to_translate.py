"""Inputs that are not ordinary prose: a feed line that is not text, articles with nothing to
translate, articles too short to tell their language, a stray byte in an ASCII file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import Project, make_project


def _project(tmp_path: Path, installed_models: Path) -> Project:
    project = make_project(tmp_path / "p", ("uk",))
    shutil.copytree(installed_models, project.models, dirs_exist_ok=True)
    return project


def test_odd_inputs_each_get_their_line_and_the_rest_goes_on(tmp_path: Path, installed_models: Path):
    project = _project(tmp_path, installed_models)
    lines = [
        {"id": "a1", "title": "Good line", "body": "This line is fine and should be translated."},
        None,  # a lone surrogate escape: valid JSON, not text
        {"id": "a3", "title": "Third line", "body": "Another good line of text for the feed."},
    ]
    bad = '{"id": "a2", "title": "Bad \\ud800", "body": "x"}'
    feed = "\n".join(json.dumps(x) if x else bad for x in lines)
    (project.inputs / "feed.jsonl").write_text(feed + "\n", encoding="utf-8")
    (project.inputs / "code.md").write_text("```\nx = 1\ny = 2\n```\n", encoding="utf-8")
    (project.inputs / "table.md").write_text("| 2024 | 2025 |\n|---|---|\n| 1 | 2 |\n", encoding="utf-8")
    links = "# Links\n\nhttps://example.com/a\n\nhttps://example.org/b/c?d=1\n\n<https://example.net/x>\n"
    (project.inputs / "links.md").write_text(links, encoding="utf-8")
    stray = b"Plain article\n\nThe council met on Monday \xff and decided.\n"
    (project.inputs / "stray.txt").write_bytes(stray)
    result = project.run(check=False)
    assert result.returncode == 1, result.stderr  # the feed line is an error
    err = result.stderr
    assert "feed.jsonl:2: title holds a lone surrogate escape (\\ud800)" in err
    # every line a user sees is locpipe's: no Luigi worker prefix, traceback or NoneType line
    assert "Worker(" not in err and "Traceback" not in err and "NoneType" not in err, err
    manifest = json.loads((project.locales / "manifest.json").read_text(encoding="utf-8"))
    pages = [json.loads((project.locales / p).read_text(encoding="utf-8")) for p in manifest["pages"]]
    articles = {aid: art for page in pages for aid, art in page["articles"].items()}
    assert {"a1", "a3"} <= set(articles)  # the feed's other lines are translated
    # nothing to translate: copied to the locale as it is, counted, not an error
    for name in ("code", "table"):
        copied = (project.locales / "uk" / f"{name}.md").read_bytes()
        assert copied == (project.inputs / f"{name}.md").read_bytes()
        assert articles[name]["locales"]["uk"]["status"] == "ok"
    # links only: not a guess from the URLs
    assert "links: too little text to tell its language (5 letters once URLs" in err
    assert "stray.txt: not UTF-8: read as" in err, err
    assert "a guess from 1 non-ASCII byte(s) at offset 41" in err


def test_an_input_edited_after_listing_is_recorded_as_read(tmp_path: Path) -> None:
    """The listing took the file's digest before the edit; the stage read the edited bytes.
    The record is keyed by what was read, so reverting the edit later is a change again."""
    import hashlib

    from pipeline.core.layout import Layout
    from pipeline.segments.prepare import segment_shard

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    path = inputs / "note.txt"
    listed = "Harbour note\n\nThe ferry leaves at seven. Tickets are sold on board.\n"
    edited = listed.replace("seven", "eight")  # saved between the listing and the read
    path.write_text(edited, encoding="utf-8")
    listed_digest = hashlib.sha256(listed.encode()).hexdigest()
    ref = {"id": "note", "path": str(path), "member": 0, "digest": listed_digest}
    options = {"source_lang": "en", "min_confidence": 0.8, "unit": "sentence", "abbreviations": None,
               "inputs": inputs, "feed_mode": False}  # fmt: skip
    stamp = segment_shard(Layout(tmp_path / "locales"), 0, "k", [ref], "made", options).stamp
    read = hashlib.sha256(path.read_bytes()).hexdigest()
    assert stamp["articles"]["note"]["digest"] == read != ref["digest"]
    assert any("changed while this run read it" in w for w in stamp["articles"]["note"]["warnings"])


def test_a_feed_lines_references_follow_it_when_lines_move(tmp_path: Path, installed_models: Path):
    project = _project(tmp_path, installed_models)
    feed = project.inputs / "briefs.jsonl"
    lines = [
        {"id": "b1", "title": "Bridge closed", "body": "The bridge is closed for repairs this week."},
        {"id": "b2", "title": "Market day", "body": "The market opens at eight in the morning."},
    ]
    feed.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    project.run()
    top = {"id": "b0", "title": "New first", "body": "A new line on top of the feed today."}
    feed.write_text("".join(json.dumps(x) + "\n" for x in [top, *lines]), encoding="utf-8")
    project.run()
    po = (project.locales / "uk" / "LC_MESSAGES" / "b2.po").read_text(encoding="utf-8")
    assert "#: briefs.jsonl:3" in po and "#: briefs.jsonl:2" not in po
