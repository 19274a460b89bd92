"""A quality estimate on every machine entry: from the decode, in the note, the store,
`status --json` and `status --worst`; `min_quality` changes the article, not the catalog."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import polib
import pytest

from pipeline.outputs.manifest import read_manifest
from pipeline.translation.engine import DecodeOptions, LoadedModel
from pipeline.translation.packages import read_package
from pipeline.translation.quality import ModelScore, Signals, estimate, figure_in, signals_for

BASE = Signals(confidence=0.8)
# (field, values from good to bad): the figure never rises as a signal gets worse
WORSE = [
    ("confidence", [1.0, 0.9, 0.5, 0.2, 0.0]),
    ("cut", [False, True]),
    ("length_ratio", [1.0, 2.0, 2.5, 4.0, 10.0]),
    ("length_ratio", [1.0, 0.5, 0.4, 0.2, 0.01]),
    ("copied_share", [0.0, 0.2, 0.5, 1.0]),
    ("runaway", [False, True]),
    ("problems", [0, 1, 2, 5]),
]


@pytest.mark.parametrize(("field", "values"), WORSE)
def test_the_figure_is_monotonic_in_each_signal(field: str, values: list[object]) -> None:
    figures = [estimate(replace(BASE, **{field: v})) for v in values]
    assert figures == sorted(figures, reverse=True)
    assert figures[0] > figures[-1]
    assert all(0 <= f <= 100 for f in figures)


def test_signals_from_text() -> None:
    source, score = "Ministers meet in Ankara", ModelScore(-0.1)
    copied = signals_for(source, source, score, 0, "en", "uk")
    assert copied.copied_share == 1.0
    translated = signals_for(source, "Міністри зустрілися в Анкарі", score, 0, "en", "uk")
    assert translated.copied_share == 0.0
    assert estimate(translated) > estimate(copied)
    runaway = signals_for("Nobody was surprised.", "ні ні ні ні ні ні", ModelScore(-0.1), 0, "en", "uk")
    assert runaway.runaway and estimate(runaway) < estimate(translated)


def test_the_score_is_the_models_own_and_a_cut_decode_ranks_lower(installed_models: Path) -> None:
    """On the placeholder model too: the score is CTranslate2's mean log-probability of the
    output (as scoring that output again gives), and a decode cut by the cap ranks lower."""
    model = read_package(installed_models / "translate-en_uk-0_0_1-demo")
    sentence = ["The ministers met in Ankara on Monday to discuss the plan."]
    whole = LoadedModel(model, DecodeOptions(beam_size=2, max_decoding_ratio=2.0))
    cut = LoadedModel(model, DecodeOptions(beam_size=2, max_decoding_ratio=0.3, max_decoding_slack=0))
    (whole_text,), (cut_text,) = whole.translate(sentence), cut.translate(sentence)
    assert cut.scores[0].cut and not whole.scores[0].cut

    source = whole.tokenizer.encode(sentence[0], out_type=str)
    options = whole.options
    direct = whole.translator.translate_batch(
        [source], beam_size=options.beam_size, max_decoding_length=options.cap(len(source))
    )[0]
    again = whole.translator.score_batch([source], [direct.hypotheses[0]])[0]
    assert whole.scores[0].logprob == pytest.approx(sum(again.log_probs) / len(again.log_probs), abs=0.01)

    figure = {
        name: estimate(signals_for(sentence[0], text, loaded.scores[0], 0, "en", "uk"))
        for name, text, loaded in (("whole", whole_text, whole), ("cut", cut_text, cut))
    }
    assert figure["cut"] < figure["whole"]


def _figures(po_path: Path) -> dict[tuple[str | None, str], int | None]:
    po = polib.pofile(str(po_path))
    return {
        (e.msgctxt, e.msgid): figure_in(" ".join(e.comment.splitlines()))
        for e in po
        if not e.obsolete and e.msgstr
    }


def test_every_machine_entry_carries_its_figure_everywhere(project) -> None:
    project.run()
    po_path = project.locales / "uk" / "LC_MESSAGES" / "ukraine-turkey-defense.po"
    figures = _figures(po_path)
    assert figures and all(isinstance(f, int) for f in figures.values())
    # the store keeps the decode's score with the text
    lines = [json.loads(x) for p in (project.locales / ".locpipe" / "mt").rglob("*.jsonl") for x in p.open()]
    assert lines and all(len(item) == 3 and ModelScore.from_json(item[2]) for item in lines)

    status = json.loads(project.locpipe("status", "--json").stdout)
    row = next(r for r in status["rows"] if r["locale"] == "uk")
    assert row["quality"] == {
        "scored": len(figures),
        "min": min(figures.values()),
        "mean": round(sum(figures.values()) / len(figures), 1),
    }
    manifest = read_manifest(project.locales / "manifest.json")
    assert manifest is not None
    uk = manifest["articles"]["ukraine-turkey-defense"]["locales"]["uk"]
    assert uk["counts"]["quality"] == row["quality"]

    worst = json.loads(project.locpipe("status", "--worst", "5", "--locale", "uk", "--json").stdout)
    assert [w["quality"] for w in worst] == sorted(figures.values())[:5]
    for w in worst:
        assert figures[(w["context"], w["source"])] == w["quality"]
        lines_of_po = po_path.read_text(encoding="utf-8").splitlines()
        assert lines_of_po[w["line"] - 1].startswith("#")  # file:line opens the entry
    text = project.locpipe("status", "--worst", "2").stdout
    assert "LC_MESSAGES/ukraine-turkey-defense.po:" in text

    # the catalog's text deleted: a rerun takes text and figure from the store, decoding nothing
    po_path.unlink()
    project.run()
    again = [json.loads(x) for p in (project.locales / ".locpipe" / "mt").rglob("*.jsonl") for x in p.open()]
    assert len(again) == len(lines)
    assert _figures(po_path) == figures


def test_min_quality_changes_the_article_not_the_catalog(project) -> None:
    project.run()
    po_path = project.locales / "uk" / "LC_MESSAGES" / "ukraine-turkey-defense.po"
    article = project.locales / "uk" / "ukraine-turkey-defense.txt"
    source = (project.inputs / "ukraine-turkey-defense.txt").read_text(encoding="utf-8")
    catalog, translated = po_path.read_bytes(), article.read_text(encoding="utf-8")
    figures = sorted(_figures(po_path).values())
    config = project.root / "luigi.cfg"
    base = config.read_text(encoding="utf-8")

    config.write_text(base.replace("[locpipe]\n", f"[locpipe]\nmin_quality = {figures[-1] + 1}\n"))
    project.run()
    assert po_path.read_bytes() == catalog
    assert article.read_text(encoding="utf-8") == source  # every sentence below: the source

    assert figures[0] < figures[-1]  # the placeholder model's figures are low, but not all alike
    middle = figures[-1]
    omit = f"[locpipe]\nmin_quality = {middle}\nbelow_min_quality = omit\n"
    config.write_text(base.replace("[locpipe]\n", omit))
    project.run()
    assert po_path.read_bytes() == catalog
    po = polib.pofile(str(po_path))
    shown = article.read_text(encoding="utf-8")
    for entry in po:
        figure = figure_in(" ".join(entry.comment.splitlines()))
        if entry.obsolete or figure is None:
            continue
        assert (entry.msgstr in shown) or figure < middle, entry.msgid
        if figure < middle:
            assert entry.msgid not in shown
    assert len(shown) < len(translated)

    config.write_text(base)
    project.run()
    assert article.read_text(encoding="utf-8") == translated


def test_the_lowest_catalogs_hold_the_lowest_entries() -> None:
    """What the report page reads instead of every catalog: never misses one of the lowest."""
    import random

    from pipeline.catalogs.worst import lowest_catalogs

    rng = random.Random(7)
    for _ in range(200):
        sizes = [rng.randint(1, 6) for _ in range(40)]
        entries = {}
        for i, n in enumerate(sizes):
            entries[("uk", Path(f"c{i:02d}.po"))] = [rng.randint(0, 30) for _ in range(n)]
        count = rng.randint(1, 25)
        everything = sorted((f, key) for key, figures in entries.items() for f in figures)
        among = set(lowest_catalogs({key: min(figures) for key, figures in entries.items()}, count))
        only = sorted((f, key) for key, figures in entries.items() if key in among for f in figures)
        assert len(among) <= count
        assert only[:count] == everything[:count]
