"""What a translation keeps of its source: characters that carry meaning, and markup.

Each case goes through the read -> catalog -> render path (tests/fidelity.py) with an
identity engine (output must equal the source) or an upper-casing one."""

from __future__ import annotations

import pytest
from fidelity import identity, round_trip, transform

from pipeline.inputs.markdown_file import parse_markdown
from pipeline.inputs.text_file import parse_text
from pipeline.segments.segment import normalize, segment_article
from pipeline.translation.protect import mask, model_input, restore


def msgids(article) -> list[str]:
    return [s.msgid for s in segment_article(article, "en")]


# ---------------------------------------------------------------- characters that carry meaning


@pytest.mark.parametrize(
    "text",
    ["Prix : 10\u00a0€, vraiment\u202f!", "col\tcol   col", "line\u2028next\u0085end", "a\u00a0b"],
)
def test_meaningful_whitespace_stays_in_the_msgid(text):
    assert normalize(text) == text
    assert normalize(f"  {text}\n  more ") == f"{text} more"  # the line break is layout


def test_text_file_keeps_tabs_runs_and_separators(tmp_path):
    source = "Title\u00a0!\nA\tB   C\u2028D 10\u202f€\n"
    article = parse_text(tmp_path / "a.txt", source)
    assert msgids(article) == ["Title\u00a0!", "A\tB   C\u2028D 10\u202f€"]
    assert round_trip(source, ".txt", identity) == source


def test_no_break_spaces_do_not_become_markdown():
    source = "*\u00a0a\u00a0*\n"  # not a list item: the space after * is a no-break space
    assert round_trip(source, ".md", identity) == source
    assert round_trip(source, ".md", transform) == "\\[*\u00a0A\u00a0*\\]\n"  # its brackets are text


def test_spaces_inside_inline_code_are_kept():
    source = 'Run ``echo "fn     main() {}"`` now.\n'
    assert round_trip(source, ".md", identity) == source
    assert '``echo "fn     main() {}"``' in round_trip(source, ".md", transform)


def test_model_space_runs_are_squeezed_but_the_source_runs_kept():
    masked = mask("a   b Z c", markdown=True)
    assert restore("a   b  c", masked).text == "a   b c"


# ---------------------------------------------------------------- Markdown structure


@pytest.mark.parametrize("source", ["foo  \nbaz\n", "foo\\\nbaz\n", "> foo  \n> Baz\n"])
def test_hard_line_breaks_are_kept(source):
    assert round_trip(source, ".md", identity) == source
    assert round_trip(source, ".md", transform).replace("\\[", "").replace("\\]", "") == source.upper()


def test_hard_break_is_masked_and_not_glued_to_words(tmp_path):
    article = parse_markdown(tmp_path / "a.md", "foo  \nbaz\n")
    [msgid] = msgids(article)
    assert msgid == "foo  \nbaz"
    assert model_input(msgid, "markdown", {}).text == "foo Z1Z baz"


def test_inline_html_over_lines_keeps_its_attribute():
    source = 'Foo <a href="foo\nbar">link</a> here.\n'
    assert round_trip(source, ".md", identity) == source


@pytest.mark.parametrize(
    "source, markup",
    [
        ("See [l](foo(and(bar))) now.\n", "](foo(and(bar)))"),
        ("Chat at <irc://foo.bar:2233/baz> today.\n", "<irc://foo.bar:2233/baz>"),
        ('An ![image](/url "the title") here.\n', '](/url "the title")'),
        ("Code <?php echo '>'; ?> here.\n", "<?php echo '>'; ?>"),
    ],
)
def test_markup_is_not_sent_to_the_model(source, markup):
    masked = model_input(source.strip(), "markdown", {})
    assert markup in [s.text for s in masked.spans]
    assert markup in round_trip(source, ".md", transform)


def test_no_sentence_break_inside_a_code_span(tmp_path):
    source = "E.G. `OK` or `Internal Server\nError`. Then more.\n"
    ids = msgids(parse_markdown(tmp_path / "a.md", source))
    assert ids[0] == "E.G. `OK` or `Internal Server Error`."
    assert round_trip(source, ".md", identity) == source


# ---------------------------------------------------------------- HTML


def test_no_sentence_break_inside_an_html_code_element(tmp_path):
    from pipeline.inputs.html_file import parse_html

    source = "<p>Use <code>a. B</code> here. Then more.</p>"
    ids = msgids(parse_html(tmp_path / "a.html", source))
    assert ids[0] == "Use <code>a. B</code> here."


def test_html_attribute_with_a_line_break_is_written_as_read():
    source = '<p>See <a href="/a\nb" class="x\ty">this page</a> now.</p>'
    assert round_trip(source, ".html", identity) == source
    assert 'href="/a\nb" class="x\ty"' in round_trip(source, ".html", transform)


def test_markup_characters_the_model_adds_are_escaped():
    masked = model_input("A [link](/u) and more", "markdown", {})
    assert (
        restore(masked.text.replace("more", "*more* <b>"), masked).text == "A [link](/u) and \\*more\\* \\<b>"
    )
    masked = model_input("x] y", "markdown", {})  # a bracket the source has is the source's
    assert restore("[X] Y", masked).text == "\\[X] Y"


def test_a_tag_whose_other_half_is_outside_the_run_stays_layout(tmp_path):
    from pipeline.inputs.html_file import parse_html

    source = "<p id=a><b><p id=b></b>Test and more</p>"
    [paragraph] = [p for p in parse_html(tmp_path / "a.html", source).paragraphs if p.kind == "html"]
    assert paragraph.text == "Test and more"


@pytest.mark.parametrize(
    "source",
    [
        "<p>Foo<!-- bar --! >baz</p>",  # no comment end: a comment to the end of the input
        "<p>Foo <!-- x --!>Text here</p>",  # --!> ends a comment
        "<p>Foo <?xml version",
        '<script><!--<script></script>var a = "Not text";</script><p>Real text</p>',  # double-escaped
    ],
)
def test_comments_and_scripts_end_where_the_standard_ends_them(tmp_path, source):
    from fidelity import same_html

    from pipeline.inputs.html_file import parse_html

    article = parse_html(tmp_path / "a.html", source)
    given = [model_input(s.msgid, s.kind, {}).text for s in segment_article(article, "en")]
    assert not any("bar" in t or "--" in t or "xml" in t or "Not text" in t for t in given)
    assert same_html(source, round_trip(source, ".html", transform), engine="transform")


def test_text_the_model_puts_outside_a_whole_message_element_goes_inside():
    source = "<table><a>foo</a> <tr><td>bar</td></tr></table>"
    output = round_trip(source, ".html", transform)
    assert "<a>[FOO]</a> <tr>" in output


def test_a_feed_line_may_hold_a_line_separator(tmp_path):
    import json

    from pipeline.inputs.jsonl_file import read_member_article, read_members

    feed = tmp_path / "feed.jsonl"
    line = {"id": "a", "title": "Un\u2028titre", "body": "Prix\u00a0: 10\u202f€\u0085fin."}
    feed.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    members, errors = read_members(feed)
    assert not errors and len(members) == 1
    article = read_member_article(feed, 1)
    assert msgids(article) == ["Un\u2028titre", "Prix\u00a0: 10\u202f€\u0085fin."]


def test_a_kept_line_break_never_opens_a_block():
    from pipeline.inputs.article import Paragraph

    paragraph = Paragraph(0, "foo\nbar", "body", "markdown", "foo\n> bar")
    assert paragraph.write("FOO  \n<em>x</em>") == "FOO  \n> <em>x</em>"  # the source's prefix
    assert paragraph.write("FOO\n- x") == "FOO - x"  # a list item
    assert paragraph.write("FOO\n<div>x") == "FOO <div>x"  # an HTML block


@pytest.mark.parametrize(
    "source, suffix",
    [
        ("Un\u2028deux\u0085trois et\u00a0quatre.\n", ".md"),
        ("<p>Run <code>a    b</code> and\tthis\u00a0! Then\u2028more.</p>", ".html"),
    ],
)
def test_meaningful_whitespace_survives_markdown_and_html(source, suffix):
    assert round_trip(source, suffix, identity) == source


def test_a_page_with_nul_bytes_is_read_as_a_browser_reads_it(tmp_path) -> None:
    """NUL is U+FFFD to the HTML standard's tokenizer; a binary file is still refused."""
    from pipeline.core.errors import InputError
    from pipeline.inputs.html_file import read_html_article

    page = tmp_path / "page.html"
    page.write_bytes(b"<p>Before\x00after the break.</p>")
    article = read_html_article(page)
    assert [p.text for p in article.paragraphs] == ["Before\ufffdafter the break."]
    assert any("1 NUL byte(s) read as U+FFFD" in w and "page.html" in w for w in article.warnings)
    for binary in (b"<p>x</p>" + b"\x00\x01" * 50, b"<\x00p\x00>\x00", b"<p>\xff\xfe\x00</p>"):
        page.write_bytes(binary)
        with pytest.raises(InputError, match="binary file"):
            read_html_article(page)


def test_reference_links_keep_their_label_when_their_text_is_translated() -> None:
    from pipeline.outputs.references import keep_references

    labels = frozenset({"FOO", "BAR", "BAZ"})
    source = "See [foo] and [x](/u) and [foo][] and [a][bar]."
    assert keep_references(source, "Див [фу] і [x](/u) і [фу][] і [a][bar].", labels) == (
        "Див [фу][foo] і [x](/u) і [фу][foo] і [a][bar]."
    )
    assert keep_references("[foo](not a link)", "[фу](не посилання)", labels) == "[фу][foo](не посилання)"
    assert keep_references("[foo]", "[FOO]", labels) == "[FOO]"  # labels ignore case: the same link
    assert keep_references("[foo]", "[foo]", labels) == "[foo]"
    assert keep_references("[sic]", "[так]", labels) == "[так]"  # not a defined label: text
    assert keep_references("![foo]", "![фу]", labels) == "![фу][foo]"
    assert keep_references("[foo] [bar]", "[фу]", labels) == "[фу]"  # brackets that do not line up
