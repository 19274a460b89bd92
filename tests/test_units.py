"""Plain functions: segmentation, locale table, plural forms, engine determinism."""

from __future__ import annotations

import subprocess
import zipfile

import polib
import pytest
from conftest import SAMPLE

from pipeline.core.locales import parse_locale, plural_forms
from pipeline.inputs.text_file import parse_text
from pipeline.segments.segment import paragraph_texts, segment_article
from pipeline.segments.splitter import split_sentences
from pipeline.translation.engine import thread_budget

TRICKY = (
    "Title line\r\n\r\n"
    "  Mr. Smith paid 3.5 million to the U.S. agency on No. 5 street... Then he left!  \n"
    "\n\n\"Is it over?\" she asked. 'Yes.' Done\n"
    "Україна просить інвестицій. Міністр, д-р Петренко, сказав: «Так!» Кінець.\n"
    "Türkiye 2,5 milyar dolar ayırdı. Dr. Yılmaz açıkladı.\n"
)


@pytest.mark.parametrize("text", [SAMPLE.read_text(encoding="utf-8"), TRICKY, "One line, no newline"])
@pytest.mark.parametrize("language", ["en", "uk", "tr", "xx"])
def test_segment_then_reassemble_returns_the_source_exactly(text, language):
    article = parse_text(SAMPLE, text)
    segments = segment_article(article, language)
    assert article.render(paragraph_texts(segments)) == text
    assert article.paragraphs[0].role == "title"


def test_abbreviations_decimals_and_ellipses_do_not_split():
    sentences = [
        s
        for s, _ in split_sentences(
            "Mr. Smith paid 3.5 million to the U.S. agency on No. 5 street... Then he left!", "en"
        )
    ]
    assert sentences == ["Mr. Smith paid 3.5 million to the U.S. agency on No. 5 street...", "Then he left!"]


def test_languages_without_pysbd_rules_still_split():
    ukrainian = "Україна просить інвестицій, т. зв. допомоги. Міністр погодився! Чи буде угода? Так."
    assert len(split_sentences(ukrainian, "uk")) == 4
    assert len(split_sentences("Türkiye 2,5 milyar dolar ayırdı. Dr. Yılmaz açıkladı.", "tr")) == 2


def test_no_sentence_ends_inside_markdown_links_code_or_urls():
    text = (
        "Read [the guide. Then the FAQ!](https://example.org/a.b) first. "
        "Run `make. Install` now. See https://example.org/x. Y or ![a. B](i.png). Done."
    )
    pieces = split_sentences(text, "en", markup=True)
    assert "".join(s + gap for s, gap in pieces) == text
    assert [s for s, _ in pieces] == [
        "Read [the guide. Then the FAQ!](https://example.org/a.b) first.",
        "Run `make. Install` now.",
        "See https://example.org/x. Y or ![a. B](i.png).",
        "Done.",
    ]


def test_single_newlines_separate_paragraphs_like_blank_lines():
    article = parse_text(SAMPLE, "Title\nFirst paragraph.\nSecond paragraph.\n\nThird.\n")
    assert [p.text for p in article.paragraphs] == [
        "Title",
        "First paragraph.",
        "Second paragraph.",
        "Third.",
    ]


@pytest.mark.parametrize(
    "locale, argos, folder",
    [
        ("uk", "uk", "uk"),
        ("uk_UA", "uk", "uk_UA"),
        ("pt_BR", "pb", "pt_BR"),
        ("zh_TW", "zt", "zh_TW"),
        ("zh_CN", "zh", "zh_CN"),
        ("de", "de", "de"),
    ],
)
def test_locale_table(locale, argos, folder):
    parsed = parse_locale(locale)
    assert parsed.argos == argos and parsed.gettext == folder


def test_bad_locale_is_a_clear_error():
    with pytest.raises(Exception, match="not a gettext locale"):
        parse_locale("../etc")


# GNU gettext's formulas (gettext manual, "Plural forms"; what Poedit and Weblate write)
GNU_PLURALS = {
    "uk": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);",
    "tr": "nplurals=2; plural=(n != 1);",
    "de": "nplurals=2; plural=(n != 1);",
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 "
    ": n%100>=11 ? 4 : 5);",
    "ja": "nplurals=1; plural=0;",
}


@pytest.mark.parametrize("locale", sorted(GNU_PLURALS))
def test_plural_forms_follow_gnu_gettext(locale, tmp_path):
    assert plural_forms(locale) == GNU_PLURALS[locale]
    # and agree with msginit's own table where this gettext has the language
    pot = tmp_path / "x.pot"
    pot.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n', encoding="utf-8")
    out = subprocess.run(
        ["msginit", "--no-translator", "-l", locale, "-i", str(pot), "-o", "-"],
        capture_output=True,
        text=True,
    ).stdout
    gnu = polib.pofile(out).metadata.get("Plural-Forms") if out else None
    if gnu:  # gettext 0.21's msginit lacks some languages (ar)

        def norm(s: str) -> str:
            return "".join(c for c in s if c not in " ()")

        assert norm(gnu) == norm(GNU_PLURALS[locale])


def test_translation_does_not_depend_on_batch_neighbours(installed_models):
    from pipeline.translation.engine import DecodeOptions, LoadedModel
    from pipeline.translation.packages import read_package

    model = read_package(installed_models / "translate-en_uk-0_0_1-demo")
    sentences = [
        s
        for s, _ in split_sentences(
            " ".join(p for p in SAMPLE.read_text(encoding="utf-8").splitlines() if p.strip()), "en"
        )
    ]
    loaded = LoadedModel(model, DecodeOptions(beam_size=2, batch_size=8, inter_threads=2))
    together = loaded.translate(sentences)
    alone = [loaded.translate([s])[0] for s in sentences]
    reversed_batch = loaded.translate(sentences[::-1])[::-1]
    assert together == alone == reversed_batch
    assert all(together)


def test_synthetic_package_is_a_valid_argos_zip(packages):
    with zipfile.ZipFile(packages["en-uk"]) as zf:
        names = zf.namelist()
    top = {n.split("/")[0] for n in names}
    assert top == {"translate-en_uk-0_0_1-demo"}
    for required in ("metadata.json", "sentencepiece.model", "model/model.bin", "model/config.json"):
        assert f"translate-en_uk-0_0_1-demo/{required}" in names


@pytest.mark.parametrize(
    ("inter", "intra", "workers", "cpus", "expected"),
    [
        (2, 1, 1, 2, (2, 1)),  # one worker: the configured split
        (2, 1, 2, 2, (1, 1)),  # two workers on two cores: one thread each
        (2, 2, 2, 8, (2, 2)),  # room enough
        (4, 2, 2, 8, (2, 2)),  # replicas shrink first
        (1, 4, 4, 2, (1, 1)),  # never below one thread
    ],
)
def test_thread_budget_does_not_oversubscribe(inter, intra, workers, cpus, expected):
    assert thread_budget(inter, intra, workers, cpus) == expected
