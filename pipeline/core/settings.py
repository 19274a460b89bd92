"""Settings from the [locpipe] section of luigi.cfg, found from the project, not the cwd.

cron and Luigi workers start in arbitrary folders; resolving the config file and every
relative path against the config file's own folder makes a run mean the same thing
wherever it is started.
"""

from __future__ import annotations

import configparser
import hashlib
import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.core.errors import ConfigError
from pipeline.core.settings_table import (
    KEYS,
    SECTION,
    check_option,
    check_section,
    language_code,
    locale_code,
)
from pipeline.translation.glossary import glossary_digest

UNITS = ("sentence", "paragraph")  # what one catalog entry holds
PACKAGE_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    config_path: Path | None
    inputs: Path
    outputs: Path
    targets: tuple[str, ...]
    domain: str = "locpipe-articles"
    models_dir: Path = Path("models")
    state_dir: Path = Path(".state")
    model_source_dir: Path = Path("models-download")
    default_pairs: tuple[tuple[str, str], ...] = (("en", "uk"), ("en", "tr"), ("en", "de"))
    source_lang: str | None = None
    min_confidence: float = 0.80
    batch_size: int = 32
    beam_size: int = 4
    inter_threads: int = 2
    intra_threads: int = 1
    max_decoding_ratio: float = 2.0
    mo_include_fuzzy: bool = False
    memory_threshold: float = 75.0
    unit: str = "sentence"
    glossary: Path | None = None
    abbreviations: Path | None = None  # folder of <lang>.txt: the desk's own abbreviations
    shard_size: int = 256  # articles per shard task (detect, segment, plan, write)
    chunk_size: int = 2000  # unique sentences per translation chunk (one model load each)
    device: str = "auto"  # CTranslate2 device: auto (CUDA when there is one), cpu, cuda
    compute_type: str = "auto"
    feed_catalog: str = "article"  # "feed": one catalog per JSONL feed, its lines told apart by msgctxt
    min_quality: int = 0  # machine text estimated below this is not rendered (0: off)
    below_min_quality: str = "source"  # what the article shows instead: the source, or nothing
    subtitle_line_length: int = 42  # characters a subtitle line (broadcast guidelines)
    subtitle_lines: int = 2  # lines a subtitle cue
    subtitle_max_cps: float = 17.0  # a cue read faster than this is noted on its entries
    extra: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def decode_key(self) -> str:
        """Digest of the settings that change what the model outputs for a sentence."""
        data = {"beam_size": self.beam_size, "max_decoding_ratio": self.max_decoding_ratio}
        if (self.device, self.compute_type) != ("auto", "auto"):  # other arithmetic, other output
            data.update(device=self.device, compute_type=self.compute_type)
        return _digest(data)

    def result_key(self) -> str:
        """Digest of the settings that change what a translation or catalog contains."""
        relevant = {
            "decode": self.decode_key(),
            "min_confidence": self.min_confidence,
            "mo_include_fuzzy": self.mo_include_fuzzy,
            "domain": self.domain,
            "source_lang": self.source_lang,
            "memory_threshold": self.memory_threshold,
            "unit": self.unit,
            "glossary": glossary_digest(self.glossary),
        }
        if self.feed_catalog != "article":  # only then: article-mode keys stay as they were
            relevant["feed_catalog"] = self.feed_catalog
        if self.min_quality:
            relevant["min_quality"] = [self.min_quality, self.below_min_quality]
        subtitles = [self.subtitle_line_length, self.subtitle_lines, self.subtitle_max_cps]
        if subtitles != [42, 2, 17.0]:  # only then: keys of runs with the defaults stay as they were
            relevant["subtitles"] = subtitles
        return _digest(relevant)

    @property
    def feed_mode(self) -> bool:
        return self.feed_catalog == "feed"

    def segmentation_key(self) -> str:
        """Digest of what decides sentence boundaries: the splitter and the desk's abbreviations."""
        from pipeline.segments.splitter import segmentation_key

        return segmentation_key(self.abbreviations)


def _digest(data: dict[str, object]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


def find_config(explicit: str | os.PathLike[str] | None = None, prefer_project: bool = False) -> Path | None:
    """The config file: explicit, then LUIGI_CONFIG_PATH, then the cwd's (or a parent's), then
    the installed project's. prefer_project is kept for callers; the order is the same."""
    if explicit:
        path = Path(explicit).expanduser().resolve()
        if not path.is_file():
            raise ConfigError(path, "config file not found; pass an existing luigi.cfg")
        return path
    env = os.environ.get("LUIGI_CONFIG_PATH")
    if env:
        for candidate in env.split(os.pathsep):
            if candidate and Path(candidate).is_file() and _has_section(Path(candidate)):
                return Path(candidate).resolve()
    # the folder the user is in (or a parent) first: a project with its own luigi.cfg must never
    # get the installed clone's; cron, started in /, finds none there and gets the project's
    here = [Path.cwd(), *Path.cwd().parents]
    for folder in [*here, PACKAGE_ROOT]:
        candidate = folder / "luigi.cfg"
        if candidate.is_file() and _has_section(candidate):
            return candidate.resolve()
    return None


def _has_section(path: Path) -> bool:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except configparser.Error:
        return False
    return parser.has_section(SECTION)


def parse_targets(value: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    items = value.split(",") if isinstance(value, str) else list(value)
    targets = tuple(dict.fromkeys(t.strip() for t in items if t and t.strip()))
    if not targets:
        raise ConfigError(None, "no target locales given; set targets in luigi.cfg or --targets")
    for target in targets:
        check_option("--targets", target, locale_code)
    return targets


def load_settings(
    config: str | os.PathLike[str] | None = None, prefer_project: bool = False, **overrides: object
) -> Settings:
    """Read [locpipe], check every key (settings_keys.KEYS) and apply overrides (None means:
    keep the file's value); a bad value raises one ConfigError before any work starts."""
    path = find_config(config, prefer_project)
    parser = configparser.ConfigParser(interpolation=None)
    base = PACKAGE_ROOT
    if path is not None:
        try:
            parser.read(path, encoding="utf-8")
        except (configparser.Error, UnicodeDecodeError) as exc:
            raise ConfigError(path, f"not a valid config file ({str(exc).splitlines()[0]}); fix it") from None
        base = path.parent
    sect = dict(parser[SECTION]) if parser.has_section(SECTION) else {}
    v = check_section(path, sect)

    def as_path(value: object) -> Path:
        p = Path(str(value)).expanduser()
        return (p if p.is_absolute() else base / p).resolve()

    settings = Settings(
        config_path=path,
        inputs=as_path(v["inputs"]),
        outputs=as_path(v["outputs"]),
        targets=v["targets"],  # type: ignore[arg-type]
        domain=str(v["domain"]),
        models_dir=as_path(v["models_dir"]),
        state_dir=as_path(v["state_dir"]),
        model_source_dir=as_path(v["model_source_dir"]),
        default_pairs=v["default_pairs"],  # type: ignore[arg-type]
        source_lang=v["source_lang"],  # type: ignore[arg-type]
        min_confidence=v["min_confidence"],  # type: ignore[arg-type]
        batch_size=v["batch_size"],  # type: ignore[arg-type]
        beam_size=v["beam_size"],  # type: ignore[arg-type]
        inter_threads=v["inter_threads"],  # type: ignore[arg-type]
        intra_threads=v["intra_threads"],  # type: ignore[arg-type]
        max_decoding_ratio=v["max_decoding_ratio"],  # type: ignore[arg-type]
        mo_include_fuzzy=v["mo_include_fuzzy"],  # type: ignore[arg-type]
        memory_threshold=v["memory_threshold"],  # type: ignore[arg-type]
        unit=str(v["unit"]),
        glossary=as_path(v["glossary"]) if v["glossary"] else None,
        abbreviations=as_path(v["abbreviations"]) if v["abbreviations"] else None,
        shard_size=v["shard_size"],  # type: ignore[arg-type]
        chunk_size=v["chunk_size"],  # type: ignore[arg-type]
        device=str(v["device"]),
        compute_type=str(v["compute_type"]),
        feed_catalog=str(v["feed_catalog"]),
        min_quality=v["min_quality"],  # type: ignore[arg-type]
        below_min_quality=str(v["below_min_quality"]),
        subtitle_line_length=v["subtitle_line_length"],  # type: ignore[arg-type]
        subtitle_lines=v["subtitle_lines"],  # type: ignore[arg-type]
        subtitle_max_cps=v["subtitle_max_cps"],  # type: ignore[arg-type]
        extra=sect,
    )

    changes: dict[str, object] = {}
    for key, value in overrides.items():
        if value is None or value == "" or value == ():
            continue
        if key in {"inputs", "outputs", "models_dir"}:
            changes[key] = Path(str(value)).expanduser().resolve()
        elif key == "targets":
            changes[key] = parse_targets(value)  # type: ignore[arg-type]
        elif key == "source_lang":
            changes[key] = check_option("--source-lang", str(value), language_code)
        else:
            changes[key] = value
    return replace(settings, **changes) if changes else settings


def option(settings: Settings, key: str) -> object:
    """A checked [locpipe] value that has no Settings field (yet): device, shard_size, ..."""
    spec = KEYS[key]
    return spec.parse(str(settings.extra.get(key, spec.default)).strip())
