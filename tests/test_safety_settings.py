"""Settings and arguments refused before any work, and the exit-code table (docs/exit-codes.md)
for `locpipe run` and plain `luigi` alike."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time

import pytest
from conftest import LOCPIPE, SAMPLE, msgfmt_check

from pipeline.catalogs.entries import Unit
from pipeline.catalogs.machine import machine_by_language
from pipeline.core.settings_table import BadValue, locale_code
from pipeline.translation import engine
from pipeline.translation.engine import DecodeOptions, EngineStats, translate_unique
from pipeline.translation.mt_store import load_translations
from pipeline.translation.packages import find_route, installed_models

BAD_SETTINGS = [
    ("batch_size = -5", "batch_size = -5: must be an integer from 1 to 1,024"),
    ("batch_size = 99999999999999999999", "must be an integer from 1 to 1,024 (sentences per CTranslate2"),
    ("inter_threads = 0", "inter_threads = 0: must be an integer from 1 to 256"),
    ("intra_threads = -3", "intra_threads = -3: must be an integer from 0 to 256"),
    ("beam_size = 0", "beam_size = 0: must be an integer from 1 to 16"),
    ("beam_size = 100000", "beam_size = 100000: must be an integer from 1 to 16 (decoding memory"),
    ("batch_size = many", "batch_size = many: must be an integer from 1 to 1,024"),
    ("max_decoding_ratio = -1", "max_decoding_ratio = -1: must be a number between 0 and 10"),
    ("max_decoding_ratio = 500", "max_decoding_ratio = 500: must be a number between 0 and 10"),
    ("min_confidence = 5", "min_confidence = 5: must be a number between 0 and 1"),
    ("memory_threshold = -50", "memory_threshold = -50: must be a number between 0 and 100"),
    ("mo_include_fuzzy = maybe", "mo_include_fuzzy = maybe: must be true or false"),
    ("unit = word", "unit = word: must be one of sentence, paragraph"),
    ("device = gpu", "device = gpu: must be one of auto, cpu, cuda"),
    ("feed_catalog = both", "feed_catalog = both: must be one of article, feed"),
    ("shard_size = 0", "shard_size = 0: must be an integer from 1 to 1,000,000"),
    ("chunk_size = 10000000", "chunk_size = 10000000: must be an integer from 1 to 1,000,000 (a chunk"),
    ("default_pairs = enuk", "default_pairs = enuk: enuk: not FROM-TO"),
    ("default_pairs = en-english", "english: not a language code such as en, uk, de (did you mean en?)"),
    ("source_lang = english", "source_lang = english: not a language code such as en, uk, de (did you"),
    ("targets = uk,../x", "targets = uk,../x: ../x: not a gettext locale"),
    ("targets = uk,xx", "targets = uk,xx: xx: not the locale of a known language"),
    ("memory_treshold = 50", "memory_treshold: unknown setting; did you mean memory_threshold?"),
]


def _set(project, line: str) -> None:
    """Put `key = value` into the project's [locpipe], replacing the key's own line."""
    cfg = project.root / "luigi.cfg"
    key = line.split("=")[0].strip()
    kept = [x for x in cfg.read_text().splitlines() if x.split("=")[0].strip() != key]
    text = "\n".join(kept) + "\n"
    cfg.write_text(text.replace("[locpipe]\n", f"[locpipe]\n{line}\n"), encoding="utf-8")


def _lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


@pytest.mark.parametrize(("line", "message"), BAD_SETTINGS)
def test_a_bad_setting_is_one_line_naming_key_and_file_and_nothing_is_written(project, line, message):
    _set(project, line)
    result = project.run(check=False)
    assert result.returncode == 2, result.stderr
    lines = _lines(result.stderr)
    assert len(lines) == 1, result.stderr
    assert lines[0] == lines[0].strip() and str(project.root / "luigi.cfg") in lines[0]
    assert f"[locpipe] {message}" in lines[0] or message in lines[0]
    assert not project.locales.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--source-lang", "english"), "--source-lang english: not a language code such as en, uk, de (did"),
        (("--targets", "../x"), "--targets ../x: not a gettext locale"),
        (("--targets", "uk,xx"), "--targets xx: not the locale of a known language"),
        (("--inputs", "/missing-folder"), "--inputs = /missing-folder: no such folder"),
    ],
)
def test_bad_arguments_are_refused_and_no_earlier_summary_is_shown(project, args, message):
    project.run("--targets", "uk")  # an earlier good run left a manifest
    before = (project.locales / "manifest.json").read_bytes()
    result = project.run(*args, check=False)
    assert result.returncode == 2
    assert message in _lines(result.stderr)[-1]
    assert "articles translated" not in result.stderr
    assert (project.locales / "manifest.json").read_bytes() == before


def _luigi(project, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "luigi", "--module", "pipeline.run.tasks", "TranslateAll", *args]
    return subprocess.run(
        [*command, "--local-scheduler"], cwd=project.root, env=project.env(), capture_output=True, text=True
    )


def test_exit_0_when_every_article_and_locale_is_written(project):
    assert project.run("--targets", "uk,tr").returncode == 0
    assert project.run("--targets", "uk,tr").returncode == 0  # nothing to do: still 0
    assert _luigi(project, "--targets", '["uk","tr"]').returncode == 0


def test_exit_3_when_a_locale_has_no_model_or_a_language_is_unclear(project):
    result = project.run("--targets", "uk,fr", check=False)
    assert result.returncode == 3, result.stderr
    assert project.run("--targets", "uk,fr", check=False).returncode == 3  # and on the rerun
    plain = _luigi(project, "--targets", '["uk","fr"]')
    assert plain.returncode == 3, plain.stderr
    assert "no model for en->fr" in plain.stderr
    assert _luigi(project, "--targets", '["uk","fr"]').returncode == 3
    (project.inputs / "short.txt").write_text("Ok\n\nSee www.example.com/news now\n", encoding="utf-8")
    assert project.run("--targets", "uk", check=False).returncode == 3  # too little text to tell


def test_exit_1_when_an_article_fails(project):
    (project.inputs / "broken.txt").write_bytes(b"\xff\xfe\x00\x00garbage")
    assert project.run("--targets", "uk", check=False).returncode == 1
    assert _luigi(project, "--targets", '["uk"]').returncode == 1


def test_plain_luigi_exits_2_on_bad_settings_before_any_work(project):
    _set(project, "beam_size = 0")
    result = _luigi(project, "--targets", '["uk"]')
    assert result.returncode == 2
    assert "locpipe: " in result.stderr and "beam_size = 0: must be an integer from 1 to 16" in result.stderr
    assert "Traceback" not in result.stderr  # one line from locpipe, not Luigi's traceback
    assert not project.locales.exists()
    ok = project.root / "luigi.cfg"
    ok.write_text(ok.read_text().replace("beam_size = 0\n", ""), encoding="utf-8")
    assert _luigi(project, "--targets", '["../x"]').returncode == 2
    assert not project.locales.exists()


def _start_run(project, targets: str) -> subprocess.Popen[str]:
    """`locpipe run` in the background, to be signalled."""
    return subprocess.Popen(
        [*LOCPIPE, "--config", str(project.root / "luigi.cfg"), "run", "--quiet", "--targets", targets],
        cwd=project.root,
        env=project.env(),
        stderr=subprocess.PIPE,
        text=True,
        # a test runner started in the background may hand down an ignored SIGINT
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_exit_130_when_interrupted(project, signum):
    text = SAMPLE.read_text(encoding="utf-8")
    for i in range(60):  # enough work that the signal lands mid-run: every sentence its own
        copy = f"Article {i}\n\n{text.replace('. ', f' {i}. ')}\nLine {i} ends it."
        (project.inputs / f"copy-{i}.txt").write_text(copy, encoding="utf-8")
    process = _start_run(project, "uk,tr,de")
    deadline = time.monotonic() + 60
    while not (project.locales / ".locpipe" / "records").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr


@pytest.mark.slow
def test_sigterm_stops_a_large_batch_within_seconds(project):
    """systemd and docker send SIGTERM, then SIGKILL after 10 s: the run must be gone before,
    even in the middle of a CTranslate2 batch of 1,024 sentences at beam 16, and resume."""
    for key, value in (("batch_size", "1024"), ("beam_size", "16"), ("max_decoding_ratio", "10")):
        _set(project, f"{key} = {value}")
    words = ["council", "report", "market", "river", "city", "budget", "school", "policy"]
    lines = [
        " ".join(words[(i * 7 + k * 3) % 8] for k in range(12)).capitalize() + f" {i}." for i in range(1200)
    ]
    (project.inputs / "big.txt").write_text("Big report\n\n" + "\n\n".join(lines) + "\n", encoding="utf-8")
    (project.inputs / SAMPLE.name).unlink()
    process = _start_run(project, "uk")
    deadline = time.monotonic() + 120
    while not list((project.locales / ".locpipe" / "mt").glob("*/*/*.jsonl")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)  # inside the first batch (a batch this size takes far longer than this)
    assert process.poll() is None, "the run ended before the signal: no batch was interrupted"
    sent = time.monotonic()
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert time.monotonic() - sent < 5, f"{time.monotonic() - sent:.1f} s after SIGTERM"
    assert "Traceback" not in stderr
    again = project.run("--targets", "uk")  # resumes; nothing half written
    assert again.returncode == 0
    msgfmt_check(project.locales / "uk" / "LC_MESSAGES" / "big.po")


def test_an_empty_model_output_is_not_stored_and_the_entry_says_why(installed_models, monkeypatch, tmp_path):
    route = find_route(installed_models_list := installed_models_of(installed_models), "en", "uk")
    assert route is not None and installed_models_list
    def nothing(self, sentences, on_batch=None):  # a model that returns no text
        self.scores = [None] * len(sentences)
        return ["" for _ in sentences]

    monkeypatch.setattr(engine.LoadedModel, "translate", nothing)
    stored = translate_unique(route, ["A sentence.", "Another one."], DecodeOptions(), EngineStats())
    assert stored == {}  # nothing to cache: the next run tries again
    units = [Unit("A sentence.", None)]
    machine, reasons = machine_by_language(units, {"en": route}, {"en": stored}, {}, "en", "uk")
    assert machine == {} and "model returned no text" in reasons["A sentence."]


def test_an_empty_output_stored_by_an_older_version_is_not_served(tmp_path):
    shard = tmp_path / "mt" / "abc.jsonl"
    shard.parent.mkdir(parents=True)
    lines = [["A sentence.", ""], ["B.", "Б."], [" ", ""]]
    shard.write_text("".join(json.dumps(line) + "\n" for line in lines) + '["cut off', encoding="utf-8")
    assert load_translations(shard.parent).load_all() == {"B.": "Б.", " ": ""}


def installed_models_of(folder):
    return installed_models(folder)


def test_settings_table_lists_the_keys_others_read(tmp_path):
    from pipeline.core.settings import load_settings

    cfg = tmp_path / "luigi.cfg"
    cfg.write_text("[locpipe]\ndevice = cpu\nshard_size = 50\ncompute_type = int8\nabbreviations = a.txt\n")
    settings = load_settings(cfg)
    assert settings.device == "cpu" and settings.shard_size == 50 and settings.compute_type == "int8"
    assert settings.chunk_size == 2000 and settings.feed_catalog == "article"
    assert settings.abbreviations == tmp_path.resolve() / "a.txt"
    shutil.rmtree(tmp_path)


@pytest.mark.parametrize("code", ["zh", "zh_CN", "zh_TW", "zh_Hans", "pt_BR", "sr@latin", "uk_UA"])
def test_chinese_and_regional_locales_are_known_targets(code):
    assert locale_code(code) == code


@pytest.mark.parametrize("code", ["xx", "xx_YY", "english"])
def test_unknown_languages_are_refused(code):
    with pytest.raises(BadValue):
        locale_code(code)
