"""Sentence boundaries on the golden news sets: exactly the golden ones, and exact reassembly."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from golden_sets import joined, languages, paragraphs, sentences

from pipeline.segments.splitter import split_sentences

REQUIRED = {"en", "uk", "tr", "de", "ru", "fr", "es", "pl", "pt", "it", "ar", "zh"}
Split = Callable[[str], list[tuple[str, str]]]


def misses(language: str, split: Split) -> list[list[str]]:
    """Paragraphs whose sentences differ from the golden ones, in two groupings, so that every
    pair of neighbouring sentences meets inside a paragraph once; reassembly must be exact."""
    wrong = []
    for shift in (0, 1):
        for group in paragraphs(language, shift):
            text = joined(language, group)
            pieces = split(text)
            assert "".join(s + gap for s, gap in pieces) == text
            if [s for s, _ in pieces] != group:
                wrong.append([s for s, _ in pieces])
    return wrong


def test_every_required_language_has_a_golden_set_of_40_sentences():
    assert set(languages()) >= REQUIRED
    for language in REQUIRED:
        assert len(sentences(language)) >= 40, language


@pytest.mark.parametrize("language", sorted(REQUIRED))
def test_boundaries_are_exactly_the_golden_ones(language):
    assert misses(language, lambda text: split_sentences(text, language)) == []


def test_a_splitter_that_never_splits_or_splits_at_every_period_fails():
    assert misses("de", lambda text: [(text, "")])
    at_every_period = lambda text: [(p + ".", " ") for p in text.split(". ")[:-1]] + [  # noqa: E731
        (text.split(". ")[-1], "")
    ]
    assert misses("de", at_every_period)
