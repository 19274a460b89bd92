"""Memory export and import keep what the catalogs said: msgctxt (TMX `x-context`, as
Translate Toolkit's po2tmx writes it), format flags, and a header that names no model."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import polib
from conftest import make_project, msgfmt_check

from pipeline.core.layout import Layout
from pipeline.memory.store import read_units

TITLE = "Reading room rules"
GREETING = "Dear {name}, your card is ready at the main desk."
PLAIN = "The reading room closes at nine in the evening."
REVIEWS = {
    TITLE: "Правила читальної зали",
    GREETING: "Шановний {name}, ваш квиток чекає на головній стійці.",
    PLAIN: "Читальна зала зачиняється о дев'ятій вечора.",
}


def tool(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def tmx_units(path: Path) -> dict[str, tuple[str, str | None]]:
    """source -> (translation, x-context) of each <tu>."""
    found = {}
    for tu in ET.parse(path).getroot().iter("tu"):
        source, target = (tuv.find("seg").text for tuv in tu.findall("tuv"))
        context = [p.text for p in tu.findall("prop") if p.get("type") == "x-context"]
        found[source] = (target, context[0] if context else None)
    return found


def test_export_keeps_context_and_flags_and_tmx_round_trip(tmp_path: Path, installed_models: Path) -> None:
    source = make_project(tmp_path / "source", ("uk",))
    shutil.copytree(installed_models, source.models)
    (source.inputs / "rules.txt").write_text(f"{TITLE}\n\n{GREETING}\n\n{PLAIN}\n", encoding="utf-8")
    source.run()
    po_path = source.locales / "uk" / "LC_MESSAGES" / "rules.po"
    po = polib.pofile(str(po_path))
    assert po.find(TITLE, msgctxt="title") is not None
    for entry in po:
        entry.msgstr, entry.flags = REVIEWS[entry.msgid], [f for f in entry.flags if f != "fuzzy"]
    po.save()
    source.run()

    # .po: reviewed text under its msgctxt and flags, and no claim that a model wrote it
    as_po = tmp_path / "uk.po"
    source.locpipe("memory", "export", "--locale", "uk", str(as_po))
    msgfmt_check(as_po)  # --check-format: the brace placeholders still match
    exported = polib.pofile(str(as_po))
    assert "machine" not in exported.metadata["Last-Translator"]
    assert exported.find(TITLE, msgctxt="title").msgstr == REVIEWS[TITLE]
    assert "python-brace-format" in exported.find(GREETING).flags and not exported.find(GREETING).fuzzy

    # TMX: x-context before the <tuv>s (the TMX 1.4 DTD's order), read by Translate Toolkit
    tmx = tmp_path / "uk.tmx"
    source.locpipe("memory", "export", "--locale", "uk", str(tmx))
    tus = {tu.find("tuv/seg").text: tu for tu in ET.parse(tmx).getroot().iter("tu")}
    tags = [child.tag for child in tus[TITLE]]
    assert tags.index("tuv") > max(i for i, tag in enumerate(tags) if tag == "prop")
    assert [p.text for p in tus[TITLE].findall("prop") if p.get("type") == "x-context"] == ["title"]
    assert not [p for p in tus[PLAIN].findall("prop") if p.get("type") == "x-context"]
    from translate.storage.tmx import tmxfile

    with tmx.open("rb") as handle:
        toolkit = {u.source: u.getcontext() for u in tmxfile(handle).units}
    assert toolkit[TITLE] == "title" and toolkit[PLAIN] == ""

    # round trip: imported into another project and exported again, the context is still there
    target = make_project(tmp_path / "target", ("uk",))
    target.locpipe("memory", "import", "--locale", "uk", str(tmx))
    (seed,) = Layout(target.locales).seed_files("uk")
    contexts = {u.source: u.context for u in read_units(seed)}
    assert contexts == {TITLE: "title", GREETING: None, PLAIN: None}
    again = tmp_path / "again.tmx"
    target.locpipe("memory", "export", "--locale", "uk", str(again))
    assert tmx_units(again) == tmx_units(tmx) == {
        TITLE: (REVIEWS[TITLE], "title"), GREETING: (REVIEWS[GREETING], None), PLAIN: (REVIEWS[PLAIN], None)
    }

    # po2tmx's own TMX of the exported .po imports with the same contexts
    toolkit_tmx = tmp_path / "toolkit.tmx"
    subprocess.run([tool("po2tmx"), "--progress=none", "-l", "uk", str(as_po), str(toolkit_tmx)], check=True)
    other = make_project(tmp_path / "other", ("uk",))
    other.locpipe("memory", "import", "--locale", "uk", str(toolkit_tmx))
    (seed,) = Layout(other.locales).seed_files("uk")
    assert {u.source: u.context for u in read_units(seed)} == contexts
