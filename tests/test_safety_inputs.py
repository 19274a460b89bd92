"""Hostile inputs: each gets one line naming the file (the run goes on with the other
articles and exits 1, "an article failed") or a correct result with a warning (exit 0);
nothing is written outside the output folder and no reviewed translation changes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import polib
import pytest
from conftest import SAMPLE, Project

from pipeline.core.errors import InputError
from pipeline.inputs.encoding import STRAY_MAX_SHARE, decode
from pipeline.inputs.ids import MAX_NAME_BYTES, slugify
from pipeline.inputs.markdown_file import MAX_NESTING, parse_markdown
from pipeline.outputs.manifest import read_manifest

SAMPLE_ID = SAMPLE.stem
ENGLISH = "Title of the report\n\nThe minister said the talks would continue next week in the capital.\n"
REVIEWED = "Україна шукає турецьких інвестицій (перевірено)"


def lines_about(result, name: str, kind: str = "error") -> list[str]:
    """The run summary's lines of one kind that name the file."""
    return [line for line in result.stderr.splitlines() if line.startswith(f"  {kind}:") and name in line]


def outside(project: Project) -> dict[str, tuple[int, int]]:
    """Every file of the project but the output and state folders: a run must not touch them."""
    skip = {project.locales, project.root / ".state"}
    return {
        str(p): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in project.root.rglob("*")
        if p.is_file() and not p.is_symlink() and not any(s in p.parents for s in skip)
    }


def run_hostile(project: Project, expect: int):
    before = outside(project)
    result = project.run("--targets", "uk", check=False)
    assert result.returncode == expect, result.stderr
    assert "Traceback" not in result.stderr
    assert outside(project) == before
    return result


def all_output_bytes(project: Project) -> bytes:
    return b"".join(p.read_bytes() for p in project.locales.rglob("*") if p.is_file())


def review_title(po_path: Path, msgstr: str = REVIEWED) -> str:
    po = polib.pofile(str(po_path))
    entry = next(e for e in po if e.msgctxt and "title" in e.msgctxt)
    entry.msgstr, entry.flags = msgstr, []
    po.save()
    return entry.msgid


def reviewed_entries(po_path: Path) -> dict[str, str]:
    po = polib.pofile(str(po_path))
    return {e.msgid: e.msgstr for e in po if e.translated() and "fuzzy" not in e.flags}


@pytest.fixture
def reviewed(project: Project) -> Project:
    """A project whose sample article has been translated once and its title reviewed."""
    project.run("--targets", "uk")
    review_title(project.locales / "uk" / "LC_MESSAGES" / f"{SAMPLE_ID}.po")
    return project


def feed(*items: tuple[str, str]) -> str:
    return "".join(json.dumps({"id": i, "title": t, "body": ENGLISH}) + "\n" for i, t in items)


# -- feeds that would write the same output file -------------------------------------------


@pytest.mark.parametrize(
    "first, second", [("a/feed.jsonl", "b/feed.jsonl"), ("my feed.jsonl", "my-feed.jsonl")]
)
def test_two_feeds_with_one_output_name_the_second_is_refused_naming_both(project, first, second):
    (project.inputs / first).parent.mkdir(exist_ok=True)
    (project.inputs / second).parent.mkdir(exist_ok=True)
    (project.inputs / first).write_text(feed(("one", "The first feed")), encoding="utf-8")
    project.run("--targets", "uk")
    po = project.locales / "uk" / "LC_MESSAGES" / "one.po"
    review_title(po, "Перша стрічка")
    kept = reviewed_entries(po)
    (project.inputs / second).write_text(feed(("two", "The second feed")), encoding="utf-8")
    result = run_hostile(project, expect=1)
    (line,) = lines_about(result, second)
    assert first in line and "rename one of the two feeds" in line
    out_name = "my-feed.jsonl" if "my" in first else "feed.jsonl"
    rendered = [json.loads(x) for x in (project.locales / "uk" / out_name).read_text().splitlines()]
    assert [r["id"] for r in rendered] == ["one"] and rendered[0]["title"] == "Перша стрічка"
    assert not (project.locales / "uk" / "LC_MESSAGES" / "two.po").exists()
    assert reviewed_entries(po) == kept


def test_duplicate_id_in_one_feed_names_both_lines(project):
    lines = feed(("x", "First story"), ("x", "Second story"))
    (project.inputs / "news.jsonl").write_text(lines, encoding="utf-8")
    result = run_hostile(project, expect=1)
    (line,) = lines_about(result, "news.jsonl")
    assert "news.jsonl:2: article id 'x' is also the id on line 1; change one of the ids" in line
    assert "rename" not in line


def test_id_clash_between_files_says_rename(project):
    (project.inputs / "Story.txt").write_text(ENGLISH, encoding="utf-8")
    (project.inputs / "story.md").write_text("# " + ENGLISH, encoding="utf-8")
    result = run_hostile(project, expect=1)
    (line,) = lines_about(result, "story.md")
    assert "clashes with" in line and "Story.txt" in line and "rename one of the two files" in line


# -- symbolic links -------------------------------------------------------------------------


def test_link_out_of_the_inputs_folder_is_not_followed(reviewed, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("Private notes\n\nThe password is hunter2, not for translation.\n", encoding="utf-8")
    (reviewed.inputs / "notes.txt").symlink_to(secret)
    (reviewed.inputs / "etc.txt").symlink_to("/etc/hostname")
    po = reviewed.locales / "uk" / "LC_MESSAGES" / f"{SAMPLE_ID}.po"
    kept = reviewed_entries(po)
    result = run_hostile(reviewed, expect=1)
    for name in ("notes.txt", "etc.txt"):
        (line,) = lines_about(result, name)
        assert "points outside the inputs folder" in line
    assert b"hunter2" not in all_output_bytes(reviewed)
    assert not list(reviewed.locales.rglob("notes*")) and not list(reviewed.locales.rglob("etc*"))
    assert reviewed_entries(po) == kept and REVIEWED in kept.values()


@pytest.mark.parametrize("case", ["dangling", "loop"])
def test_dangling_links_and_loops_are_reported(project, case):
    if case == "dangling":
        (project.inputs / "gone.txt").symlink_to("deleted-draft.txt")
        names, message = ["gone.txt"], "symbolic link to a missing file (deleted-draft.txt)"
    else:
        (project.inputs / "a.txt").symlink_to("b.txt")
        (project.inputs / "b.txt").symlink_to("a.txt")
        names, message = ["a.txt", "b.txt"], "symbolic link loop"
    result = run_hostile(project, expect=1)
    for name in names:
        (line,) = lines_about(result, f"/{name}")
        assert message in line
    assert (project.locales / "uk" / f"{SAMPLE_ID}.txt").exists()  # the others go on


def test_link_inside_the_folder_is_read_once_as_its_target(project):
    (project.inputs / "alias.txt").symlink_to(SAMPLE.name)
    (project.inputs / "folder-link").symlink_to(".", target_is_directory=True)  # a loop through a folder
    run_hostile(project, expect=0)
    assert [p.name for p in (project.locales / "templates").iterdir()] == [f"{SAMPLE_ID}.pot"]
    manifest = read_manifest(project.locales / "manifest.json")
    assert list(manifest["articles"]) == [SAMPLE_ID]


# -- encodings and NUL ----------------------------------------------------------------------


def test_utf8_with_a_stray_byte_stays_utf8_and_the_offset_is_reported(project):
    good = "The “Kyiv–Ankara” talks — naïve hopes, café diplomacy.\n\n" + ENGLISH
    data = good.encode("utf-8")
    at = data.index(b" talks")
    (project.inputs / "stray.txt").write_bytes(data[:at] + b"\xe9" + data[at:])
    result = run_hostile(project, expect=0)
    (line,) = lines_about(result, "stray.txt", "warning")
    assert f"not valid UTF-8 (at byte {at})" in line
    msgids = {e.msgid for e in polib.pofile(str(project.locales / "templates" / "stray.pot"))}
    assert "The “Kyiv–Ankara”\ufffd talks — naïve hopes, café diplomacy." in msgids
    manifest = read_manifest(project.locales / "manifest.json")
    assert manifest["articles"]["stray"]["encoding"] == "utf-8"
    assert manifest["articles"]["stray"]["warnings"] == [line.removeprefix("  warning: ")]


def test_legacy_encoded_file_is_still_detected(project):
    text = "The café in Zürich — “naïve” hopes\n\n" + ENGLISH
    (project.inputs / "latin.txt").write_bytes(text.encode("cp1252"))
    result = run_hostile(project, expect=0)
    assert not lines_about(result, "latin.txt", "warning")
    msgids = {e.msgid for e in polib.pofile(str(project.locales / "templates" / "latin.pot"))}
    assert "The café in Zürich — “naïve” hopes" in msgids


def _text_with(valid: int, bad: int) -> bytes:
    return b"Plain words. " + "é".encode() * valid + b"\xff" * bad + b" more words.\n"


@pytest.mark.parametrize(
    "valid, bad, utf8",
    [(3, 1, True), (30, 10, True), (29, 11, False), (0, 1, False), (1, 3, False)],
)
def test_stray_byte_threshold_both_sides(valid, bad, utf8):
    """At most STRAY_MAX_SHARE of the non-ASCII characters invalid: UTF-8; more: a legacy code page."""
    assert STRAY_MAX_SHARE == 0.25
    try:
        decoded = decode("t.txt", _text_with(valid, bad))
    except InputError as exc:  # not UTF-8, and no code page fits these bytes either
        assert not utf8 and "not text in any known encoding" in exc.line()
        return
    assert (decoded.encoding == "utf-8") is utf8
    if utf8:
        assert decoded.text.count("é") == valid and decoded.text.count("\ufffd") == bad
        assert decoded.warnings and decoded.warnings[0].startswith("t.txt: not valid UTF-8 (at byte")


def test_nul_past_the_first_8_kb_never_reaches_a_catalog(project):
    body = b"".join(b"Paragraph %d says the talks went on for hours.\n\n" % i for i in range(300))
    assert len(body) > 8192
    (project.inputs / "nul.txt").write_bytes(b"Title with a NUL later\n\n" + body + b"Tail\x00 end.\n")
    (project.inputs / "nul-feed.jsonl").write_text(
        json.dumps({"id": "escaped", "title": "Escaped\u0000 NUL", "body": ENGLISH}) + "\n", encoding="utf-8"
    )
    (project.inputs / "binary.txt").write_bytes(b"Looks like text\n" + b"\x00\x01" * 100)
    result = run_hostile(project, expect=1)  # binary.txt is an error
    (line,) = lines_about(result, "nul.txt", "warning")
    assert f"1 NUL byte(s) removed (at byte {24 + len(body) + 4})" in line
    (line,) = lines_about(result, "nul-feed.jsonl:1", "warning")
    assert "NUL character" in line
    (line,) = lines_about(result, "binary.txt")
    assert "binary file" in line
    assert b"\x00" not in b"".join(p.read_bytes() for p in project.locales.rglob("*.po*"))
    assert "Tail end." in {e.msgid for e in polib.pofile(str(project.locales / "templates" / "nul.pot"))}


# -- names near the 255-byte limit ----------------------------------------------------------


def test_250_byte_cyrillic_names_run_end_to_end(project):
    stem = "з" * 123  # 246 bytes, 250 with ".txt"
    names = [f"{stem}.txt", f"{stem[:-1]}ж.txt"]  # differ only past the cut
    for name in names:
        assert len(name.encode()) == 250
        (project.inputs / name).write_text(ENGLISH, encoding="utf-8")
    run_hostile(project, expect=0)
    pos = sorted((project.locales / "uk" / "LC_MESSAGES").glob("з*.po"))
    assert len(pos) == 2 and pos[0].stem != pos[1].stem
    for po in pos:
        assert len(po.stem.encode()) <= MAX_NAME_BYTES and po.with_suffix(".mo").exists()
    longest = max(len(p.name.encode()) for p in project.locales.rglob("*"))
    assert longest <= 255 - 14  # room left for a temp file's ".<name>.XXXXXXXX.tmp"
    run_hostile(project, expect=0)  # and again: nothing to redo, nothing breaks


def test_slug_is_bounded_in_bytes_and_unique():
    a, b = slugify("я" * 200), slugify("я" * 199 + "ю")
    assert a != b and len(a.encode()) <= MAX_NAME_BYTES and len(b.encode()) <= MAX_NAME_BYTES
    assert slugify("short-name") == "short-name"


# -- deep Markdown --------------------------------------------------------------------------


def test_markdown_nested_2000_deep_is_reported_with_file_and_line(project):
    deep = "# Deep\n\n" + "".join("  " * i + f"- item {i} of the list\n" for i in range(2000))
    (project.inputs / "deep.md").write_text(deep, encoding="utf-8")
    quotes = "# Quotes\n\n" + ">" * 2000 + " Deep quote text.\n"
    (project.inputs / "quotes.md").write_text(quotes, encoding="utf-8")
    result = run_hostile(project, expect=1)
    for name in ("deep.md", "quotes.md"):
        (line,) = lines_about(result, name)
        assert f"Markdown nested over {MAX_NESTING} levels deep here" in line and "flatten" in line
    assert ":22: " in lines_about(result, "deep.md")[0]  # the item where the limit is reached
    assert not (project.locales / "uk" / "deep.md").exists()


def test_markdown_within_the_limit_is_translated_to_the_last_level():
    depth = MAX_NESTING // 2 - 1  # a list level is two of markdown-it's
    text = "# T\n\n" + "".join("  " * i + f"- item {i}\n" for i in range(depth))
    article = parse_markdown(Path("ok.md"), text)
    assert article.paragraphs[-1].text == f"item {depth - 1}"
    with pytest.raises(InputError):
        parse_markdown(Path("deep.md"), text + "  " * depth + "- one more\n")


def test_fifo_in_the_inputs_folder_does_not_hang_the_run(project):
    os.mkfifo(project.inputs / "pipe.txt")
    result = run_hostile(project, expect=1)
    (line,) = lines_about(result, "pipe.txt")
    assert "not a regular file" in line
