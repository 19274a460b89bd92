"""GNU gettext, Babel and msgmerge on locpipe's catalogs: what they read is what we meant,
and what they write back is what we write."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import polib
from babel.messages.pofile import read_po
from conftest import Project, make_project

from pipeline.catalogs.state import is_broken

URL = "https://example.org/" + "very-long-path/" * 6 + "index.html"
MARKDOWN = f"""# City library guide

The library opens at 9:00 and has 3,000 books in its reading rooms for everyone.

## Opening hours

Version 2.5 costs $100 and runs well on a 2.5 GHz CPU in the main reading room.

Read the full rules at {URL} before your first visit to the library.

Dear {{name}}, your card for %(branch)s runs out in a few days at the main desk.

| Day | Open | Method |
| --- | --- | --- |
| Monday | 4 | `GET` |
"""
TEXT = "Welcome to the city archive.\n\nThe archive keeps maps, letters and photographs of the old town.\n"


def corpus(project: Project) -> None:
    (project.inputs / "guide.md").write_text(MARKDOWN, encoding="utf-8")
    (project.inputs / "city archive.txt").write_text(TEXT, encoding="utf-8")
    feed = {"id": "news-1", "title": "Library news", "body": "The library opens a new room for children."}
    (project.inputs / "news.jsonl").write_text(json.dumps(feed) + "\n", encoding="utf-8")


def catalogs(out: Path) -> list[Path]:
    return sorted([*out.rglob("*.po"), *out.rglob("*.pot")])


def assert_msgcat_identity(out: Path) -> None:
    for path in catalogs(out):
        gnu = subprocess.run(["msgcat", str(path)], capture_output=True, check=True).stdout
        assert gnu == path.read_bytes(), f"msgcat rewraps {path}"


def test_msgcat_babel_and_msgmerge_agree_with_locpipe(tmp_path: Path, installed_models: Path) -> None:
    project = make_project(tmp_path / "proj", targets=("uk",))
    shutil.copytree(installed_models, project.models, dirs_exist_ok=True)
    corpus(project)
    project.run()
    out = project.root / "locales"
    assert_msgcat_identity(out)
    dear = next(e for e in polib.pofile(str(out / "templates" / "guide.pot")) if e.msgid.startswith("Dear"))
    assert "python-format" in dear.flags  # %(branch)s is a directive; msgfmt checks it
    for po_file in catalogs(out):
        subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po_file)], check=True)

    # Babel reads every reference as (input path, line) and the line is where the text starts
    for pot in (out / "templates").glob("*.pot"):
        with pot.open("rb") as handle:
            template = read_po(handle)
        for message in template:
            if not message.id:
                continue
            ((path, line),) = message.locations[:1]
            lines = (project.inputs / path).read_text(encoding="utf-8").splitlines()
            first_word = message.id.split()[0].strip("*`|#")
            assert first_word in lines[line - 1], (pot.name, message.id, path, line)

    # a reviewer works in Poedit (saves at 79 columns like msgcat) and reviews one entry;
    # Chinese and Japanese msgstrs and a broken placeholder ride along
    po_path = out / "uk" / "LC_MESSAGES" / "guide.po"
    before = po_path.read_text(encoding="utf-8")
    po = polib.pofile(str(po_path))
    target = next(e for e in po if e.msgid.startswith("The library opens"))
    target.msgstr = (
        "Бібліотека відкривається о 9:00 і має 3.000 книжок для всіх. 图书馆 図書館は九時に開きます。"
    )
    target.flags = [f for f in target.flags if f != "fuzzy"]
    po.save()
    subprocess.run(["msgcat", "--width=79", "-o", str(po_path), str(po_path)], check=True)
    project.run()
    after = po_path.read_text(encoding="utf-8")
    changed = [line for line in after.splitlines() if line not in before.splitlines()]
    assert changed and all(
        "Бібліотека" in line or "图书馆" in line or line.startswith(("msgstr", '"'))
        for line in changed
    ), changed
    assert_msgcat_identity(out)

    # Poedit's "Update from POT" drops the #. notes; the next run restores them
    status_before = json.loads(project.locpipe("status", "--json").stdout)
    subprocess.run(["msgmerge", "--quiet", "--update", "--backup=none", str(po_path),
                    str(out / "templates" / "guide.pot")], check=True)
    assert "machine: argos" not in po_path.read_text(encoding="utf-8")
    project.run()
    assert po_path.read_text(encoding="utf-8") == after
    assert json.loads(project.locpipe("status", "--json").stdout) == status_before


def test_reviewed_entry_with_broken_placeholder_stays_out_of_the_mo(
    tmp_path: Path, installed_models: Path
) -> None:
    project = make_project(tmp_path / "proj", targets=("uk",))
    shutil.copytree(installed_models, project.models, dirs_exist_ok=True)
    (project.inputs / "notice.txt").write_text(
        "Library notice\n\nDear {name}, your book is due tomorrow at the main desk.\n", encoding="utf-8"
    )
    project.run()
    po_path = project.root / "locales" / "uk" / "LC_MESSAGES" / "notice.po"
    po = polib.pofile(str(po_path))
    entry = next(e for e in po if "{name}" in e.msgid)
    assert "python-brace-format" in entry.flags
    entry.msgstr = "Шановний {nme}, вашу книжку треба повернути завтра."
    entry.flags = [f for f in entry.flags if f != "fuzzy"]
    po.save()
    result = project.run("--strict", check=False)
    assert result.returncode == 1
    assert "{nme}" in result.stderr or entry.msgid[:20] in result.stderr
    mo = polib.mofile(str(po_path.with_suffix(".mo")))
    assert entry.msgid not in {e.msgid for e in mo}
    rows = json.loads(project.locpipe("status", "--json").stdout)["rows"]
    assert rows[0]["broken"] == 1
    assert "check: format: {name} missing, {nme} unknown" in po_path.read_text(encoding="utf-8")
    assert project.run().returncode == 0  # without --strict the run goes on
    memory = (project.root / "locales" / "memory" / "uk.json").read_text(encoding="utf-8")
    assert "{nme}" not in memory  # never offered to the other articles that repeat the sentence


def test_format_check_refuses_what_msgfmt_refuses(tmp_path: Path) -> None:
    """Unnamed %s and %d take their arguments in order: a reviewed swap is as broken to
    locpipe as to msgfmt --check; named ones may move."""
    cases = {
        ("Dear %s, card %d.", "Картка %d, шановний %s."): True,
        ("Dear %s, card %d.", "Шановний %s, картка %d."): False,
        ("Dear %(name)s, card %(n)d.", "Картка %(n)d, %(name)s."): False,
        ("Dear %s, card %d.", "Шановний %s, картка %s."): True,
    }
    for (msgid, msgstr), broken in cases.items():
        entry = polib.POEntry(msgid=msgid, msgstr=msgstr, flags=["python-format"])
        po = polib.POFile()
        po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
        po.append(entry)
        po.save(str(tmp_path / "one.po"))
        gnu = subprocess.run(["msgfmt", "--check-format", "-o", "/dev/null", str(tmp_path / "one.po")])
        assert (gnu.returncode != 0) == broken == is_broken(entry), (msgid, msgstr)


def test_edited_sentence_with_a_context_keeps_its_previous_context(
    tmp_path: Path, installed_models: Path
) -> None:
    """#| msgctxt next to #| msgid, as msgmerge writes it, when the old entry had a context."""
    project = make_project(tmp_path / "proj", targets=("uk",))
    shutil.copytree(installed_models, project.models, dirs_exist_ok=True)
    article = project.inputs / "city archive.txt"
    article.write_text(TEXT, encoding="utf-8")
    project.run()
    po_path = project.root / "locales" / "uk" / "LC_MESSAGES" / "city-archive.po"
    po = polib.pofile(str(po_path))
    title = next(e for e in po if e.msgctxt == "title")
    title.msgstr, title.flags = "Ласкаво просимо до міського архіву.", []
    po.save()
    article.write_text(TEXT.replace("the city archive", "the old city archive"), encoding="utf-8")
    project.run()
    text = po_path.read_text(encoding="utf-8")
    assert '#| msgctxt "title"\n#| msgid "Welcome to the city archive."\nmsgctxt "title"\n' in text
    assert_msgcat_identity(project.root / "locales")
