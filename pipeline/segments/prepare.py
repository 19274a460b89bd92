"""Stages 1 and 2 for a shard of articles: detect and segment (the catalog templates are
catalogs.shard_templates' work, from these records).

One task per few hundred articles keeps Luigi's scheduler fast; identity stays per article
inside: an article whose bytes and settings are unchanged keeps its record.
Records stream to a JSONL file, one line per article, so later stages never re-read inputs.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.core.atomic import write_text
from pipeline.core.layout import Layout
from pipeline.segments.record import prepare_file


def read_records(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def previous_records(layout: Layout, shard: int) -> dict[tuple[str, str, str], dict[str, Any]]:
    """Records of this shard's earlier runs, by (id, digest, settings key); a file that does
    not parse is only a cache miss."""
    found: dict[tuple[str, str, str], dict[str, Any]] = {}
    folder = layout.records(shard, "x").parent
    for path in sorted(folder.glob(f"{shard:04d}-*.jsonl")) if folder.is_dir() else []:
        try:
            for record in read_records(path):
                found[(record["id"], record["digest"], record.get("made_with", ""))] = record
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return found


@dataclass
class SegmentedShard:
    """A shard's records in order, which of them were reused, and the stamp so far: per
    article a summary for the manifest, and under "ran" the articles read again."""

    records: list[dict[str, Any]]
    reused: set[str]
    stamp: dict[str, Any]


def segment_shard(
    layout: Layout,
    shard: int,
    key: str,
    articles: list[dict[str, Any]],
    settings_key: str,
    options: dict[str, Any],
    on_article: Callable[[int], None] | None = None,
) -> SegmentedShard:
    """articles: [{id, path, member, digest}] in shard order; options: what prepare_file
    takes (source_lang, min_confidence, unit, abbreviations, inputs). on_article gets the
    number of articles done so far after each one (progress)."""
    cache = previous_records(layout, shard)
    lines: list[str] = []
    records: list[dict[str, Any]] = []
    reused_ids: set[str] = set()
    summary: dict[str, Any] = {}
    done: list[str] = []
    differs: list[str] = []  # read other bytes than the listing's: the stamp is not a done one
    for ref in articles:
        record = cache.get((ref["id"], ref["digest"], settings_key))
        if record is not None:
            reused_ids.add(ref["id"])
            if ref.get("member") and record.get("member") != ref["member"]:
                record = {**record, "member": ref["member"]}  # the same line, moved: its `#:` follows
        else:
            path = Path(ref["path"])
            record = prepare_file(
                path,
                options["source_lang"],
                options["unit"],
                ref["member"],
                options["min_confidence"],
                options["abbreviations"],
                options["inputs"],
            )
            # keyed by the bytes this task parsed: a file edited between the listing and this
            # read is recorded as what was translated, so the next run sees any later change
            read = record.pop("read_digest", None) or ref["digest"]
            if read != ref["digest"]:
                note = f"{ref['path']}: changed while this run read it; what was read is translated"
                record["warnings"] = [*record.get("warnings", []), note]
                differs.append(f"{ref['id']}={read}")
            record.update(id=ref["id"], digest=read, made_with=settings_key)
            done.append(ref["id"])
        lines.append(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
        records.append(record)
        entry: dict[str, Any] = {"digest": record.get("digest", ref["digest"])}
        if "error" in record:
            entry["error"] = record["error"]
        else:
            entry.update(
                detection=record["detection"],
                segments=len(record["segments"]),
                encoding=record.get("encoding", "utf-8"),
                warnings=record.get("warnings", []),
            )
        summary[ref["id"]] = entry
        if on_article is not None:
            on_article(len(summary))
    write_text(layout.records(shard, key), "".join(lines), durable=False)  # state
    stamp: dict[str, Any] = {"records": str(layout.records(shard, key)), "articles": summary, "ran": done}
    if differs:
        stamp["read_differs"] = differs
    return SegmentedShard(records, reused_ids, stamp)
