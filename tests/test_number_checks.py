"""Numbers compared as numbers in each language's format, counted one by one, for machine and
reviewed text alike; and Translate Toolkit's pofilter agrees where the formats are the same."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from conftest import make_project

from pipeline.catalogs.state import failed_checks
from pipeline.core.locales import RTL_LANGUAGES
from pipeline.translation.checks import check_translation, missing_numbers
from pipeline.translation.protect import mask, restore

GHZ = "Version 2.5 costs $100 and runs well on a 2.5 GHz CPU."


@pytest.mark.parametrize(
    ("source", "target", "lang", "missing"),
    [
        ("The library has 3,000 books.", "Die Bibliothek hat 3.000 Bücher.", "de", []),
        ("It weighs 2.5 kg.", "Es wiegt 2,5 kg.", "de", []),
        ("It weighs 2.5 kg.", "Es wiegt 25 kg.", "de", ["2.5"]),  # the digits alone are equal
        ("The library has 3,000 books.", "Die Bibliothek hat 3 Bücher.", "de", ["3,000"]),
        ("The library has 3,000 books.", "Бібліотека має 3 000 книжок.", "uk", []),  # typed space
        ("The library has 3,000 books.", "Бібліотека має 3\u00a0000 книжок.", "uk", []),
        ("The library has 3,000 books.", "La bibliothèque a 3\u202f000 livres.", "fr", []),
        ("Pages 5 and 100.", "Сторінки 5 і 100.", "uk", []),
        ("Pages 5 and 100.", "Сторінки 5 100.", "uk", []),  # not one number `5 100`
        ("Version 2.5.1 is out.", "Version 2.5.1 ist da.", "de", []),  # a version, kept as written
        ("Version 2.5 is out.", "Version 2.5 ist da.", "de", []),
        ("It takes 3.5 hours.", "يستغرق ٣٫٥ ساعات.", "ar", []),
        ("Opens at 9:00, 1,000 seats, 1,000 more.", "Öffnet um 9:00, 1.000 Plätze.", "de", ["1,000"]),
        ("It costs 1,5 million.", "Es kostet 1,5 Millionen.", "de", []),  # written as in the source
    ],
)
def test_numbers_are_read_in_each_languages_format(source, target, lang, missing):
    assert missing_numbers(source, target, "en", lang) == missing


@pytest.mark.parametrize("lang", ["uk", "de", "tr", "ar", "zt", "pb"])
def test_a_dropped_number_is_missed_even_where_a_protected_span_has_it(lang):
    masked = mask(GHZ)
    assert "2.5" in masked.text and "GHz" not in masked.text  # the plain 2.5 is the model's to carry
    output = masked.text.replace("2.5", "")
    problems = check_translation(GHZ, masked, restore(output, masked, rtl=lang in RTL_LANGUAGES), "en", lang)
    assert "check: number 2.5 missing" in problems
    kept = check_translation(GHZ, masked, restore(masked.text, masked), "en", lang)
    assert not [p for p in kept if "number" in p]


ARTICLE = f"""# Library facts

The library has 3,000 books and 2.5 reading rooms.

{GHZ}

The archive opened in 1990 with 400 maps.
"""
REVIEWS = {
    "Library facts": "Bibliotheksfakten",
    "The library has 3,000 books and 2.5 reading rooms.": "Die Bibliothek hat 3.000 Bücher und 2,5 Lesesäle.",
    GHZ: "Die Version kostet $100 und läuft gut auf einer 2.5 GHz CPU.",
    "The archive opened in 1990 with 400 maps.": "Das Archiv wurde 1990 mit 40 Karten eröffnet.",
}


def pofilter_numbers(po_path: Path, out: Path) -> set[str]:
    """msgids whose numbers Translate Toolkit's pofilter finds different."""
    pofilter = Path(sys.executable).with_name("pofilter")
    subprocess.run(
        [str(pofilter), "--progress=none", "--test=numbers", "--language=de", str(po_path), str(out)],
        check=True, capture_output=True,
    )
    return {e.msgid for e in polib.pofile(str(out)) if "(pofilter) numbers" in e.tcomment}


def test_reviewed_numbers_checked_in_the_locales_format_and_pofilter_agrees(
    tmp_path: Path, installed_models: Path
) -> None:
    project = make_project(tmp_path / "proj", targets=("de",))
    shutil.copytree(installed_models, project.models, dirs_exist_ok=True)
    (project.inputs / "facts.md").write_text(ARTICLE, encoding="utf-8")
    project.run()
    po_path = project.locales / "de" / "LC_MESSAGES" / "facts.po"
    po = polib.pofile(str(po_path))
    assert {e.msgid for e in po} == set(REVIEWS)
    for entry in po:
        entry.msgstr, entry.flags = REVIEWS[entry.msgid], []
    po.save()
    project.run()

    checks = {e.msgid: failed_checks(e) for e in polib.pofile(str(po_path))}
    assert checks == {
        "Library facts": [],
        "The library has 3,000 books and 2.5 reading rooms.": [],  # German 3.000 and 2,5
        GHZ: ["check: number 2.5 missing"],  # the other 2.5 is the 2.5 GHz
        "The archive opened in 1990 with 400 maps.": ["check: number 400 missing"],
    }
    mo = {e.msgid: e.msgstr for e in polib.mofile(str(po_path.with_suffix(".mo")))}
    assert mo[GHZ] == REVIEWS[GHZ]  # a number note keeps a reviewed entry in the .mo
    (row,) = json.loads(project.locpipe("status", "--json").stdout)["rows"]
    assert (row["reviewed"], row["checks"], row["broken"]) == (4, 2, 0)

    # pofilter compares numbers as strings: it finds the same two, and the German formats too
    flagged = pofilter_numbers(po_path, tmp_path / "pofilter.po")
    german = "The library has 3,000 books and 2.5 reading rooms."
    assert german in flagged
    assert flagged - {german} == {msgid for msgid, found in checks.items() if found}

    # Poedit's "Update from POT" drops the notes; the next run writes them back
    pot = project.locales / "templates" / "facts.pot"
    subprocess.run(["msgmerge", "--quiet", "--update", "--backup=none", str(po_path), str(pot)], check=True)
    assert "check: number" not in po_path.read_text(encoding="utf-8")
    project.run()
    assert {e.msgid: failed_checks(e) for e in polib.pofile(str(po_path))} == checks
    assert json.loads(project.locpipe("status", "--json").stdout)["rows"] == [row]
