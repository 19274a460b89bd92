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
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pipeline.core.errors import ConfigError
from pipeline.core.filestamp import file_key
from pipeline.core.settings_table import KEYS, SECTION, check_option, check_section, default, locale_code

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
# run keys leave a setting out while it has the value it had before it was keyed: then the keys of
# earlier runs stay as they were. Not the defaults' copies: a changed default must change keys.
UNKEYED_DEVICE = ("auto", "auto")
UNKEYED_SUBTITLES = [42, 2, 17.0]

@dataclass(frozen=True)
class Settings:
    """The [locpipe] keys (settings_table.KEYS: types, ranges, defaults), paths resolved."""

    config_path: Path | None = None
    inputs: Path = default("inputs")
    outputs: Path = default("outputs")
    targets: tuple[str, ...] = default("targets")
    domain: str = default("domain")
    models_dir: Path = default("models_dir")
    state_dir: Path = default("state_dir")
    model_source_dir: Path = default("model_source_dir")
    default_pairs: tuple[tuple[str, str], ...] = default("default_pairs")
    source_lang: str | None = default("source_lang")
    min_confidence: float = default("min_confidence")
    batch_size: int = default("batch_size")
    beam_size: int = default("beam_size")
    inter_threads: int = default("inter_threads")
    intra_threads: int = default("intra_threads")
    max_decoding_ratio: float = default("max_decoding_ratio")
    mo_include_fuzzy: bool = default("mo_include_fuzzy")
    memory_threshold: float = default("memory_threshold")
    unit: str = default("unit")
    glossary: Path | None = default("glossary")
    abbreviations: Path | None = default("abbreviations")
    device: str = default("device")
    compute_type: str = default("compute_type")
    shard_size: int = default("shard_size")
    chunk_size: int = default("chunk_size")
    feed_catalog: str = default("feed_catalog")
    min_quality: int = default("min_quality")
    below_min_quality: str = default("below_min_quality")
    subtitle_line_length: int = default("subtitle_line_length")
    subtitle_lines: int = default("subtitle_lines")
    subtitle_max_cps: float = default("subtitle_max_cps")

    def decode_key(self) -> str:
        """Digest of the settings that change what the model outputs for a sentence."""
        data = {"beam_size": self.beam_size, "max_decoding_ratio": self.max_decoding_ratio}
        if (self.device, self.compute_type) != UNKEYED_DEVICE:  # other arithmetic, other output
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
            "glossary": file_key(self.glossary),
        }
        if self.feed_catalog != "article":  # only then: article-mode keys stay as they were
            relevant["feed_catalog"] = self.feed_catalog
        if self.min_quality:
            relevant["min_quality"] = [self.min_quality, self.below_min_quality]
        subtitles = [self.subtitle_line_length, self.subtitle_lines, self.subtitle_max_cps]
        if subtitles != UNKEYED_SUBTITLES:
            relevant["subtitles"] = subtitles
        return _digest(relevant)

    @property
    def feed_mode(self) -> bool:
        return self.feed_catalog == "feed"


def _digest(data: dict[str, object]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


def find_config(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """The config file: explicit, then LUIGI_CONFIG_PATH, then the cwd's (or a parent's), then
    the installed project's."""
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
    config: str | os.PathLike[str] | None = None, **overrides: Any
) -> Settings:
    """Read [locpipe], check every key (settings_table.KEYS) and apply overrides (None means:
    keep the file's value); a bad value raises one ConfigError before any work starts."""
    path = find_config(config)
    parser = configparser.ConfigParser(interpolation=None)
    base = PACKAGE_ROOT
    if path is not None:
        try:
            parser.read(path, encoding="utf-8")
        except (configparser.Error, UnicodeDecodeError) as exc:
            raise ConfigError(path, f"not a valid config file ({str(exc).splitlines()[0]}); fix it") from None
        base = path.parent
    section = dict(parser[SECTION]) if parser.has_section(SECTION) else {}
    values = {
        key: (base / value.expanduser()).resolve() if isinstance(value, Path) else value
        for key, value in check_section(path, section).items()
    }
    settings = Settings(config_path=path, **values)
    changes = {key: _override(key, value) for key, value in overrides.items() if value not in (None, "", ())}
    return replace(settings, **changes) if changes else settings


def _override(key: str, value: Any) -> Any:
    """A command line's or a task parameter's value, checked as the table checks the file's;
    a relative path is the cwd's."""
    if key not in KEYS:
        raise TypeError(f"load_settings: no [{SECTION}] key {key!r}")
    if key == "targets":
        return parse_targets(value)
    if isinstance(value, (str, os.PathLike)):
        value = check_option("--" + key.replace("_", "-"), os.fspath(value), KEYS[key].parse)
    return value.expanduser().resolve() if isinstance(value, Path) else value
