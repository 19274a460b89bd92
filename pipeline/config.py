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

from pipeline.errors import ConfigError
from pipeline.translation.glossary import glossary_digest

SECTION = "locpipe"
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
    extra: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def decode_key(self) -> str:
        """Digest of the settings that change what the model outputs for a sentence."""
        return _digest({"beam_size": self.beam_size, "max_decoding_ratio": self.max_decoding_ratio})

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
        return _digest(relevant)

    def segmentation_key(self) -> str:
        """Digest of what decides sentence boundaries: the splitter and the desk's abbreviations."""
        from pipeline.segments.splitter import segmentation_key

        return segmentation_key(self.abbreviations)


def _digest(data: dict[str, object]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


def find_config(explicit: str | os.PathLike[str] | None = None, prefer_project: bool = False) -> Path | None:
    """The config file: explicit, then LUIGI_CONFIG_PATH, then the project's or the cwd's.

    The locpipe CLI prefers the installed project's file (cron starts in arbitrary folders);
    tasks started by plain `luigi` prefer the cwd's, which is the file luigi itself reads.
    """
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
    here = [Path.cwd(), *Path.cwd().parents]
    for folder in [PACKAGE_ROOT, *here] if prefer_project else [*here, PACKAGE_ROOT]:
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
    return targets


def parse_pairs(value: str) -> tuple[tuple[str, str], ...]:
    pairs = []
    for item in value.split(","):
        item = item.strip()
        if not item:
            continue
        src, sep, tgt = item.partition("-")
        if not sep or not src or not tgt:
            raise ConfigError(None, f"default_pairs entry {item!r} is not FROM-TO (e.g. en-uk)")
        pairs.append((src.strip(), tgt.strip()))
    return tuple(pairs)


def load_settings(
    config: str | os.PathLike[str] | None = None, prefer_project: bool = False, **overrides: object
) -> Settings:
    """Read [locpipe] and apply overrides (None means: keep the file's value)."""
    path = find_config(config, prefer_project)
    parser = configparser.ConfigParser(interpolation=None)
    base = PACKAGE_ROOT
    if path is not None:
        parser.read(path, encoding="utf-8")
        base = path.parent
    sect = parser[SECTION] if parser.has_section(SECTION) else {}

    def get(key: str, default: str) -> str:
        return str(sect.get(key, default)).strip()

    def as_path(value: str) -> Path:
        p = Path(value).expanduser()
        return (p if p.is_absolute() else base / p).resolve()

    try:
        settings = Settings(
            config_path=path,
            inputs=as_path(get("inputs", "inputs")),
            outputs=as_path(get("outputs", "locales")),
            targets=parse_targets(get("targets", "uk,tr,de")),
            domain=get("domain", "locpipe-articles"),
            models_dir=as_path(get("models_dir", "models")),
            state_dir=as_path(get("state_dir", ".state")),
            model_source_dir=as_path(get("model_source_dir", "models-download")),
            default_pairs=parse_pairs(get("default_pairs", "en-uk,en-tr,en-de")),
            source_lang=get("source_lang", "") or None,
            min_confidence=float(get("min_confidence", "0.80")),
            batch_size=int(get("batch_size", "32")),
            beam_size=int(get("beam_size", "4")),
            inter_threads=int(get("inter_threads", "2")),
            intra_threads=int(get("intra_threads", "1")),
            max_decoding_ratio=float(get("max_decoding_ratio", "2.0")),
            mo_include_fuzzy=get("mo_include_fuzzy", "false").lower() in {"1", "true", "yes", "on"},
            memory_threshold=float(get("memory_threshold", "75")),
            unit=get("unit", "sentence"),
            glossary=as_path(get("glossary", "glossary.csv")),
            abbreviations=as_path(get("abbreviations", "abbreviations")),
            extra=dict(sect),
        )
    except ValueError as exc:
        raise ConfigError(path, f"[{SECTION}] has a bad value ({exc}); fix it") from exc
    if settings.unit not in UNITS:
        raise ConfigError(path, f"[{SECTION}] unit = {settings.unit!r}; use one of {', '.join(UNITS)}")

    changes: dict[str, object] = {}
    for key, value in overrides.items():
        if value is None or value == "" or value == ():
            continue
        if key in {"inputs", "outputs", "models_dir"}:
            changes[key] = Path(str(value)).expanduser().resolve()
        elif key == "targets":
            changes[key] = parse_targets(value)  # type: ignore[arg-type]
        else:
            changes[key] = value
    return replace(settings, **changes) if changes else settings
