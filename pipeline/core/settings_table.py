"""Every [locpipe] key in one table: its type and range, its default, what it means.

The table is the one place a default is written: Settings (pipeline.core.settings) takes its
field defaults and its loading from it, luigi.cfg repeats it (a test holds them equal), and
the documentation's settings page is `settings_markdown()`. A setting that makes no sense
(batch_size = -5, inter_threads = 0, a misspelt key) must stop the command before any work
starts, in one line naming the file and the key, rather than hang, crash deep in CTranslate2
or be ignored. Adding a key is adding one row to KEYS and one field to Settings.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from weblate_language_data.languages import LANGUAGES

from pipeline.core.errors import ConfigError
from pipeline.core.locales import PSEUDO

SECTION = "locpipe"
TRUE = {"true", "yes", "on", "1"}
FALSE = {"false", "no", "off", "0"}


class BadValue(ValueError):
    """What a value must be; the caller adds the file and the key."""


Parse = Callable[[str], object]


class Rule:
    """A key's type: parses the raw text (raising BadValue) and says what it accepts."""

    def __call__(self, raw: str) -> Any:
        raise NotImplementedError

    def describe(self) -> str:
        """Type and range, as the settings page shows them."""
        raise NotImplementedError


@dataclass(frozen=True)
class Integer(Rule):
    minimum: int
    maximum: int | None = None
    why: str = ""  # the reason for the upper bound, said with it

    def describe(self) -> str:
        low, high = self.minimum, self.maximum
        return f"integer ≥ {low}" if high is None else f"integer {low}–{high:,}"

    def __call__(self, raw: str) -> int:
        m, top = self.minimum, self.maximum
        rule = f"an integer ≥ {m}" if top is None else f"an integer from {m} to {top:,}"
        try:
            value = int(raw)
        except ValueError:
            raise BadValue(f"must be {rule}") from None
        if value < m or (top is not None and value > top):
            raise BadValue(f"must be {rule}" + (f" ({self.why})" if self.why and value > m else ""))
        return value


@dataclass(frozen=True)
class Number(Rule):
    low: float
    high: float | None = None
    low_open: bool = False
    why: str = ""

    def describe(self) -> str:
        if self.high is None:
            return f"number {'>' if self.low_open else '≥'} {self.low:g}"
        if self.low_open:
            return f"number > {self.low:g}, ≤ {self.high:g}"
        return f"number {self.low:g}–{self.high:g}"

    def __call__(self, raw: str) -> float:
        low, high = self.low, self.high
        rule = f"> {low:g}" if self.low_open else f"≥ {low:g}"
        if high is not None:
            rule = f"between {low:g} and {high:g}" + (f" ({self.why})" if self.why else "")
        try:
            value = float(raw)
        except ValueError:
            raise BadValue(f"must be a number {rule}") from None
        too_low = value < low or (self.low_open and value == low)
        if value != value or too_low or (high is not None and value > high):
            raise BadValue(f"must be a number {rule}")
        return value


class Boolean(Rule):
    def describe(self) -> str:
        return "true / false"

    def __call__(self, raw: str) -> bool:
        lowered = raw.lower()
        if lowered in TRUE | FALSE:
            return lowered in TRUE
        raise BadValue("must be true or false (also yes/no, on/off, 1/0)")


class Choice(Rule):
    def __init__(self, *options: str) -> None:
        self.options = options

    def describe(self) -> str:
        return " / ".join(self.options)

    def __call__(self, raw: str) -> str:
        if raw not in self.options:
            raise BadValue(f"must be one of {', '.join(self.options)}")
        return raw


class Text(Rule):
    def describe(self) -> str:
        return "text"

    def __call__(self, raw: str) -> str:
        if not raw:
            raise BadValue("must not be empty")
        return raw


class Folder(Rule):
    """A path, relative to the config file's folder (the caller resolves it)."""

    def __init__(self, optional: bool = False) -> None:
        self.optional = optional

    def describe(self) -> str:
        return "path (empty: none)" if self.optional else "path"

    def __call__(self, raw: str) -> Path | None:
        if "\x00" in raw or not (raw or self.optional):
            raise BadValue("must be a path")
        return Path(raw) if raw else None


# language codes: Argos and ISO 639 codes are 2-3 lowercase letters; Argos adds pb and zt
_CODE_RE = re.compile(r"^[a-z]{2,3}$")
ARGOS_ONLY = {"pb": "Portuguese (Brazil)", "zt": "Chinese (Traditional)"}


@cache
def _languages() -> dict[str, str]:
    return {code: name for code, name, _n, _f in LANGUAGES}


@cache
def _language_parts() -> frozenset[str]:
    """Languages Weblate's list knows, also where it only lists scripts (zh_Hans, zh_Hant)."""
    return frozenset(code.split("_")[0].split("@")[0] for code in _languages())


@cache
def _by_name() -> dict[str, str]:
    names: dict[str, str] = {}
    for code, name in _languages().items():
        names.setdefault(name.lower(), code)
    return names


def suggest_code(raw: str) -> str:
    """' (did you mean en?)' for 'english', 'EN', 'eng'; empty when nothing is close."""
    lowered = raw.strip().lower()
    hit = _by_name().get(lowered)
    if hit is None and lowered.replace("-", "_") in _languages():
        hit = lowered.replace("-", "_")
    if hit is None:
        close = difflib.get_close_matches(lowered, list(_by_name()), n=1, cutoff=0.8)
        hit = _by_name()[close[0]] if close else None
    return f" (did you mean {hit}?)" if hit and hit != raw else ""


def language_code(raw: str) -> str:
    """A source language as Argos names it: en, uk, pb, zt (checked against Weblate's list)."""
    if _CODE_RE.match(raw) and (raw in _languages() or raw in ARGOS_ONLY):
        return raw
    raise BadValue(f"not a language code such as en, uk, de{suggest_code(raw)}")


def locale_code(raw: str) -> str:
    """A target as a gettext locale (uk, uk_UA, pt_BR, sr@latin) of a known language."""
    from pipeline.core.locales import parse_locale

    try:
        locale = parse_locale(raw)
    except ConfigError:
        raise BadValue(f"not a gettext locale such as uk, uk_UA, pt_BR{suggest_code(raw)}") from None
    if locale.language not in _language_parts() and locale.gettext != PSEUDO:
        raise BadValue(f"not the locale of a known language (uk, uk_UA, pt_BR){suggest_code(raw)}")
    return locale.gettext


class Locales(Rule):
    def describe(self) -> str:
        return "gettext locales, comma-separated"

    def __call__(self, raw: str) -> tuple[str, ...]:
        items = tuple(dict.fromkeys(t.strip() for t in raw.split(",") if t.strip()))
        if not items:
            raise BadValue("must name at least one locale, e.g. uk,tr,de")
        for item in items:
            try:
                locale_code(item)
            except BadValue as exc:
                raise BadValue(f"{item}: {exc}") from None
        return items


class Pairs(Rule):
    def describe(self) -> str:
        return "FROM-TO language pairs, comma-separated"

    def __call__(self, raw: str) -> tuple[tuple[str, str], ...]:
        found = []
        for item in (i.strip() for i in raw.split(",")):
            if not item:
                continue
            src, sep, tgt = item.partition("-")
            if not sep:
                raise BadValue(f"{item}: not FROM-TO (e.g. en-uk)")
            for code in (src, tgt):
                try:
                    language_code(code)
                except BadValue as exc:
                    raise BadValue(f"{item}: {code}: {exc}") from None
            found.append((src, tgt))
        return tuple(found)


class Language(Rule):
    """An Argos language code, or empty: none given."""

    def describe(self) -> str:
        return "language code (empty: detect)"

    def __call__(self, raw: str) -> str | None:
        return language_code(raw) if raw else None


BATCH_WHY = "sentences per CTranslate2 batch: past a few hundred a CPU gains nothing, memory grows"
BEAM_WHY = "decoding memory and time grow with beam x batch; Argos models are tuned for 4"
THREADS_WHY = "CTranslate2 threads; more than the machine's cores only contend"
RATIO_WHY = "output tokens per input token; a translation is rarely twice its source"
COMPUTE_TYPES = (
    "auto",
    "default",
    "int8",
    "int8_float32",
    "int8_float16",
    "int8_bfloat16",
    "int16",
    "float16",
    "bfloat16",
    "float32",
)


@dataclass(frozen=True)
class Key:
    """One [locpipe] key: its type (parser and range), its default as luigi.cfg writes it, and
    what it means in one line."""

    parse: Rule
    default: str
    doc: str

    @property
    def value(self) -> Any:
        """The default as Settings holds it (paths still relative to the config's folder)."""
        return self.parse(self.default)


KEYS: dict[str, Key] = {
    "inputs": Key(Folder(), "inputs", "the articles to translate, one a file"),
    "outputs": Key(Folder(), "locales", "where catalogs, translated articles and manifest.json go"),
    "targets": Key(Locales(), "uk,tr,de", "gettext locales to translate into (folder names under outputs)"),
    "domain": Key(Text(), "locpipe-articles", "Project-Id-Version of the catalogs"),
    "models_dir": Key(Folder(), "models", "installed Argos packages (`ARGOS_PACKAGES_DIR`)"),
    "state_dir": Key(Folder(), ".state", "argostranslate's own state (`XDG_*`), kept out of the user's home"),
    "model_source_dir": Key(
        Folder(), "models-download", "`locpipe models install-default` looks here for .argosmodel files first"
    ),
    "default_pairs": Key(Pairs(), "en-uk,en-tr,en-de", "the pairs `locpipe models install-default` gets"),
    "source_lang": Key(Language(), "", "the articles' language; empty: detected per article"),
    "min_confidence": Key(
        Number(0, 1), "0.80", "language detection below this is not trusted: paragraphs are detected alone"
    ),
    # upper bounds: what CTranslate2 takes and what fits memory (docs/configuration.md)
    "batch_size": Key(Integer(1, 1024, BATCH_WHY), "32", "sentences per CTranslate2 batch"),
    "beam_size": Key(Integer(1, 16, BEAM_WHY), "4", "CTranslate2 beam size"),
    "inter_threads": Key(Integer(1, 256, THREADS_WHY), "2", "CTranslate2 translator replicas a model"),
    # CTranslate2: "intra_threads: number of OpenMP threads per translator (0 to use a default value)"
    "intra_threads": Key(
        Integer(0, 256, THREADS_WHY), "1", "CTranslate2 threads a replica (0: CTranslate2's default)"
    ),
    "max_decoding_ratio": Key(
        Number(0, 10, low_open=True, why=RATIO_WHY), "2.0", "decoding cap: ratio x source tokens + 10"
    ),
    "mo_include_fuzzy": Key(Boolean(), "false", "compile machine (fuzzy) translations into the .mo too"),
    "memory_threshold": Key(Number(0, 100), "75", "memory matches scoring below this are not offered"),
    "unit": Key(Choice("sentence", "paragraph"), "sentence", "what one catalog entry holds"),
    "glossary": Key(Folder(optional=True), "glossary.csv", "names and terms a model must not translate"),
    "abbreviations": Key(
        Folder(optional=True), "abbreviations", "the desk's abbreviations for splitting: `<lang>.txt` files"
    ),
    "device": Key(Choice("auto", "cpu", "cuda"), "auto", "CTranslate2 device; auto: CUDA where there is one"),
    "compute_type": Key(
        Choice(*COMPUTE_TYPES), "auto", "CTranslate2 compute type; auto: the device's default"
    ),
    "shard_size": Key(
        Integer(1, 1_000_000, "a shard task holds its articles' records in memory"),
        "256",
        "articles per shard task (detect, segment, plan, write)",
    ),
    "chunk_size": Key(
        Integer(1, 1_000_000, "a chunk is one task's sentences, held in memory"),
        "2000",
        "unique sentences per translation chunk (one model load each)",
    ),
    "feed_catalog": Key(
        Choice("article", "feed"), "article", "JSONL feeds: one catalog per line (article) or per feed"
    ),
    "min_quality": Key(
        Integer(0, 100, "a quality estimate runs from 0 to 100"),
        "0",
        "machine text estimated below this (0-100) is not rendered; 0: off",
    ),
    "below_min_quality": Key(
        Choice("source", "omit"), "source", "what an article shows instead: the source, or nothing"
    ),
    "subtitle_line_length": Key(
        Integer(10, 200, "no subtitle line is wider than a screen"), "42", "characters a subtitle line"
    ),
    "subtitle_lines": Key(Integer(1, 10, "a cue holds a few lines of a screen"), "2", "lines a subtitle cue"),
    "subtitle_max_cps": Key(
        Number(1, 100, why="characters a second a viewer can read"),
        "17",
        "a cue read faster than this (characters a second) is noted on its entries",
    ),
}


def default(key: str) -> Any:
    """A key's default value, for code that has no Settings at hand (a dataclass's field default)."""
    return KEYS[key].value


def settings_markdown() -> str:
    """The [locpipe] keys as a Markdown table, for the documentation's settings page."""

    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = ["| Key | Type / range | Default | Meaning |", "| --- | --- | --- | --- |"]
    for name, key in KEYS.items():
        shown = f"`{key.default}`" if key.default else "(empty)"
        lines.append(f"| `{name}` | {cell(key.parse.describe())} | {cell(shown)} | {cell(key.doc)} |")
    return "\n".join(lines) + "\n"


def check_section(config: Path | None, section: dict[str, str]) -> dict[str, Any]:
    """Every key parsed (defaults for those not set); the first bad or unknown key raises."""
    values: dict[str, Any] = {}
    for key in section:
        if key not in KEYS:
            close = difflib.get_close_matches(key, list(KEYS), n=1, cutoff=0.6)
            hint = f"did you mean {close[0]}?" if close else f"known keys: {', '.join(sorted(KEYS))}"
            raise ConfigError(config, f"[{SECTION}] {key}: unknown setting; {hint}")
    for key, spec in KEYS.items():
        raw = str(section.get(key, spec.default)).strip()
        try:
            values[key] = spec.parse(raw)
        except BadValue as exc:
            raise ConfigError(config, f"[{SECTION}] {key} = {raw}: {exc}") from None
    return values


def check_option(option: str, raw: str, parse: Parse) -> object:
    """A command-line value: one line naming the option."""
    try:
        return parse(raw)
    except BadValue as exc:
        raise ConfigError(None, f"{option} {raw}: {exc}") from None
