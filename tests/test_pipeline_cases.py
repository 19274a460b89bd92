"""Runs with pivots, missing models, bad inputs and plain Luigi."""

from __future__ import annotations

import json
import subprocess
import sys

import polib
from conftest import SAMPLE, msgfmt_check

from pipeline.outputs.manifest import read_manifest
from pipeline.translation.synthetic import build_package

TURKISH = (
    "Türkiye ve Ukrayna savunma işbirliğini görüştü\n\n"
    "Dışişleri Bakanı Hakan Fidan Kiev'de Ukrayna Savunma Bakanı ile bir araya geldi. "
    "Toplantıda hava savunma sistemleri ve mühimmat tedariki konuşuldu.\n"
    "Bakan, Türkiye'nin barış çabalarını sürdüreceğini söyledi.\n"
)


def _shards(project):
    """The translation chunks that ran: their stamps."""
    return [json.loads(p.read_text()) for p in (project.locales / ".locpipe" / "mt").rglob("done/*.json")]


def _stored_sources(project, pair: str) -> list[str]:
    """Every source sentence stored for a pair, repeats included (one line per translation)."""
    lines = []
    for path in (project.locales / ".locpipe" / "mt" / pair).rglob("*.jsonl"):
        lines += [json.loads(line)[0] for line in path.read_text(encoding="utf-8").splitlines()]
    return lines


def test_pivot_through_english_loads_both_models_and_says_so(project):
    (project.inputs / SAMPLE.name).unlink()
    (project.inputs / "haber.txt").write_text(TURKISH, encoding="utf-8")
    project.run("--targets", "uk")
    manifest = read_manifest(project.locales / "manifest.json")
    info = manifest["articles"]["haber"]
    assert info["detection"]["language"] == "tr"
    assert info["locales"]["uk"]["via"] == "en"
    assert info["locales"]["uk"]["models"] == ["argos tr->en 0.0.1-demo", "argos en->uk 0.0.1-demo"]
    po_path = project.locales / "uk" / "LC_MESSAGES" / "haber.po"
    msgfmt_check(po_path)
    entries = [e for e in polib.pofile(str(po_path)) if not e.obsolete]
    assert entries and all("via en" in e.comment and e.msgstr for e in entries)
    (shard,) = _shards(project)
    assert shard["stats"]["models_loaded"] == ["argos tr->en 0.0.1-demo", "argos en->uk 0.0.1-demo"]


def test_each_model_loads_once_per_pair_across_articles(project):
    for i in range(4):
        (project.inputs / f"extra-{i}.txt").write_text(
            f"Extra article {i}\n\nThe ministry published report number {i}. The meeting was productive.\n",
            encoding="utf-8",
        )
    project.run("--targets", "uk,tr")
    shards = _shards(project)
    assert len(shards) == 2  # one translation chunk per language pair here, not per article
    for shard in shards:
        assert len(shard["stats"]["models_loaded"]) == 1
    # the sentence shared by four articles was translated once
    assert _stored_sources(project, "en-uk").count("The meeting was productive.") == 1


def test_an_article_without_a_model_gets_catalogs_to_translate_by_hand(project, tmp_path):
    result = project.run("--targets", "uk,fr", check=False)
    assert result.returncode == 3  # complete, but a locale has no model
    assert "no model for en->fr" in result.stderr
    assert "0/1 articles translated into uk, fr" in result.stderr  # not every locale has text
    manifest = read_manifest(project.locales / "manifest.json")
    fr = manifest["articles"]["ukraine-turkey-defense"]["locales"]["fr"]
    assert fr["status"] == "untranslated" and "locpipe models install" in fr["reason"]
    po_path = project.locales / "fr" / "LC_MESSAGES" / "ukraine-turkey-defense.po"
    msgfmt_check(po_path)
    entries = [e for e in polib.pofile(str(po_path)) if not e.obsolete]
    assert entries and all(e.msgstr == "" and "no model for en->fr" in e.comment for e in entries)
    assert len(polib.mofile(str(po_path.with_suffix(".mo")))) == 0  # header only
    assert not (project.locales / "fr" / "ukraine-turkey-defense.txt").exists()  # no source text as fr
    assert sorted(fr["files"]) == [
        "fr/LC_MESSAGES/ukraine-turkey-defense.mo",
        str(po_path.relative_to(project.locales)),
    ]
    assert (project.locales / "uk" / "ukraine-turkey-defense.txt").exists()

    french = build_package("en", "fr", tmp_path / "fr", sample_text=SAMPLE.read_text(encoding="utf-8"))
    project.locpipe("models", "install", str(french))
    project.run("--targets", "uk,fr")  # exit 0: now every article × locale is written
    entries = [e for e in polib.pofile(str(po_path)) if not e.obsolete]
    assert all(e.msgstr and "machine: argos en->fr" in e.comment for e in entries)
    assert (project.locales / "fr" / "ukraine-turkey-defense.txt").exists()


UKRAINIAN = (
    "Зустріч у Києві\n\n"
    "У м. Києві на вул. Хрещатик відбулася зустріч міністрів. Доповідав О. Іваненко. "
    "Учасники погодили план дій на наступний рік. Наступна зустріч відбудеться 3 березня.\n"
)


def test_a_ukrainian_article_without_a_uk_model_gets_a_template_and_catalog_by_hand(project, tmp_path):
    (project.inputs / "zustrich.txt").write_text(UKRAINIAN, encoding="utf-8")
    assert project.run("--targets", "tr", check=False).returncode == 3  # no uk->tr, nor uk->en
    assert (project.locales / "templates" / "zustrich.pot").exists()
    po_path = project.locales / "tr" / "LC_MESSAGES" / "zustrich.po"
    msgfmt_check(po_path)
    entries = [e for e in polib.pofile(str(po_path)) if not e.obsolete]
    assert [e.msgid for e in entries] == [
        "Зустріч у Києві",
        "У м. Києві на вул. Хрещатик відбулася зустріч міністрів.",
        "Доповідав О. Іваненко.",
        "Учасники погодили план дій на наступний рік.",
        "Наступна зустріч відбудеться 3 березня.",
    ]
    assert all(e.msgstr == "" and "no model for uk->tr" in e.comment for e in entries)
    assert len(polib.mofile(str(po_path.with_suffix(".mo")))) == 0
    assert not (project.locales / "tr" / "zustrich.txt").exists()
    rows = json.loads(project.locpipe("status", "--json").stdout)["rows"]
    (row,) = [r for r in rows if r["article"] == "zustrich" and r["locale"] == "tr"]
    assert row["untranslated"] == row["total"] == len(entries) == 5

    ukrainian = build_package("uk", "en", tmp_path / "uk", sample_text=UKRAINIAN)
    project.locpipe("models", "install", str(ukrainian))
    assert project.run("--targets", "tr").returncode == 0  # via en now
    entries = [e for e in polib.pofile(str(po_path)) if not e.obsolete]
    assert entries and all(e.msgstr and "via en" in e.comment for e in entries)
    assert (project.locales / "tr" / "zustrich.txt").exists()


def test_unclear_language_is_skipped_not_mistranslated(project):
    (project.inputs / "short.txt").write_text("Ok\n\nSee www.example.com/news now\n", encoding="utf-8")
    assert project.run("--targets", "uk", check=False).returncode == 3
    manifest = read_manifest(project.locales / "manifest.json")
    short = manifest["articles"]["short"]
    assert short["status"] == "skipped" and "--source-lang" in short["reason"]
    assert "too little text to tell its language (8 letters" in short["reason"]
    assert not (project.locales / "uk" / "LC_MESSAGES" / "short.po").exists()


def test_numbers_only_are_copied_as_they_are(project):
    """Nothing to translate is not a failure: a cron run stays green."""
    (project.inputs / "numbers.txt").write_text("2024 1 500 000\n\n12 34 56 78 90\n", encoding="utf-8")
    assert project.run("--targets", "uk").returncode == 0
    manifest = read_manifest(project.locales / "manifest.json")
    assert manifest["articles"]["numbers"]["locales"]["uk"]["status"] == "ok"
    assert "nothing to translate" in manifest["articles"]["numbers"]["locales"]["uk"]["reason"]
    copied = (project.locales / "uk" / "numbers.txt").read_text(encoding="utf-8")
    assert copied == "2024 1 500 000\n\n12 34 56 78 90\n"


def test_bad_inputs_get_one_line_each_and_the_rest_is_translated(project):
    (project.inputs / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 50)
    (project.inputs / "bad-bom.txt").write_bytes(b"\xff\xfe" + "text".encode("utf-16-le") + b"\x00")
    (project.inputs / "empty.txt").write_text("  \n\n \n", encoding="utf-8")
    result = project.run("--targets", "uk", check=False)
    assert result.returncode != 0
    assert "binary.txt: binary file" in result.stderr
    assert "bad-bom.txt: starts with a utf-16 mark but does not decode" in result.stderr
    assert "empty.txt: no text in this article" in result.stderr
    assert "Traceback" not in result.stderr  # an expected stop is reported, not dumped
    assert (project.locales / "uk" / "ukraine-turkey-defense.txt").exists()
    manifest = read_manifest(project.locales / "manifest.json")
    assert len(manifest["errors"]) == 3
    assert manifest["articles"]["ukraine-turkey-defense"]["status"] == "ok"


def test_plain_luigi_works_and_fails_loudly(project):
    command = [
        sys.executable,
        "-m",
        "luigi",
        "--module",
        "pipeline.run.tasks",
        "TranslateAll",
        "--targets",
        '["uk"]',
        "--local-scheduler",
    ]
    ok = subprocess.run(command, cwd=project.root, env=project.env(), capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert (project.locales / "uk" / "LC_MESSAGES" / "ukraine-turkey-defense.po").exists()
    page = (project.locales / "report" / "index.html").read_text(encoding="utf-8")  # as `locpipe run`
    assert "ukraine-turkey-defense" in page and "uk" in page
    last = json.loads((project.locales / ".locpipe" / "last-run.json").read_text(encoding="utf-8"))
    assert last["tasks_run"].get("WriteShard") and last["segments_translated"] > 0
    (project.inputs / "broken.txt").write_bytes(b"\xff\xfe\x00\x00garbage")
    failed = subprocess.run(command, cwd=project.root, env=project.env(), capture_output=True, text=True)
    assert failed.returncode == 1  # [retcode] task_failed in luigi.cfg


def test_cli_finds_the_project_config_from_any_folder(project, tmp_path):
    elsewhere = tmp_path / "cron-cwd"
    elsewhere.mkdir()
    project.run("--targets", "uk", cwd=elsewhere)
    assert (project.locales / "uk" / "ukraine-turkey-defense.txt").exists()
    assert not (elsewhere / "locales").exists()


def test_dry_run_lists_pending_segments_and_writes_nothing(project):
    result = project.locpipe("run", "--dry-run", "--targets", "uk,tr")
    assert "en->uk: 18 of 18 unique segments pending" in result.stdout
    assert "en->tr: 18 of 18 unique segments pending" in result.stdout
    assert not project.locales.exists() or not any(project.locales.iterdir())


def test_status_reports_counts(project):
    project.run("--targets", "uk")
    table = project.locpipe("status").stdout
    assert "ukraine-turkey-defense" in table and "demo model" in table
    rows = json.loads(project.locpipe("status", "--json").stdout)["rows"]
    assert rows[0]["locale"] == "uk" and rows[0]["machine"] == rows[0]["total"] == 19


def test_a_broken_po_is_reported_with_its_line_and_left_untouched(project):
    (project.inputs / "second.txt").write_text(
        "Second article\n\nThe talks went on for hours.\n", encoding="utf-8"
    )
    project.run("--targets", "uk")
    po = project.locales / "uk" / "LC_MESSAGES" / "ukraine-turkey-defense.po"
    lines = po.read_text(encoding="utf-8").splitlines()
    broken_at = next(i for i, line in enumerate(lines) if line.startswith("msgstr") and i > 20)
    lines[broken_at] = 'msgstr "unterminated'
    po.write_text("\n".join(lines) + "\n", encoding="utf-8")
    broken = po.read_bytes()
    (project.inputs / "second.txt").write_text(
        "Second article\n\nThe talks went on for hours.\nA new sentence.\n", encoding="utf-8"
    )
    result = project.run("--targets", "uk", check=False)
    assert result.returncode != 0
    assert f"{po}:{broken_at + 1}: catalog does not parse" in result.stderr
    assert po.read_bytes() == broken
    second = polib.pofile(str(project.locales / "uk" / "LC_MESSAGES" / "second.po"))
    assert second.find("A new sentence.") is not None
