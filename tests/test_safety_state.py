"""Internal state and the disk: what locpipe can rebuild it rebuilds (a damaged memory is moved
aside with a warning saying what was lost), and a full or read-only disk is one line and a
clean stop, not a page of tracebacks."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from conftest import LOCPIPE, Project, output_files

from pipeline.core.errors import LocpipeError

REVIEWED = "Переглянуто редактором."


def _review_one(project: Project) -> tuple[str, str | None]:
    po_path = project.locales / "uk" / "LC_MESSAGES" / "ukraine-turkey-defense.po"
    po = polib.pofile(str(po_path))
    entry = next(e for e in po if "fuzzy" in e.flags)
    entry.msgstr, entry.flags = REVIEWED, []
    po.save()
    return entry.msgid, entry.msgctxt


def test_a_damaged_memory_is_moved_aside_and_rebuilt(project: Project):
    project.run()
    msgid, context = _review_one(project)
    project.run()
    memory = project.locales / "memory" / "uk.json"
    assert REVIEWED in memory.read_text(encoding="utf-8")
    memory.write_text(memory.read_text(encoding="utf-8")[:-40], encoding="utf-8")  # cut short
    result = project.run()
    lines = [line for line in result.stderr.splitlines() if "uk.json" in line]
    assert len(lines) == 1 and "damaged; moved to uk.json.corrupt-" in lines[0]
    assert "units recovered" in lines[0] and "Traceback" not in result.stderr
    assert list(memory.parent.glob("uk.json.corrupt-*"))
    units = json.loads(memory.read_text(encoding="utf-8"))["units"]
    assert any(u["target"] == REVIEWED for u in units)  # rebuilt from the catalogs
    po = polib.pofile(str(project.locales / "uk" / "LC_MESSAGES" / "ukraine-turkey-defense.po"))
    assert po.find(msgid, msgctxt=context if context is not None else False).msgstr == REVIEWED
    again = project.run()  # the run that found the damage said so; a later no-op run does not
    assert "damaged;" not in again.stderr, again.stderr


def _damage(path: Path) -> None:
    path.write_bytes(b'{"not": [json' if path.suffix != ".jsonl" else b'["half a line')


def test_damaged_work_files_are_rebuilt_silently(project: Project):
    project.run()
    before = output_files(project.locales)
    work = project.locales / ".locpipe"
    damaged = [p for p in work.rglob("*") if p.is_file() and p.suffix in {".json", ".jsonl"}]
    kinds = {p.relative_to(work).parts[0] for p in damaged}
    assert {"records", "plan", "done", "catalogs", "mt", "memory"} <= kinds
    for path in damaged:
        _damage(path)
    result = project.run()
    assert "Traceback" not in result.stderr
    assert output_files(project.locales) == before


def _unshare_mount_works() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt && umount /mnt"],
        capture_output=True,
    )
    return probe.returncode == 0


needs_mounts = pytest.mark.skipif(not _unshare_mount_works(), reason="needs unshare -m and mount (root)")


def _run_on_mount(project: Project, mount: str) -> subprocess.CompletedProcess[str]:
    """locpipe run with the output folder on a mount of its own, in a private namespace."""
    cmd = " ".join(
        [f"mount {mount} '{project.locales}' &&", *(f"'{c}'" for c in LOCPIPE)]
        + ["--config", f"'{project.root / 'luigi.cfg'}'", "run", "--quiet"]
    )
    return subprocess.run(
        ["unshare", "-m", "sh", "-c", cmd],
        cwd=project.root,
        env=project.env(),
        capture_output=True,
        text=True,
    )


@needs_mounts
def test_a_full_disk_is_one_line_and_a_clean_stop(project: Project):
    project.locales.mkdir(exist_ok=True)
    result = _run_on_mount(project, "-t tmpfs -o size=48k tmpfs")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "No space left on device" in line]
    assert len(lines) == 1 and "free space or make it writable" in lines[0]


@needs_mounts
def test_a_read_only_output_folder_is_one_line_before_any_work(project: Project):
    project.locales.mkdir(exist_ok=True)
    result = _run_on_mount(project, f"--bind -o ro '{project.locales}'")
    assert result.returncode == 1, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("locpipe:")]
    assert len(lines) == 1 and "Read-only file system" in lines[0], result.stderr


@pytest.mark.skipif(
    subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode != 0
    if shutil.which("unshare")
    else True,
    reason="needs unshare -n",
)
def test_a_run_without_a_network_gives_the_same_result(project: Project, tmp_path: Path):
    """No socket is opened by a run: in a namespace with no network at all it does the same."""
    other = tmp_path / "copy"
    shutil.copytree(project.root, other, symlinks=True)
    project.run()
    offline = subprocess.run(
        ["unshare", "-n", *LOCPIPE, "--config", str(other / "luigi.cfg"), "run", "--quiet"],
        cwd=other,
        env=project.env(),
        capture_output=True,
        text=True,
    )
    assert offline.returncode == 0, offline.stderr
    assert output_files(other / "locales") == output_files(project.locales)


def test_a_plan_made_with_other_models_than_its_key_is_not_stored(project: Project):
    """A model removed after the driver listed the models: the shard plan must not be stored
    under a key that names the model, or the model put back is never seen again."""
    from pipeline.run.tasks import PlanShard

    project.run("--targets", "uk")
    work = project.locales / ".locpipe"
    records = sorted((work / "records").glob("0000-*.jsonl"))[-1]
    keys = sorted((work / "plan").glob("catalog-keys-uk-*.json"))[-1]
    task = PlanShard(
        outputs=str(project.locales), config=str(project.root / "luigi.cfg"), shard=0, locale="uk",
        key="listed-with-another-model", records=str(records), keys=str(keys), models="not-these",
    )  # fmt: skip
    with pytest.raises(LocpipeError, match="the installed models changed during the run; run again"):
        task.run()
    assert not Path(task.output().path).exists()


def test_a_reissued_model_with_other_weights_is_redone(project: Project, tmp_path: Path):
    """Same name and version, other weights: its output is not mixed with the old model's under
    one label; the articles are translated again and their notes name the weights."""
    from pipeline.translation.synthetic import build_package

    project.run("--targets", "uk")
    before = polib.pofile(str(project.locales / "uk" / "LC_MESSAGES" / "ukraine-turkey-defense.po"))
    assert all("weights" not in e.comment for e in before)
    reissued = build_package("en", "uk", tmp_path / "reissued", size="tiny", seed=1)
    project.locpipe("models", "install", str(reissued))
    listed = project.locpipe("models", "list").stdout
    assert "en->uk" in listed and "weights" in listed  # the re-issue is told apart
    project.run("--targets", "uk")
    ran = json.loads((project.locales / ".locpipe" / "last-run.json").read_text(encoding="utf-8"))
    assert ran["segments_translated"] > 0 and ran["models_loaded"] >= 1
    after = polib.pofile(str(project.locales / "uk" / "LC_MESSAGES" / "ukraine-turkey-defense.po"))
    machine = [e for e in after if "fuzzy" in e.flags and not e.obsolete]
    assert machine and all("machine: argos en->uk 0.0.1-demo weights " in e.comment for e in machine)
    again = project.run("--targets", "uk")  # and a no-op after it
    assert again.returncode == 0
    ran = json.loads((project.locales / ".locpipe" / "last-run.json").read_text(encoding="utf-8"))
    assert ran["segments_translated"] == 0 and ran["models_loaded"] == 0
