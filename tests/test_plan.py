"""The run's plan without Luigi: shards and buckets that stay put as an archive grows, keys that
move only with what they stand for, and the worker's refusals."""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest

from pipeline import __version__
from pipeline.catalogs.catalog_plan import catalog_key
from pipeline.core.layout import Layout
from pipeline.core.settings import load_settings
from pipeline.run.chunk_plan import needs_digests, plan_chunks, plan_needs
from pipeline.run.locale_plan import plan_shard_key
from pipeline.run.plan import plan_inputs, shard_count, shard_of
from pipeline.run.worker import refusal
from pipeline.translation.chunk import bucket_count, bucket_of, bucket_of_digest, plan_pair, set_digest
from pipeline.translation.mt_store import text_digest


def test_shards_split_in_two_as_the_archive_grows():
    assert [shard_count(n, 256) for n in (0, 1, 256, 257, 1000, 20000)] == [1, 1, 1, 2, 4, 128]
    ids = [f"article-{i}" for i in range(2000)]
    small, large = shard_count(1000, 256), shard_count(2000, 256)
    assert large == 2 * small
    # an article in shard s of the smaller plan lands in s or s + small: one shard splits in two
    assert all(shard_of(a, large) % small == shard_of(a, small) for a in ids)


def test_buckets_are_a_function_of_the_text_and_the_count():
    assert bucket_count(0, 2000) == 1 and bucket_count(2001, 2000) == 2 and bucket_count(9000, 2000) == 8
    texts = [f"Sentence {i}." for i in range(100)]
    assert [bucket_of(t, 8) for t in texts] == [bucket_of(t, 8) for t in texts]
    assert set_digest(texts) == set_digest(list(reversed(texts)))


def _named(texts: set[str]) -> dict[str, str]:
    return {text_digest(t): t for t in texts}


def _from_nothing(needed: dict[str, str]) -> dict[str, object]:
    """plan_pair's arguments for a pair planned from every plan's sentences."""
    return {"fresh": {}, "needed": lambda: set(needed), "everything": lambda: needed}


def _never() -> object:
    raise AssertionError("an edit must not read every plan")


def test_a_chunk_is_named_by_its_whole_sentence_set_not_by_what_is_pending(tmp_path: Path):
    folder = tmp_path / "mt"
    needed = _named({f"Sentence {i}." for i in range(10)})
    (before,) = plan_pair("en", "uk", "route", folder, 100, plans=("", "p1"), **_from_nothing(needed))
    # half the bucket is stored meanwhile (another run's chunk): the same chunk, fewer pending
    stored = sorted(needed.values())[:5]
    (folder / "other.host-1.jsonl").write_text(
        "".join(json.dumps([s, s.upper()]) + "\n" for s in stored), encoding="utf-8"
    )
    (after,) = plan_pair("en", "uk", "route", folder, 100, {}, ("p1", "p1"), _never, _never)  # type: ignore[arg-type]
    assert after.name == before.name and (before.pending, after.pending) == (10, 5)


def test_an_edit_grows_the_bucket_its_new_sentence_falls_in_from_its_last_job(tmp_path: Path):
    folder = tmp_path / "mt"
    old = _named({f"Sentence {i}." for i in range(35)})  # 4 buckets of 10, and still with one more
    first = plan_pair("en", "uk", "route", folder, 10, plans=("", "p1"), **_from_nothing(old))
    for chunk in first:  # translated: every bucket done
        (folder / "done").mkdir(parents=True, exist_ok=True)
        (folder / "done" / f"{chunk.name}.json").write_text("{}", encoding="utf-8")
    new = _named({"A correction was published."})
    (edited,) = plan_pair("en", "uk", "route", folder, 10, new, ("p1", "p2"), _never, _never)  # type: ignore[arg-type]
    job = json.loads((folder / "jobs" / f"{edited.name}.json").read_text(encoding="utf-8"))
    bucket = [t for d, t in {**old, **new}.items() if bucket_of_digest(d, edited.buckets) == edited.bucket]
    assert job == sorted(bucket) and edited.pending == len(bucket)  # nothing stored in this test
    # the same chunk as planning from nothing, where every text comes from the plans
    everything = _from_nothing({**old, **new})
    again = plan_pair("en", "uk", "route", tmp_path / "fresh", 10, plans=("", "x"), **everything)
    assert edited in again
    # a plan set the buckets were not planned for is planned from nothing
    with pytest.raises(AssertionError, match="must not read every plan"):
        plan_pair("en", "uk", "route", folder, 10, {}, ("elsewhere", "p3"), _never, _never)  # type: ignore[arg-type]
    # so is a pair whose unfinished bucket's job file was damaged: never a run that cannot go on
    (folder / "jobs" / f"{edited.name}.json").write_text('["not the bucket"]', encoding="utf-8")
    with pytest.raises(AssertionError, match="must not read every plan"):
        plan_pair("en", "uk", "route", folder, 10, {}, ("p2", "p2"), _never, _never)  # type: ignore[arg-type]
    (unfinished,) = plan_pair("en", "uk", "route", folder, 10, plans=("p2", "p2"), **everything)
    assert unfinished == edited


def _plan(folder: Path, name: str, texts: list[str]) -> Path:
    path = folder / "uk" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"articles": {"a": {"needs": {"en|uk|route": texts}}}}
    path.write_text(json.dumps(data), encoding="utf-8")
    Layout(folder.parent.parent).plan_needs(path).parent.mkdir(parents=True, exist_ok=True)
    Layout(folder.parent.parent).plan_needs(path).write_text(json.dumps(needs_digests(plan_needs(data))))
    return path


def test_an_edited_plan_adds_its_new_sentences_and_keeps_the_ones_it_dropped(tmp_path: Path):
    texts = [f"Line {i}." for i in range(60)]
    seen = Layout(tmp_path / "seen")
    files = [_plan(seen.work / "plan", f"000{i}-k.json", texts[i * 20 : i * 20 + 20]) for i in range(3)]
    plan_chunks(seen, files, "decode", 8)
    # shard 1 edited: "Line 39." dropped (it stays in its bucket, stored), one line added
    files[1] = _plan(seen.work / "plan", "0001-edited.json", [*texts[20:39], "An edited line."])
    incremental = plan_chunks(seen, files, "decode", 8)
    scratch = Layout(tmp_path / "scratch")
    grown = [texts[:20], [*texts[20:40], "An edited line."], texts[40:]]
    copies = [_plan(scratch.work / "plan", f"000{i}-k.json", lines) for i, lines in enumerate(grown)]
    assert incremental == plan_chunks(scratch, copies, "decode", 8) and incremental
    # planned again for the same plans: the same chunks, from the memo
    assert plan_chunks(seen, files, "decode", 8) == incremental


def _project(tmp_path: Path, files: dict[str, str]) -> Path:
    (tmp_path / "inputs").mkdir()
    for name, text in files.items():
        (tmp_path / "inputs" / name).write_text(text, encoding="utf-8")
    cfg = tmp_path / "luigi.cfg"
    cfg.write_text("[locpipe]\ninputs = inputs\noutputs = locales\ntargets = uk\nshard_size = 2\n")
    return cfg


def test_an_edit_moves_only_its_own_shards_key(tmp_path: Path):
    files = {f"a{i}.txt": f"Title {i}\n\nBody {i}.\n" for i in range(8)}
    cfg = _project(tmp_path, files)
    before = {s.index: s.key for s in plan_inputs(load_settings(cfg)).shards}
    (tmp_path / "inputs" / "a3.txt").write_text("Title 3\n\nAn edited body.\n", encoding="utf-8")
    after = plan_inputs(load_settings(cfg))
    moved = {s.index for s in after.shards if before[s.index] != s.key}
    assert moved == {s.index for s in after.shards if any(a.id == "a3" for a in s.articles)}


def test_the_plan_key_of_a_shard_ignores_the_memory_and_the_projects_location(tmp_path: Path):
    files = {"a.txt": "Title\n\nBody.\n"}
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir(), two.mkdir()
    keys = []
    for root in (one, two):
        settings = load_settings(_project(root, files))
        (shard,) = plan_inputs(settings).shards
        keys.append(plan_shard_key(shard, "uk", {"a": catalog_key(None)}, "models", settings))
    assert keys[0] == keys[1]


def test_a_catalog_key_holds_across_locpipes_own_writes():
    empty = polib.POFile()
    machine = polib.POFile()
    machine.append(polib.POEntry(msgid="A.", msgstr="А.", flags=["fuzzy"], comment="machine: argos en->uk 1"))
    assert catalog_key(None) == catalog_key(empty) == catalog_key(machine)
    reviewed = polib.POFile()
    reviewed.append(polib.POEntry(msgid="A.", msgstr="А."))
    assert catalog_key(reviewed) != catalog_key(machine)
    reviewed[0].obsolete = True  # a merge moving a reviewed entry to #~ keeps the key
    live = polib.POFile()
    live.append(polib.POEntry(msgid="A.", msgstr="А."))
    assert catalog_key(reviewed) == catalog_key(live)


def test_layout_owns_the_paths(tmp_path: Path):
    layout = Layout(tmp_path)
    assert layout.po("uk", "a") == tmp_path / "uk" / "LC_MESSAGES" / "a.po"
    assert layout.memory("uk") == tmp_path / "memory" / "uk.json"
    assert layout.work == tmp_path / ".locpipe"
    assert layout.mt("en", "uk", "r", "d") != layout.mt("en", "uk", "r", "e")


@pytest.mark.parametrize(
    "module, family, params, refused",
    [
        ("pipeline.run.tasks", "WriteShard", {"release": __version__}, None),
        (None, "TranslateChunk", {}, None),
        ("evil_tasks", "Evil", {}, "this worker runs locpipe's own tasks only"),
        ("os", "WriteShard", {}, "this worker runs locpipe's own tasks only"),
        ("pipeline.run.tasks", "WriteShard", {"release": "0.0.1"}, "planned by locpipe 0.0.1"),
    ],
)
def test_the_worker_loads_locpipes_own_tasks_of_its_own_version(module, family, params, refused):
    reason = refusal(module, family, json.dumps(params))
    assert (reason is None) if refused is None else (refused in reason)


def test_inputs_are_not_read_again_while_their_stat_is_what_the_last_run_recorded(tmp_path: Path):
    import os
    import time

    from pipeline.inputs.discover import discover, file_digest
    from pipeline.outputs.inputs_index import index_path, trusted_digests

    inputs, work = tmp_path / "inputs", tmp_path / "work"
    inputs.mkdir()
    work.mkdir()
    old, fresh = inputs / "old.txt", inputs / "fresh.txt"
    old.write_text("Old news.\n", encoding="utf-8")
    fresh.write_text("Fresh news.\n", encoding="utf-8")
    long_ago = time.time_ns() - 3600 * 10**9
    os.utime(old, ns=(long_ago, long_ago))
    now = time.time_ns()

    def stamp(path: Path, digest: str) -> list[object]:
        st = path.stat()
        return [st.st_size, st.st_mtime_ns, st.st_ino, digest]

    files = {"old.txt": stamp(old, "recorded-old"), "fresh.txt": stamp(fresh, "recorded-fresh")}
    index_path(work).write_text(
        json.dumps({"inputs": str(inputs), "written_ns": now, "files": files}), encoding="utf-8"
    )
    known = trusted_digests(work, inputs)
    assert set(known) == {str(old)}  # modified within 2 s of the index: its stat proves nothing
    digests = {s.path.name: s.digest for s in discover(inputs, known)[0]}
    assert digests == {"old.txt": "recorded-old", "fresh.txt": file_digest(fresh)}
    old.write_text("Old news!\n", encoding="utf-8")  # same size, new mtime
    assert {s.path.name: s.digest for s in discover(inputs, known)[0]}["old.txt"] == file_digest(old)


def test_an_input_edited_while_the_run_reads_is_read_again_by_the_next_run(tmp_path: Path):
    """The inputs index records the stat taken before the bytes were read, not one taken at
    the end: an edit made after the read must not look like the bytes the run read."""
    import os
    import time

    from pipeline.inputs.discover import discover, file_digest, list_files
    from pipeline.outputs.inputs_index import inputs_changed, trusted_digests, write_inputs_index

    inputs, work = tmp_path / "inputs", tmp_path / "work"
    inputs.mkdir()
    work.mkdir()
    article = inputs / "report.txt"
    article.write_text("First draft.\n", encoding="utf-8")
    long_ago = time.time_ns() - 3600 * 10**9
    os.utime(article, ns=(long_ago, long_ago))
    started = time.time_ns()
    listed = list_files(inputs)
    sources, _ = discover(inputs, {}, listed)
    assert sources[0].digest == file_digest(article)
    article.write_text("Final text.\n", encoding="utf-8")  # during the run, after the read
    write_inputs_index(work, inputs, sources, started, listed[0])
    assert inputs_changed(work, inputs) is True
    again, _ = discover(inputs, trusted_digests(work, inputs))
    assert again[0].digest == file_digest(article) != sources[0].digest
