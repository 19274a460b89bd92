"""Markdown, JSONL, legacy encodings and mixed-language copy, end to end through the
synthetic Argos package: the real path is wired (its output is placeholder text, so what
is checked is structure, kept bytes and catalog validity, not wording)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import polib
from conftest import make_project, msgfmt_check
from markdown_it import MarkdownIt
from test_protect import MARKDOWN, block_structure

from pipeline.outputs.manifest import read_manifest
from pipeline.translation.protect import FSI, PDI
from pipeline.translation.synthetic import build_package

FEED = [
    {
        "id": "a-1",
        "title": "First feed item",
        "body": "The council met on Monday.\nIt approved the budget.",
        "lang": "en",
        "tags": ["council"],
    },
    None,  # a malformed line
    {"id": "a-2", "title": "Second item", "body": "Prices rose by 5% in March.", "source": "wire"},
    {"id": "a-3", "title": "Third item", "body": "Visit https://example.org/feed for details."},
]
MIXED = """Mixed report

The government announced new measures to support small businesses across the country this week.

Die Regierung hat diese Woche neue Maßnahmen zur Unterstützung kleiner Unternehmen im ganzen Land angekündigt.

Officials said the plan would be reviewed again in the spring after consultations with industry groups.

Die Beamten sagten, der Plan werde im Frühjahr nach Gesprächen mit Branchenverbänden erneut geprüft.
"""
GERMAN = (
    "Die Regierung hat diese Woche neue Maßnahmen zur Unterstützung kleiner Unternehmen im ganzen Land "
    "angekündigt."
)


def urls(text: str) -> set[str]:
    found = set(re.findall(r"https?://[^\s)\"<>]+", text)) | set(re.findall(r"[\w.]+@[\w.]+\.org", text))
    for token in MarkdownIt("commonmark").parse(text):
        for child in token.children or []:
            if child.attrs.get("src"):
                found.add(str(child.attrs["src"]))
    return found


def test_markdown_jsonl_encodings_and_mixed_language(tmp_path, installed_models):
    project = make_project(tmp_path / "proj", ("uk", "de"))
    shutil.copytree(installed_models, project.models)
    doc = MARKDOWN + "\n## Results\n\nResults\n"
    (project.inputs / "doc.md").write_text(doc, encoding="utf-8")
    lines = [json.dumps(item) if item else '{"id": "broken", "title": ' for item in FEED]
    (project.inputs / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (project.inputs / "latin1.txt").write_bytes(
        "Café review\n\nThe café on the corner serves crème brûlée and coffee every morning.\n".encode(
            "latin-1"
        )
    )
    (project.inputs / "utf16.txt").write_bytes(
        "Old editor\n\nThis article was saved by an old editor in UTF-16 with a byte order mark.\n".encode(
            "utf-16"
        )
    )
    (project.inputs / "binary.txt").write_bytes(b"\x00\x01PNG" * 40)
    (project.inputs / "mixed.txt").write_text(MIXED, encoding="utf-8")

    result = project.run(check=False)
    assert result.returncode != 0
    assert "binary.txt: binary file, not text" in result.stderr
    assert "feed.jsonl:2: not valid JSON" in result.stderr
    for path in [*project.locales.rglob("*.po"), *project.locales.rglob("*.pot")]:
        msgfmt_check(path)

    # Markdown: the same blocks, code and HTML byte for byte, every URL kept
    for locale in ("uk", "de"):
        out = (project.locales / locale / "doc.md").read_text(encoding="utf-8")
        assert block_structure(out) == block_structure(doc)
        assert '```python\nprint("never translated")  # https://example.org/in-code\n```\n' in out
        assert '<div class="note">HTML block kept</div>' in out
        assert urls(doc) <= urls(out), urls(doc) - urls(out)
        assert out.startswith('---\ntitle: "') and "\nlang: en\ntags: [news, release]\n---\n" in out
    pot = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(project.locales / "templates" / "doc.pot"))}
    assert ("heading", "Results") in pot and (None, "Results") in pot  # same text, two contexts
    assert ("table header", "Name") in pot
    link = pot[
        (
            None,
            "Run `pip install locpipe` and read the **full guide** at "
            '[our site](https://example.org/guide "Guide").',
        )
    ]
    assert "context: (paragraph start) | It takes 5 minutes" in link.comment  # the reviewer sees the markup

    # JSONL: one line per article, same ids and keys in the same order, title and body translated
    for locale in ("uk", "de"):
        rendered = [
            json.loads(line) for line in (project.locales / locale / "feed.jsonl").read_text().splitlines()
        ]
        expected = [item for item in FEED if item]
        assert [r["id"] for r in rendered] == ["a-1", "a-2", "a-3"]
        for got, source in zip(rendered, expected, strict=True):
            assert list(got) == list(source)
            assert got["title"] != source["title"] and got["body"] != source["body"]
            assert {k: v for k, v in got.items() if k not in {"title", "body"}} == {
                k: v for k, v in source.items() if k not in {"title", "body"}
            }
        assert rendered[2]["body"].count("https://example.org/feed") == 1

    manifest = read_manifest(project.locales / "manifest.json")
    articles = manifest["articles"]
    assert articles["a-2"]["source"] == "feed.jsonl:3" and articles["a-2"]["status"] == "ok"
    assert articles["latin1"]["status"] == "ok" and articles["latin1"]["encoding"] != "utf-8"
    assert articles["utf16"]["status"] == "ok" and articles["utf16"]["encoding"] == "utf-16"
    latin = polib.pofile(str(project.locales / "templates" / "latin1.pot"))
    assert any("crème brûlée" in e.msgid for e in latin)
    assert (project.locales / "uk" / "latin1.txt").read_bytes().decode("utf-8")

    # mixed language: each paragraph from its own language; German left as it is for de
    assert articles["mixed"]["detection"]["method"] == "per-paragraph"
    de = {e.msgid: e for e in polib.pofile(str(project.locales / "de" / "LC_MESSAGES" / "mixed.po"))}
    assert de[GERMAN].msgstr == "" and "already in the target language" in de[GERMAN].comment
    english = next(e for m, e in de.items() if m.startswith("The government announced"))
    assert "machine: argos en->de" in english.comment and english.msgstr
    assert GERMAN in (project.locales / "de" / "mixed.txt").read_text(encoding="utf-8")
    uk = {e.msgid: e for e in polib.pofile(str(project.locales / "uk" / "LC_MESSAGES" / "mixed.po"))}
    assert uk[GERMAN].msgstr == "" and "no model for de->uk" in uk[GERMAN].comment

    rows = json.loads(project.locpipe("status", "--json").stdout)["rows"]
    status = {(r["article"], r["locale"]): r for r in rows}
    assert status[("doc", "uk")]["checks"] > 0  # the demo model's output fails the checks, as it should
    assert not [key for key, row in status.items() if row["orphaned"]]  # feeds belong to their input


def test_paragraph_units(tmp_path, installed_models):
    project = make_project(tmp_path / "proj", ("uk",))
    shutil.copytree(installed_models, project.models)
    cfg = project.root / "luigi.cfg"
    cfg.write_text(cfg.read_text().replace("[locpipe]\n", "[locpipe]\nunit = paragraph\n"), encoding="utf-8")
    (project.inputs / "doc.txt").write_text(
        "Title\n\nOne sentence here. Another one follows.\n", encoding="utf-8"
    )
    project.run()
    pot = polib.pofile(str(project.locales / "templates" / "doc.pot"))
    assert [e.msgid for e in pot] == ["Title", "One sentence here. Another one follows."]
    msgfmt_check(project.locales / "uk" / "LC_MESSAGES" / "doc.po")


def test_jsonl_edit_reruns_only_that_line(tmp_path, installed_models):
    project = make_project(tmp_path / "proj", ("uk",))
    shutil.copytree(installed_models, project.models)
    feed = project.inputs / "feed.jsonl"
    items = [item for item in FEED if item]
    feed.write_text("\n".join(json.dumps(i) for i in items) + "\n", encoding="utf-8")
    project.run()
    items[1]["body"] = "Prices fell in April."
    feed.write_text("\n".join(json.dumps(i) for i in items) + "\n", encoding="utf-8")
    project.run()
    summary = json.loads((project.locales / ".locpipe" / "last-run.json").read_text())
    (changed,) = [i["id"] for i in items[1:2]]
    assert summary["work"]["WriteShard"] == [f"{changed}@uk"] and summary["tasks_run"]["WriteFeed"] == 1
    assert Path(project.locales / "uk" / "feed.jsonl").read_text().count("\n") == 3


def test_rtl_target_isolates_restored_values_and_glossary_is_followed(tmp_path, installed_models, packages):
    project = make_project(tmp_path / "proj", ("ar", "uk"))
    shutil.copytree(installed_models, project.models)
    arabic = build_package("en", "ar", tmp_path / "pkg", sample_text="Officials met in Kyiv. " * 20)
    project.locpipe("models", "install", str(arabic))
    (project.root / "glossary.csv").write_text("term,uk,ar\nKyiv,Київ,keep\n", encoding="utf-8")
    (project.inputs / "note.md").write_text(
        "# Note\n\nOfficials met in Kyiv and published `report.pdf` at https://example.org/r today.\n",
        encoding="utf-8",
    )
    project.run()
    ar = polib.pofile(str(project.locales / "ar" / "LC_MESSAGES" / "note.po"))
    entry = next(e for e in ar if e.msgid.startswith("Officials"))
    assert f"{FSI}https://example.org/r{PDI}" in entry.msgstr and f"{FSI}`report.pdf`{PDI}" in entry.msgstr
    assert "Kyiv" in entry.msgstr
    uk = polib.pofile(str(project.locales / "uk" / "LC_MESSAGES" / "note.po"))
    assert "Київ" in next(e for e in uk if e.msgid.startswith("Officials")).msgstr
    for po in project.locales.rglob("*.po"):
        msgfmt_check(po)
