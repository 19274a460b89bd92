"""The stored model output, read a group of result files at a time: every lookup gets what
reading every file would give, and an edit reads only the groups its sentences fall in."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipeline.translation import mt_store as store
from pipeline.translation.chunk import bucket_count, bucket_of, done_path, plan_pair, set_digest
from pipeline.translation.mt_store import StoredTexts, load_translations, text_digest

SENTENCES = [f"Sentence number {i} of the archive." for i in range(400)]


def _write_chunks(folder: Path, texts: list[str], buckets: int, host: str, tag: str = "") -> None:
    by_bucket: dict[int, list[str]] = {}
    for text in texts:
        by_bucket.setdefault(bucket_of(text, buckets), []).append(text)
    folder.mkdir(parents=True, exist_ok=True)
    for bucket, members in by_bucket.items():
        name = f"{bucket:04d}of{buckets}-{set_digest([text_digest(t) for t in members])}.{host}-1.jsonl"
        lines = "".join(json.dumps([t, f"{tag}{t.upper()}"], ensure_ascii=False) + "\n" for t in members)
        (folder / name).write_text(lines, encoding="utf-8")


def _full_read(folder: Path) -> dict[str, str]:
    """Every file in name order, first one wins: what a lookup must agree with."""
    merged: dict[str, str] = {}
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            src, tgt = json.loads(line)
            merged.setdefault(src, tgt)
    return merged


def test_lookups_agree_with_reading_every_file_across_bucket_counts_and_duplicates(tmp_path: Path):
    folder = tmp_path / "mt"
    _write_chunks(folder, SENTENCES[:200], 8, "a")
    _write_chunks(folder, SENTENCES[100:], 16, "b", tag="second ")  # overlap: 100 stored twice
    expected = _full_read(folder)
    lookup = StoredTexts(folder)
    assert all(lookup.get(t) == expected[t] for t in reversed(SENTENCES))
    assert "Never stored." not in lookup and lookup.get("Never stored.") is None
    assert StoredTexts(folder).load_all() == expected


def test_one_lookup_reads_one_group_of_files(tmp_path: Path):
    folder = tmp_path / "mt"
    _write_chunks(folder, SENTENCES, 16, "a")
    lookup = StoredTexts(folder)
    assert lookup.get(SENTENCES[7]) == SENTENCES[7].upper()
    group = bucket_of(SENTENCES[7], 16)
    read = set(lookup._read)
    assert read and all(name.startswith(f"{group:04d}of16-") for name in read)


def test_appended_results_are_seen_by_the_next_load(tmp_path: Path):
    folder = tmp_path / "mt"
    _write_chunks(folder, SENTENCES[:50], 4, "a")
    store._stores.clear()
    first = load_translations(folder)
    assert first.get(SENTENCES[0]) == SENTENCES[0].upper()
    prefix = f"{bucket_of('New one.', 4):04d}of4-"
    path = next(p for p in sorted(folder.glob("*.jsonl")) if p.name.startswith(prefix))
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(["New one.", "NEW ONE."]) + "\n")
    assert load_translations(folder).get("New one.") == "NEW ONE."


def test_planning_skips_done_buckets_and_reads_only_the_changed_ones(tmp_path: Path):
    folder = tmp_path / "mt"
    needed = {text_digest(t): t for t in SENTENCES[:300]}
    buckets = bucket_count(len(needed), 100)
    _write_chunks(folder, sorted(needed.values()), buckets, "a")
    store._stores.clear()

    def every_plan() -> Any:
        raise AssertionError("an edit must not read every plan")

    # every sentence stored already (another host's chunks): each bucket is marked done
    planned = plan_pair("en", "uk", "route", folder, 100, {}, ("", "p1"), lambda: set(needed), lambda: needed)
    assert planned == []
    assert all(done_path(folder, p.name.split(".", 1)[0]).exists() for p in folder.glob("*.jsonl"))
    store._stores.clear()
    assert plan_pair("en", "uk", "route", folder, 100, {}, ("p1", "p1"), every_plan, every_plan) == []
    assert not store._stores[folder]._read  # nothing was read to know that
    new = {text_digest("A corrected sentence."): "A corrected sentence."}
    (chunk,) = plan_pair("en", "uk", "route", folder, 100, new, ("p1", "p2"), every_plan, every_plan)
    assert chunk.pending == 1 and chunk.bucket == bucket_of("A corrected sentence.", buckets)
    assert {int(n[:4]) for n in store._stores[folder]._read} == {chunk.bucket}
