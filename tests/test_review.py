"""The review round-trip: a translator edits the .po in another tool, the article changes,
the next run keeps the reviewer's work and offers it where it fits."""

from __future__ import annotations

import gettext
import json
import subprocess
from pathlib import Path

import polib
from conftest import SAMPLE, Project, msgfmt_check

KEPT = (
    "He also called for the strengthening of Ukraine’s long-range capabilities, a move that could "
    "significantly alter the balance of power on the battlefield."
)
CHANGED = (
    "His message underscored the growing strategic partnership between Ukraine and Turkey, which has "
    "emerged as a pivotal player in the region’s geopolitical landscape."
)
CHANGED_NEW = CHANGED.replace("Ukraine and Turkey", "Ukraine and Türkiye")
REPLACED = (
    "These talks, which began in Istanbul, have been a focal point of international efforts to "
    "de-escalate tensions and find a diplomatic resolution."
)
REPLACED_NEW = "Markets in Asia closed lower on Tuesday after a volatile week."
DELETED = (
    "As the war in Ukraine enters its third year, the dynamics of international support have become "
    "increasingly complex."
)
NEAR = (
    "Despite these challenges, the continued engagement between Turkey and Ukraine suggests a growing "
    "alignment of interests in the face of a common adversary."
)
NEAR_VARIANT = NEAR.replace("Despite these challenges", "Despite these setbacks")

REVIEWED = {
    KEPT: "Він також закликав посилити далекобійні можливості України.",
    CHANGED: "Його повідомлення підкреслило зростання стратегічного партнерства.",
    REPLACED: "Ці переговори, що почалися в Стамбулі, були в центрі уваги.",
    DELETED: "Війна в Україні триває третій рік.",
    NEAR: "Попри ці виклики, взаємодія Туреччини та України триває.",
}
TRANSLATOR_COMMENT = "checked against the ministry's statement"


def review(po_path: Path, translations: dict[str, str]) -> None:
    """What a translator does in Poedit/Lokalize: set msgstr, clear fuzzy, leave a comment,
    and the tool saves the file with its own layout (here msgcat's, 40 columns)."""
    po = polib.pofile(str(po_path))
    for entry in po:
        if entry.msgid in translations:
            entry.msgstr = translations[entry.msgid]
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
            entry.tcomment = TRANSLATOR_COMMENT
    po.metadata["Last-Translator"] = "Olena Reviewer <olena@example.org>"
    po.metadata["X-Poedit-SourceCharset"] = "UTF-8"
    po.save()
    subprocess.run(["msgcat", "--width=40", "-o", str(po_path), str(po_path)], check=True)


def entries(po_path: Path) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in polib.pofile(str(po_path)) if not e.obsolete}


def test_review_round_trip(project: Project) -> None:
    project.run("--targets", "uk")
    article = project.inputs / SAMPLE.name
    po_path = project.locales / "uk" / "LC_MESSAGES" / "ukraine-turkey-defense.po"
    review(po_path, REVIEWED)
    before = entries(po_path)[KEPT]

    text = article.read_text(encoding="utf-8")
    for old, new in [(CHANGED, CHANGED_NEW), (REPLACED, REPLACED_NEW), (DELETED + "\n", "")]:
        assert old in text
        text = text.replace(old, new)
    article.write_text(text, encoding="utf-8")
    second = project.inputs / "second-article.txt"
    second.write_text(f"Second article\n\n{KEPT}\n\n{NEAR_VARIANT}\n", encoding="utf-8")

    project.run("--targets", "uk")
    for po in (project.locales / "uk" / "LC_MESSAGES").glob("*.po"):
        msgfmt_check(po)
    po = polib.pofile(str(po_path))
    live = {e.msgid: e for e in po if not e.obsolete}

    # a reviewed entry is the translator's: text, flags and comment as they were
    kept = live[KEPT]
    assert (kept.msgstr, kept.flags, kept.tcomment) == (before.msgstr, before.flags, TRANSLATOR_COMMENT)
    assert "machine:" not in kept.comment and "fuzzy" not in kept.flags
    assert po.metadata["Last-Translator"] == "Olena Reviewer <olena@example.org>"
    assert po.metadata["X-Poedit-SourceCharset"] == "UTF-8"
    rendered = (project.locales / "uk" / "ukraine-turkey-defense.txt").read_text(encoding="utf-8")
    assert REVIEWED[KEPT] in rendered
    mo = project.locales / "uk" / "LC_MESSAGES" / "ukraine-turkey-defense.mo"
    with mo.open("rb") as handle:
        assert gettext.GNUTranslations(handle).gettext(KEPT) == REVIEWED[KEPT]

    # slightly changed source: the old translation offered for review, old source as #| msgid
    changed = live[CHANGED_NEW]
    assert changed.msgstr == REVIEWED[CHANGED]
    assert "fuzzy" in changed.flags and changed.previous_msgid == CHANGED
    assert "source changed" in changed.comment
    assert "\n#| msgid " in po_path.read_text(encoding="utf-8")

    # changed beyond recognition: fresh machine translation, no carried-over text
    replaced = live[REPLACED_NEW]
    assert "machine: argos en->uk" in replaced.comment and "fuzzy" in replaced.flags
    assert replaced.msgstr != REVIEWED[REPLACED] and not replaced.previous_msgid

    # removed sentences go obsolete with their reviewed text, never silently dropped
    obsolete = {e.msgid: e.msgstr for e in po if e.obsolete}
    assert obsolete[DELETED] == REVIEWED[DELETED]
    assert obsolete[REPLACED] == REVIEWED[REPLACED]
    assert obsolete[CHANGED] == REVIEWED[CHANGED]

    # the second article gets the reviewed work from memory, exact and near
    other = entries(project.locales / "uk" / "LC_MESSAGES" / "second-article.po")
    assert other[KEPT].msgstr == REVIEWED[KEPT] and "fuzzy" in other[KEPT].flags
    assert "from memory 100% (ukraine-turkey-defense)" in other[KEPT].comment
    near = other[NEAR_VARIANT]
    assert near.msgstr == REVIEWED[NEAR] and "fuzzy" in near.flags
    score = int(near.comment.split("from memory ")[1].split("%")[0])
    assert 75 <= score < 100
    assert "machine:" in other["Second article"].comment

    status = json.loads(project.locpipe("status", "--json").stdout)["rows"]
    rows = {(r["article"], r["locale"]): r for r in status}
    assert rows[("second-article", "uk")]["memory"] == 2
    first = rows[("ukraine-turkey-defense", "uk")]
    # obsolete: the deleted, the replaced, and the changed sentence's original
    assert (first["reviewed"], first["memory"], first["obsolete"]) == (2, 0, 3)
    assert first["carried"] == 1  # the changed sentence's old translation, offered for review
