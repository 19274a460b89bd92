"""Which tasks a run yields, stage by stage: TranslateAll's generator (pipeline.run.tasks)
delegates here. Luigi runs the generator from the top after every stage; what a stage's
tasks are is computed once per run and process (run_memo) from files on disk, and only the
tasks still to run are yielded.

The task classes are pipeline.run.tasks' (Families): Luigi names a task by its module, and
luigid's assistants load locpipe's tasks from that module only (pipeline.run.worker).
"""

from __future__ import annotations

from collections.abc import Generator, Iterable
from pathlib import Path
from typing import Any, NamedTuple, Protocol

import luigi

from pipeline.catalogs.shard_plan import read_json
from pipeline.core.atomic import write_state
from pipeline.core.layout import Layout
from pipeline.core.settings import Settings
from pipeline.run.chunk_plan import plan_chunks
from pipeline.run.locale_plan import LocalePlan, feed_catalogs, models_key, plan_locales, plan_shard_key
from pipeline.run.memo import run_memo, run_verdicts, trusted
from pipeline.run.plan import InputsPlan, digest, run_inputs
from pipeline.run.progress import write_plan
from pipeline.run.run_outputs import unmoved_shards
from pipeline.run.stop import raise_if_stopped
from pipeline.translation.packages import InstalledModel, installed_models


class StageTask(Protocol):
    """What the scheduling loop uses of a stage's task. pipeline.run.tasks defines the tasks
    (LocpipeTask's subclasses) and hands their classes in as Families, so this module names
    no task class and needs no import of the module that imports it."""

    locale: str  # where a task runs per locale (BuildMemory, PlanShard, WriteShard)

    def __init__(self, **params: Any) -> None: ...

    @staticmethod
    def stamp_path(layout: Layout, params: dict[str, Any]) -> str: ...

    def complete(self) -> bool: ...

    def output(self) -> luigi.LocalTarget: ...


class Families(NamedTuple):
    """The task classes of a run's stages."""

    prepare: type[StageTask]  # PrepareShard
    memory: type[StageTask]  # BuildMemory
    plan: type[StageTask]  # PlanShard
    chunk: type[StageTask]  # TranslateChunk
    write: type[StageTask]  # WriteShard
    feed: type[StageTask]  # WriteFeed


class Planned:
    """A shard task as the plan holds it: its parameters and stamp path, and Luigi's task
    object only once one is needed. Making one costs about a quarter of a millisecond; after
    one edit among 20,000 articles ~900 shard tasks are planned, and all but a dozen are done
    by a stamp the last run stood behind (trusted_stamps), which their path alone shows."""

    __slots__ = ("family", "params", "path", "_task")

    def __init__(self, family: type[StageTask], layout: Layout, **params: Any) -> None:
        self.family, self.params = family, params
        self.path = family.stamp_path(layout, params)
        self._task: StageTask | None = None

    def task(self) -> StageTask:
        if self._task is None:
            self._task = self.family(**self.params)
        return self._task

    def trusted(self) -> bool:
        return self.path in trusted(Layout(Path(self.params["outputs"])), self.params["run_id"])


def pending(tasks: Iterable[luigi.Task | Planned]) -> list[luigi.Task]:
    """The tasks of a stage still to run. Luigi adds every yielded task to its scheduler and
    asks it again whether it is complete (milliseconds a task); after one edit among 20,000
    articles all but a few of ~1,300 tasks are done, and asking here takes the fast path
    (trusted stamps, remembered for the run)."""
    raise_if_stopped()
    found = []
    for task in tasks:
        if isinstance(task, Planned):
            if task.trusted():
                continue
            task = task.task()
        if not task.complete():
            found.append(task)
    return found


class Built(NamedTuple):
    """What the run's stages made, for the manifest."""

    inputs: InputsPlan
    prepares: dict[int, Planned]
    writers: dict[tuple[int, str], Planned]
    feeds: list[StageTask]
    models: list[InstalledModel]


def stages(
    families: Families, settings: Settings, layout: Layout, common: dict[str, Any], run: str
) -> Generator[list[luigi.Task], Any, Built]:
    """Each stage's tasks still to run, in order: prepare, memory, plan, translate, write,
    feeds. Returns what the manifest is made from once every stage is complete."""
    s = settings
    memo = run_memo(run)
    run_verdicts(layout, run)  # the look at the outputs is over before anything is written
    inputs = run_inputs(s, run)
    articles = {f"{sh.index:04d}": len(sh.articles) for sh in inputs.shards}
    if "prepares" not in memo:
        memo["prepares"] = prepare_tasks(families, s, layout, inputs, common)
        stamps = {f"{i:04d}": (t.path, articles[f"{i:04d}"]) for i, t in memo["prepares"].items()}
        write_plan(s.outputs, "detect", sum(articles.values()), stamps)
        write_plan(s.outputs, "write", sum(articles.values()) * len(s.targets))
    prepares: dict[int, Planned] = memo["prepares"]
    yield pending(prepares.values())

    if "memories" not in memo:
        memo["locales"], memo["keys_files"], memo["memories"] = memory_tasks(
            families, s, layout, inputs, run, common
        )
    memories: list[StageTask] = memo["memories"]
    yield pending(memories)

    models = installed_models(s.models_dir, s.state_dir)
    if "plans" not in memo:
        memo["plans"] = plan_tasks(
            families,
            s,
            layout,
            inputs,
            memo["locales"],
            memo["keys_files"],
            models_key(models),
            memories,
            common,
        )
    plans: dict[tuple[int, str], Planned] = memo["plans"]
    yield pending(plans.values())

    if "writers" not in memo:
        memo["chunks"], memo["writers"] = chunk_tasks(families, s, layout, plans, articles, common)
    writers: dict[tuple[int, str], Planned] = memo["writers"]
    yield pending(memo["chunks"])
    yield pending(writers.values())
    feeds = feed_tasks(families, inputs, s.targets, writers, common)
    yield pending(feeds)
    return Built(inputs, prepares, writers, feeds, models)


def prepare_tasks(
    families: Families, settings: Settings, layout: Layout, inputs: InputsPlan, common: dict[str, Any]
) -> dict[int, Planned]:
    """Each shard's prepare task, its listing written where the task reads it."""
    tasks = {}
    for shard in inputs.shards:
        refs = layout.plan_file(f"shard-{shard.index:04d}-{shard.key}")
        if read_json(refs) != shard.refs():  # missing or damaged: written again
            write_state(refs, shard.refs())
        tasks[shard.index] = Planned(
            families.prepare,
            layout,
            shard=shard.index,
            key=shard.key,
            refs=str(refs),
            made_with=inputs.prepare_key,
            inputs=str(settings.inputs),
            source_lang=settings.source_lang or "",
            **common,
        )
    return tasks


def memory_tasks(
    families: Families,
    settings: Settings,
    layout: Layout,
    inputs: InputsPlan,
    run: str,
    common: dict[str, Any],
) -> tuple[list[LocalePlan], dict[str, str], list[StageTask]]:
    """The catalogs' keys as the run found them, written where the tasks read them, and
    each locale's memory task."""
    s = settings
    unmoved = unmoved_shards(layout, run_verdicts(layout, run), inputs.shard_count)
    locales = plan_locales(layout, tuple(s.targets), inputs.shards, run, s.feed_mode, unmoved)
    keys_files = {}
    for lp in locales:
        path = layout.plan_file(f"catalog-keys-{lp.locale.gettext}-{lp.memory_key}")
        keys = {str(i): keys for i, keys in lp.keys.items()}
        if read_json(path) != keys:  # missing or damaged: written again
            write_state(path, keys)
        keys_files[lp.locale.gettext] = str(path)
    feeds_file = ""
    if s.feed_mode:
        feeds = feed_catalogs(inputs.shards, True)
        path = layout.plan_file(f"feed-catalogs-{digest(sorted(feeds.items()))}")
        if read_json(path) != feeds:
            write_state(path, feeds)
        feeds_file = str(path)
    memories = [
        families.memory(
            locale=lp.locale.gettext,
            key=lp.memory_key,
            keys=keys_files[lp.locale.gettext],
            feeds=feeds_file,
            **common,
        )
        for lp in locales
    ]
    return locales, keys_files, memories


def plan_tasks(
    families: Families,
    settings: Settings,
    layout: Layout,
    inputs: InputsPlan,
    locales: list[LocalePlan],
    keys_files: dict[str, str],
    mkey: str,
    memories: list[StageTask],
    common: dict[str, Any],
) -> dict[tuple[int, str], Planned]:
    """Each shard and locale's plan task."""
    # what each memory withdrew (its task's stamp says): a plan key of its own
    withdrawn = {m.locale: (read_json(Path(m.output().path)) or {}).get("withdrawn", "") for m in memories}
    return {
        (shard.index, lp.locale.gettext): Planned(
            families.plan,
            layout,
            shard=shard.index,
            locale=lp.locale.gettext,
            key=plan_shard_key(
                shard,
                lp.locale.gettext,
                lp.keys[shard.index],
                mkey,
                settings,
                withdrawn.get(lp.locale.gettext),
                read_json(layout.read_differs(shard.index, shard.key)),
            ),
            records=str(layout.records(shard.index, shard.key)),
            keys=keys_files[lp.locale.gettext],
            models=mkey,
            **common,
        )
        for lp in locales
        for shard in inputs.shards
    }


def chunk_tasks(
    families: Families,
    settings: Settings,
    layout: Layout,
    plans: dict[tuple[int, str], Planned],
    articles: dict[str, int],
    common: dict[str, Any],
) -> tuple[list[StageTask], dict[tuple[int, str], Planned]]:
    """The translation chunks with something to translate, and the writers after them."""
    s = settings
    chunks = plan_chunks(layout, [Path(t.path) for t in plans.values()], s.decode_key(), s.chunk_size)
    result = s.result_key()
    writers = {
        key: Planned(
            families.write,
            layout,
            shard=task.params["shard"],
            locale=task.params["locale"],
            key=digest(task.params["key"], result),
            records=task.params["records"],
            plan=task.path,
            **common,
        )
        for key, task in plans.items()
    }
    write_plan(s.outputs, "translate", sum(c.pending for c in chunks))
    outputs = {f"{loc}-{i:04d}": (w.path, articles[f"{i:04d}"]) for (i, loc), w in writers.items()}
    write_plan(s.outputs, "write", sum(articles.values()) * len(s.targets), outputs)
    tasks = [
        families.chunk(
            source_lang=c.source,
            target_lang=c.target,
            route_key=c.route_key,
            decode_key=s.decode_key(),
            name=c.name,
            **common,
        )
        for c in chunks
    ]
    return tasks, writers


def feed_tasks(
    families: Families,
    inputs: InputsPlan,
    targets: tuple[str, ...],
    writers: dict[tuple[int, str], Planned],
    common: dict[str, Any],
) -> list[StageTask]:
    """One per JSONL input and locale, after the writers of its members' shards."""
    shard_of_article = {a.id: shard.index for shard in inputs.shards for a in shard.articles}
    feeds: dict[Path, list[Any]] = {}
    for src in inputs.sources:
        if src.member:
            feeds.setdefault(src.path, []).append(src)
    tasks = []
    for path, members in sorted(feeds.items()):
        for target in targets:
            shards = sorted({shard_of_article[m.id] for m in members})
            parts = digest([writers[(i, target)].params["key"] for i in shards], [m.digest for m in members])
            tasks.append(
                families.feed(
                    source=str(path),
                    locale=target,
                    members=[[m.member, m.digest] for m in members],
                    parts=parts,
                    **common,
                )
            )
    return tasks
