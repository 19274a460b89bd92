"""Masking, restoring and MT checks against engines with a known behaviour: the random-weights
model cannot show that a span survived, so these engines do it in a way a test can predict."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import polib
import pytest
from markdown_it import MarkdownIt

from pipeline.catalogs.entries import units_from_segments
from pipeline.catalogs.machine import machine_texts
from pipeline.catalogs.merge import MergeInputs, merge_catalog
from pipeline.inputs.markdown_file import parse_markdown
from pipeline.outputs.render import render_article
from pipeline.segments.segment import segment_article
from pipeline.segments.splitter import split_sentences
from pipeline.translation.checks import check_translation
from pipeline.translation.glossary import read_glossary, rules_for
from pipeline.translation.protect import FSI, PDI, TOKEN, format_flags, mask, model_input, restore

MARKDOWN = """\
---
title: "Release notes: version 2"
lang: en
tags: [news, release]
---

# Installing the tool

Run `pip install locpipe` and read the **full guide** at [our site](https://example.org/guide "Guide").
It takes 5 minutes on a 2.5 GHz machine.

> Quoted *advice* here.
> Second quoted line.

- First item with ![a diagram](img/diagram.png).
- Second item
  continued here.

1. Numbered step with <https://example.org/auto>.

| Name | Value |
|------|------:|
| Speed | 3.5 km/h \\| fast |

```python
print("never translated")  # https://example.org/in-code
```

<div class="note">HTML block kept</div>

Contact support@example.org or visit https://example.org/help today.
"""


def upper_words(texts: list[str]) -> list[str]:
    """A well-behaved engine: changes every word, copies every token."""
    return ["".join(p if TOKEN.fullmatch(p) else p.upper() for p in re.split(r"(Z\d+Z)", t)) for t in texts]


def block_structure(text: str) -> list[tuple[str, str, int]]:
    return [
        (t.type, t.tag, t.level)
        for t in MarkdownIt("commonmark").enable("table").parse(text)
        if t.type != "inline"
    ]


def translate_markdown(engine, path: Path, rtl: bool = False) -> str:
    article = parse_markdown(path, MARKDOWN)
    segments = segment_article(article, "en")
    units = units_from_segments(article.id, segments)
    inputs = [model_input(u.msgid, u.kind, {}).text for u in units]
    stored = dict(zip(inputs, engine(inputs), strict=True))
    machine = machine_texts(units, stored, {}, "machine: test engine", "en", "ar" if rtl else "uk")
    po = merge_catalog(units, None, MergeInputs(machine), "source: en", {}, "")
    for entry in po:  # as if a reviewer accepted everything
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
    return render_article(article, segments, po)


def test_untranslated_markdown_reassembles_byte_for_byte(tmp_path):
    article = parse_markdown(tmp_path / "doc.md", MARKDOWN)
    assert article.render() == MARKDOWN
    assert article.lang_hint == "en"
    roles = {p.text: p.role for p in article.paragraphs}
    assert roles["Release notes: version 2"] == "title" and roles["Installing the tool"] == "heading"
    assert roles["Name"] == "table header" and roles["Speed"] == "body"
    assert not any("never translated" in p.text or "HTML block" in p.text for p in article.paragraphs)


def test_translated_markdown_keeps_structure_code_and_urls(tmp_path):
    out = translate_markdown(upper_words, tmp_path / "doc.md")
    assert block_structure(out) == block_structure(MARKDOWN)
    assert '```python\nprint("never translated")  # https://example.org/in-code\n```' in out
    assert '<div class="note">HTML block kept</div>' in out
    for url in (
        'https://example.org/guide "Guide")',
        "img/diagram.png",
        "<https://example.org/auto>",
        "https://example.org/help",
        "support@example.org",
    ):
        assert url in out
    assert (
        "RUN `pip install locpipe` AND READ THE **FULL GUIDE** AT [OUR SITE](https://example.org/guide" in out
    )
    assert 'title: "RELEASE NOTES: VERSION 2"\nlang: en\ntags: [news, release]' in out
    assert "| SPEED | 3.5 km/h \\| FAST |" in out
    assert "> QUOTED *ADVICE* HERE.\n> SECOND QUOTED LINE." in out  # the source's line break, prefixed


def test_spans_the_model_drops_are_put_back_and_reported():
    source = "Run `make test` and see https://example.org/a for **all** 12 results."
    masked = mask(source, markdown=True)
    assert "`" not in masked.text and "https" not in masked.text and "**" not in masked.text
    # an engine that loses the code token and the closing emphasis
    out = masked.text.replace("Z1Z", "").replace("Z4Z", "").upper()
    restored = restore(out, masked)
    assert "`make test`" in restored.text and "https://example.org/a" in restored.text
    assert "**" not in restored.text  # its partner went with it: no dangling markup
    problems = check_translation(source, masked, restored, "en", "uk")
    assert any("code `make test` missing" in p for p in problems)
    assert any("markup ** missing" in p for p in problems)
    rtl = restore(masked.text, masked, rtl=True)
    assert f"{FSI}https://example.org/a{PDI}" in rtl.text and f"{FSI}`make test`{PDI}" in rtl.text


def test_html_entities_and_inline_tags_are_not_given_to_the_model():
    masked = mask("Fish &amp; chips &#8212; <b>fresh</b> daily.", markdown=True)
    assert "&" not in masked.text and "<b>" not in masked.text
    assert restore(masked.text.upper(), masked).text == "FISH &amp; CHIPS &#8212; <b>FRESH</b> DAILY."


def test_link_whose_syntax_is_lost_keeps_its_url():
    masked = mask("Read [the report](https://example.org/r) now.", markdown=True)
    restored = restore(masked.text.replace("Z2Z", ""), masked)
    assert restored.text.endswith("<https://example.org/r>") and "[" not in restored.text


@pytest.mark.parametrize(
    ("translation", "expected"),
    [
        ("Уряд виділив 3,5 мільйона у 2024 році.", []),
        ("Уряд виділив мільйона у 2024 році.", ["number 3,5 missing"]),
        ("Уряд: 3,5; 2024.", ["length"]),
        ("The government allocated 3,5 million in 2024.", ["identical"]),
        ("у у у у у 3,5 2024", ["repeated words"]),
    ],
)
def test_checks_fire_on_bad_translations_and_not_on_good_ones(translation, expected):
    source = "The government allocated 3,5 million in 2024."
    masked = mask(source)
    problems = check_translation(source, masked, restore(translation, masked), "en", "uk")
    assert len(problems) == len(expected), problems
    for problem, word in zip(problems, expected, strict=True):
        assert problem.startswith("check:") and word in problem


def test_format_flags_make_msgfmt_check_the_placeholders(tmp_path):
    assert format_flags("Hello %s, you have %(count)d messages") == ["python-format"]
    assert format_flags("Hello {name}") == ["python-brace-format"]
    assert format_flags("25% off for %s") == []  # a bare % is not a directive: no flag, no false error
    source = "Hello {name}, you have %d new messages"
    masked = mask(source)
    good = restore(masked.text.replace("Hello", "Привіт"), masked).text
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "uk"}
    po.append(polib.POEntry(msgid=source, msgstr=good, flags=format_flags(source)))
    po.save(str(tmp_path / "good.po"))
    result = subprocess.run(
        ["msgfmt", "--check-format", "-o", "/dev/null", str(tmp_path / "good.po")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    po[0].msgstr = good.replace("{name}", "{nme}")
    po.save(str(tmp_path / "bad.po"))
    result = subprocess.run(
        ["msgfmt", "--check-format", "-o", "/dev/null", str(tmp_path / "bad.po")],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "'name' doesn't exist" in result.stderr


def test_glossary_forces_or_keeps_terms(tmp_path):
    glossary = tmp_path / "glossary.csv"
    glossary.write_text(
        "term,uk,de\nKyiv,Київ,Kyjiw\nlocpipe,keep,keep\nMeta,,Meta Platforms\n", encoding="utf-8"
    )
    rules = rules_for(read_glossary(glossary), "uk_UA")
    assert rules == {"Kyiv": "Київ", "locpipe": None}
    masked = mask("locpipe was presented in Kyiv by Meta.", glossary=rules)
    assert "Kyiv" not in masked.text and "locpipe" not in masked.text and "Meta" in masked.text
    assert restore(masked.text.upper(), masked).text == "locpipe WAS PRESENTED IN Київ BY META."


@pytest.mark.parametrize(
    ("text", "language", "count"),
    [
        ("今天天气很好。我们去公园吧！你来吗？", "zh", 3),
        ("東京は晴れです。明日は雨でしょう！", "ja", 2),
        ("الطقس جميل اليوم. سنذهب إلى الحديقة!", "ar", 2),
    ],
)
def test_scripts_with_their_own_punctuation_split(text, language, count):
    pieces = split_sentences(text, language)
    assert len(pieces) == count and "".join(a + b for a, b in pieces) == text
