"""Luigi tasks: detect and segment (per shard of articles) → build the memory (per locale) →
plan catalogs (per shard and locale) → translate (per chunk of a language pair) → write
catalogs and articles (per shard and locale) → feeds → manifest.

Tasks are coarse, so Luigi's scheduler stays fast at 100,000 articles; identity is fine-
grained inside them (content digests per article and sentence), so an edited article
re-translates only its new sentences. A task is done when its stamp exists and the outputs
it lists are still the files it wrote: a deleted or rewritten output brings it back. Every
decision is in plain functions (pipeline/run/plan.py and the stage modules); tasks only wire.

    luigi --module pipeline.run.tasks TranslateAll --targets '["uk","tr"]' --local-scheduler
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable
from functools import cached_property, lru_cache, partial
from pathlib import Path
from typing import Any

import luigi

from pipeline import __version__
from pipeline.catalogs.memory_sources import update_memory
from pipeline.catalogs.pair_keys import PairKey
from pipeline.catalogs.shard_plan import PlanOptions, plan_shard, read_json
from pipeline.catalogs.shard_templates import write_shard_templates
from pipeline.catalogs.shard_write import write_shard
from pipeline.catalogs.write import WriteOptions
from pipeline.core.atomic import write_state
from pipeline.core.clock import run_time, use_run_clock
from pipeline.core.environment import prepare_environment
from pipeline.core.errors import LocpipeError
from pipeline.core.filestamp import holds, stamp_of
from pipeline.core.layout import Layout
from pipeline.core.locales import parse_locale
from pipeline.core.run_id import run_id
from pipeline.core.settings import Settings, find_config, load_settings
from pipeline.memory.match import Matcher
from pipeline.memory.store import read_units
from pipeline.outputs.feed_files import write_feed
from pipeline.outputs.files_index import index_verdicts
from pipeline.outputs.inputs_index import write_inputs_index
from pipeline.outputs.render import QualityFloor, write_rendered
from pipeline.outputs.subtitle_layout import SubtitleLimits
from pipeline.outputs.subtitle_notes import add_subtitle_notes
from pipeline.outputs.survey import survey_result
from pipeline.run.chunk_plan import needs_digests, plan_chunks, plan_needs
from pipeline.run.locale_plan import (
    LocalePlan,
    feed_catalogs,
    forget_run,
    models_key,
    plan_locales,
    plan_shard_key,
    run_key,
)
from pipeline.run.log_filter import install_log_filter
from pipeline.run.plain_luigi import finish
from pipeline.run.plan import InputsPlan, Shard, digest, forget_inputs, run_inputs
from pipeline.run.progress import report, report_segments, write_plan
from pipeline.run.run_outputs import (
    files_index_intact,
    files_intact,
    trusted_stamps,
    unmoved_shards,
    write_run_outputs,
)
from pipeline.run.runlog import record_event
from pipeline.run.stop import raise_if_stopped
from pipeline.run.summary import INCOMPLETE, outcome
from pipeline.segments.prepare import read_records, segment_shard
from pipeline.translation.chunk import done_path, run_chunk
from pipeline.translation.engine import WORKERS_ENV, DecodeOptions, EngineStats, thread_budget
from pipeline.translation.glossary import read_glossary, rules_for
from pipeline.translation.mt_store import keep_stores, load_translations
from pipeline.translation.packages import Route, find_route, installed_models

install_log_filter()  # plain `luigi --module pipeline.run.tasks` speaks in locpipe's lines too


def task_settings(config: str, outputs: str) -> Settings:
    """Settings are read once per worker process, not once per task, and again when the
    config file changes."""
    path = find_config(config or None)
    stamp = path.stat().st_mtime_ns if path else 0
    return _task_settings(config, outputs, stamp)


@lru_cache(maxsize=8)
def _task_settings(config: str, outputs: str, stamp: int) -> Settings:
    settings = load_settings(config or None, outputs=outputs)
    prepare_environment(settings)
    return settings


def latest(folder: Path, prefix: str, current: Path) -> Any:
    """What this task wrote last time (the same stamp, when it reruns because an output went
    missing) or else the newest one of the same shard: what a rerun reuses per article."""
    if current.exists():
        return read_json(current)
    if not folder.is_dir():
        return None
    found = sorted(folder.glob(f"{prefix}*.json"), key=lambda p: p.stat().st_mtime_ns)
    return read_json(found[-1]) if found else None


_found_complete: set[tuple[str, str]] = set()


def remembered(check: Callable[[Any], bool]) -> Callable[[Any], bool]:
    """A task found complete stays complete for the rest of its run: Luigi runs TranslateAll's
    plan again after every stage and asks every shard task each time (at 20,000 articles that
    is seconds of stat calls per stage). Luigi's own cache_task_completion does this through a
    multiprocessing Manager: a server process per run, left behind when a run is interrupted."""

    @functools.wraps(check)
    def complete(self: Any) -> bool:
        raise_if_stopped()
        key = (self.run_id, self.task_id)
        if key in _found_complete:
            return True
        done = check(self)
        if done:
            _found_complete.add(key)
        return done

    return complete


_trusted: dict[tuple[str, str], set[str]] = {}
_verdicts: dict[tuple[str, str], dict[str, bool]] = {}


def run_verdicts(layout: Layout, run: str) -> dict[str, bool]:
    """The run's one stat pass over the files index (files_index.index_verdicts), made by
    TranslateAll.complete or the first task asked about, before this run writes anything."""
    key = (str(layout.root), run)
    if key not in _verdicts:
        _verdicts.clear()  # one run at a time per process
        found = survey_result(layout, run)  # `locpipe run` started it in a child process
        _verdicts[key] = index_verdicts(layout) if found is None else found
    return _verdicts[key]


def trusted(layout: Layout, run: str) -> set[str]:
    """trusted_stamps once per run and process, when its first task is asked about: the
    run's own writes come later, and a task found trusted is never run, so never rewritten."""
    key = (str(layout.root), run)
    if key not in _trusted:
        _trusted.clear()  # one run at a time per process
        _trusted[key] = trusted_stamps(layout, run_verdicts(layout, run))
    return _trusted[key]


class LocpipeTask(luigi.Task):
    outputs = luigi.Parameter(description="output folder (locales/)")
    config = luigi.Parameter(default="", significant=False, description="luigi.cfg with [locpipe]")
    run_id = luigi.Parameter(default="", significant=False, description="the run that asked for it")
    run_time = luigi.IntParameter(
        default=0, significant=False, description="the driver's clock at the run's start: header dates"
    )
    release = luigi.Parameter(
        default=__version__, significant=False, description="locpipe version of the run that planned it"
    )
    run_stats: dict[str, Any] | None = None

    @cached_property
    def settings(self) -> Settings:
        return task_settings(self.config, self.outputs)

    @staticmethod
    def stamp_path(layout: Layout, params: dict[str, Any]) -> str:
        """The stamp a task with these parameters writes, without making the task (Planned)."""
        raise NotImplementedError

    @property
    def layout(self) -> Layout:
        return Layout(Path(self.outputs))

    def write_output(self, data: Any) -> None:
        """The stamp; what the task did itself (articles not reused) goes to its run event."""
        if isinstance(data, dict) and "ran" in data:
            self.run_stats = {**(self.run_stats or {}), "articles": data.pop("ran")}
        write_state(Path(self.output().path), data)
        raise_if_stopped()


class Stamped(LocpipeTask):
    """Done when its stamp exists and every output the stamp lists is still intact."""

    @remembered
    def complete(self) -> bool:
        if self.output().path in trusted(self.layout, self.run_id):
            return True
        stamp = read_json(Path(self.output().path))
        return stamp is not None and self.intact(stamp)

    def intact(self, stamp: dict[str, Any]) -> bool:
        return True


class PrepareShard(Stamped):
    """Detect and segment a shard's articles; write their templates (.pot)."""

    shard = luigi.IntParameter()
    key = luigi.Parameter(description="digest of the shard's articles and the settings they use")
    refs = luigi.Parameter(significant=False, description="file listing the shard's articles")
    made_with = luigi.Parameter(default="", significant=False, description="the settings' part of the key")
    inputs = luigi.Parameter(default="", significant=False)
    source_lang = luigi.Parameter(default="", significant=False)

    @staticmethod
    def stamp_path(layout: Layout, params: dict[str, Any]) -> str:
        return str(layout.stamp("prepare", f"{params['shard']:04d}-{params['key']}"))

    def output(self) -> luigi.LocalTarget:
        return luigi.LocalTarget(self.stamp_path(self.layout, self.param_kwargs))

    def intact(self, stamp: dict[str, Any]) -> bool:
        if stamp.get("read_differs") and stamp.get("run") != self.run_id:
            return False  # an input changed while an earlier run read it: read it again
        return holds(Path(stamp["records"]), stamp.get("records_stamp")) and all(
            holds(self.layout.root / entry.get("pot_path", f"templates/{aid}.pot"), entry["pot"])
            for aid, entry in stamp["articles"].items()
            if "pot" in entry
        )

    def run(self) -> None:
        s = self.settings
        options = {
            "source_lang": self.source_lang or None,
            "min_confidence": s.min_confidence,
            "unit": s.unit,
            "abbreviations": s.abbreviations,
            "inputs": Path(self.inputs) if self.inputs else s.inputs,
            "feed_mode": s.feed_mode,
        }
        out = Path(self.output().path)
        previous = latest(out.parent, f"{self.shard:04d}-", out)
        refs = read_json(Path(self.refs))

        def progress(done: int) -> None:
            report(s.outputs, "detect", f"{self.shard:04d}", done, len(refs))

        progress(0)
        segmented = segment_shard(self.layout, self.shard, self.key, refs, self.made_with, options, progress)
        stamp = write_shard_templates(self.layout, segmented, previous, s.domain, s.feed_mode)
        stamp["records_stamp"] = stamp_of(Path(stamp["records"]))
        if stamp.get("read_differs"):
            stamp["run"] = self.run_id  # done for this run; the next one reads those inputs again
            # what the plans of this shard are made from is not the listing: their key says so
            write_state(self.layout.read_differs(self.shard, self.key), stamp["read_differs"])
        else:  # read as listed (again): the plans' key is the listing's
            self.layout.read_differs(self.shard, self.key).unlink(missing_ok=True)
        self.write_output(stamp)


class BuildMemory(Stamped):
    """A locale's translation memory: the only task that writes its memory file."""

    locale = luigi.Parameter()
    key = luigi.Parameter(description="digest of the catalogs' reviewed entries and the seeds")
    keys = luigi.Parameter(significant=False, description="file of each catalog's key")
    feeds = luigi.Parameter(default="", significant=False, description="file of each feed line's catalog")

    def output(self) -> luigi.LocalTarget:
        return luigi.LocalTarget(str(self.layout.stamp("memory", f"{self.locale}-{self.key}")))

    def intact(self, stamp: dict[str, Any]) -> bool:
        return holds(self.layout.memory(self.locale), stamp.get("memory"))

    def run(self) -> None:
        keys = {aid: key for shard in read_json(Path(self.keys)).values() for aid, key in shard.items()}
        feeds = read_json(Path(self.feeds)) if self.feeds else None
        result = update_memory(self.layout, self.locale, keys, feeds)
        result["memory"] = stamp_of(self.layout.memory(self.locale))
        if "warning" in result:  # said by the run that found it (its task event), not every later one
            self.run_stats = {"warning": result.pop("warning")}
        self.write_output(result)


@lru_cache(maxsize=4)
def _matcher(path: str, _stamp: int, threshold: float) -> Matcher:
    return Matcher(read_units(Path(path)), threshold)


def memory_matcher(layout: Layout, locale: str, threshold: float) -> Matcher:
    path = layout.memory(locale)
    stamp = path.stat().st_mtime_ns if path.exists() else 0
    return _matcher(str(path), stamp, threshold)


class PlanShard(LocpipeTask):
    """What each catalog of a shard needs from the model, for one locale."""

    @remembered
    def complete(self) -> bool:
        if self.output().path in trusted(self.layout, self.run_id):
            return True
        return read_json(Path(self.output().path)) is not None  # a damaged plan is made again

    shard = luigi.IntParameter()
    locale = luigi.Parameter()
    key = luigi.Parameter(description="digest of the shard, its catalogs' keys, the models, settings")
    records = luigi.Parameter(significant=False)
    keys = luigi.Parameter(significant=False, description="file of each catalog's key")
    models = luigi.Parameter(default="", significant=False, description="the models its key was made with")

    @staticmethod
    def stamp_path(layout: Layout, params: dict[str, Any]) -> str:
        return str(layout.shard_plan(params["locale"], params["shard"], params["key"]))

    def output(self) -> luigi.LocalTarget:
        return luigi.LocalTarget(self.stamp_path(self.layout, self.param_kwargs))

    def run(self) -> None:
        s = self.settings
        locale = parse_locale(self.locale)
        out = Path(self.output().path)
        models = installed_models(s.models_dir, s.state_dir)
        if self.models and models_key(models) != self.models:
            # planned with the models it finds, stored under a key made with others: a model
            # put back later would never be seen again under that key
            raise LocpipeError(s.models_dir, "the installed models changed during the run; run again")
        options = PlanOptions(
            models,
            s.min_confidence,
            s.decode_key(),
            rules_for(read_glossary(s.glossary), self.locale),
            memory_matcher(self.layout, self.locale, s.memory_threshold),
            s.result_key(),
            s.feed_mode,
        )
        plan = plan_shard(
            self.layout,
            list(read_records(Path(self.records))),
            locale,
            options,
            shard_catalog_keys(self.keys, self.shard),
            latest(out.parent, f"{self.shard:04d}-", out),
        )
        # before the plan, which says the task is done
        write_state(self.layout.plan_needs(out), needs_digests(plan_needs(plan)))
        self.write_output(plan)


@lru_cache(maxsize=4)
def _keys_file(path: str, _stat: tuple[int, int, int]) -> dict[str, dict[str, str]]:
    return read_json(Path(path)) or {}


def shard_catalog_keys(path: str, shard: int) -> dict[str, str]:
    """One shard's catalog keys from the run's keys file, which holds the locale's every
    catalog (20,000 at 20,000 articles): parsed once per process and file version, not once
    per shard task (384 parses of a megabyte in a first run at 20,000 x 3)."""
    st = os.stat(path)
    return _keys_file(path, (st.st_size, st.st_mtime_ns, st.st_ino))[str(shard)]


def _route(settings: Settings, source: str, target: str, route_key: str) -> Route:
    route = find_route(installed_models(settings.models_dir, settings.state_dir), source, target)
    if route is None or route.key != route_key:
        raise LocpipeError(
            settings.models_dir, f"model for {source}->{target} changed during the run; run again"
        )
    return route


class TranslateChunk(LocpipeTask):
    """One bucket of a language pair's sentences: one model load, results stored per batch."""

    source_lang = luigi.Parameter()
    target_lang = luigi.Parameter()
    route_key = luigi.Parameter()
    decode_key = luigi.Parameter()
    name = luigi.Parameter(description="bucket and digest of the bucket's sentence set")

    def folder(self) -> Path:
        return self.layout.mt(self.source_lang, self.target_lang, self.route_key, self.decode_key)

    def output(self) -> luigi.LocalTarget:
        return luigi.LocalTarget(str(done_path(self.folder(), self.name)))

    def run(self) -> None:
        s = self.settings
        route = _route(s, self.source_lang, self.target_lang, self.route_key)
        workers = int(os.environ.get(WORKERS_ENV, "1") or 1)
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        inter, intra = thread_budget(s.inter_threads, s.intra_threads, workers, cpus)
        options = DecodeOptions(
            beam_size=s.beam_size,
            batch_size=s.batch_size,
            max_decoding_ratio=s.max_decoding_ratio,
            inter_threads=inter,
            intra_threads=intra,
            device=s.device,
            compute_type=s.compute_type,
        )
        stats = EngineStats()

        def progress(done: int, total: int) -> None:
            report_segments(s.outputs, f"{self.source_lang}-{self.target_lang}-{self.name}", done, total)

        keep_stores({self.folder()})
        translated = run_chunk(self.folder(), self.name, route, options, stats, progress)
        self.run_stats = {
            "models_loaded": stats.models_loaded,
            "sentences": translated,
            "seconds": round(stats.seconds, 3),
        }
        self.write_output({"route": route.key, "stats": self.run_stats})


class WriteShard(Stamped):
    """A shard's catalogs (.po, .mo) and rendered articles for one locale."""

    shard = luigi.IntParameter()
    locale = luigi.Parameter()
    key = luigi.Parameter(description="digest of the shard's plan and the settings")
    records = luigi.Parameter(significant=False)
    plan = luigi.Parameter(significant=False)

    @staticmethod
    def stamp_path(layout: Layout, params: dict[str, Any]) -> str:
        return str(layout.stamp(f"write-{params['locale']}", f"{params['shard']:04d}-{params['key']}"))

    def output(self) -> luigi.LocalTarget:
        return luigi.LocalTarget(self.stamp_path(self.layout, self.param_kwargs))

    def intact(self, stamp: dict[str, Any]) -> bool:
        return all(
            entry.get("complete", True) and files_intact(self.layout, entry.get("files", {}))
            for entry in stamp["articles"].values()
        )

    def run(self) -> None:
        s = self.settings
        locale = parse_locale(self.locale)
        plan = read_json(Path(self.plan))
        keys = {PairKey.parse(key) for entry in plan["articles"].values() for key in entry.get("needs", {})}
        keys |= {  # pairs whose text is all kept or reviewed
            PairKey(lang, locale.argos, route_key)
            for entry in plan["articles"].values()
            for lang, route_key in _routes(entry).items()
        }
        folders = {key: self.layout.mt(key.source, key.target, key.route, s.decode_key()) for key in keys}
        keep_stores(set(folders.values()))
        stored = {
            key: load_translations(folder)
            for key, folder in sorted(folders.items(), key=lambda item: item[0].text)  # as stored keys sort
        }
        out = Path(self.output().path)
        job, units = f"{self.locale}-{self.shard:04d}", len(plan["articles"])
        report(s.outputs, "write", job, 0, units)  # counted per shard: write_shard has no hook
        floor = QualityFloor(s.min_quality, s.below_min_quality == "omit")
        limits = SubtitleLimits(s.subtitle_line_length, s.subtitle_lines, s.subtitle_max_cps)
        stamp, cache = write_shard(
            self.layout,
            list(read_records(Path(self.records))),
            plan,
            locale,
            installed_models(s.models_dir, s.state_dir),
            stored,
            WriteOptions(
                s.domain,
                s.mo_include_fuzzy,
                rules_for(read_glossary(s.glossary), self.locale),
                s.decode_key(),
                render=partial(write_rendered, floor=floor, subtitles=limits),
                annotate=partial(add_subtitle_notes, floor=floor, limits=limits),
            ),
            s.result_key(),
            latest(out.parent, f"{self.shard:04d}-", out),
            s.feed_mode,
        )
        write_state(self.layout.catalog_cache(self.locale, self.shard), cache)
        self.write_output(stamp)
        report(s.outputs, "write", job, units, units)


def _routes(entry: dict[str, Any]) -> dict[str, str]:
    from pipeline.translation.routes import parse_routes_key

    return parse_routes_key(entry.get("routes", ""))


class WriteFeed(LocpipeTask):
    """A JSONL feed for one locale, joined from its members' rendered lines."""

    source = luigi.Parameter(description="the .jsonl input")
    locale = luigi.Parameter()
    members = luigi.ListParameter(description="[line, digest] of each member, in order")
    parts = luigi.Parameter(description="digest of the members' writer tasks")

    def output(self) -> luigi.LocalTarget:
        from pipeline.inputs.ids import work_name

        name = f"{work_name(Path(self.source))}-{self.parts}"
        return luigi.LocalTarget(str(self.layout.stamp(f"feed-{self.locale}", name)))

    @remembered
    def complete(self) -> bool:
        stamp = read_json(Path(self.output().path))
        return stamp is not None and holds(self.layout.root / stamp["feed"], stamp["stamp"])

    def run(self) -> None:
        members = [(int(line), str(digest)) for line, digest in self.members]
        path = write_feed(Path(self.outputs), self.locale, Path(self.source), members)
        self.write_output({"feed": str(path.relative_to(self.layout.root)), "stamp": stamp_of(path)})


@luigi.Task.event_handler(luigi.Event.PROCESSING_TIME)
def _timed(task: luigi.Task, seconds: float) -> None:
    task.locpipe_seconds = round(seconds, 3)


@luigi.Task.event_handler(luigi.Event.SUCCESS)
def _succeeded(task: luigi.Task) -> None:
    _record(task, "done")


@luigi.Task.event_handler(luigi.Event.FAILURE)
def _failed(task: luigi.Task, exception: BaseException) -> None:
    _record(task, "failed")


@luigi.Task.event_handler(luigi.Event.START)
def _started(task: luigi.Task) -> None:
    if isinstance(task, LocpipeTask):
        use_run_clock(task.run_time)  # the driver's clock, whichever host runs the task
    _record(task, "started")


def _record(task: luigi.Task, status: str) -> None:
    if not isinstance(task, (LocpipeTask, TranslateAll)):
        return
    event = {
        "task": task.get_task_family(),
        "params": task.to_str_params(only_significant=True),
        "status": status,
        "seconds": getattr(task, "locpipe_seconds", None),
        "stats": getattr(task, "run_stats", None),
    }
    record_event(task.settings.outputs, event, getattr(task, "run_id", "") or None)


class TranslateAll(luigi.Task):
    """The whole run; its output is locales/manifest.json."""

    run_id = luigi.Parameter(default="", significant=False, description="set by `locpipe run`")
    inputs = luigi.Parameter(default="")
    outputs = luigi.Parameter(default="")
    targets = luigi.ListParameter(default=())
    source_lang = luigi.Parameter(default="")
    config = luigi.Parameter(default="", significant=False)
    from_cli = luigi.BoolParameter(default=False, significant=False, description="`locpipe run` reports")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        run_id()  # set in the process that schedules, so forked workers share one run id

    @cached_property
    def settings(self) -> Settings:
        settings = load_settings(
            self.config or None,
            inputs=self.inputs or None,
            outputs=self.outputs or None,
            targets=tuple(self.targets) or None,
            source_lang=self.source_lang or None,
        )
        prepare_environment(settings)
        return settings

    @property
    def layout(self) -> Layout:
        return Layout(self.settings.outputs)

    def output(self) -> luigi.LocalTarget:
        return luigi.LocalTarget(str(self.layout.manifest))

    def complete(self) -> bool:
        raise_if_stopped()
        forget_process_state()  # a build starts here: a worker process may serve several
        try:
            return self._complete()
        finally:  # joined here, in the process Luigi's workers fork from
            run_verdicts(self.layout, self.run_id or run_id())

    def _complete(self) -> bool:
        manifest = read_json(self.layout.manifest)
        if not manifest or manifest.get("errors"):
            return False
        if not self.from_cli and outcome(manifest) == INCOMPLETE:
            return False  # plain luigi: run again to exit 3 (pipeline/run/plain_luigi.py)
        try:
            inputs = run_inputs(self.settings, self.run_id or run_id())
        except LocpipeError:
            return False
        models = installed_models(self.settings.models_dir, self.settings.state_dir)
        if manifest.get("run_key") != run_key(self.settings, inputs, models, self.layout):
            return False
        return files_index_intact(self.layout, run_verdicts(self.layout, self.run_id or run_id()))

    def _common(self) -> dict[str, Any]:
        return {
            "outputs": str(self.settings.outputs),
            "config": self.config,
            "run_id": self.run_id or run_id(),
            "run_time": run_time(),
        }

    def _prepare(self, inputs: InputsPlan) -> dict[int, Planned]:
        common, layout = self._common(), self.layout
        tasks = {}
        for shard in inputs.shards:
            refs = self.layout.plan_file(f"shard-{shard.index:04d}-{shard.key}")
            if read_json(refs) != shard.refs():  # missing or damaged: written again
                write_state(refs, shard.refs())
            tasks[shard.index] = Planned(
                PrepareShard,
                layout,
                shard=shard.index,
                key=shard.key,
                refs=str(refs),
                made_with=inputs.prepare_key,
                inputs=str(self.settings.inputs),
                source_lang=self.settings.source_lang or "",
                **common,
            )
        return tasks

    def run(self):  # type: ignore[no-untyped-def]  # a generator: Luigi's dynamic dependencies
        use_run_clock(run_time())
        s = self.settings
        layout = self.layout
        common = self._common()
        run = self.run_id or run_id()
        memo = run_memo(run)
        run_verdicts(layout, run)  # the look at the outputs is over before anything is written
        inputs = run_inputs(s, run)
        articles = {f"{sh.index:04d}": len(sh.articles) for sh in inputs.shards}
        if "prepares" not in memo:
            memo["prepares"] = self._prepare(inputs)
            stamps = {f"{i:04d}": (t.path, articles[f"{i:04d}"]) for i, t in memo["prepares"].items()}
            write_plan(s.outputs, "detect", sum(articles.values()), stamps)
            write_plan(s.outputs, "write", sum(articles.values()) * len(s.targets))
        prepares: dict[int, Planned] = memo["prepares"]
        yield pending(prepares.values())

        if "memories" not in memo:
            memo["locales"], memo["keys_files"], memo["memories"] = self._memories(inputs, run)
        memories: list[BuildMemory] = memo["memories"]
        yield pending(memories)

        models = installed_models(s.models_dir, s.state_dir)
        if "plans" not in memo:
            memo["plans"] = self._plans(
                inputs, memo["locales"], memo["keys_files"], models_key(models), memories
            )
        plans: dict[tuple[int, str], Planned] = memo["plans"]
        yield pending(plans.values())

        if "writers" not in memo:
            memo["chunks"], memo["writers"] = self._chunks(plans, articles)
        writers: dict[tuple[int, str], Planned] = memo["writers"]
        yield pending(memo["chunks"])
        yield pending(writers.values())
        feeds = feed_tasks(inputs, s.targets, writers, common)
        yield pending(feeds)

        key = run_key(s, inputs, models, layout)
        manifest = write_run_outputs(
            s,
            layout,
            inputs,
            {i: p.path for i, p in prepares.items()},
            {k: (w.path, w.params["plan"]) for k, w in writers.items()},
            [f.output().path for f in feeds],
            models,
            key,
        )
        write_inputs_index(layout.work, s.inputs, inputs.sources, inputs.started_ns, inputs.files)
        forget_run(layout, run)
        if manifest["errors"]:
            errors = manifest["errors"]
            raise LocpipeError(None, f"{len(errors)} problem(s): " + " | ".join(errors[:5]))
        if not self.from_cli:
            yield from finish(manifest, layout.manifest)

    def _memories(
        self, inputs: InputsPlan, run: str
    ) -> tuple[list[LocalePlan], dict[str, str], list[BuildMemory]]:
        """The catalogs' keys as the run found them, written where the tasks read them, and
        each locale's memory task."""
        s, layout = self.settings, self.layout
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
            BuildMemory(
                locale=lp.locale.gettext,
                key=lp.memory_key,
                keys=keys_files[lp.locale.gettext],
                feeds=feeds_file,
                **self._common(),
            )
            for lp in locales
        ]
        return locales, keys_files, memories

    def _plans(
        self,
        inputs: InputsPlan,
        locales: list[LocalePlan],
        keys_files: dict[str, str],
        mkey: str,
        memories: list[BuildMemory],
    ) -> dict[tuple[int, str], Planned]:
        s, layout, common = self.settings, self.layout, self._common()
        # what each memory withdrew (its task's stamp says): a plan key of its own
        withdrawn = {
            m.locale: (read_json(Path(m.output().path)) or {}).get("withdrawn", "") for m in memories
        }
        return {
            (shard.index, lp.locale.gettext): Planned(
                PlanShard,
                layout,
                shard=shard.index,
                locale=lp.locale.gettext,
                key=plan_shard_key(
                    shard,
                    lp.locale.gettext,
                    lp.keys[shard.index],
                    mkey,
                    s,
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

    def _chunks(
        self, plans: dict[tuple[int, str], Planned], articles: dict[str, int]
    ) -> tuple[list[TranslateChunk], dict[tuple[int, str], Planned]]:
        """The translation chunks with something to translate, and the writers after them."""
        s, layout, common = self.settings, self.layout, self._common()
        chunks = plan_chunks(layout, [Path(t.path) for t in plans.values()], s.decode_key(), s.chunk_size)
        result = s.result_key()
        writers = {
            key: Planned(
                WriteShard,
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
            TranslateChunk(
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


_run_memos: dict[str, dict[str, Any]] = {}


def forget_process_state() -> None:
    """What this process remembers of a run (task objects, tasks found complete, the stat
    pass, the inputs plan) goes when TranslateAll is asked whether it is complete, which
    Luigi does as a build starts: two builds in one process (a long-lived worker, tests) may
    share a run id, and the second must see the files as they are then."""
    for memo in (_run_memos, _found_complete, _trusted, _verdicts):
        memo.clear()
    forget_inputs()


def run_memo(run: str) -> dict[str, Any]:
    """What TranslateAll's generator computed in this run and process. Luigi runs it from the
    top after every stage, and building ~1,300 task objects and reading their plan files again
    cost about a second a pass at 20,000 articles. Each entry is computed once the stages
    before it are complete, from files on disk, so a process without it (a forked worker,
    another host) computes the same."""
    if run not in _run_memos:
        _run_memos.clear()  # one run at a time per process
        _run_memos[run] = {}
    return _run_memos[run]


class Planned:
    """A shard task as the plan holds it: its parameters and stamp path, and Luigi's task
    object only once one is needed. Making one costs about a quarter of a millisecond; after
    one edit among 20,000 articles ~900 shard tasks are planned, and all but a dozen are done
    by a stamp the last run stood behind (trusted_stamps), which their path alone shows."""

    __slots__ = ("family", "params", "path", "_task")

    def __init__(self, family: type[LocpipeTask], layout: Layout, **params: Any) -> None:
        self.family, self.params = family, params
        self.path = family.stamp_path(layout, params)
        self._task: LocpipeTask | None = None

    def task(self) -> LocpipeTask:
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


def feed_tasks(
    inputs: InputsPlan,
    targets: tuple[str, ...],
    writers: dict[tuple[int, str], Planned],
    common: dict[str, str],
) -> list[WriteFeed]:
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
                WriteFeed(
                    source=str(path),
                    locale=target,
                    members=[[m.member, m.digest] for m in members],
                    parts=parts,
                    **common,
                )
            )
    return tasks


__all__ = ["Shard", "TranslateAll"]
