"""Hostile model packages: `locpipe models install` refuses each with one line naming the
archive and exit 2, writes nothing outside the models folder (and leaves nothing in it);
an installed package that is not valid is skipped with a warning when it is used."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from conftest import SAMPLE, Project, make_project

from pipeline.translation.packages import MAX_METADATA_BYTES, MAX_METADATA_DEPTH, MAX_UNPACKED_BYTES

GOOD_META = {
    "package_version": "1.0",
    "from_code": "en",
    "to_code": "uk",
    "type": "translate",
}


@pytest.fixture
def empty(tmp_path) -> Project:
    return make_project(tmp_path / "p", ("uk",))


def files_under(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_size for p in folder.rglob("*") if p.is_file()}


def rezip(source: Path, target: Path, edit=None, extra: dict[str, bytes] | None = None, patch=None) -> Path:
    """A copy of an .argosmodel: each (name, data) through edit, extra members added (deflated),
    and patch(infos) run on the directory entries just before it is written (to make it lie)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        top = zin.namelist()[0].split("/")[0]
        for info in zin.infolist():
            name, data = info.filename, zin.read(info)
            if edit:
                data = edit(name, data)
            zout.writestr(name, data)
        for name, data in (extra or {}).items():
            zout.writestr(f"{top}/{name}", data)
        if patch:
            patch(zout.filelist)
    return target


def install(project: Project, archive: Path, tmp_path: Path):
    """Install, asserting what must hold for any hostile package: exit 2, one line naming it,
    nothing in models/, nothing left in the staging folder, nothing written beside the archive."""
    before = files_under(tmp_path)
    result = project.locpipe("models", "install", str(archive), check=False)
    assert result.returncode == 2, result.stderr
    (line,) = result.stderr.strip().splitlines()[1:]  # after the line naming config and folders
    assert line.startswith(f"locpipe: {archive}: ") and line.endswith("not installed"), line
    after = files_under(tmp_path)
    assert {k: v for k, v in after.items() if not k.startswith("p/")} == {
        k: v for k, v in before.items() if not k.startswith("p/")
    }
    assert files_under(project.models) == {} and files_under(project.root / ".state" / "tmp") == {}
    return line


def metadata_edit(meta: bytes):
    return lambda name, data: meta if name.endswith("/metadata.json") else data


def test_zip_bomb_by_ratio_is_refused_before_extraction(empty, packages, tmp_path):
    zeros = {"model/pad.bin": bytes(64 * 1024**2)}
    bomb = rezip(packages["en-uk"], tmp_path / "bomb.argosmodel", extra=zeros)
    assert bomb.stat().st_size < 2 * 1024**2
    line = install(empty, bomb, tmp_path)
    assert "member 'translate-en_uk-0_0_1-demo/model/pad.bin' unpacks to" in line and "zip bomb" in line


def test_declared_size_over_the_limit_is_refused(empty, packages, tmp_path):
    def declare_huge(infos):
        infos[-1].file_size = MAX_UNPACKED_BYTES + 1

    extra = {"notes.txt": b"x" * 100}
    big = rezip(packages["en-uk"], tmp_path / "big.argosmodel", extra=extra, patch=declare_huge)
    line = install(empty, big, tmp_path)
    assert "unpacks to" in line and "more than 2048 MB" in line


def test_lying_header_cannot_unpack_more_than_it_declares(empty, packages, tmp_path):
    """The directory says 1 KB, the data inflates to 32 MB: the writer stops at the declared size."""

    def understate(infos):
        infos[-1].file_size = 1024

    extra = {"pad.bin": bytes(32 * 1024**2)}
    liar = rezip(packages["en-uk"], tmp_path / "liar.argosmodel", extra=extra, patch=understate)
    line = install(empty, liar, tmp_path)
    assert "damaged zip" in line or "holds more than its header says" in line


def test_oversized_metadata_is_refused(empty, packages, tmp_path):
    meta = json.dumps({**GOOD_META, "description": "x" * (MAX_METADATA_BYTES + 10)}).encode()
    fat = rezip(packages["en-uk"], tmp_path / "fat.argosmodel", edit=metadata_edit(meta))
    assert "metadata.json is larger than 1 MB" in install(empty, fat, tmp_path)


@pytest.mark.parametrize("depth", [MAX_METADATA_DEPTH + 1, 100_000])
def test_deeply_nested_metadata_is_one_line_not_a_traceback(empty, packages, tmp_path, depth):
    meta = json.dumps(GOOD_META)[:-1].encode() + b', "x": ' + b"[" * depth + b"]" * depth + b"}"
    deep = rezip(packages["en-uk"], tmp_path / "deep.argosmodel", edit=metadata_edit(meta))
    assert f"metadata.json nests deeper than {MAX_METADATA_DEPTH} levels" in install(empty, deep, tmp_path)


def test_brackets_inside_strings_do_not_count_as_nesting(empty, packages, tmp_path):
    meta = json.dumps({**GOOD_META, "description": "[" * 500 + '{"' + "}"}).encode()
    ok = rezip(packages["en-uk"], tmp_path / "ok.argosmodel", edit=metadata_edit(meta))
    result = empty.locpipe("models", "install", str(ok))
    assert "installed argos en->uk 1.0" in result.stdout


@pytest.mark.parametrize(
    "key, value",
    [
        ("from_code", "../../x"),
        ("to_code", "uk/../../../tmp"),
        ("from_code", "EN"),
        ("to_code", "u"),
        ("from_code", "engl"),
        ("package_version", "../1"),
    ],
)
def test_path_like_codes_and_versions_are_refused_at_install(empty, packages, tmp_path, key, value):
    meta = json.dumps({**GOOD_META, key: value}).encode()
    bad = rezip(packages["en-uk"], tmp_path / "codes.argosmodel", edit=metadata_edit(meta))
    line = install(empty, bad, tmp_path)
    assert f"{key} {value!r} is not a" in line


@pytest.mark.parametrize("codes", [("pb", "en"), ("en", "zt"), ("eng", "ukr")])
def test_argos_special_codes_are_accepted(empty, packages, tmp_path, codes):
    meta = json.dumps({**GOOD_META, "from_code": codes[0], "to_code": codes[1]}).encode()
    good = rezip(packages["en-uk"], tmp_path / "special.argosmodel", edit=metadata_edit(meta))
    result = empty.locpipe("models", "install", str(good))
    assert f"installed argos {codes[0]}->{codes[1]} 1.0" in result.stdout


def test_installed_package_with_a_bad_code_is_skipped_when_used(empty, packages, tmp_path):
    """A package placed by hand or by an older locpipe: read at use, never used to build a path."""
    empty.locpipe("models", "install", str(packages["en-uk"]))
    folder = empty.models / "translate-en_uk-0_0_1-demo"
    meta = json.loads((folder / "metadata.json").read_text())
    (folder / "metadata.json").write_text(json.dumps({**meta, "to_code": "../../../escaped"}))
    listing = empty.locpipe("models", "list")
    assert "no models installed" in listing.stdout
    (line,) = [x for x in listing.stderr.splitlines() if "warning" in x]
    assert str(folder) in line and "to_code '../../../escaped' is not a language code" in line
    assert "package skipped, remove it" in line
    (empty.inputs / SAMPLE.name).write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    before = files_under(tmp_path)
    run = empty.run("--targets", "uk", check=False)
    assert run.returncode in (0, 3), run.stderr  # 3 once "untranslated for lack of a model" has its code
    assert "Traceback" not in run.stderr and "package skipped" in run.stderr
    new = set(files_under(tmp_path)) - set(before)
    assert all(name.startswith(("p/locales/", "p/.state/")) for name in new), new
    assert not list(tmp_path.rglob("escaped*"))
