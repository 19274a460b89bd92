"""Sentence boundaries on the golden news sets: exactly the golden ones, and exact reassembly."""

from __future__ import annotations

import pytest
from golden_sets import joined, languages, paragraphs, sentences

from pipeline.segments.splitter import split_sentences

REQUIRED = {"en", "uk", "tr", "de", "ru", "fr", "es", "pl", "pt", "it", "ar", "zh"}


def test_every_required_language_has_a_golden_set_of_40_sentences():
    assert set(languages()) >= REQUIRED
    for language in REQUIRED:
        assert len(sentences(language)) >= 40, language


@pytest.mark.parametrize("language", sorted(REQUIRED))
def test_boundaries_are_exactly_the_golden_ones(language):
    wrong = []
    for shift in (0, 1):
        for group in paragraphs(language, shift):
            text = joined(language, group)
            pieces = split_sentences(text, language)
            assert "".join(s + gap for s, gap in pieces) == text  # reassembly is exact
            found = [s for s, _ in pieces]
            if found != group:
                wrong.append(found)
    assert wrong == []


def test_a_splitter_that_never_splits_fails_the_golden_comparison():
    group = paragraphs("de")[1]
    assert len(group) > 1 and [joined("de", group)] != group
