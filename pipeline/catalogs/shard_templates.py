"""Stage 4 begins for a shard of articles: each article's catalog template (.pot), written
again only when its record or its file changed, and one template per JSONL feed where its
lines share a catalog (`feed_catalog = feed`)."""

from __future__ import annotations

from typing import Any

from pipeline.catalogs.feed import record_feed
from pipeline.catalogs.feed_template import write_feed_template
from pipeline.catalogs.write import write_template
from pipeline.core.filestamp import holds
from pipeline.core.layout import Layout
from pipeline.segments.prepare import SegmentedShard


def write_shard_templates(
    layout: Layout,
    shard: SegmentedShard,
    previous_stamp: dict[str, Any] | None,
    project: str,
    feed_mode: bool,
) -> dict[str, Any]:
    """The shard's stamp with each article's template stamp and dates (and "feeds": each
    feed template's), from segment_shard's."""
    old = (previous_stamp or {}).get("articles", {})
    summary = shard.stamp["articles"]
    feeds: dict[str, list[dict[str, Any]]] = {}
    for record in shard.records:
        if "error" in record:
            continue
        entry = summary[record["id"]]
        feed = record_feed(record, feed_mode)
        if feed:
            feeds.setdefault(feed, []).append(record)
            continue
        prior = old.get(record["id"], {})
        pot_stamp, dates = prior.get("pot"), prior.get("dates")
        fresh = record["id"] in shard.reused and prior.get("digest") == entry["digest"]
        if not (fresh and holds(layout.pot(record["id"]), pot_stamp)):
            written = write_template(record, layout.root, project, dates)
            pot_stamp, dates = written["stamp"], written["dates"]
        entry.update(pot=pot_stamp, dates=dates)
    hints = (previous_stamp or {}).get("feeds", {})
    templates = {}
    for feed, records in feeds.items():
        templates[feed] = write_feed_template(records, layout.root, feed, project, hints.get(feed))
        for record in records:
            summary[record["id"]].update(pot=templates[feed]["pot"], pot_path=templates[feed]["pot_path"])
    return {**shard.stamp, "feeds": templates} if templates else dict(shard.stamp)
