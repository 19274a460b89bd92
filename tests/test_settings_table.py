"""The settings table (pipeline.core.settings_table.KEYS) is where every [locpipe] default is
written: Settings, luigi.cfg, the settings page and the stages' own defaults agree with it."""

from __future__ import annotations

import ast
import configparser
import dataclasses
import inspect
import re
from pathlib import Path

import pytest

from pipeline.core.errors import ConfigError
from pipeline.core.settings import Settings, load_settings
from pipeline.core.settings_table import KEYS, SECTION, settings_markdown

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("inputs", "segments", "translation", "memory", "catalogs", "outputs", "run", "cli")


def test_settings_has_a_field_for_every_key_with_the_tables_default():
    names = [f.name for f in dataclasses.fields(Settings) if f.name != "config_path"]
    assert names == list(KEYS)
    blank = Settings()
    for name, key in KEYS.items():
        assert getattr(blank, name) == key.value, name
        assert type(getattr(blank, name)) is type(key.value), name


def test_loading_an_empty_section_gives_the_defaults_with_paths_resolved(tmp_path):
    cfg = tmp_path / "luigi.cfg"
    cfg.write_text(f"[{SECTION}]\n")
    settings = load_settings(cfg)
    for name, key in KEYS.items():
        value = key.value
        expected = (tmp_path.resolve() / value) if isinstance(value, Path) else value
        assert getattr(settings, name) == expected, name


def _cfg_lines() -> dict[str, list[tuple[bool, str]]]:
    """Each [locpipe] key luigi.cfg names: (set, value), whether set or in a `# key = value` comment."""
    found: dict[str, list[tuple[bool, str]]] = {}
    section = None
    for line in (ROOT / "luigi.cfg").read_text(encoding="utf-8").splitlines():
        if re.match(r"^\[(\w+)\]", line):
            section = line.strip()[1:-1]
            continue
        hit = re.match(r"^(#\s*)?([a-z_]+)\s*=\s*(.*?)\s*$", line)
        if section == SECTION and hit and hit[2] in KEYS:
            found.setdefault(hit[2], []).append((hit[1] is None, hit[3]))
    return found


def test_luigi_cfg_names_every_key_once_with_the_tables_default():
    found = _cfg_lines()
    assert sorted(found) == sorted(KEYS), "keys missing from luigi.cfg's [locpipe] section"
    for name, lines in found.items():
        assert len(lines) == 1, f"{name} is written {len(lines)} times in luigi.cfg"
        _set, value = lines[0]
        assert KEYS[name].parse(value) == KEYS[name].value, f"luigi.cfg {name} = {value}"
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / "luigi.cfg", encoding="utf-8")
    assert set(parser[SECTION]) <= set(KEYS)  # nothing set there that the table does not know


def test_settings_markdown_is_a_row_per_key():
    page = settings_markdown()
    lines = page.splitlines()
    assert lines[0] == "| Key | Type / range | Default | Meaning |"
    assert lines[1] == "| --- | --- | --- | --- |"
    rows = lines[2:]
    assert len(rows) == len(KEYS)
    for row, (name, key) in zip(rows, KEYS.items(), strict=True):
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", row)[1:-1]]
        assert cells[0] == f"`{name}`"
        assert cells[1] == key.parse.describe()
        assert cells[2] == (f"`{key.default}`" if key.default else "(empty)")
        assert cells[3] == key.doc and key.doc and "\n" not in key.doc
    assert "`0.80`" in page and "integer 1–1,024" in page


def test_the_stages_defaults_are_the_tables():
    from pipeline.outputs.render import QualityFloor
    from pipeline.outputs.subtitle_layout import SubtitleLimits
    from pipeline.segments.record import detect_article, prepare_file
    from pipeline.segments.segment import segment_article
    from pipeline.translation.engine import DecodeOptions

    blank = Settings()
    decode = DecodeOptions()
    for name in ("beam_size", "batch_size", "max_decoding_ratio", "inter_threads", "intra_threads"):
        assert getattr(decode, name) == getattr(blank, name)
    assert (decode.device, decode.compute_type) == (blank.device, blank.compute_type)
    limits = SubtitleLimits()
    assert (limits.line_length, limits.lines, limits.max_cps) == (
        blank.subtitle_line_length,
        blank.subtitle_lines,
        blank.subtitle_max_cps,
    )
    assert QualityFloor() == QualityFloor(blank.min_quality, blank.below_min_quality == "omit")
    for function in (prepare_file, detect_article, segment_article):
        for name, parameter in inspect.signature(function).parameters.items():
            if name in KEYS and not isinstance(KEYS[name].value, Path):  # a path: None is "none given"
                assert parameter.default == getattr(blank, name), f"{function.__name__}({name})"


def test_the_run_keys_of_the_defaults_are_unchanged():
    """What every earlier run was keyed with: a key change reruns every desk's work."""
    blank = Settings(glossary=None)
    assert blank.decode_key() == "38b75d8ddc39b7c6"
    assert blank.result_key() == "d5ad7f92bbe77471"


def test_overrides_are_checked_as_the_file_is(tmp_path, monkeypatch):
    cfg = tmp_path / "luigi.cfg"
    cfg.write_text(f"[{SECTION}]\n")
    monkeypatch.chdir(tmp_path)
    settings = load_settings(cfg, inputs="elsewhere", beam_size="2", targets=("uk", "de"), source_lang="en")
    assert settings.inputs == tmp_path.resolve() / "elsewhere"
    assert (settings.beam_size, settings.targets, settings.source_lang) == (2, ("uk", "de"), "en")
    assert load_settings(cfg, inputs=None, targets=()) == load_settings(cfg)
    with pytest.raises(ConfigError, match="--beam-size 99"):
        load_settings(cfg, beam_size="99")
    with pytest.raises(TypeError, match="beam"):
        load_settings(cfg, beam=2)


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return names


def test_core_imports_no_stage():
    for path in sorted((ROOT / "pipeline" / "core").glob("*.py")):
        stages = {n for n in _imports(path) if n.split(".")[:2] in [["pipeline", s] for s in STAGES]}
        assert not stages, f"{path.name} imports {sorted(stages)}"
