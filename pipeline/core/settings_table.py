"""Every [locpipe] key, its type and range, in one table; and the language-code checks.

A setting that makes no sense (batch_size = -5, inter_threads = 0, a misspelt key) must stop
the command before any work starts, in one line naming the file and the key, rather than
hang, crash deep in CTranslate2 or be ignored. Adding a key is adding one row to KEYS.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from weblate_language_data.languages import LANGUAGES

from pipeline.core.errors import ConfigError
from pipeline.translation import pseudo

SECTION = "locpipe"
TRUE = {"true", "yes", "on", "1"}
FALSE = {"false", "no", "off", "0"}


class BadValue(ValueError):
    """What a value must be; the caller adds the file and the key."""


Parse = Callable[[str], object]


def integer(minimum: int, maximum: int | None = None, why: str = "") -> Parse:
    """why: the reason for the upper bound, said with it."""
    rule = f"an integer ≥ {minimum}" if maximum is None else f"an integer from {minimum} to {maximum:,}"

    def parse(raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            raise BadValue(f"must be {rule}") from None
        if value < minimum or (maximum is not None and value > maximum):
            raise BadValue(f"must be {rule}" + (f" ({why})" if why and value > minimum else ""))
        return value

    return parse


def number(low: float, high: float | None = None, low_open: bool = False, why: str = "") -> Parse:
    rule = f"> {low:g}" if low_open else f"≥ {low:g}"
    if high is not None:
        rule = f"between {low:g} and {high:g}" + (f" ({why})" if why else "")

    def parse(raw: str) -> float:
        try:
            value = float(raw)
        except ValueError:
            raise BadValue(f"must be a number {rule}") from None
        too_low = value < low or (low_open and value == low)
        if value != value or too_low or (high is not None and value > high):
            raise BadValue(f"must be a number {rule}")
        return value

    return parse


def boolean(raw: str) -> bool:
    lowered = raw.lower()
    if lowered in TRUE | FALSE:
        return lowered in TRUE
    raise BadValue("must be true or false (also yes/no, on/off, 1/0)")


def choice(*options: str) -> Parse:
    def parse(raw: str) -> str:
        if raw not in options:
            raise BadValue(f"must be one of {', '.join(options)}")
        return raw

    return parse


def text(raw: str) -> str:
    if not raw:
        raise BadValue("must not be empty")
    return raw


def path(raw: str) -> str:
    """Resolved against the config file's folder by the caller."""
    if not raw or "\x00" in raw:
        raise BadValue("must be a path")
    return raw


def optional_path(raw: str) -> str:
    if "\x00" in raw:
        raise BadValue("must be a path")
    return raw


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
    if locale.language not in _language_parts() and locale.gettext != pseudo.CODE:
        raise BadValue(f"not the locale of a known language (uk, uk_UA, pt_BR){suggest_code(raw)}")
    return locale.gettext


def locales(raw: str) -> tuple[str, ...]:
    items = tuple(dict.fromkeys(t.strip() for t in raw.split(",") if t.strip()))
    if not items:
        raise BadValue("must name at least one locale, e.g. uk,tr,de")
    for item in items:
        try:
            locale_code(item)
        except BadValue as exc:
            raise BadValue(f"{item}: {exc}") from None
    return items


def pairs(raw: str) -> tuple[tuple[str, str], ...]:
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


BATCH_WHY = "sentences per CTranslate2 batch: past a few hundred a CPU gains nothing, memory grows"
BEAM_WHY = "decoding memory and time grow with beam x batch; Argos models are tuned for 4"
THREADS_WHY = "CTranslate2 threads; more than the machine's cores only contend"
RATIO_WHY = "output tokens per input token; a translation is rarely twice its source"


@dataclass(frozen=True)
class Key:
    parse: Parse
    default: str
    read: bool = True  # False: accepted and checked, but nothing reads it yet


KEYS: dict[str, Key] = {
    "inputs": Key(path, "inputs"),
    "outputs": Key(path, "locales"),
    "targets": Key(locales, "uk,tr,de"),
    "domain": Key(text, "locpipe-articles"),
    "models_dir": Key(path, "models"),
    "state_dir": Key(path, ".state"),
    "model_source_dir": Key(path, "models-download"),
    "default_pairs": Key(pairs, "en-uk,en-tr,en-de"),
    "source_lang": Key(lambda raw: language_code(raw) if raw else None, ""),
    "min_confidence": Key(number(0, 1), "0.80"),
    # upper bounds: what CTranslate2 takes and what fits memory (README, Configuration)
    "batch_size": Key(integer(1, 1024, BATCH_WHY), "32"),
    "beam_size": Key(integer(1, 16, BEAM_WHY), "4"),
    "inter_threads": Key(integer(1, 256, THREADS_WHY), "2"),
    # CTranslate2: "intra_threads: number of OpenMP threads per translator (0 to use a default value)"
    "intra_threads": Key(integer(0, 256, THREADS_WHY), "1"),
    "max_decoding_ratio": Key(number(0, 10, low_open=True, why=RATIO_WHY), "2.0"),
    "mo_include_fuzzy": Key(boolean, "false"),
    "memory_threshold": Key(number(0, 100), "75"),
    "unit": Key(choice("sentence", "paragraph"), "sentence"),
    "glossary": Key(optional_path, "glossary.csv"),
    "abbreviations": Key(optional_path, "abbreviations"),
    # accepted and validated now so configs written for them are not refused; nothing reads them yet
    "device": Key(choice("auto", "cpu", "cuda"), "auto"),
    "compute_type": Key(
        choice(
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
        ),
        "auto",
        read=True,
    ),
    "shard_size": Key(integer(1, 1_000_000, "a shard task holds its articles' records in memory"), "256"),
    "chunk_size": Key(integer(1, 1_000_000, "a chunk is one task's sentences, held in memory"), "2000"),
    "feed_catalog": Key(choice("article", "feed"), "article"),
    # machine text whose quality estimate (0-100) is below this stays out of the rendered article
    "min_quality": Key(integer(0, 100, "a quality estimate runs from 0 to 100"), "0"),
    "below_min_quality": Key(choice("source", "omit"), "source"),
    # subtitle cues (.srt, .vtt): characters a line, lines a cue, and the reading speed noted above
    "subtitle_line_length": Key(integer(10, 200, "no subtitle line is wider than a screen"), "42"),
    "subtitle_lines": Key(integer(1, 10, "a cue holds a few lines of a screen"), "2"),
    "subtitle_max_cps": Key(number(1, 100, why="characters a second a viewer can read"), "17"),
}


def check_section(config: Path | None, section: dict[str, str]) -> dict[str, object]:
    """Every key parsed (defaults for those not set); the first bad or unknown key raises."""
    values: dict[str, object] = {}
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
