"""MkDocs hook: the pages' generated parts.

- `<!-- settings-table -->` becomes the table of every [locpipe] key, from the code that checks
  them: `pipeline.core.settings_table.settings_markdown()` where it exists, else a table built
  here from that module's KEYS (type and range as its own checks word them).
- `<!-- figures:NAME -->` becomes the tables of docs/figures/NAME.json, which the bench scripts
  write (bench/figures.py): the machine, the date and the command that produced them, then the rows.

A marker that cannot be filled is a warning, so `mkdocs build --strict` fails on it.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from pathlib import Path

log = logging.getLogger("mkdocs.hooks.generated")

ROOT = Path(__file__).resolve().parents[2]
FIGURES = ROOT / "docs" / "figures"
SETTINGS_MARKER = "<!-- settings-table -->"
FIGURES_MARKER = re.compile(r"<!-- figures:([a-z0-9_-]+) -->")

# used only until settings_table.settings_markdown() exists: what each key means
MEANINGS = {
    "inputs": "folder of articles to translate (relative paths: to the config file)",
    "outputs": "output folder: catalogs, translated articles, manifest, memory, report page",
    "targets": "target locales, comma-separated gettext locales (`uk`, `pt_BR`, `qps` for the pseudo-locale)",
    "domain": "`Project-Id-Version` of every catalog",
    "models_dir": "where Argos packages are installed",
    "state_dir": "argostranslate's XDG folders and the model fingerprint cache",
    "model_source_dir": "folder of `.argosmodel` files `models install-default` installs from",
    "default_pairs": "language pairs `models install-default` installs",
    "source_lang": "every article's source language; empty: front matter `lang:`, JSONL `lang`, or detected",
    "min_confidence": "below this detection confidence each paragraph is detected on its own",
    "batch_size": "sentences per CTranslate2 batch",
    "beam_size": "beam size of decoding",
    "inter_threads": "CTranslate2 replicas per loaded model (shrunk to fit `--workers`)",
    "intra_threads": "threads per replica (0: CTranslate2's default)",
    "max_decoding_ratio": "decoding cap: output tokens per source token (+10)",
    "mo_include_fuzzy": "compile machine text into the `.mo` too (msgfmt's `--use-fuzzy`)",
    "memory_threshold": "lowest similarity, in percent, at which the memory offers a near match",
    "unit": "one entry per sentence, or per paragraph as po4a does",
    "glossary": "CSV of terms a model must keep or translate a set way",
    "abbreviations": "folder of the desk's own abbreviations, `<lang>.txt`",
    "device": "where CTranslate2 runs: `auto` uses CUDA where it sees a GPU",
    "compute_type": "CTranslate2 compute type; `auto`: its default for the device",
    "shard_size": "articles per shard task (outputs do not depend on it)",
    "chunk_size": "sentences per translation chunk task (outputs do not depend on it)",
    "feed_catalog": "a JSONL feed: one catalog per line (`article`) or per feed (`feed`)",
    "min_quality": "machine text whose quality estimate is below this stays out of the article (0: off)",
    "below_min_quality": "what the article shows instead: the source sentence, or nothing",
    "subtitle_line_length": "characters a subtitle line",
    "subtitle_lines": "lines a subtitle cue",
    "subtitle_max_cps": "characters a second above which a cue gets a note",
}
# where a key's check words its rule as what a bad value is not, say what a good one is
RULES = {
    "targets": "gettext locales of known languages, comma-separated (uk, uk_UA, pt_BR, qps)",
    "default_pairs": "FROM-TO language codes, comma-separated (en-uk)",
    "source_lang": "a language code (en, uk, de; Weblate's language list), or empty",
    "domain": "text, not empty",
}
PROBES = ("1000000000", "", "\x00", "not a value")


def _import_settings_table():
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from pipeline.core import settings_table

    return settings_table


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _rule(settings_table, key) -> str:
    """A key's type and range, as its own check says it when given a bad value."""
    for probe in PROBES:
        try:
            key.parse(probe)
        except settings_table.BadValue as exc:
            rule = str(exc).removeprefix(f"{probe}: ")
            return re.sub(r"^must (be )?", "", rule)
        except Exception:  # noqa: BLE001 - a probe the parser did not expect says nothing
            continue
    return "text"


def settings_fallback() -> str:
    settings_table = _import_settings_table()
    rows = ["| key | type and range | default | meaning |", "|---|---|---|---|"]
    for name, key in settings_table.KEYS.items():
        default = f"`{key.default}`" if key.default else "(empty)"
        meaning = MEANINGS.get(name, "")
        if not getattr(key, "read", True):
            meaning += " (accepted and checked; nothing reads it yet)"
        rule = RULES.get(name) or _rule(settings_table, key)
        rows.append(f"| `{name}` | {_cell(rule)} | {default} | {_cell(meaning)} |")
    return "\n".join(rows) + "\n"


def settings_markdown() -> str:
    settings_table = _import_settings_table()
    made = getattr(settings_table, "settings_markdown", None)
    return made() if callable(made) else settings_fallback()


def figures_markdown(name: str) -> str | None:
    path = FIGURES / f"{name}.json"
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    machine = data.get("machine") or {}
    ran_on = ", ".join(
        part
        for part in (
            f"{machine['cpus']} CPUs" if machine.get("cpus") else "",
            f"Python {machine['python']}" if machine.get("python") else "",
            machine.get("platform", ""),
            machine.get("note", ""),
        )
        if part
    )
    out = [f"*`{data.get('command', '')}`, {data.get('date', '')}; {ran_on}* "
           f"([data](figures/{name}.json))", ""]
    for table in data.get("tables", []):
        columns = table["columns"]
        out.append(f"**{table['title']}**")
        out.append("")
        out.append("| " + " | ".join(_cell(c) for c in columns) + " |")
        out.append("|" + "|".join("---" if i == 0 else "---:" for i in range(len(columns))) + "|")
        for row in table["rows"]:
            out.append("| " + " | ".join(_cell(_number(v)) for v in row) + " |")
        out.append("")
    for note in data.get("notes", []):
        out.append(f"- {note}")
    return "\n".join(out) + "\n"


def _number(value: object) -> object:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if isinstance(value, int) and abs(value) >= 1000:
        return f"{value:,}"
    return value


def on_page_markdown(markdown: str, page, config, files) -> str:  # noqa: ARG001 - MkDocs' signature
    if SETTINGS_MARKER in markdown:
        markdown = markdown.replace(SETTINGS_MARKER, settings_markdown())

    def figures(match: re.Match) -> str:
        made = figures_markdown(match.group(1))
        if made is None:
            log.warning("%s: no docs/figures/%s.json for %s", page.file.src_path, *match.group(1, 0))
            return f"*(no figures yet: run the bench that writes docs/figures/{match.group(1)}.json)*"
        return made

    return FIGURES_MARKER.sub(figures, markdown)
