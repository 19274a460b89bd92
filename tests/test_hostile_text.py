"""Text a reviewer cannot see: bidi controls ("Trojan Source") and zero-width characters in a
source or a reviewed translation are named in a `#. check:` note, counted by `status`, shown
as <U+XXXX> in context notes and never sent to the model."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polib
from conftest import Project, make_project, msgfmt_check

from pipeline.translation.invisible import ISOLATES, hidden_characters, hidden_notes
from pipeline.translation.protect import model_input

RLO, PDF, ZWSP, SHY, ZWJ, ZWNJ = "\u202e", "\u202c", "\u200b", "\u00ad", "\u200d", "\u200c"
TRICK = f"Transfer the money to {RLO}tnuocca ym{PDF} today."
ZERO = f"Click here{ZWSP} to confirm the order."
PLAIN = "The weather was fine."


def test_each_hidden_character_is_named_with_its_column() -> None:
    notes = hidden_notes(TRICK, "source")
    assert notes == [
        "check: invisible character U+202E RIGHT-TO-LEFT OVERRIDE at column 23 of the source",
        "check: invisible character U+202C POP DIRECTIONAL FORMATTING at column 34 of the source",
    ]
    soft = hidden_notes(f"co{SHY}operate", "source")
    assert soft == ["check: invisible character U+00AD SOFT HYPHEN at column 3 of the source"]
    # joiners that scripts and emoji need, and locpipe's own isolates in RTL output, are not flagged
    assert hidden_characters(f"می{ZWNJ}خواهم 👩{ZWJ}💻") == []
    assert hidden_characters("\u2068https://x\u2069", ISOLATES) == []
    many = hidden_notes(ZWSP * 9, "translation")
    assert len(many) == 6 and many[-1] == "check: 4 more invisible characters in the translation"


def test_the_model_never_gets_them() -> None:
    assert model_input(TRICK, "plain", {}).text == "Transfer the money to tnuocca ym today."
    assert model_input(ZERO, "plain", {}).text == "Click here to confirm the order."


def _translated(tmp_path: Path, installed_models: Path, text: str) -> tuple[Project, Path, polib.POFile]:
    """A project of one article, note.txt, after its first run; its uk catalog."""
    project = make_project(tmp_path / "p", ("uk",))
    shutil.copytree(installed_models, project.models, dirs_exist_ok=True)
    (project.inputs / "note.txt").write_text(text, encoding="utf-8")
    project.run()
    po_path = project.locales / "uk" / "LC_MESSAGES" / "note.po"
    return project, po_path, polib.pofile(str(po_path))


def test_a_run_names_them_and_status_counts_them(tmp_path: Path, installed_models: Path) -> None:
    text = f"Payment note\n\n{TRICK} {PLAIN}\n\n{ZERO}\n"
    project, po_path, po = _translated(tmp_path, installed_models, text)
    trick, plain, zero = po.find(TRICK), po.find(PLAIN), po.find(ZERO)
    named = "check: invisible character U+202E RIGHT-TO-LEFT OVERRIDE at column 23 of the source"
    assert named in trick.comment
    assert "U+200B ZERO WIDTH SPACE at column 11 of the source" in zero.comment
    # the neighbour's context note shows the override instead of obeying it
    assert "<U+202E>" in plain.comment and RLO not in plain.comment
    assert "invisible" not in plain.comment.replace("<U+202E>", "")
    assert RLO not in trick.msgstr and ZWSP not in zero.msgstr  # the model never saw them
    msgfmt_check(po_path)

    # a reviewer's translation is checked the same way
    zero.msgstr, zero.flags = f"Натисніть{RLO} тут, щоб підтвердити замовлення.", []
    po.save()
    project.run()
    zero = polib.pofile(str(po_path)).find(ZERO)
    assert "U+202E RIGHT-TO-LEFT OVERRIDE at column 10 of the translation" in zero.comment
    status = json.loads(project.locpipe("status", "--json").stdout)
    row = next(r for r in status["rows"] if r["article"] == "note")
    assert row["invisible"] == 2  # the two sources (one of them also in its translation)
    assert row["checks"] >= 1


def test_a_huge_reviewed_translation_stays_in_its_catalog_only(tmp_path: Path, installed_models: Path):
    """A paste of 200,000 characters into one msgstr: the translator's file keeps it, with a
    note; the .mo, the rendered article and the memory do not copy it."""
    project, po_path, po = _translated(tmp_path, installed_models, f"Payment note\n\n{PLAIN} {ZERO}\n")
    huge = "Дуже довгий текст. " * 10_527  # 200,013 characters
    po.find(PLAIN).msgstr, po.find(PLAIN).flags = huge, []
    po.save()
    result = project.run()
    assert "left out of the .mo" in result.stderr
    entry = polib.pofile(str(po_path)).find(PLAIN)
    assert entry.msgstr == huge  # the translator's file is theirs
    assert "check: translation 200,013 characters against the source's 21" in entry.comment
    assert huge[:100] not in (project.locales / "uk" / "note.txt").read_text(encoding="utf-8")
    assert all(e.msgstr != huge for e in polib.mofile(str(po_path.with_suffix(".mo"))))
    assert huge[:100] not in (project.locales / "memory" / "uk.json").read_text(encoding="utf-8")
    status = json.loads(project.locpipe("status", "--json").stdout)
    assert next(r for r in status["rows"] if r["article"] == "note")["broken"] == 1
