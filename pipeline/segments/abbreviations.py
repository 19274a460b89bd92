"""Which words before a period do not end a sentence, per language, from maintained sources.

No single library knows every language's abbreviations, so their data is pooled:

- the Moses non-breaking-prefix lists (sacremoses; sentence-splitter for the languages
  sacremoses lacks, such as Turkish), with Moses' #NUMERIC_ONLY# class ("No. 5", "Art. 3");
- pySBD's per-language lists (titles that precede a name, abbreviations before a number);
- sentencex's language data, asked through its own API, one cached probe per word;
- GAPS: a few words none of them knows (pipeline/segments/data/<lang>.txt);
- the desk's own list, abbreviations/<lang>.txt in the project (Settings.abbreviations).

A list file holds one abbreviation per line, with or without its final period; "#" starts a
comment. Each file is read once and again only when it changes (size and mtime).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.resources
import importlib.util
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pysbd
import sentencex
from pysbd.languages import LANGUAGE_CODES

GAPS = importlib.resources.files("pipeline.segments") / "data"
SOURCES = ("pysbd", "sacremoses", "sentence-splitter", "sentencex")
_NUMERIC = "#NUMERIC_ONLY#"


@dataclass(frozen=True)
class Abbreviations:
    words: frozenset[str]  # a period after these never ends a sentence
    numeric: frozenset[str]  # ... when a number follows ("No. 5")
    lowered: frozenset[str]  # words, lower-cased: "Tzw." at a sentence start is still "tzw."
    suffixes: tuple[str, ...] = ()  # "*str" in a list: any word ending in "str" ("Goethestr.")

    def knows(self, word: str, before_number: bool) -> bool:
        return (
            word in self.words
            or word.lower() in self.lowered
            or (before_number and (word in self.numeric or word.lower() in self.numeric))
            or any(word.lower().endswith(s) for s in self.suffixes)  # "Berliner Str."
        )


def _pool(words: set[str], numeric: set[str]) -> Abbreviations:
    suffixes = tuple(sorted(w[1:] for w in words if w.startswith("*") and len(w) > 1))
    plain = frozenset(w for w in words if not w.startswith("*"))
    return Abbreviations(plain, frozenset(numeric), frozenset(w.lower() for w in plain), suffixes)


def parse_list(text: str) -> tuple[set[str], set[str]]:
    """(words, numeric-only words) from a Moses-style list: one per line, "#" comments."""
    words: set[str] = set()
    numeric: set[str] = set()
    for line in text.splitlines():
        body, _, rest = line.partition("#")
        entry = body.strip().rstrip(".")
        if not entry:
            continue
        (numeric if rest.startswith(_NUMERIC[1:]) else words).add(entry)
    return words, numeric


def _moses_text(language: str) -> str:
    """sacremoses' list for the language, else sentence-splitter's, else "".

    Read from sacremoses' files without importing the package: its __init__ compiles the
    tokenizer's regular expressions, a second of every run that segments an article."""
    spec = importlib.util.find_spec("sacremoses")
    for base in map(Path, (spec.submodule_search_locations or []) if spec else []):
        path = base / "data" / "nonbreaking_prefixes" / f"nonbreaking_prefix.{language}"
        if path.is_file():  # sacremoses < 0.2
            return path.read_text(encoding="utf-8")
        found = _moses_module(base / "_data_nonbreaking_prefixes.py").get(f"nonbreaking_prefix.{language}")
        if found:  # sacremoses >= 0.2 keeps its data in a module
            return str(found)
    path = importlib.resources.files("sentence_splitter") / "non_breaking_prefixes" / f"{language}.txt"
    return path.read_text(encoding="utf-8") if path.is_file() else ""


@lru_cache(maxsize=1)
def _moses_module(path: Path) -> dict[str, str]:
    """The data module alone, loaded under a private name (it imports nothing)."""
    if not path.is_file():
        return {}
    spec = importlib.util.spec_from_file_location("_locpipe_moses_prefixes", path)
    if spec is None or spec.loader is None:
        return {}
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(getattr(module, "NONBREAKING_PREFIXES", {}))


def _pysbd_lists(language: str) -> tuple[set[str], set[str]]:
    """pySBD's titles (a period before a capital is no end) and the rest of its abbreviations,
    which pySBD keeps together only before a number or a lower-case word."""
    rules = LANGUAGE_CODES.get(language)
    if rules is None:
        return set(), set()
    table = rules.Abbreviation
    titles = set(getattr(table, "PREPOSITIVE_ABBREVIATIONS", []))
    others = set(getattr(table, "ABBREVIATIONS", [])) | set(getattr(table, "NUMBER_ABBREVIATIONS", []))
    return titles, others


def _gaps(language: str) -> str:
    path = GAPS / f"{language}.txt"
    return path.read_text(encoding="utf-8") if path.is_file() else ""


@lru_cache(maxsize=64)
def builtin(language: str) -> Abbreviations:
    """The libraries' data and GAPS for one language, pooled."""
    words, numeric = parse_list(_moses_text(language))
    titles, before_number = _pysbd_lists(language)
    gap_words, gap_numeric = parse_list(_gaps(language))
    words |= titles | gap_words
    numeric |= before_number | gap_numeric
    return _pool(words, numeric)


@lru_cache(maxsize=64)
def titles(language: str) -> frozenset[str]:
    """pySBD's titles for the language ("Mr", "Dr", "Gov"): they precede a name, never end a sentence."""
    return frozenset(_pysbd_lists(language)[0])


@lru_cache(maxsize=64)
def has_lists(language: str) -> bool:
    """Whether Moses or pySBD has a list for the language (else sentencex's data leads)."""
    return bool(_moses_text(language)) or language in LANGUAGE_CODES


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (-1, -1)
    return (stat.st_size, stat.st_mtime_ns)


def user_list(folder: Path | None, language: str) -> Abbreviations | None:
    """The desk's abbreviations/<language>.txt; None where there is none."""
    if folder is None:
        return None
    path = folder / f"{language}.txt"
    return _read_user_list(path, _stamp(path))


@lru_cache(maxsize=64)
def _read_user_list(path: Path, stamp: tuple[int, int]) -> Abbreviations | None:
    if stamp[0] < 0:
        return None
    return _pool(*parse_list(path.read_text(encoding="utf-8")))


_LETTER = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=8192)
def sentencex_knows(language: str, word: str) -> bool:
    """Whether sentencex keeps "word." with a capitalised word after it: its data lists it.

    sentencex's lists are compiled into its extension, so they are read by asking: one
    segmentation of a short probe per word, cached for the run.
    """
    letter = _LETTER.search(word)
    if letter is None:
        return False
    c = letter.group()
    if c.isascii():  # a fixed word: "Iii" or "Vvv" would read as a Roman numeral
        lower, upper = "zebra", "Zebra"
    else:
        lower, upper = c.lower() * 3, (c.upper() + c.lower() * 2) if c.upper() != c else c * 3
    probe = f"{lower} {lower} {word}. {upper} {lower}."
    try:
        return len(list(sentencex.segment(language, probe))) == 1
    except Exception:  # noqa: BLE001 - an unknown language code: sentencex has no opinion
        return False


def sentencex_breaks(language: str, text: str, at: int) -> bool:
    """Whether sentencex starts a sentence at offset `at` of text (offsets are characters)."""
    try:
        return any(b["start_index"] == at for b in sentencex.get_sentence_boundaries(language, text))
    except Exception:  # noqa: BLE001 - an unknown language code: sentencex has no opinion
        return False


@lru_cache(maxsize=64)
def pysbd_openers(language: str) -> frozenset[str]:
    """pySBD's words that open a sentence after an abbreviation or acronym, where it has the
    language's own ("Jeg bor i E.U. Hvad med dig?": Danish "Hvad"); empty elsewhere."""
    rules = LANGUAGE_CODES.get(language)
    replacer = getattr(rules, "AbbreviationReplacer", None) if rules else None
    return frozenset(getattr(replacer, "SENTENCE_STARTERS", None) or ())


@lru_cache(maxsize=16)
def _pysbd_segmenter(language: str) -> pysbd.Segmenter:
    return pysbd.Segmenter(language=language, clean=False, char_span=True)


def pysbd_breaks(language: str, text: str, at: int) -> bool:
    """Whether pySBD starts a sentence at offset `at` of text."""
    try:
        return any(span.start == at for span in _pysbd_segmenter(language).segment(text))
    except Exception:  # noqa: BLE001 - pySBD failing on a text has no opinion
        return False


def versions() -> dict[str, str]:
    """Versions of the libraries whose data decides boundaries: part of the splitter's identity."""
    found = {}
    for name in SOURCES:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = ""
    return found


def folder_digest(folder: Path | None) -> str:
    """Digest of every abbreviations/*.txt (names and contents); "" where there are none."""
    lists = sorted(folder.glob("*.txt")) if folder is not None and folder.is_dir() else []
    if not lists:
        return ""
    digest = hashlib.sha256()
    for path in lists:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
