"""The tests carry their own articles (tests/data/articles): the repository's inputs/ folder is
the user's, which `make run` translates, and editing or replacing an article there must not
change what the tests expect. conftest's audit hook stops this process from touching that
folder; the scan below finds a path into it that a test hands to a subprocess, or a bench
builds, in the source itself."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import ARTICLES, REPO, SAMPLE, USER_INPUTS, UserInputsTouched, _under_user_inputs

TESTS = Path(__file__).resolve().parent
# a path into the repository's inputs/ folder, however it is spelled: joined (with / or joinpath)
# to the repository root (REPO, ROOT, BENCH.parent, Path(__file__)...parent), a relative string
# starting with ./ or ../, formatted into an f-string after {REPO}, os.path.join'ed or added;
# test_the_scan_finds_each_spelling shows each
INTO_INPUTS = re.compile(
    r"""(\b(REPO|ROOT)|\.parent)\s*/\s*["']inputs(?![\w.-])"""
    r"""|(\b(REPO|ROOT)|\.parent)\.joinpath\(\s*["']inputs(?![\w.-])"""
    r"""|["'](\.\.?/)+inputs(?![\w.-])"""
    r"""|\{\s*(REPO|ROOT)\b[^}]*\}/inputs(?![\w.-])"""
    r"""|os\.path\.join\(.*\b(REPO|ROOT)\b.*["']inputs["']"""
    r"""|\b(REPO|ROOT)\)?\s*\+\s*["']/inputs(?![\w.-])"""
)
# conftest's one name for the folder, which its audit hook guards
GUARD = ("tests/conftest.py", 'USER_INPUTS = REPO / "{}"'.format("inputs"))


def sources() -> list[Path]:
    return sorted(TESTS.rglob("*.py")) + sorted((REPO / "bench").glob("*.py"))


def paths_into_inputs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if INTO_INPUTS.search(line)]


def test_no_test_or_bench_source_names_the_repository_inputs_folder():
    found = [
        (str(path.relative_to(REPO)), line)
        for path in sources()
        for line in paths_into_inputs(path.read_text(encoding="utf-8"))
    ]
    assert found == [GUARD], "use conftest.SAMPLE / ARTICLES (tests/data/articles), not inputs/"


@pytest.mark.parametrize(
    "line",
    [
        'SAMPLE = REPO / "{}" / "ukraine-turkey-defense.txt"',
        "text = (ROOT / '{}' / name).read_text()",
        'here = Path(__file__).resolve().parent.parent / "{}"',
        'BENCH.parent.joinpath("{}", "a.txt")',
        'subprocess.run(["cat", "../{}/a.txt"], cwd=REPO / "tests")',
        'cmd = f"cp -r {{REPO}}/{}/ {{tmp}}"',
        'os.path.join(str(REPO), "{}")',
        'folder = str(REPO) + "/{}"',
    ],
)
def test_the_scan_finds_each_spelling(line):
    assert paths_into_inputs(line.format("inputs")) != []


@pytest.mark.parametrize(
    "line",
    [
        '(project.inputs / "note.txt").write_text(text)',
        '(tmp_path / "inputs").mkdir()',
        'cfg.write_text("[locpipe]\\ninputs = inputs\\n")',
        "from pipeline.inputs.discover import discover",
        'shutil.copytree(folder, root / "inputs", dirs_exist_ok=True)',
    ],
)
def test_the_scan_leaves_a_projects_own_inputs_alone(line):
    assert paths_into_inputs(line) == []


def test_the_sample_is_the_tests_own():
    assert SAMPLE.parent == ARTICLES and ARTICLES.is_relative_to(TESTS) and SAMPLE.read_bytes()
    assert not _under_user_inputs(SAMPLE) and not _under_user_inputs(REPO / "inputs-aside")


@pytest.mark.parametrize(
    "touch",
    [
        lambda tmp: open(USER_INPUTS / "any.txt", encoding="utf-8"),  # noqa: SIM115
        lambda tmp: (USER_INPUTS / SAMPLE.name).read_bytes(),
        lambda tmp: list(USER_INPUTS.iterdir()),
        lambda tmp: list(os.scandir(USER_INPUTS)),
        lambda tmp: shutil.copy(USER_INPUTS / SAMPLE.name, tmp),
        lambda tmp: shutil.copytree(USER_INPUTS, tmp / "copy"),
        lambda tmp: Path("inputs", SAMPLE.name).read_text(encoding="utf-8"),  # relative, from REPO
    ],
    ids=["open", "read", "iterdir", "scandir", "copy", "copytree", "relative"],
)
def test_the_hook_stops_a_test_that_touches_the_users_inputs(touch, tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    with pytest.raises(UserInputsTouched, match="never the repository's inputs/ folder"):
        touch(tmp_path)
