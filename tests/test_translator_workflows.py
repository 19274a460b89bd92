"""What translators do to catalogs between runs, beyond the plain review round trip: undo an
input edit, take a review back, forget a memory unit, add plural entries by hand, save a file in
the wrong folder, pass the file through Babel, msgmerge or msgconv, or a BOM-writing editor.
Each test is one workflow on a small article; the next `locpipe run` must keep the translator's
intent, and what a user checks (the .po, the rendered article, the .mo, the memory, `status`)
must agree."""

from __future__ import annotations

import difflib
import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import polib
from conftest import Project, make_project, msgfmt_check, output_files

ARTICLE = "harbour"
TITLE = "Harbour notes"
FERRY = "The ferry leaves the north pier at seven."
TICKETS = "Tickets are sold on board."
TICKETS_EDITED = "Tickets are sold on board and at the kiosk by the gate."
CAFE = "The cafe on the quay opens early."
SOUP = "It serves fish soup and fresh bread."
STORMS = "Storms close the harbour a few times each winter."
WARNINGS = "The coast guard posts warnings online."
P1 = f"{FERRY} {TICKETS}"
P2 = f"{CAFE} {SOUP}"
P3 = f"{STORMS} {WARNINGS}"
# all ASCII, so that msgconv to ISO-8859-1 has nothing of ours to choke on but our own notes
TEXT = f"{TITLE}\n\n{P1}\n\n{P2}\n\n{P3}\n"

OTHER = "ferry-times"
OTHER_TEXT = (
    "Ferry times for the summer\n\n"
    f"The summer timetable starts in June and runs until the end of September. {TICKETS}\n\n"
    "Bicycles travel free of charge on every crossing to the island.\n"
)

UK_PLURAL_FORMS = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
)


# --- helpers ---------------------------------------------------------------------------------


def small_project(
    tmp_path: Path,
    installed_models: Path,
    targets: tuple[str, ...] = ("uk",),
    articles: dict[str, str] | None = None,
) -> Project:
    """A project with one short .txt article (or the given ones) and the installed models,
    copied in the way the `project` fixture does."""
    proj = make_project(tmp_path / "proj", targets)
    shutil.copytree(installed_models, proj.models, dirs_exist_ok=True)
    for name, text in (articles or {ARTICLE: TEXT}).items():
        write_article(proj, name, text)
    return proj


def write_article(proj: Project, name: str, text: str) -> Path:
    path = proj.inputs / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    return path


def po_path(proj: Project, locale: str = "uk", article: str = ARTICLE) -> Path:
    return proj.locales / locale / "LC_MESSAGES" / f"{article}.po"


def mo_path(proj: Project, locale: str = "uk", article: str = ARTICLE) -> Path:
    return proj.locales / locale / "LC_MESSAGES" / f"{article}.mo"


def rendered(proj: Project, locale: str = "uk", article: str = ARTICLE) -> str:
    return (proj.locales / locale / f"{article}.txt").read_text(encoding="utf-8")


def review(path: Path, match: str | Callable[[polib.POEntry], bool], text: str) -> polib.POEntry:
    """What a translator does in Poedit: set the msgstr of one live entry, clear fuzzy, save."""
    predicate = match if callable(match) else (lambda e: e.msgid == match)
    po = polib.pofile(str(path))
    found = [e for e in po if not e.obsolete and predicate(e)]
    assert len(found) == 1, f"{path}: {len(found)} live entries match"
    entry = found[0]
    entry.msgstr = text
    entry.flags = [f for f in entry.flags if f != "fuzzy"]
    po.save()
    msgfmt_check(path)
    return entry


def live(path: Path) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in polib.pofile(str(path)) if not e.obsolete}


def obsolete(path: Path) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in polib.pofile(str(path)) if e.obsolete}


def mo_strings(path: Path) -> dict[str, str]:
    return {e.msgid: e.msgstr for e in polib.mofile(str(path))}


def memory_units(proj: Project, locale: str = "uk") -> list[dict]:
    path = proj.locales / "memory" / f"{locale}.json"
    return json.loads(path.read_text(encoding="utf-8"))["units"]


def status(proj: Project) -> dict:
    return json.loads(proj.locpipe("status", "--json").stdout)


def status_row(proj: Project, article: str = ARTICLE, locale: str = "uk") -> dict:
    rows = [r for r in status(proj)["rows"] if (r["article"], r["locale"]) == (article, locale)]
    assert len(rows) == 1, rows
    return rows[0]


def check_catalogs(proj: Project) -> None:
    for po in sorted(proj.locales.glob("*/LC_MESSAGES/*.po")):
        msgfmt_check(po)


def assert_reviewed_everywhere(proj: Project, msgid: str, text: str) -> None:
    """The reviewed text is the live entry's (not fuzzy), the rendered article's and the .mo's."""
    path = po_path(proj)
    entry = live(path).get(msgid)
    assert entry is not None, f"no live entry for {msgid!r} in {path}"
    assert entry.msgstr == text, f"live entry for {msgid!r} lost its review: {entry.msgstr!r}"
    assert "fuzzy" not in entry.flags, f"reviewed entry for {msgid!r} came back fuzzy: {entry}"
    assert text in rendered(proj), "the rendered article does not carry the reviewed text"
    assert mo_strings(mo_path(proj)).get(msgid) == text, "the .mo does not carry the reviewed text"


# --- workflows -------------------------------------------------------------------------------


def test_revert_edit(tmp_path: Path, installed_models: Path) -> None:
    """An editor undoes an edit to the article: the sentence's review must be back as it was,
    not offered again for a second review."""
    proj = small_project(tmp_path, installed_models)
    proj.run()
    review(po_path(proj), TICKETS, "ПЕРЕКЛАД-1")
    proj.run()
    article = proj.inputs / f"{ARTICLE}.txt"
    original = article.read_bytes()
    article.write_text(TEXT.replace(TICKETS, TICKETS_EDITED), encoding="utf-8")
    proj.run()
    assert TICKETS_EDITED in live(po_path(proj))
    article.write_bytes(original)
    proj.run()
    check_catalogs(proj)
    assert_reviewed_everywhere(proj, TICKETS, "ПЕРЕКЛАД-1")


def test_restore_paragraph(tmp_path: Path, installed_models: Path) -> None:
    """A paragraph cut by mistake and pasted back: its reviewed sentences must come back
    reviewed from the obsolete entries, not as suggestions to review again."""
    proj = small_project(tmp_path, installed_models)
    proj.run()
    review(po_path(proj), SOUP, "ПЕРЕКЛАД-1")
    proj.run()
    write_article(proj, ARTICLE, TEXT.replace(f"{P2}\n\n", ""))
    proj.run()
    gone = obsolete(po_path(proj))
    assert gone[SOUP].msgstr == "ПЕРЕКЛАД-1"  # kept as `#~` while the paragraph is away
    write_article(proj, ARTICLE, TEXT)
    proj.run()
    check_catalogs(proj)
    assert_reviewed_everywhere(proj, SOUP, "ПЕРЕКЛАД-1")


def test_reject_review(tmp_path: Path, installed_models: Path) -> None:
    """A reviewer clears a translation that was wrong: it must leave the article, the .mo and
    the memory's offers, for this article and for any later one."""
    proj = small_project(tmp_path, installed_models)
    proj.run()
    wrong = "ПЕРЕКЛАД-ХИБНИЙ"
    review(po_path(proj), TICKETS, wrong)
    proj.run()
    assert wrong in rendered(proj)  # the review took effect first

    po = polib.pofile(str(po_path(proj)))
    entry = po.find(TICKETS)
    entry.msgstr = ""
    entry.flags = [f for f in entry.flags if f != "fuzzy"]
    po.save()
    msgfmt_check(po_path(proj))
    proj.run()
    check_catalogs(proj)

    def assert_rejected() -> None:
        assert wrong not in rendered(proj), "the rejected text is still in the rendered article"
        again = live(po_path(proj))[TICKETS]
        assert again.msgstr != wrong, "the rejected text came back into the live entry"
        if again.msgstr:
            assert "fuzzy" in again.flags, "a refilled entry must be fuzzy (nobody reviewed it)"
        assert wrong not in mo_strings(mo_path(proj)).values(), "the rejected text is in the .mo"
        for unit in memory_units(proj):
            if (unit["source"], unit["target"]) == (TICKETS, wrong):
                assert unit.get("withdrawn") is True, f"memory still offers the rejected text: {unit}"

    assert_rejected()

    write_article(proj, OTHER, OTHER_TEXT)
    proj.run()
    check_catalogs(proj)
    assert live(po_path(proj, article=OTHER))[TICKETS].msgstr != wrong, "a new article was offered it"
    assert_rejected()

    before = output_files(proj.locales)
    proj.run()
    assert output_files(proj.locales) == before, "a run with nothing changed rewrote outputs"
    assert_rejected()


def test_memory_forget(tmp_path: Path, installed_models: Path) -> None:
    """A lead withdraws a bad translation from the memory: later articles must not be offered
    it, while the memory and its TMX export keep it, marked withdrawn, as a record."""
    proj = small_project(tmp_path, installed_models)
    proj.run()
    wrong = "ПЕРЕКЛАД-ЗАБУТИЙ"
    review(po_path(proj), TICKETS, wrong)
    proj.run()
    assert any((u["source"], u["target"]) == (TICKETS, wrong) for u in memory_units(proj))

    forget = proj.locpipe("memory", "forget", "--locale", "uk", TICKETS, check=False)
    assert forget.returncode == 0, f"memory forget exited {forget.returncode}: {forget.stderr}"
    assert "withdr" in forget.stdout + forget.stderr, (forget.stdout, forget.stderr)
    proj.run()

    write_article(proj, OTHER, OTHER_TEXT)
    proj.run()
    check_catalogs(proj)
    assert live(po_path(proj, article=OTHER))[TICKETS].msgstr != wrong, "a new article was offered it"
    units = [u for u in memory_units(proj) if (u["source"], u["target"]) == (TICKETS, wrong)]
    assert units and all(u.get("withdrawn") is True for u in units), units

    tmx = tmp_path / "out.tmx"
    proj.locpipe("memory", "export", "--locale", "uk", str(tmx))
    exported = tmx.read_text(encoding="utf-8")
    assert wrong in exported and "withdrawn" in exported


def test_plural_by_hand(tmp_path: Path, installed_models: Path) -> None:
    """A translator adds a plural message by hand (a UI string next to the article's): the run
    must keep its forms, not count it as work to do, and the memory must carry plurals too."""
    proj = small_project(tmp_path, installed_models)
    proj.run()
    path = po_path(proj)
    po = polib.pofile(str(path))
    assert po.metadata["Plural-Forms"] == UK_PLURAL_FORMS
    untranslated_before = status_row(proj)["untranslated"]
    forms = {0: "%d файл", 1: "%d файли", 2: "%d файлів"}
    po.append(polib.POEntry(msgid="one file", msgid_plural="%d files", msgstr_plural=dict(forms)))
    po.save()
    msgfmt_check(path)
    proj.run()
    msgfmt_check(path)

    kept = [e for e in polib.pofile(str(path)) if e.msgid == "one file"]
    assert len(kept) == 1, f"the hand-added plural entry is gone from {path}"
    assert kept[0].msgid_plural == "%d files"
    assert {int(k): v for k, v in kept[0].msgstr_plural.items()} == forms
    assert status_row(proj)["untranslated"] == untranslated_before

    # a reviewed plural entry imported into the memory
    seed = tmp_path / "plural-seed.po"
    imported = polib.POFile()
    imported.metadata = {
        "Project-Id-Version": "seed",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": "2026-01-01 00:00+0000",
        "PO-Revision-Date": "2026-01-01 00:00+0000",
        "Last-Translator": "Olena Reviewer <olena@example.org>",
        "Language-Team": "Ukrainian <uk@li.org>",
        "Language": "uk",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": UK_PLURAL_FORMS,
    }
    ticket_forms = {0: "%d квиток", 1: "%d квитки", 2: "%d квитків"}
    imported.append(
        polib.POEntry(msgid="one ticket", msgid_plural="%d tickets", msgstr_plural=dict(ticket_forms))
    )
    imported.append(polib.POEntry(msgid=FERRY, msgstr="ПЕРЕКЛАД-ПОРОМ"))
    imported.save(str(seed))
    msgfmt_check(seed)
    result = proj.locpipe("memory", "import", "--locale", "uk", str(seed), "--source-lang", "en", check=False)
    assert result.returncode == 0, f"memory import exited {result.returncode}: {result.stderr}"
    proj.run()
    plural_units = [u for u in memory_units(proj) if u["source"] == "one ticket"]
    assert plural_units, "the imported plural entry is not in memory/uk.json"
    assert plural_units[0].get("plural") == "%d tickets"
    assert plural_units[0].get("forms") == [ticket_forms[0], ticket_forms[1], ticket_forms[2]]

    tmx = tmp_path / "x.tmx"
    result = proj.locpipe("memory", "export", "--locale", "uk", str(tmx))
    assert "plural" in result.stdout + result.stderr, "TMX has no plural forms: the export must say so"
    as_po = tmp_path / "x.po"
    proj.locpipe("memory", "export", "--locale", "uk", str(as_po))
    msgfmt_check(as_po)
    entry = polib.pofile(str(as_po)).find("one ticket")
    assert entry is not None and entry.msgid_plural == "%d tickets"
    assert {int(k): v for k, v in entry.msgstr_plural.items()} == ticket_forms


def test_wrong_locale_folder(tmp_path: Path, installed_models: Path) -> None:
    """A Ukrainian catalog saved over the German one (a slip in a file dialog): the run must
    refuse it with one clear line, leave the file alone, and keep Ukrainian out of German."""
    proj = small_project(tmp_path, installed_models, targets=("uk", "de"))
    proj.run()
    review(po_path(proj, "uk"), TICKETS, "ПЕРЕКЛАД-1")
    de_po = po_path(proj, "de")
    shutil.copyfile(po_path(proj, "uk"), de_po)
    copied = de_po.read_bytes()
    result = proj.run(check=False)

    assert result.returncode == 1, f"exit {result.returncode}\n{result.stderr}"
    relative = str(de_po.relative_to(proj.root))
    lines = [line for line in result.stderr.splitlines() if relative in line]
    assert lines, f"no stderr line names {relative}:\n{result.stderr}"
    assert any(
        re.search(r"\buk\b", rest) and re.search(r"\bde\b", rest)
        for rest in (line.replace(str(de_po), "").replace(relative, "") for line in lines)
    ), f"the line naming {relative} must say it holds uk, not de:\n{result.stderr}"
    assert de_po.read_bytes() == copied, "the misplaced catalog was rewritten"
    assert "ПЕРЕКЛАД-1" not in rendered(proj, "de")
    assert "ПЕРЕКЛАД-1" not in (proj.locales / "memory" / "de.json").read_text(encoding="utf-8")
    assert "ПЕРЕКЛАД-1" in rendered(proj, "uk")
    assert mo_strings(mo_path(proj, "uk"))[TICKETS] == "ПЕРЕКЛАД-1"
    assert any(u["target"] == "ПЕРЕКЛАД-1" for u in memory_units(proj, "uk"))


def test_babel_drops_fuzzy(tmp_path: Path, installed_models: Path) -> None:
    """A catalog passed through Babel (pybabel update, a Flask project's tooling) loses the
    fuzzy flag of obsolete entries: machine text must not become 'reviewed' memory."""
    from babel.messages.pofile import read_po, write_po

    proj = small_project(tmp_path, installed_models)
    proj.run()
    left = [TICKETS, CAFE, SOUP]
    machine = {msgid: live(po_path(proj))[msgid].msgstr for msgid in left}
    write_article(proj, ARTICLE, f"{TITLE}\n\n{FERRY}\n\n{P3}\n")
    proj.run()
    gone = obsolete(po_path(proj))
    assert all(msgid in gone and "fuzzy" in gone[msgid].flags for msgid in left), gone

    path = po_path(proj)
    with path.open("rb") as handle:
        catalog = read_po(handle)
    with path.open("wb") as handle:
        write_po(handle, catalog)
    assert not any("fuzzy" in e.flags for e in obsolete(path).values())  # what Babel does
    proj.run()
    msgfmt_check(path)

    units = memory_units(proj)
    for msgid, text in machine.items():
        assert not any(u["source"] == msgid or u["target"] == text for u in units), (
            f"machine text for {msgid!r} went into the memory as if reviewed: {units}"
        )
    row = status_row(proj)
    assert (row["reviewed"], row["carried"]) == (0, 0), row
    tmx = tmp_path / "x.tmx"
    proj.locpipe("memory", "export", "--locale", "uk", str(tmx), "--force", check=False)
    if tmx.exists():
        exported = tmx.read_text(encoding="utf-8")
        for msgid, text in machine.items():
            assert msgid not in exported and text not in exported


def test_bom(tmp_path: Path, installed_models: Path) -> None:
    """An editor on Windows saves the catalog with a UTF-8 BOM: the review must still be read,
    not refused as a file that does not parse."""
    proj = small_project(tmp_path, installed_models)
    proj.run()
    path = po_path(proj)
    review(path, TICKETS, "ПЕРЕКЛАД-1")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = proj.run(check=False)
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stderr}"
    assert "does not parse" not in result.stderr
    assert "ПЕРЕКЛАД-1" in rendered(proj)
    msgfmt_check(path)


def test_msgmerge_update(tmp_path: Path, installed_models: Path) -> None:
    """`msgmerge --update` run on a catalog by habit: the next run must put the catalog back
    byte for byte, obsolete entries' notes and revision date included."""
    proj = small_project(tmp_path, installed_models)
    proj.run()
    review(po_path(proj), SOUP, "ПЕРЕКЛАД-1")
    proj.run()
    write_article(proj, ARTICLE, TEXT.replace(P2, "The cafe on the quay is closed this week."))
    proj.run()
    path = po_path(proj)
    assert obsolete(path), "the edit must leave obsolete entries"
    before = path.read_bytes()
    memory = proj.locales / "memory" / "uk.json"
    memory_before = memory.read_bytes()
    pot = proj.locales / "templates" / f"{ARTICLE}.pot"
    subprocess.run(["msgmerge", "--quiet", "--update", "--backup=none", str(path), str(pot)], check=True)
    assert path.read_bytes() != before, "msgmerge changed nothing: the test shows nothing"
    proj.run(SOURCE_DATE_EPOCH="1790003600")  # an hour later
    after = path.read_bytes()
    assert memory.read_bytes() == memory_before  # nothing was reviewed: who and when stay
    diff = "".join(
        difflib.unified_diff(
            before.decode("utf-8").splitlines(True), after.decode("utf-8").splitlines(True), "before", "after"
        )
    )
    assert after == before, f"the catalog did not come back as it was:\n{diff}"
    msgfmt_check(path)


def test_msgconv_latin1(tmp_path: Path, installed_models: Path) -> None:
    """A translator's tool converts the catalog to ISO-8859-1 (old Lokalize setups): notes that
    locpipe writes must not make an all-ASCII article's catalog unconvertible."""
    proj = small_project(tmp_path, installed_models, targets=("de",))
    proj.run()
    path = po_path(proj, "de")
    msgfmt_check(path)
    po = polib.pofile(str(path))
    try:
        "".join(e.msgstr for e in po).encode("latin-1")
    except UnicodeEncodeError:
        # the demo model's placeholder German is not latin-1: check our own notes only
        bad = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#."):
                try:
                    line.encode("latin-1")
                except UnicodeEncodeError:
                    bad.append(line)
        assert not bad, f"notes not encodable in ISO-8859-1: {bad}"
    else:
        result = subprocess.run(
            ["msgconv", "-t", "ISO-8859-1", str(path)], capture_output=True, text=True, encoding="latin-1"
        )
        assert result.returncode == 0, result.stderr


def test_status_consistent_after_review(tmp_path: Path, installed_models: Path) -> None:
    """A lead checks `status` right after a translator saved, before any run: the counts must be
    the file's as it is now (the same the next run reports), not the last run's figures."""
    proj = small_project(tmp_path, installed_models)
    proj.run()
    path = po_path(proj)
    before_review = status_row(proj)
    assert before_review["reviewed"] == 0
    review(path, TICKETS, "ПЕРЕКЛАД-1")
    entries = live(path)
    held = [e for e in entries.values() if e.msgstr and "fuzzy" not in e.flags]
    assert [e.msgid for e in held] == [TICKETS]

    report = status(proj)
    assert report["stale"] and "catalogs edited" in report["stale"], report["stale"]
    row = [r for r in report["rows"] if (r["article"], r["locale"]) == (ARTICLE, "uk")][0]
    states = ("reviewed", "machine", "memory", "carried", "untranslated")
    # what the file holds now, from one state: one reviewed entry, the rest still machine text
    assert row["total"] == len(entries)
    assert row["reviewed"] == len(held) == 1
    assert row["machine"] == before_review["machine"] - 1
    assert sum(row[s] for s in states) == row["total"]
    assert row["words"]["reviewed"] == len(TICKETS.split())
    assert sum(row["words"].values()) == sum(len(e.msgid.split()) for e in entries.values())
    totals = report["locales"]["uk"]
    assert totals["reviewed"] == row["words"]["reviewed"]
    assert totals["untranslated"] == row["words"]["untranslated"]

    # the run takes the review in without changing what was counted
    proj.run()
    after = status(proj)
    assert after["stale"] is None
    after_row = [r for r in after["rows"] if (r["article"], r["locale"]) == (ARTICLE, "uk")][0]
    keys = ("total", *states, "obsolete", "words", "checks", "broken")
    assert {k: row[k] for k in keys} == {k: after_row[k] for k in keys}


# --- what a first sweep of these workflows found ------------------------------------------


def test_deleting_the_last_paragraph_makes_its_entries_obsolete(tmp_path: Path, installed_models: Path):
    """The merge must not mark the catalog it read as obsolete too: then nothing looked changed."""
    proj = small_project(tmp_path, installed_models)
    proj.run()
    write_article(proj, ARTICLE, f"{TITLE}\n\n{P1}\n\n{P2}\n")
    proj.run()
    assert {STORMS, WARNINGS} <= set(obsolete(po_path(proj))) and STORMS not in live(po_path(proj))
    assert status_row(proj)["total"] == 5


def test_a_fuzzy_draft_is_the_translators_and_is_kept(tmp_path: Path, installed_models: Path) -> None:
    """Typed but left 'Needs work' (Weblate: 'Needs editing'): never replaced by machine text."""
    proj = small_project(tmp_path, installed_models)
    proj.run()
    po = polib.pofile(str(po_path(proj)))
    po.find(CAFE).msgstr = "Кафе на набережній (чернетка)"  # fuzzy stays
    po.save()  # polib also re-wraps the notes at 78 columns, as some tools do
    proj.run()
    entry = live(po_path(proj))[CAFE]
    assert entry.msgstr == "Кафе на набережній (чернетка)" and "fuzzy" in entry.flags
    assert "draft:" in entry.comment
    assert status_row(proj)["draft"] == 1
    proj.run()  # and on every later run
    assert live(po_path(proj))[CAFE].msgstr == "Кафе на набережній (чернетка)"
    review(po_path(proj), CAFE, "Кафе на набережній")  # the draft becomes a review
    proj.run()
    assert_reviewed_everywhere(proj, CAFE, "Кафе на набережній")


def test_withdrawn_text_leaves_other_articles_offers(tmp_path: Path, installed_models: Path) -> None:
    proj = small_project(tmp_path, installed_models)
    proj.run()
    review(po_path(proj), TICKETS, "Квитки продають на борту.")
    proj.run()
    write_article(proj, OTHER, OTHER_TEXT)
    proj.run()
    assert "Квитки продають на борту." in rendered(proj, article=OTHER)  # offered from memory
    proj.locpipe("memory", "forget", "--locale", "uk", TICKETS)
    proj.run()
    assert "Квитки продають на борту." not in rendered(proj, article=OTHER)
    assert live(po_path(proj, article=OTHER))[TICKETS].msgstr != "Квитки продають на борту."
    assert_reviewed_everywhere(proj, TICKETS, "Квитки продають на борту.")  # the translator's own stays
    # reviewed again on a live entry after the withdrawal: back in the memory, offered again
    review(po_path(proj), TICKETS, "Квитки продають тільки на борту.")
    proj.run()
    review(po_path(proj), TICKETS, "Квитки продають на борту.")
    proj.run()
    units = [u for u in memory_units(proj) if u["source"] == TICKETS and not u.get("withdrawn")]
    assert [u["target"] for u in units] == ["Квитки продають на борту."]


def test_rejecting_approved_machine_text_keeps_it_out(tmp_path: Path, installed_models: Path) -> None:
    """Machine text approved as it was, then rejected: the model's same output is not put back."""
    proj = small_project(tmp_path, installed_models)
    proj.run()
    machine = live(po_path(proj))[SOUP].msgstr
    review(po_path(proj), SOUP, machine)
    proj.run()
    review(po_path(proj), SOUP, "")
    for _ in range(2):
        proj.run()
        entry = live(po_path(proj))[SOUP]
        assert entry.msgstr == "" and "rejected by a reviewer" in entry.comment
        assert machine not in rendered(proj)


def test_a_hand_added_entry_goes_obsolete(tmp_path: Path, installed_models: Path) -> None:
    proj = small_project(tmp_path, installed_models)
    proj.run()
    before = status_row(proj)["total"]
    po = polib.pofile(str(po_path(proj)))
    po.append(polib.POEntry(msgid="Extra line typed by hand.", msgstr="Зайвий рядок."))
    po.save()
    proj.run()
    assert "Extra line typed by hand." in obsolete(po_path(proj))
    assert status_row(proj)["total"] == before
    check_catalogs(proj)


def test_a_catalog_in_latin1_is_read(tmp_path: Path, installed_models: Path) -> None:
    """`msgconv -t ISO-8859-1` output: read in its declared charset, written back in UTF-8."""
    proj = small_project(tmp_path, installed_models, targets=("de",))
    proj.run()
    path = po_path(proj, "de")
    po = polib.pofile(str(path))
    for entry in po:
        entry.msgstr, entry.flags = "Grüße aus dem Hafen", []
    po.save()
    subprocess.run(["msgconv", "-t", "ISO-8859-1", "-o", str(path), str(path)], check=True)
    assert b"charset=ISO-8859-1" in path.read_bytes()
    proj.run()
    assert "Grüße aus dem Hafen" in rendered(proj, "de")
    assert b"charset=UTF-8" in path.read_bytes()
    msgfmt_check(path)


def test_feed_catalog_follows_its_lines(tmp_path: Path, installed_models: Path) -> None:
    """feed_catalog = feed: a line's reverted edit and a removed line reach the shared .po."""
    proj = small_project(tmp_path, installed_models, articles={})
    cfg = proj.root / "luigi.cfg"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("[locpipe]\n", "[locpipe]\nfeed_catalog = feed\n"))
    lines = [
        {"id": "brief-1", "title": "Bridge closed", "body": f"The bridge is closed for repairs. {FERRY}"},
        {"id": "brief-2", "title": "Market day", "body": f"{CAFE} {SOUP}"},
    ]
    feed = proj.inputs / "briefs.jsonl"
    original = "".join(json.dumps(x) + "\n" for x in lines)
    feed.write_text(original, encoding="utf-8")
    proj.run()
    path = po_path(proj, article="briefs")
    po = polib.pofile(str(path))
    entry = po.find(FERRY, msgctxt="brief-1")
    entry.msgstr, entry.flags = "Пором відходить о сьомій.", []
    po.save()
    proj.run()
    feed.write_text(original.replace(f" {FERRY}", ""), encoding="utf-8")
    proj.run()
    assert polib.pofile(str(path)).find(FERRY, msgctxt="brief-1", include_obsolete_entries=True).obsolete
    feed.write_text(original, encoding="utf-8")
    proj.run()
    back = polib.pofile(str(path)).find(FERRY, msgctxt="brief-1")
    assert not back.obsolete and back.msgstr == "Пором відходить о сьомій." and "fuzzy" not in back.flags
    feed.write_text(original.splitlines(keepends=True)[0], encoding="utf-8")
    proj.run()
    gone = [e for e in polib.pofile(str(path)) if (e.msgctxt or "").startswith("brief-2")]
    assert gone and all(e.obsolete for e in gone)
    check_catalogs(proj)
