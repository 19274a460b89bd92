"""The end of a run: the manifest consumers read (an index, plus a page per shard of articles),
and the index of every file the run stands behind, which tells the next run whether anything
is left to do. A page is built again only when its shard's tasks wrote something new, so the
end of a run over 20,000 articles with one edit touches one page."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pipeline.core.atomic import write_json, write_state, write_text
from pipeline.core.filestamp import holds, stamp_of
from pipeline.core.layout import Layout
from pipeline.core.settings import Settings
from pipeline.outputs.files_index import index_state, index_verdicts, part_holds
from pipeline.outputs.manifest import SCHEMA_VERSION, article_entry, write_manifest
from pipeline.run.plan import InputsPlan, Shard, digest, shard_count, shard_of
from pipeline.run.summary import merge_reports, report_of
from pipeline.translation.packages import InstalledModel

INTERNAL = ("entry", "cache", "complete", "files", "dates")
PAGE_ARTICLES = 256  # articles a manifest page holds, about (fixed: pages never follow shard_size)


def files_intact(layout: Layout, files: dict[str, Any]) -> bool:
    return all(holds(layout.root / rel, stamp) for rel, stamp in files.items())


def _read(path: str) -> Any:
    from pipeline.catalogs.shard_plan import read_json

    return read_json(Path(path)) or {}


def locale_result(result: dict[str, Any]) -> dict[str, Any]:
    """A writer's per-article result as the manifest shows it: which files, their digests."""
    shown = {k: v for k, v in result.items() if k not in INTERNAL}
    if "files" in result:
        shown["files"] = {rel: stamp[3] for rel, stamp in sorted(result["files"].items())}
    if result.get("reason") and not result.get("output") and "skip" not in result and "error" not in result:
        shown["status"] = "untranslated"
    return shown


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return path.name


def shard_entries(
    settings: Settings, layout: Layout, shard: Shard, prepared: dict[str, Any], written: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, list[str]], dict[str, Any]]:
    """A shard's manifest entries, each article's problems, and the stamps of the files the
    shard stands behind."""
    articles: dict[str, Any] = {}
    problems: dict[str, list[str]] = {}
    files: dict[str, Any] = {}
    for ref in shard.articles:
        summary = prepared.get(ref.id, {"error": f"{ref.path}: not prepared; run again"})
        pot = summary.get("pot_path") or str(layout.pot(ref.id).relative_to(layout.root))
        if "pot" in summary:
            files[pot] = summary["pot"]
        results = {}
        for target, by_article in written.items():
            result = by_article.get(ref.id, {"error": "not written; run again"})
            files.update(result.get("files", {}))
            shown = locale_result(result)
            results[target] = {"skip": shown["skip"]} if shown.get("input_error") else shown
        where = _relative(Path(ref.path), settings.inputs)
        articles[ref.id], problems[ref.id] = article_entry(
            f"{where}:{ref.member}" if ref.member else where,
            ref.digest,
            summary,
            pot if "pot" in summary else None,
            results,
        )
    return articles, problems, files


def _files_text(files: dict[str, Any]) -> str:
    return "".join(f"{s[0]} {s[1]} {s[2]} {s[3]} {rel}\n" for rel, s in sorted(files.items()))


def _indexed(layout: Layout) -> list[tuple[str, list[Any]]]:
    """Every (relative path, stamp) in the files index; a missing index part is ("", [])."""
    found: list[tuple[str, list[Any]]] = []
    for name in index_state(layout).get("files", ["-"]):
        try:
            text = layout.files_index(name).read_text(encoding="utf-8")
        except OSError:
            found.append(("", []))
            continue
        for line in text.splitlines():
            size, mtime, inode, sha, rel = line.split(" ", 4)
            found.append((rel, [int(size), int(mtime), int(inode), sha]))
    return found


def unmoved_shards(layout: Layout, verdicts: dict[str, bool], count: int) -> frozenset[int]:
    """Shards whose part of the files index keeps its stat, where the last run cut the
    archive into as many shards (a shard's part then lists that shard's files)."""
    if index_state(layout).get("shard_count") != count:
        return frozenset()
    return frozenset(int(name[:4]) for name, same in verdicts.items() if same and name[:4].isdigit())


def files_index_intact(layout: Layout, verdicts: dict[str, bool] | None = None) -> bool:
    """Every file the last run stands behind is still there with its stat (else its digest)."""
    verdicts = index_verdicts(layout) if verdicts is None else verdicts
    return all(same or part_holds(layout, name, digests=True) for name, same in verdicts.items())


def _stat_of(path: str) -> list[int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def trusted_stamps(layout: Layout, verdicts: dict[str, bool] | None = None) -> set[str]:
    """Task stamps (and shard plans) the last run found whole, whose files are unchanged: a
    task whose stamp is here is done without reading it. After one edit among 20,000
    articles the scheduler asks about every shard task, and reading their stamps (hundreds
    of MB) and stat'ing what each lists took seconds; this is one stat pass over the index.
    A shard with any file moved is left out, and its tasks are checked the long way.
    verdicts: index_verdicts of this moment, where the caller has them."""
    cache = index_state(layout)
    trusted: set[str] = set()
    for name, stamps in cache.get("trust", {}).items():
        part = f"{name}.txt"
        same = verdicts.get(part) if verdicts else None
        if not (part_holds(layout, part, digests=False) if same is None else same):
            continue
        if all(_stat_of(path) == stat for path, stat in stamps):
            trusted.update(path for path, _ in stamps)
    return trusted


def changed_outputs(layout: Layout) -> list[str]:
    """Files the last run wrote that are there now with other bytes (edited by a reviewer or
    a tool); a touched or copied file with the same bytes is not changed."""
    return [
        rel for rel, stamp in _indexed(layout)
        if stamp and (layout.root / rel).exists() and not holds(layout.root / rel, stamp)
    ]  # fmt: skip


def write_run_outputs(
    settings: Settings,
    layout: Layout,
    inputs: InputsPlan,
    prepares: dict[int, str],
    writers: dict[tuple[int, str], tuple[str, str]],
    feeds: list[str],
    models: list[InstalledModel],
    run_key: str,
) -> dict[str, Any]:
    """Write the pages that changed, the files index and manifest.json; returns the index.

    prepares: each shard's prepare stamp; writers: each shard and locale's write stamp and the
    plan it wrote from; feeds: the feed stamps.

    Articles go to pages as to shards (a digest of the id, a power-of-two count) but by a fixed
    PAGE_ARTICLES, so the manifest is the same bytes whatever `shard_size` is. A page is built
    again only when a shard that holds one of its articles wrote something."""
    cache_path = layout.pages_cache
    previous = _read(str(cache_path))
    old_shards, old_pages = previous.get("shard_keys", {}), previous.get("page_keys", {})
    old_reports = previous.get("page_reports", {})
    count = shard_count(sum(len(s.articles) for s in inputs.shards), PAGE_ARTICLES)
    shard_keys: dict[str, str] = {}
    page_shards: dict[int, set[int]] = {}
    for shard in inputs.shards:
        stamps = [
            prepares[shard.index],
            *(writers[(shard.index, t)][0] for t in settings.targets),
        ]
        times = [os.stat(p).st_mtime_ns for p in stamps]
        shard_keys[f"{shard.index:04d}"] = digest(SCHEMA_VERSION, stamps, times)
        for ref in shard.articles:
            page_shards.setdefault(shard_of(ref.id, count), set()).add(shard.index)
    loaded: dict[int, tuple[dict[str, Any], dict[str, list[str]], dict[str, Any]]] = {}
    whole: dict[int, bool] = {}  # every task stamp of the shard says done
    unsettled: set[int] = set()  # shards whose inputs were not the bytes listed: not done

    def entries(shard: Shard) -> tuple[dict[str, Any], dict[str, list[str]], dict[str, Any]]:
        """A shard's entries, held until the last page that needs them is written: after a
        first run over 20,000 articles every shard is read, and holding them all took 200 MB."""
        if shard.index not in loaded:
            written = {t: _read(writers[(shard.index, t)][0]).get("articles", {}) for t in settings.targets}
            prepare_stamp = _read(prepares[shard.index])
            prepared = prepare_stamp.get("articles", {})
            if prepare_stamp.get("read_differs"):
                unsettled.add(shard.index)  # an input changed between the listing and the read
            loaded[shard.index] = shard_entries(settings, layout, shard, prepared, written)
            whole[shard.index] = shard.index not in unsettled and bool(prepared) and all(
                by_article and all(e.get("complete", True) for e in by_article.values())
                for by_article in written.values()
            )
        return loaded[shard.index]

    by_index = {s.index: s for s in inputs.shards}
    old_trust, trust = previous.get("trust", {}), {}

    def stand_behind(name: str) -> None:
        """The shard's part of the files index and the stats its tasks are trusted by."""
        key = shard_keys[name]
        index_path = layout.files_index(f"{name}.txt")
        if old_shards.get(name) != key or not index_path.exists():
            write_text(index_path, _files_text(entries(by_index[int(name)])[2]), durable=False)
        kept = old_trust.get(name) if old_shards.get(name) == key else None
        if kept is None or any(_stat_of(path) != stat for path, stat in kept):
            entries(by_index[int(name)])
            kept = _trust_entry(layout, by_index[int(name)], prepares, writers, settings.targets)
        if whole.get(int(name), True):
            trust[name] = kept

    last_page = {i: page for page in sorted(page_shards) for i in page_shards[page]}
    stood: set[str] = set()
    keys: dict[str, str] = {}
    reports: dict[str, Any] = {}
    errors = list(inputs.errors)
    for page in sorted(page_shards):  # a shard is read when its first page comes, once
        name = f"{page:04d}"
        members = sorted(page_shards[page])
        for i in members:
            if f"{i:04d}" not in stood:
                stood.add(f"{i:04d}")
                stand_behind(f"{i:04d}")
        key = digest(count, [(i, shard_keys[f"{i:04d}"]) for i in members])
        page_path = layout.manifest_page(page)
        if old_pages.get(name) == key and name in old_reports and page_path.exists():
            reports[name] = old_reports[name]
        else:
            articles: dict[str, Any] = {}
            problems: dict[str, list[str]] = {}
            for i in members:
                shard_articles, shard_problems, _ = entries(by_index[i])
                for aid, entry in shard_articles.items():
                    if shard_of(aid, count) == page:
                        articles[aid], problems[aid] = entry, shard_problems[aid]
            articles = dict(sorted(articles.items()))
            page_errors = list(dict.fromkeys(p for aid in articles for p in problems[aid]))
            write_json(page_path, {"articles": articles})
            reports[name] = {**report_of(articles, page_errors, []), "errors": page_errors}
        keys[name] = key
        errors += [e for e in reports[name]["errors"] if e not in errors]
        for i in members:
            if last_page[i] == page:
                loaded.pop(i, None)
    for name in sorted(set(shard_keys) - stood):  # a shard with no page (none has no article)
        stand_behind(name)
    _drop_stale(layout.manifest_page(0).parent, "page-", ".json", set(keys))
    _drop_stale(layout.files_index("x").parent, "", ".txt", {*shard_keys, "extra"})
    extra: dict[str, Any] = {}
    for path in feeds:
        stamp = _read(path)
        if stamp:
            extra[stamp["feed"]] = stamp["stamp"]
    for target in settings.targets:  # written by the memory task; a deleted one is rebuilt
        if layout.memory(target).exists():
            extra[str(layout.memory(target).relative_to(layout.root))] = stamp_of(layout.memory(target))
    write_text(layout.files_index("extra.txt"), _files_text(extra), durable=False)
    report = merge_reports([reports[k] for k in sorted(reports)])
    lines = report["lines"]
    report["lines"] = lines + [f"  error: {e}" for e in inputs.errors if f"  error: {e}" not in lines]
    models_info = [
        {"id": m.id, "from": m.from_code, "to": m.to_code, "version": m.version, "demo": m.demo}
        for m in models
    ]
    index = {
        "schema_version": SCHEMA_VERSION,
        "generator": "locpipe",
        # the listing's key stands for the run only if every input read was the one listed
        "run_key": run_key if not unsettled else f"{run_key}+read-changed",
        "targets": list(settings.targets),
        "models": models_info,
        "demo_model_used": report["demo"],  # a demo model wrote text in this run's outputs
        "errors": errors,
        "warnings": [],  # a run's own warnings (a damaged memory) are its events': last-run.json
        "report": report,
        "pages": [str(layout.manifest_page(int(k)).relative_to(layout.root)) for k in sorted(keys)],
    }
    # the pages' keys hold file times: kept out of manifest.json, which stays byte-identical
    files = [*(f"{k}.txt" for k in sorted(shard_keys)), "extra.txt"]
    cache = {
        "shard_count": inputs.shard_count,
        "shard_keys": shard_keys,
        "page_keys": keys,
        "page_reports": reports,
        "files": files,
        "trust": trust,
    }
    write_state(cache_path, cache)
    write_manifest(layout.manifest, index)
    return index


def _trust_entry(
    layout: Layout,
    shard: Shard,
    prepares: dict[int, str],
    writers: dict[tuple[int, str], tuple[str, str]],
    targets: Any,
) -> list[list[Any]]:
    """[path, stat] of each file a shard's tasks are done by: their stamps, the shard's
    records and plans (see trusted_stamps)."""
    paths = [prepares[shard.index], str(layout.records(shard.index, shard.key))]
    for target in targets:
        paths += writers[(shard.index, target)]
    return [[path, _stat_of(path)] for path in paths]


def _drop_stale(folder: Path, prefix: str, suffix: str, keep: set[str]) -> None:
    for path in folder.glob(f"{prefix}*{suffix}") if folder.is_dir() else []:
        if path.stem.removeprefix(prefix) not in keep:
            path.unlink(missing_ok=True)
