"""Installing and listing Argos packages: what a user does with `locpipe models`."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from conftest import SAMPLE, make_project

from pipeline.outputs.manifest import read_manifest


def _files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


def _rezip(source: Path, target: Path, edit) -> Path:
    """Copy an .argosmodel, passing each (name, data) through edit (None drops it)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            item = edit(info.filename, zin.read(info.filename))
            if item is not None:
                zout.writestr(item[0], item[1])
    return target


@pytest.fixture
def empty_project(tmp_path):
    return make_project(tmp_path / "p")


def test_install_then_list_reads_the_package_back(empty_project, packages):
    result = empty_project.locpipe("models", "install", str(packages["en-uk"]))
    assert "installed argos en->uk 0.0.1-demo" in result.stdout
    listing = empty_project.locpipe("models", "list").stdout
    assert "en->uk\t0.0.1-demo" in listing and "DEMO" in listing
    metadata = json.loads((empty_project.models / "translate-en_uk-0_0_1-demo" / "metadata.json").read_text())
    assert metadata["from_code"] == "en" and metadata["to_code"] == "uk"


@pytest.mark.parametrize(
    "case, edit, message",
    [
        (
            "zip-slip",
            lambda n, d: (("../../evil.txt" if n.endswith("README.md") else n), d),
            "escapes the package folder",
        ),
        (
            "absolute",
            lambda n, d: (("/tmp/evil.txt" if n.endswith("README.md") else n), d),
            "escapes the package folder",
        ),
        ("no metadata", lambda n, d: None if n.endswith("metadata.json") else (n, d), "no metadata.json"),
        (
            "bad metadata",
            lambda n, d: (n, b"{not json") if n.endswith("metadata.json") else (n, d),
            "not valid JSON",
        ),
        (
            "no pair",
            lambda n, d: (
                (n, b'{"type": "translate", "package_version": "1"}')
                if n.endswith("metadata.json")
                else (n, d)
            ),
            "lacks 'from_code'",
        ),
        (
            "broken model",
            lambda n, d: (n, d[:100]) if n.endswith("model.bin") else (n, d),
            "model cannot be loaded",
        ),
        (
            "two tops",
            lambda n, d: (("other/" + n.split("/", 1)[1]) if n.endswith("README.md") else n, d),
            "one top folder",
        ),
    ],
)
def test_bad_packages_are_refused_and_nothing_is_installed(
    empty_project, packages, tmp_path, case, edit, message
):
    bad = _rezip(packages["en-uk"], tmp_path / "bad.argosmodel", edit)
    result = empty_project.locpipe("models", "install", str(bad), check=False)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()[1:]  # after the line naming config and models_dir
    assert len(lines) == 1 and message in lines[0] and "bad.argosmodel" in lines[0], result.stderr
    assert _files_under(empty_project.models) == []
    assert not (tmp_path / "evil.txt").exists() and not Path("/tmp/evil.txt").exists()


def test_not_a_zip_is_refused(empty_project, tmp_path):
    junk = tmp_path / "junk.argosmodel"
    junk.write_bytes(b"this is not a zip file")
    result = empty_project.locpipe("models", "install", str(junk), check=False)
    assert result.returncode == 2 and "not a zip archive" in result.stderr
    assert _files_under(empty_project.models) == []


def test_nothing_lands_in_home(empty_project, packages):
    empty_project.locpipe("models", "install", str(packages["en-uk"]))
    (empty_project.inputs / SAMPLE.name).write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    empty_project.run("--targets", "uk")
    empty_project.locpipe("models", "list")
    empty_project.locpipe("models", "install-default", check=False)  # imports argostranslate (offline)
    assert _files_under(empty_project.home) == []
    assert (empty_project.root / ".state" / "config" / "argos-translate").is_dir()


def test_install_default_offline_builds_labelled_demo_models(empty_project):
    """The `make run` path with no network and no local .argosmodel files."""
    plain = empty_project.locpipe("models", "install-default", check=False)
    assert plain.returncode == 2
    assert "Argos's index is not reachable" in plain.stderr and "models-download" in plain.stderr
    result = empty_project.locpipe("models", "install-default", "--demo-fallback")
    assert result.stdout.count("DEMO model") == 3
    (empty_project.inputs / SAMPLE.name).write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    run = empty_project.run()
    assert run.stderr.count("placeholder text") == 1  # --quiet: once, last (tests/test_cli.py: both)
    manifest = read_manifest(empty_project.locales / "manifest.json")
    assert manifest["demo_model_used"] is True


def test_install_default_prefers_a_local_folder(empty_project, packages):
    folder = empty_project.root / "models-download"
    folder.mkdir()
    for pair in ("en-uk", "en-tr", "en-de"):
        (folder / packages[pair].name).write_bytes(packages[pair].read_bytes())
    result = empty_project.locpipe("models", "install-default")
    assert result.stdout.count("from ") == 3 and "models-download" in result.stdout
