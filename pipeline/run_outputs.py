"""The end of a run: the manifest consumers read, and the index of every file the run
stands behind, which tells the next run whether anything is left to do."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.config import Settings
from pipeline.layout import Layout
from pipeline.outputs.atomic import write_json
from pipeline.outputs.filestamp import holds, stamp_of
from pipeline.outputs.manifest import article_entry, build_manifest, write_manifest
from pipeline.plan import InputsPlan
from pipeline.translation.packages import InstalledModel

INTERNAL = ("entry", "cache", "complete", "files", "dates")


def files_intact(layout: Layout, files: dict[str, Any]) -> bool:
    return all(holds(layout.root / rel, stamp) for rel, stamp in files.items())


def _read(path: str) -> Any:
    from pipeline.catalogs.shard import read_json

    return read_json(Path(path)) or {}


def locale_result(result: dict[str, Any]) -> dict[str, Any]:
    """A writer's per-article result as the manifest shows it: which files, their digests."""
    shown = {k: v for k, v in result.items() if k not in INTERNAL}
    if "files" in result:
        shown["files"] = {rel: stamp[3] for rel, stamp in sorted(result["files"].items())}
    if result.get("reason") and not result.get("output") and "skip" not in result and "error" not in result:
        shown["status"] = "untranslated"
    return shown


def assemble_manifest(
    settings: Settings,
    layout: Layout,
    inputs: InputsPlan,
    prepares: dict[int, Any],
    writers: dict[tuple[int, str], Any],
    feeds: list[Any],
    models: list[InstalledModel],
) -> dict[str, Any]:
    articles: dict[str, Any] = {}
    errors = list(inputs.errors)
    for shard in inputs.shards:
        prepared = _read(prepares[shard.index].output().path).get("articles", {})
        written = {
            t: _read(writers[(shard.index, t)].output().path).get("articles", {}) for t in settings.targets
        }
        for ref in shard.articles:
            summary = prepared.get(ref.id, {"error": f"{ref.path}: not prepared; run again"})
            results = {
                t: locale_result(written[t].get(ref.id, {"error": "not written; run again"})) for t in written
            }
            for t, result in results.items():
                if result.get("input_error"):
                    results[t] = {"skip": result["skip"]}
            where = _relative(Path(ref.path), settings.inputs)
            pot = str(layout.pot(ref.id).relative_to(layout.root)) if "pot" in summary else None
            articles[ref.id], problems = article_entry(
                f"{where}:{ref.member}" if ref.member else where, ref.digest, summary, pot, results
            )
            errors += [p for p in problems if p not in errors]
    models_info = [
        {"id": m.id, "from": m.from_code, "to": m.to_code, "version": m.version, "demo": m.demo}
        for m in models
    ]
    return build_manifest("", dict(sorted(articles.items())), errors, list(settings.targets), models_info)


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return path.name


def write_run_outputs(
    layout: Layout,
    manifest: dict[str, Any],
    prepares: dict[int, Any],
    writers: dict[tuple[int, str], Any],
    feeds: list[Any],
    targets: list[str],
) -> None:
    files: dict[str, Any] = {}
    for task in prepares.values():
        for aid, entry in _read(task.output().path).get("articles", {}).items():
            if "pot" in entry:
                files[str(layout.pot(aid).relative_to(layout.root))] = entry["pot"]
    for task in writers.values():
        for entry in _read(task.output().path).get("articles", {}).values():
            files.update(entry.get("files", {}))
    for task in feeds:
        stamp = _read(task.output().path)
        if stamp:
            files[stamp["feed"]] = stamp["stamp"]
    for target in targets:  # written by the memory task; a deleted one is rebuilt
        if layout.memory(target).exists():
            files[str(layout.memory(target).relative_to(layout.root))] = stamp_of(layout.memory(target))
    write_manifest(layout.manifest, manifest)
    write_json(layout.work / "files.json", files)
