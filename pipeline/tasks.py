"""Luigi tasks: detect language → segment → translate → catalogs + outputs + manifest.

Tasks are thin: each calls one plain function and writes one output. Task parameters
carry what the output depends on (content digests, model route, reviewed-entry digests,
settings key), so Luigi's "output exists" means "up to date".

    luigi --module pipeline.tasks TranslateAll --targets '["uk","tr"]' --local-scheduler
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import luigi

from pipeline.catalogs.plan import CatalogPlan, plan_catalog
from pipeline.catalogs.suggest import read_suggestions, suggestions_path
from pipeline.catalogs.write import write_locale, write_template
from pipeline.config import Settings, find_config, load_settings
from pipeline.environment import prepare_environment
from pipeline.errors import CatalogError, LocpipeError
from pipeline.inputs.discover import SourceFile, discover
from pipeline.inputs.ids import work_name
from pipeline.layout import Layout
from pipeline.locales import Locale, parse_locale
from pipeline.memory.match import Matcher
from pipeline.memory.sources import ParsedCatalogs, locale_pairs, memory_key, rebuild_memory
from pipeline.memory.store import read_units, seeds_digest
from pipeline.outputs.atomic import write_json
from pipeline.outputs.feed import write_feed
from pipeline.outputs.manifest import article_entry, build_manifest, read_manifest, write_manifest
from pipeline.plain_luigi import finish
from pipeline.progress import WORK, report_segments, write_plan
from pipeline.runlog import record_event
from pipeline.segments.record import detect_file, segment_file
from pipeline.summary import INCOMPLETE, outcome
from pipeline.translation.engine import (
    WORKERS_ENV,
    DecodeOptions,
    EngineStats,
    thread_budget,
    translate_unique,
)
from pipeline.translation.glossary import read_glossary, rules_for
from pipeline.translation.packages import Route, find_route, installed_models
from pipeline.translation.plan import collect_work, decide_all, parse_routes_key
from pipeline.translation.store import load_translations, pair_dir, read_job, shard_path, write_job


def task_settings(config: str, outputs: str) -> Settings:
    """Settings are read once per worker process, not once per task (hundreds of tasks), and
    again when the config file changes."""
    path = find_config(config or None)
    stamp = path.stat().st_mtime_ns if path else 0
    return _task_settings(config, outputs, stamp)


@lru_cache(maxsize=8)
def _task_settings(config: str, outputs: str, stamp: int) -> Settings:
    settings = load_settings(config or None, outputs=outputs)
    prepare_environment(settings)
    return settings


class LocpipeTask(luigi.Task):
    outputs = luigi.Parameter(description="output folder (locales/)")
    config = luigi.Parameter(default="", significant=False, description="luigi.cfg with [locpipe]")

    @cached_property
    def settings(self) -> Settings:
        return task_settings(self.config, self.outputs)

    @property
    def work(self) -> Path:
        return Path(self.outputs) / WORK

    def read_json(self, target: luigi.LocalTarget) -> Any:
        with target.open("r") as handle:
            return json.load(handle)

    def write_output(self, data: Any) -> None:
        write_json(Path(self.output().path), data)


class ArticleTask(LocpipeTask):
    source = luigi.Parameter(description="article file")
    digest = luigi.Parameter(description="sha256 of the article's bytes")
    source_lang = luigi.Parameter(default="")
    member = luigi.IntParameter(default=0, description="line of a JSONL feed; 0: the whole file")
    min_confidence = luigi.FloatParameter(default=0.80, description="below it: per-paragraph detection")

    def stem(self) -> str:
        lang = f"-{self.source_lang}" if self.source_lang else ""
        line = f"-{self.member}" if self.member else ""
        sure = f"-c{self.min_confidence:g}" if self.min_confidence != 0.80 else ""
        return f"{work_name(Path(self.source))}{line}-{self.digest[:16]}{lang}{sure}"


class DetectLanguage(ArticleTask):
    def output(self) -> luigi.LocalTarget:
        return luigi.LocalTarget(str(self.work / "detect" / f"{self.stem()}.json"))

    def run(self) -> None:
        detection = detect_file(Path(self.source), self.source_lang or None, self.member, self.min_confidence)
        self.write_output(detection)


class SegmentArticle(ArticleTask):
    unit = luigi.Parameter(default="sentence", description="sentence or paragraph entries")
    segmentation = luigi.Parameter(default="", description="Settings.segmentation_key()")

    def requires(self) -> DetectLanguage:
        params = {k: v for k, v in self.param_kwargs.items() if k not in {"unit", "segmentation"}}
        return DetectLanguage(**params)

    def output(self) -> luigi.LocalTarget:
        unit = "" if self.unit == "sentence" else f"-{self.unit}"
        rules = f"-s{self.segmentation[:12]}" if self.segmentation else ""
        return luigi.LocalTarget(str(self.work / "segments" / f"{self.stem()}{unit}{rules}.json"))

    def run(self) -> None:
        detection = self.read_json(self.input())
        record = segment_file(
            Path(self.source),
            detection,
            self.unit,
            self.member,
            self.min_confidence,
            self.settings.abbreviations,
            self.settings.inputs,
        )
        self.write_output(record)


def _route(settings: Settings, source: str, target: str, route_key: str) -> Route:
    route = find_route(installed_models(settings.models_dir), source, target)
    if route is None or route.key != route_key:
        raise LocpipeError(
            settings.models_dir, f"model for {source}->{target} changed during the run; run again"
        )
    return route


class TranslatePair(LocpipeTask):
    """All pending sentences of one language pair, across articles: one model load per leg."""

    source_lang = luigi.Parameter()
    target_lang = luigi.Parameter()
    route_key = luigi.Parameter()
    job = luigi.Parameter(description="digest of the sentence list in the job file")
    decode_key = luigi.Parameter(default="", description="digest of the decoding settings")
    run_stats: dict[str, Any] | None = None

    @cached_property
    def route(self) -> Route:
        return _route(self.settings, self.source_lang, self.target_lang, self.route_key)

    def folder(self) -> Path:
        return pair_dir(self.work, self.source_lang, self.target_lang, self.route, self.settings.decode_key())

    def output(self) -> luigi.LocalTarget:
        return luigi.LocalTarget(str(shard_path(self.folder(), self.job)))

    def run(self) -> None:
        s = self.settings
        route = self.route
        sentences = read_job(self.folder(), self.job)
        workers = int(os.environ.get(WORKERS_ENV, "1") or 1)
        inter, intra = thread_budget(s.inter_threads, s.intra_threads, workers, os.cpu_count() or 1)
        options = DecodeOptions(
            beam_size=s.beam_size,
            batch_size=s.batch_size,
            max_decoding_ratio=s.max_decoding_ratio,
            inter_threads=inter,
            intra_threads=intra,
        )
        stats = EngineStats()
        done = [0]

        def progress(n: int) -> None:
            done[0] += n
            report_segments(Path(self.outputs), self.job, done[0], len(sentences))
            self.set_progress_percentage(round(100 * done[0] / max(1, len(sentences))))

        translations = translate_unique(route, sentences, options, stats, progress)
        self.run_stats = {
            "models_loaded": stats.models_loaded,
            "sentences": stats.sentences,
            "seconds": round(stats.seconds, 3),
        }
        self.write_output({"route": route.key, "translations": translations, "stats": self.run_stats})


class BuildMemory(LocpipeTask):
    """A locale's translation memory, rebuilt from its catalogs' reviewed entries: the only
    task that writes the memory file."""

    locale = luigi.Parameter()
    key = luigi.Parameter(description="digest of the reviewed entries and seed files it reads")

    def output(self) -> luigi.LocalTarget:
        return luigi.LocalTarget(str(self.work / "done" / "memory" / f"{self.locale}-{self.key}.json"))

    def run(self) -> None:
        self.write_output(rebuild_memory(Path(self.outputs), self.locale))


class WriteTemplate(LocpipeTask):
    segments = luigi.Parameter(description="segments record of the article")

    def output(self) -> luigi.LocalTarget:
        return luigi.LocalTarget(str(self.work / "done" / "templates" / Path(self.segments).name))

    def run(self) -> None:
        record = json.loads(Path(self.segments).read_text(encoding="utf-8"))
        self.write_output(write_template(record, Path(self.outputs), self.settings.domain))


class WriteLocale(LocpipeTask):
    """One article's .po, .mo and rendered text for one locale."""

    segments = luigi.Parameter()
    locale = luigi.Parameter()
    route_key = luigi.Parameter(default="")
    reviewed = luigi.Parameter(default="none", description="digest of reviewed entries")
    suggestions = luigi.Parameter(default="", description="digest of the memory offers file")
    settings_key = luigi.Parameter(default="")
    untranslated = luigi.Parameter(default="")

    def requires(self) -> WriteTemplate:
        return WriteTemplate(outputs=self.outputs, config=self.config, segments=self.segments)

    def output(self) -> luigi.LocalTarget:
        parts = (self.route_key, self.reviewed, self.suggestions, self.settings_key, self.untranslated)
        key = hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]
        name = f"{Path(self.segments).stem}-{key}.json"
        return luigi.LocalTarget(str(self.work / "done" / self.locale / name))

    def run(self) -> None:
        s = self.settings
        record = json.loads(Path(self.segments).read_text(encoding="utf-8"))
        locale = parse_locale(self.locale)
        routes: dict[str, Route] = {}
        stored: dict[str, dict[str, str]] = {}
        for lang, key in parse_routes_key(self.route_key).items():
            routes[lang] = _route(s, lang, locale.argos, key)
            stored[lang] = load_translations(
                pair_dir(self.work, lang, locale.argos, routes[lang], s.decode_key())
            )
        offers = {}
        if self.suggestions:
            offers = read_suggestions(
                suggestions_path(self.work, self.locale, record["id"], self.suggestions)
            )
        try:
            result = write_locale(
                record,
                locale,
                Path(self.outputs),
                s.domain,
                routes,
                stored,
                s.mo_include_fuzzy,
                self.untranslated or None,
                offers,
                rules_for(read_glossary(s.glossary), self.locale),
            )
        except CatalogError as exc:
            result = {"error": exc.line()}
        self.write_output(result)


class WriteFeed(LocpipeTask):
    """A JSONL feed for one locale, joined from its members' rendered lines."""

    source = luigi.Parameter(description="the .jsonl input")
    locale = luigi.Parameter()
    members = luigi.ListParameter(description="[line, digest] of each member, in order")
    parts = luigi.Parameter(description="digest of the member tasks' stamps")

    def output(self) -> luigi.LocalTarget:
        name = f"{work_name(Path(self.source))}-{self.parts}.json"
        return luigi.LocalTarget(str(self.work / "done" / "feeds" / self.locale / name))

    def run(self) -> None:
        members = [(int(line), str(digest)) for line, digest in self.members]
        path = write_feed(Path(self.outputs), self.locale, Path(self.source), members)
        self.write_output({"feed": str(path), "members": len(members)})


@luigi.Task.event_handler(luigi.Event.PROCESSING_TIME)
def _timed(task: luigi.Task, seconds: float) -> None:
    task.locpipe_seconds = round(seconds, 3)


@luigi.Task.event_handler(luigi.Event.SUCCESS)
def _succeeded(task: luigi.Task) -> None:
    _record(task, "done")


@luigi.Task.event_handler(luigi.Event.FAILURE)
def _failed(task: luigi.Task, exception: BaseException) -> None:
    _record(task, "failed")


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
    record_event(task.settings.outputs, event)


def feed_tasks(
    sources: list[SourceFile],
    locales: list[Locale],
    locale_tasks: dict[tuple[str, str], WriteLocale],
    common: dict[str, str],
) -> list[WriteFeed]:
    """One per JSONL input and locale, after its members' catalogs."""
    feeds: dict[Path, list[SourceFile]] = {}
    for src in sources:
        if src.member:
            feeds.setdefault(src.path, []).append(src)
    tasks = []
    for path, members in sorted(feeds.items()):
        for loc in locales:
            stamps = [
                locale_tasks[(m.id, loc.gettext)].output().path
                for m in members
                if (m.id, loc.gettext) in locale_tasks
            ]
            parts = hashlib.sha256("\n".join([*stamps, *(m.digest for m in members)]).encode()).hexdigest()[
                :16
            ]
            tasks.append(
                WriteFeed(
                    source=str(path),
                    locale=loc.gettext,
                    members=[[m.member, m.digest] for m in members],
                    parts=parts,
                    **common,
                )
            )
    return tasks


def run_key(settings: Settings, sources: list[Any], models: list[Any]) -> str:
    """Everything a full run's result depends on; equal keys mean there is nothing to do."""
    paths = Layout(settings.outputs)
    memory = Layout(settings.outputs)
    parts = [settings.result_key(), settings.segmentation_key(), ",".join(settings.targets)]
    parts += [f"{m.from_code}_{m.to_code}@{m.version}" for m in models]
    parts += [f"seeds-{t}:{seeds_digest(memory, t)}" for t in settings.targets]
    for src in sources:
        parts.append(f"{src.id}:{src.digest}")
        for target in settings.targets:
            po = paths.po(target, src.id)
            parts.append(hashlib.sha256(po.read_bytes()).hexdigest() if po.exists() else "-")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


class TranslateAll(luigi.Task):
    """The whole run; its output is locales/manifest.json."""

    inputs = luigi.Parameter(default="")
    outputs = luigi.Parameter(default="")
    targets = luigi.ListParameter(default=())
    source_lang = luigi.Parameter(default="")
    config = luigi.Parameter(default="", significant=False)
    from_cli = luigi.BoolParameter(default=False, significant=False, description="`locpipe run` reports")

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

    def output(self) -> luigi.LocalTarget:
        return luigi.LocalTarget(str(self.settings.outputs / "manifest.json"))

    def complete(self) -> bool:
        manifest = read_manifest(Path(self.output().path))
        if not manifest or manifest.get("errors"):
            return False
        if not self.from_cli and outcome(manifest) == INCOMPLETE:
            return False  # plain luigi: run again to exit 3 (pipeline/plain_luigi.py)
        try:
            sources, errors = discover(self.settings.inputs)
        except LocpipeError:
            return False
        models = installed_models(self.settings.models_dir)
        return not errors and manifest.get("run_key") == run_key(self.settings, sources, models)

    def _jobs(
        self,
        records: dict[str, dict[str, Any]],
        locales: list[Locale],
        decisions: dict[tuple[str, str], Any],
        plans: dict[tuple[str, str], CatalogPlan],
        common: dict[str, str],
    ) -> tuple[list[TranslatePair], int]:
        """One translation task per language pair, for what nothing reviewed covers."""
        s = self.settings
        pairs = collect_work(
            list(records.values()),
            locales,
            decisions,
            s.outputs / WORK,
            s.decode_key(),
            {key: plan.needs_mt for key, plan in plans.items()},
            read_glossary(s.glossary),
        )
        jobs = [
            TranslatePair(
                source_lang=source,
                target_lang=target,
                route_key=item.route.key,
                job=write_job(item.folder, sorted(item.pending)),
                decode_key=s.decode_key(),
                **common,
            )
            for (source, target), item in sorted(pairs.items())
            if item.pending
        ]
        pending = sum(len(item.pending) for item in pairs.values())
        write_plan(s.outputs, pending, [])
        return jobs, pending

    def run(self):  # type: ignore[no-untyped-def]  # a generator: Luigi's dynamic dependencies
        s = self.settings
        out = s.outputs
        work = out / WORK
        common = {"outputs": str(out), "config": self.config}
        # Luigi runs this generator again from the top after each batch of new dependencies;
        # each stage is computed once per run and kept here until the run ends
        memo: dict[str, Any] = self.__dict__.setdefault("_stages", {})
        if "sources" not in memo:
            memo["sources"] = discover(s.inputs)
        sources, input_errors = memo["sources"]
        if "segmentation" not in memo:
            memo["segmentation"] = s.segmentation_key()
        segment_tasks = {
            src.id: SegmentArticle(
                source=str(src.path),
                digest=src.digest,
                source_lang=s.source_lang or "",
                member=src.member,
                unit=s.unit,
                segmentation=memo["segmentation"],
                min_confidence=s.min_confidence,
                **common,
            )
            for src in sources
        }
        yield list(segment_tasks.values())
        if "records" not in memo:
            memo["records"] = {
                aid: {**json.loads(Path(t.output().path).read_text()), "id": aid}
                for aid, t in segment_tasks.items()
            }
        records = memo["records"]
        models = installed_models(s.models_dir)
        locales = [parse_locale(t) for t in s.targets]
        decisions = decide_all(list(records.values()), locales, models, s.min_confidence)

        # the memory first: what it offers needs no MT
        catalogs = memo.setdefault("catalogs", ParsedCatalogs())
        if "memory" not in memo:
            memo["memory"] = [
                BuildMemory(
                    locale=loc.gettext,
                    key=memory_key(out, loc.gettext, locale_pairs(out, loc.gettext, catalogs)),
                    **common,
                )
                for loc in locales
            ]
        yield memo["memory"]
        if "plans" not in memo:
            matchers = {
                loc.gettext: Matcher(read_units(Layout(out).memory(loc.gettext)), s.memory_threshold)
                for loc in locales
            }
            memo["plans"] = {
                (aid, loc): plan_catalog(
                    records[aid], loc, out, work, catalogs, matchers[loc] if decision.route else None
                )
                for (aid, loc), decision in sorted(decisions.items())
                if not decision.skip
            }
        plans: dict[tuple[str, str], CatalogPlan] = memo["plans"]
        if "jobs" not in memo:
            memo["jobs"] = self._jobs(records, locales, decisions, plans, common)
        jobs, pending = memo["jobs"]
        yield jobs

        settings_key = s.result_key()  # hashes the glossary file: once, not per catalog
        locale_tasks = {
            (aid, loc): WriteLocale(
                segments=segment_tasks[aid].output().path,
                locale=loc,
                route_key=decisions[(aid, loc)].routes_key,
                reviewed=plan.reviewed,
                suggestions=plan.suggestions,
                settings_key=settings_key,
                untranslated=decisions[(aid, loc)].untranslated or "",
                **common,
            )
            for (aid, loc), plan in plans.items()
        }
        write_plan(out, pending, [t.output().path for t in locale_tasks.values()])
        yield list(locale_tasks.values())
        yield feed_tasks(sources, locales, locale_tasks, common)

        articles: dict[str, dict[str, Any]] = {}
        errors = [e.line() for e in input_errors]
        paths = Layout(out)
        for src in sources:
            results: dict[str, dict[str, Any]] = {}
            for loc in locales:
                decision = decisions[(src.id, loc.gettext)]
                if decision.skip:
                    results[loc.gettext] = {"skip": decision.skip}
                else:
                    task = locale_tasks[(src.id, loc.gettext)]
                    results[loc.gettext] = json.loads(Path(task.output().path).read_text())
            pot = paths.pot(src.id)
            where = str(src.path.relative_to(s.inputs))
            articles[src.id], problems = article_entry(
                f"{where}:{src.member}" if src.member else where,
                src.digest,
                records[src.id],
                str(pot.relative_to(out)) if pot.exists() else None,
                results,
            )
            errors += problems
        models_info = [
            {"id": m.id, "from": m.from_code, "to": m.to_code, "version": m.version, "demo": m.demo}
            for m in models
        ]
        manifest = build_manifest(run_key(s, sources, models), articles, errors, list(s.targets), models_info)
        write_manifest(Path(self.output().path), manifest)
        self.__dict__.pop("_stages", None)
        if errors:
            raise LocpipeError(None, f"{len(errors)} problem(s): " + " | ".join(errors[:5]))
        if not self.from_cli:
            yield from finish(manifest, Path(self.output().path))
