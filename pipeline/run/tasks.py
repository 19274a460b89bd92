"""Luigi tasks: detect and segment (per shard of articles) → build the memory (per locale) →
plan catalogs (per shard and locale) → translate (per chunk of a language pair) → write
catalogs and articles (per shard and locale) → feeds → manifest.

Tasks are coarse, so Luigi's scheduler stays fast at 100,000 articles; identity is fine-
grained inside them (content digests per article and sentence), so an edited article
re-translates only its new sentences. A task is done when its stamp exists and the outputs
it lists are still the files it wrote: a deleted or rewritten output brings it back. Every
it lists are still the files it wrote: a deleted or rewritten output brings it back. Every
decision is in plain functions (pipeline/run/plan.py and the stage modules); tasks only wire:
which tasks a run yields is pipeline.run.graph's, what a process remembers pipeline.run.memo's,
what the tasks tell the run log pipeline.run.task_events'. Every task class is defined here:
Luigi names a task by its module, and luigid's assistants load this module only.

    luigi --module pipeline.run.tasks TranslateAll --targets '["uk","tr"]' --local-scheduler
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

import luigi

from pipeline import __version__
from pipeline.catalogs.memory_sources import update_memory
from pipeline.catalogs.shard_plan import plan_shard, read_json
from pipeline.catalogs.shard_templates import write_shard_templates
from pipeline.catalogs.shard_write import write_shard
from pipeline.core.atomic import write_state
from pipeline.core.clock import run_time, use_run_clock
from pipeline.core.environment import prepare_environment
from pipeline.core.errors import LocpipeError
from pipeline.core.filestamp import holds, stamp_of
from pipeline.core.layout import Layout
from pipeline.core.locales import parse_locale
from pipeline.core.run_id import run_id
from pipeline.core.settings import Settings, load_settings
from pipeline.outputs.feed_files import write_feed
from pipeline.outputs.inputs_index import write_inputs_index
from pipeline.run.chunk_plan import needs_digests, plan_needs
from pipeline.run.graph import Families, stages
from pipeline.run.locale_plan import forget_run, models_key, run_key
from pipeline.run.log_filter import install_log_filter
from pipeline.run.memo import (
    forget_process_state,
    remembered,
    run_verdicts,
    shard_catalog_keys,
    task_settings,
    trusted,
)
from pipeline.run.plain_luigi import finish
from pipeline.run.plan import Shard, run_inputs
from pipeline.run.progress import report, report_segments
from pipeline.run.run_outputs import files_index_intact, files_intact, write_run_outputs
from pipeline.run.stop import raise_if_stopped
from pipeline.run.summary import INCOMPLETE, outcome
from pipeline.run.task_events import record_events_of
from pipeline.run.task_inputs import (
    checked_route,
    decode_options,
    latest,
    plan_options,
    stored_translations,
    write_options,
)
from pipeline.segments.prepare import read_records, segment_shard
from pipeline.translation.chunk import done_path, run_chunk
from pipeline.translation.engine import EngineStats
from pipeline.translation.mt_store import keep_stores
from pipeline.translation.packages import installed_models

install_log_filter()  # plain `luigi --module pipeline.run.tasks` speaks in locpipe's lines too


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
        plan = plan_shard(
            self.layout,
            list(read_records(Path(self.records))),
            locale,
            plan_options(s, self.layout, self.locale, models),
            shard_catalog_keys(self.keys, self.shard),
            latest(out.parent, f"{self.shard:04d}-", out),
        )
        # before the plan, which says the task is done
        write_state(self.layout.plan_needs(out), needs_digests(plan_needs(plan)))
        self.write_output(plan)


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
        route = checked_route(s, self.source_lang, self.target_lang, self.route_key)
        options = decode_options(s)
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
        stored = stored_translations(self.layout, plan, locale, s.decode_key())
        out = Path(self.output().path)
        job, units = f"{self.locale}-{self.shard:04d}", len(plan["articles"])
        report(s.outputs, "write", job, 0, units)  # counted per shard: write_shard has no hook
        stamp, cache = write_shard(
            self.layout,
            list(read_records(Path(self.records))),
            plan,
            locale,
            installed_models(s.models_dir, s.state_dir),
            stored,
            write_options(s, self.locale),
            s.result_key(),
            latest(out.parent, f"{self.shard:04d}-", out),
            s.feed_mode,
        )
        write_state(self.layout.catalog_cache(self.locale, self.shard), cache)
        self.write_output(stamp)
        report(s.outputs, "write", job, units, units)


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

    def run(self):  # type: ignore[no-untyped-def]  # a generator: Luigi's dynamic dependencies
        use_run_clock(run_time())
        s, layout, run = self.settings, self.layout, self.run_id or run_id()
        built = yield from stages(FAMILIES, s, layout, self._common(), run)
        key = run_key(s, built.inputs, built.models, layout)
        manifest = write_run_outputs(
            s,
            layout,
            built.inputs,
            {i: p.path for i, p in built.prepares.items()},
            {k: (w.path, w.params["plan"]) for k, w in built.writers.items()},
            [f.output().path for f in built.feeds],
            built.models,
            key,
        )
        inputs = built.inputs
        write_inputs_index(layout.work, s.inputs, inputs.sources, inputs.started_ns, inputs.files)
        forget_run(layout, run)
        if manifest["errors"]:
            errors = manifest["errors"]
            raise LocpipeError(None, f"{len(errors)} problem(s): " + " | ".join(errors[:5]))
        if not self.from_cli:
            yield from finish(s, run, manifest, layout.manifest)


FAMILIES = Families(PrepareShard, BuildMemory, PlanShard, TranslateChunk, WriteShard, WriteFeed)
record_events_of(LocpipeTask, TranslateAll)  # the run log hears of these and their subclasses

__all__ = ["Shard", "TranslateAll"]
