"""Nothing lost when someone else writes: a translator saving a .po while a run replaces it,
`prune` pointed at the wrong folder, files other users must read, and a killed writer's
leftovers."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import polib
import pytest
from conftest import LOCPIPE, SAMPLE, Project, msgfmt_check, output_files

from pipeline.core import create_batch, guarded_replace, temp_files

OLD = b"msgid \"\"\nmsgstr \"\"\n\nmsgid \"a\"\nmsgstr \"old\"\n"
MINE = b"msgid \"\"\nmsgstr \"\"\n\nmsgid \"a\"\nmsgstr \"merged\"\n"
THEIRS = b"msgid \"\"\nmsgstr \"\"\n\nmsgid \"a\"\nmsgstr \"reviewed\"\n"


def save_in_place(path: Path, data: bytes) -> None:
    """How polib and many editors save: truncate and write the same file."""
    with open(path, "wb") as handle:
        handle.write(data)


def save_by_rename(path: Path, data: bytes) -> None:
    """How Poedit-like tools save: a new file renamed over the old one."""
    tmp = path.with_name(path.name + ".editor-tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


@pytest.fixture
def hook():
    yield
    temp_files._race_hook = None


@pytest.mark.parametrize("save", [save_in_place, save_by_rename])
@pytest.mark.parametrize("step", ["before-aside", "aside", "linked"])
def test_a_save_inside_the_replace_window_wins(tmp_path, hook, step, save):
    path = tmp_path / "a.po"
    path.write_bytes(OLD)
    expected = guarded_replace.read_snapshot(path)
    saved = []

    def translator(at: str, where: Path) -> None:
        if at == step and not saved:
            if at in ("aside", "linked") and save is save_in_place:
                # a writer that opened the file before the rename writes into the moved file
                moved = next(where.parent.glob(f".{where.name}.*{temp_files.ASIDE_SUFFIX}"))
                save_in_place(moved, THEIRS)
            else:
                save(where, THEIRS)
            saved.append(at)

    temp_files._race_hook = translator
    replaced = guarded_replace.replace_if_unchanged(path, MINE, expected)
    # a whole-file save after ours is simply the later save; any other is merged again
    assert replaced is (step == "linked" and save is save_by_rename)
    assert saved == [step]
    assert path.read_bytes() == THEIRS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.po"]


def test_a_save_that_creates_the_file_first_wins(tmp_path, hook):
    path = tmp_path / "a.po"
    temp_files._race_hook = lambda at, where: save_by_rename(where, THEIRS) if at == "create" else None
    assert guarded_replace.replace_if_unchanged(path, MINE, None) is False
    assert path.read_bytes() == THEIRS


def test_no_save_means_the_new_file_is_in_place(tmp_path):
    path = tmp_path / "a.po"
    path.write_bytes(OLD)
    path.chmod(0o640)
    assert guarded_replace.replace_if_unchanged(path, MINE, guarded_replace.read_snapshot(path)) is True
    assert path.read_bytes() == MINE
    assert stat.S_IMODE(path.stat().st_mode) == 0o640  # a replaced file keeps its mode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.po"]


def test_new_files_appear_only_at_commit_and_all_of_them(tmp_path):
    paths = [tmp_path / "a.po", tmp_path / "sub" / "b.po"]
    with create_batch.CreateBatch() as batch:
        for path in paths:
            batch.write(path, MINE)
        assert not any(path.exists() for path in paths)
        assert batch.commit() == []
    assert [path.read_bytes() for path in paths] == [MINE, MINE]
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a.po", "b.po", "sub"]  # no temp left


def test_a_file_created_before_commit_is_kept_and_named(tmp_path, hook):
    taken, free = tmp_path / "a.po", tmp_path / "b.po"
    temp_files._race_hook = lambda at, where: save_by_rename(where, THEIRS) if where == taken else None
    with create_batch.CreateBatch() as batch:
        batch.write(taken, MINE)
        batch.write(free, MINE)
        assert batch.commit() == [taken]
    assert taken.read_bytes() == THEIRS and free.read_bytes() == MINE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.po", "b.po"]


def test_a_batch_left_by_an_error_puts_nothing_in_place(tmp_path):
    with pytest.raises(RuntimeError), create_batch.CreateBatch() as batch:
        batch.write(tmp_path / "a.po", MINE)
        raise RuntimeError("the shard failed")
    assert list(tmp_path.iterdir()) == []


def test_a_catalog_a_translator_creates_during_a_first_run_is_theirs(project: Project, hook, monkeypatch):
    """A new catalog waits in its shard's batch; a translator's file that appears at its path
    in the meantime wins, and the run merges the article into it."""
    po_path = project.locales / "uk" / "LC_MESSAGES" / "ukraine-turkey-defense.po"
    mine: list[polib.POEntry] = []

    def translator(at: str, where: Path) -> None:
        if at == "create" and where == po_path and not mine:
            waiting = polib.pofile(str(next(where.parent.glob(f".{where.name}.*.tmp"))))
            mine.append(next(e for e in waiting if "fuzzy" in e.flags and e.msgstr))
            theirs = polib.POFile()
            theirs.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "uk"}
            theirs.append(polib.POEntry(msgid=mine[0].msgid, msgctxt=mine[0].msgctxt, msgstr="Мій переклад."))
            save_by_rename(where, theirs.__unicode__().encode("utf-8"))

    temp_files._race_hook = translator
    for key, value in project.env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(project.root)
    import luigi

    from pipeline.run.tasks import TranslateAll

    assert luigi.build([TranslateAll(config=str(project.root / "luigi.cfg"))], local_scheduler=True)
    assert mine, "the hook never ran: the catalog was not created through the batch"
    po = polib.pofile(str(po_path))
    kept = po.find(mine[0].msgid, msgctxt=mine[0].msgctxt)
    assert kept.msgstr == "Мій переклад." and "fuzzy" not in kept.flags
    assert len(po) > 1 and all(e.msgstr for e in po)  # the rest of the article merged in
    msgfmt_check(po_path)
    mo = polib.mofile(str(po_path.with_suffix(".mo")))
    assert mo.find(mine[0].msgid, msgctxt=mine[0].msgctxt).msgstr == "Мій переклад."
    rendered = (project.locales / "uk" / "ukraine-turkey-defense.txt").read_text(encoding="utf-8")
    assert "Мій переклад." in rendered


def _review_first_machine_entry(po_path: Path, text: str) -> tuple[str, str | None]:
    po = polib.pofile(str(po_path))
    entry = next(e for e in po if "fuzzy" in e.flags and e.msgstr)
    entry.msgstr = text
    entry.flags.remove("fuzzy")
    po.save()
    return entry.msgid, entry.msgctxt


@pytest.mark.parametrize("step", ["before-aside", "aside", "linked"])
def test_a_review_saved_while_a_run_rewrites_the_catalog_is_kept(project: Project, hook, step, monkeypatch):
    """The real catalog step, in this process, with a translator saving in its window."""
    project.run()
    po_path = project.locales / "uk" / "LC_MESSAGES" / "ukraine-turkey-defense.po"
    article = project.inputs / SAMPLE.name
    article.write_text(article.read_text(encoding="utf-8") + "\nA new closing sentence.\n", encoding="utf-8")
    reviewed: list[tuple[str, str | None]] = []

    def translator(at: str, where: Path) -> None:
        if at == step and where == po_path and not reviewed:
            target = where
            if at != "before-aside":
                target = next(where.parent.glob(f".{where.name}.*{temp_files.ASIDE_SUFFIX}"))
            reviewed.append(_review_first_machine_entry(target, "Перевірено перекладачем."))

    temp_files._race_hook = translator
    for key, value in project.env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(project.root)
    import luigi

    from pipeline.run.tasks import TranslateAll

    task = TranslateAll(config=str(project.root / "luigi.cfg"))
    assert luigi.build([task], local_scheduler=True, log_level="WARNING")
    assert reviewed, "the hook never ran: the run did not rewrite the catalog"
    msgid, context = reviewed[0]
    entry = polib.pofile(str(po_path)).find(msgid, msgctxt=context)
    assert entry.msgstr == "Перевірено перекладачем." and "fuzzy" not in entry.flags
    msgfmt_check(po_path)
    # the next run merges the article's change into the translator's file, review intact
    project.run()
    po = polib.pofile(str(po_path))
    assert po.find(msgid, msgctxt=context).msgstr == "Перевірено перекладачем."
    assert po.find("A new closing sentence.") is not None


def test_outputs_are_readable_by_other_users(project: Project):
    po = project.locales / "uk" / "LC_MESSAGES" / "ukraine-turkey-defense.po"
    subprocess.run(["true"])
    os.umask(old := os.umask(0o022))
    project.run()
    for path in [po, po.with_suffix(".mo"), project.locales / "templates" / "ukraine-turkey-defense.pot",
                 project.locales / "uk" / "ukraine-turkey-defense.txt", project.locales / "manifest.json"]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~old, path
    po.chmod(0o640)
    article = project.inputs / SAMPLE.name
    article.write_text(article.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    project.run()
    assert "One more line." in po.read_text(encoding="utf-8")
    assert stat.S_IMODE(po.stat().st_mode) == 0o640


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_killed_writers_leftovers_are_cleaned_and_a_moved_catalog_put_back(project: Project):
    project.run()
    before = output_files(project.locales)
    messages = project.locales / "uk" / "LC_MESSAGES"
    po = messages / "ukraine-turkey-defense.po"
    tag = f"{temp_files._HOST}{temp_files._BOOT}p{_dead_pid()}-abcdef"
    stale = messages / f".ukraine-turkey-defense.mo.{tag}.tmp"
    stale.write_bytes(b"half a file")
    # killed inside the replace window: the catalog is aside, its path empty
    os.rename(po, messages / f".{po.name}.{tag}{temp_files.ASIDE_SUFFIX}")
    project.run()
    assert not stale.exists()
    assert not list(project.locales.rglob(f"*{temp_files.ASIDE_SUFFIX}"))
    assert output_files(project.locales) == before


def test_a_live_writers_temp_file_is_left_alone(tmp_path):
    live = tmp_path / f".a.po.{temp_files._HOST}{temp_files._BOOT}p{os.getpid()}-abcdef.tmp"
    live.write_bytes(b"being written")
    other_host = tmp_path / ".a.po.zzzz9999p123-abcdef.tmp"
    other_host.write_bytes(b"another host, just now")
    assert temp_files.sweep_stale_temps(tmp_path) == 0
    assert live.exists() and other_host.exists()


def test_a_host_whose_clock_is_hours_ahead_removes_no_other_hosts_file(tmp_path, monkeypatch):
    """On a shared folder only the folder's clock says how old another host's file is: a host
    2 h ahead must not take a live writer's temp or aside file for a dead one's."""
    fresh = tmp_path / ".a.po.zzzz9999p123-abcdef.aside"
    fresh.write_bytes(b"another host's catalog, moved aside a moment ago")
    old = tmp_path / ".b.po.zzzz9999p456-abcdef.tmp"
    old.write_bytes(b"another host's temp, two hours old by the folder's clock")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    skewed = time.time() + 7200
    monkeypatch.setattr(temp_files.time, "time", lambda: skewed)
    assert temp_files.sweep_stale_temps(tmp_path) == 1
    assert fresh.exists() and not old.exists()


def test_a_file_of_this_host_from_an_earlier_boot_is_removed(tmp_path):
    """Its pid may belong to another process now: the boot tag says its writer is gone."""
    earlier = "0000" if temp_files._BOOT != "0000" else "1111"
    left = tmp_path / f".a.po.{temp_files._HOST}{earlier}p{os.getpid()}-abcdef.tmp"
    left.write_bytes(b"half a file")
    assert temp_files.sweep_stale_temps(tmp_path) == 1 and not left.exists()


@pytest.mark.parametrize(
    "inputs, message",
    [
        ("inputs-typo", "inputs folder not found; nothing pruned"),
        ("empty", "inputs folder is empty; nothing pruned"),
    ],
)
def test_prune_orphans_refuses_a_wrong_inputs_folder(project: Project, inputs, message):
    project.run()
    (project.root / "empty").mkdir()
    before = output_files(project.locales)
    result = project.locpipe("prune", "--orphans", "--inputs", str(project.root / inputs), check=False)
    assert result.returncode == 2
    assert message in result.stderr and "--force" in result.stderr
    assert len(result.stderr.strip().splitlines()[1:]) == 1  # after the line naming config and folders
    assert output_files(project.locales) == before


def test_prune_orphans_refuses_when_most_articles_would_go(project: Project):
    for n in range(3):
        (project.inputs / f"note-{n}.txt").write_text(f"Note {n}\n\nThe council met on Monday.\n")
    project.run()
    for n in range(3):
        (project.inputs / f"note-{n}.txt").unlink()
    before = output_files(project.locales)
    result = project.locpipe("prune", "--orphans", check=False)
    assert result.returncode == 2 and "3 of 4 articles would lose their outputs" in result.stderr
    assert output_files(project.locales) == before
    forced = project.locpipe("prune", "--orphans", "--force")
    assert "orphans: 21 files" in forced.stdout  # 3 x (.pot + 2 locales x .po .mo .txt)
    assert not [p for p in project.locales.rglob("note-*") if ".locpipe" not in p.parts]
    assert (project.locales / "uk" / "LC_MESSAGES" / "ukraine-turkey-defense.po").exists()


def test_an_unreadable_feed_line_is_an_error_not_an_orphan(project: Project):
    feed = project.inputs / "wire.jsonl"
    feed.write_text(
        '{"id": "one", "title": "Storm", "body": "Rain fell all day.", "lang": "en"}\n'
        '{"id": "two", "title": "Vote", "body": "The council voted.", "lang": "en"}\n',
        encoding="utf-8",
    )
    project.run()
    feed.write_text(
        '{"id": "one", "title": "Storm", "body": "Rain fell all day.", "lang": "en"}\n'
        '{"id": "two", "title": \n',
        encoding="utf-8",
    )
    before = output_files(project.locales)
    result = project.locpipe("prune", "--orphans", check=False)
    assert result.returncode == 2
    assert "wire.jsonl:2: not valid JSON" in result.stderr and "prune cannot tell" in result.stderr
    assert output_files(project.locales) == before


def test_header_dates_come_from_the_drivers_clock(project: Project):
    """Every catalog of a run carries the driver's time, whichever process or host wrote it:
    a worker whose clock is hours off does not date catalogs in the future."""
    env = {k: v for k, v in project.env().items() if k != "SOURCE_DATE_EPOCH"}
    driver = 1_790_000_000  # 2026-09-21 14:13 UTC: not this machine's time
    result = subprocess.run(
        [*LOCPIPE, "--config", str(project.root / "luigi.cfg"), "run", "--quiet", "--workers", "2"]
        + ["--targets", "uk"],
        cwd=project.root,
        env={**env, "LOCPIPE_RUN_TIME": str(driver)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    catalogs = [*project.locales.glob("*/LC_MESSAGES/*.po"), *project.locales.glob("templates/*.pot")]
    assert len(catalogs) == 2
    for path in catalogs:
        meta = polib.pofile(str(path)).metadata
        assert meta["PO-Revision-Date"] == meta["POT-Creation-Date"] == "2026-09-21 14:13+0000", path


def test_an_input_saved_during_the_run_then_reverted_is_translated_again(project: Project, monkeypatch):
    """The author saves between the run's listing and its read of the file, then reverts: the
    revert must be a change for the next run, or the retracted text stays published."""
    (project.inputs / SAMPLE.name).unlink()
    article = project.inputs / "note.txt"
    first = "Harbour note\n\nThe ferry leaves the north pier at seven every morning.\n"
    saved = first.replace("seven", "nine")
    article.write_text(first, encoding="utf-8")
    import pipeline.segments.record as record

    real = record.read_article

    def author_saves_first(path, member=0):  # the hook: the edit lands right before the read
        if path.name == "note.txt" and path.read_text(encoding="utf-8") == first:
            path.write_text(saved, encoding="utf-8")
        return real(path, member)

    monkeypatch.setattr(record, "read_article", author_saves_first)
    for key, value in project.env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(project.root)
    import luigi

    from pipeline.run.tasks import TranslateAll

    task = TranslateAll(config=str(project.root / "luigi.cfg"), targets=["uk"])
    assert luigi.build([task], local_scheduler=True)
    po_path = project.locales / "uk" / "LC_MESSAGES" / "note.po"
    assert "nine" in po_path.read_text(encoding="utf-8")  # what was read is what was translated
    monkeypatch.undo()
    article.write_text(first, encoding="utf-8")  # the author reverts
    project.run("--targets", "uk")
    po = polib.pofile(str(po_path))
    live = {e.msgid for e in po if not e.obsolete}
    assert "The ferry leaves the north pier at seven every morning." in live
    assert "The ferry leaves the north pier at nine every morning." not in live
    msgfmt_check(po_path)
