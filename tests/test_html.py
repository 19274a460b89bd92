"""HTML articles: the same document out in every locale, only the text people read translated.

The deterministic engines of test_protect show what happens to markup (the random-weights
model cannot); the demo model proves the wiring end to end through `locpipe run`.
"""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import polib
from conftest import Project, make_project, msgfmt_check

from pipeline.catalogs.entries import units_from_segments
from pipeline.catalogs.machine import machine_texts
from pipeline.catalogs.merge import MergeInputs, merge_catalog
from pipeline.inputs.html_charset import decode_html
from pipeline.inputs.html_file import parse_html, read_html_article
from pipeline.inputs.html_render import bcp47
from pipeline.outputs.render import render_article
from pipeline.segments.segment import segment_article
from pipeline.translation.protect import TOKEN, model_input
from pipeline.translation.synthetic import build_package

ARTICLE = """\
<!DOCTYPE html>
<html>
<head>
<meta charset="windows-1252">
<title>Caf\u00e9 prices in the old town</title>
<meta name="description" content="Where to drink coffee &amp; what it costs.">
<style>p { color: #333; } /* never translated */</style>
<script>if (a < b && c) { document.write("<p>Not a paragraph</p>"); }</script>
</head>
<body>
<h1>Where to drink coffee</h1>
<!-- editor: check the prices again in May -->
<p>Read the <a href="https://example.org/guide?a=1&b=2&amp;c=3" title="The full guide"><strong>full</strong> \
<em>guide</em></a>&nbsp;before you go. Prices rose in the spring.</p>
<p translate="no">Caf\u00e9 Central GmbH keeps its name.</p>
<p>Run <code>make coffee</code> and ask for <span class="notranslate">Melange</span> at the counter.</p>
<figure><img src="img/cup.png?w=1&h=2" alt="A cup of coffee on a table"><figcaption>Our favourite \
cup in town</figcaption></figure>
<table>
<tr><th>Drink</th><th>Price</th></tr>
<tr><td>Espresso with milk</td><td>2.50</td></tr>
<tr><td><code>latte_xl</code></td><td>3</td></tr>
</table>
<pre>  opening   hours
  07:00 - 19:00 </pre>
</body>
</html>
"""
SCRIPT = '<script>if (a < b && c) { document.write("<p>Not a paragraph</p>"); }</script>'
KEPT = [
    SCRIPT,
    "<style>p { color: #333; } /* never translated */</style>",
    "<pre>  opening   hours\n  07:00 - 19:00 </pre>",
    "<!-- editor: check the prices again in May -->",
    '<p translate="no">Caf\u00e9 Central GmbH keeps its name.</p>',
    "<code>make coffee</code>",
    '<span class="notranslate">Melange</span>',
    'href="https://example.org/guide?a=1&b=2&amp;c=3"',
    'src="img/cup.png?w=1&h=2"',
    "<td>2.50</td>",
    "<td><code>latte_xl</code></td>",
    "&nbsp;",
    "<!DOCTYPE html>",
]
LINK_SENTENCE = (
    'Read the <a href="https://example.org/guide?a=1&b=2&amp;c=3" title="The full guide">'
    "<strong>full</strong> <em>guide</em></a>&nbsp;before you go."
)
READ = {"alt", "title", "placeholder", "aria-label", "content", "lang", "dir", "charset"}


class _Tree(HTMLParser):
    """The element tree as html.parser sees it: (tag, attributes other than the translated
    ones, children); text left out."""

    VOID = {"br", "img", "meta", "link", "input", "hr", "wbr", "source"}

    def __init__(self) -> None:
        super().__init__()
        self.root: list = []
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = (tag, tuple((k, v) for k, v in attrs if k not in READ), [])
        self.stack[-1].append(node)
        if tag not in self.VOID:
            self.stack.append(node[2])

    def handle_endtag(self, tag):
        if len(self.stack) > 1:
            self.stack.pop()


def tree(text: str) -> list:
    parser = _Tree()
    parser.feed(text)
    parser.close()
    return parser.root


def upper_words(texts: list[str]) -> list[str]:
    """A well-behaved engine: changes every word, copies every token."""
    return ["".join(p if TOKEN.fullmatch(p) else p.upper() for p in re.split(r"(Z\d+Z)", t)) for t in texts]


def drops_emphasis(texts: list[str]) -> list[str]:
    """An engine that loses the token of the <em> tag in the link sentence."""
    out = upper_words(texts)
    return [u.replace("Z4Z", "") if "full" in t else u for t, u in zip(texts, out, strict=True)]


def translate(engine, path: Path, locale: str = "uk", review: bool = True) -> tuple[str, polib.POFile]:
    article = read_html_article(path)
    segments = segment_article(article, "en")
    units = units_from_segments(article.id, segments)
    inputs = [model_input(u.msgid, u.kind, {}).text for u in units]
    stored = dict(zip(inputs, engine(inputs), strict=True))
    machine = machine_texts(units, stored, {}, "machine: test engine", "en", locale)
    po = merge_catalog(units, None, MergeInputs(machine), "source: en", {}, "")
    if review:
        for entry in po:
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
    return render_article(article, segments, po, locale), po


def write_article(folder: Path, name: str = "coffee.html") -> Path:
    path = folder / name
    path.write_bytes(ARTICLE.encode("cp1252"))
    return path


def test_html_is_read_from_its_declared_encoding_and_reassembles(tmp_path):
    path = write_article(tmp_path)
    text, encoding = decode_html(path, path.read_bytes())
    assert encoding == "cp1252" and text == ARTICLE
    article = read_html_article(path)
    roles = {p.text: (p.role, p.kind) for p in article.paragraphs}
    assert roles["Caf\u00e9 prices in the old town"] == ("title", "html")
    assert roles["Where to drink coffee"] == ("heading", "html")
    assert roles["Drink"] == ("table header", "html") and roles["Espresso with milk"] == ("body", "html")
    assert roles["Where to drink coffee & what it costs."] == ("body", "attr")
    assert roles["A cup of coffee on a table"] == ("body", "attr")
    assert roles["The full guide"] == ("body", "attr-in")
    texts = " ".join(roles)
    for kept in ("Not a paragraph", "never translated", "opening", "Central", "2.50", "latte_xl", "editor"):
        assert kept not in texts
    untouched = render_article(article, segment_article(article, "en"), polib.POFile())
    assert untouched == ARTICLE.replace('charset="windows-1252"', 'charset="utf-8"')


def test_translated_html_keeps_tree_code_urls_and_sets_lang(tmp_path):
    out, po = translate(upper_words, write_article(tmp_path))
    assert tree(out) == tree(ARTICLE)
    for kept in KEPT:
        assert kept in out
    assert '<html lang="uk">' in out and '<meta charset="utf-8">' in out
    assert "<title>CAF\u00c9 PRICES IN THE OLD TOWN</title>" in out
    assert 'content="WHERE TO DRINK COFFEE &amp; WHAT IT COSTS."' in out
    assert 'alt="A CUP OF COFFEE ON A TABLE"' in out and 'title="THE FULL GUIDE"' in out
    assert "<th>DRINK</th>" in out and "<figcaption>OUR FAVOURITE CUP IN TOWN</figcaption>" in out
    assert "<strong>FULL</strong> <em>GUIDE</em></a>&nbsp;BEFORE YOU GO. PRICES ROSE" in out
    entry = po.find(LINK_SENTENCE)
    assert entry is not None and entry.msgstr.startswith("READ THE <a href=")
    assert po.find("Drink", msgctxt="table header") and po.find("Where to drink coffee", msgctxt="heading")


def test_a_dropped_tag_is_put_back_and_noted(tmp_path):
    out, po = translate(drops_emphasis, write_article(tmp_path), review=False)
    entry = po.find(LINK_SENTENCE)
    assert "<em>" in entry.msgstr and "</em>" in entry.msgstr
    assert "check: tag <em> missing in MT, restored" in entry.comment and "fuzzy" in entry.flags
    assert tree(out) == tree(ARTICLE)


def test_lang_and_dir_follow_the_locale_and_a_fragment_gets_no_wrapper(tmp_path):
    assert bcp47("pt_BR") == "pt-BR" and bcp47("sr@latin") == "sr-Latn" and bcp47("zh_Hant") == "zh-Hant"
    out, _ = translate(upper_words, write_article(tmp_path), "ar")
    assert '<html lang="ar" dir="rtl">' in out
    fragment = parse_html(tmp_path / "f.html", "<p>Only a <b>fragment</b> here.</p>\n")
    rendered = render_article(fragment, segment_article(fragment, "en"), polib.POFile(), "ar")
    assert rendered == "<p>Only a <b>fragment</b> here.</p>\n"


def html_project(root: Path, targets: tuple[str, ...], models: Path) -> Project:
    project = make_project(root, targets)
    shutil.copytree(models, project.models, dirs_exist_ok=True)
    write_article(project.inputs)
    return project


def test_html_end_to_end_with_review(project: Project):
    for sample in project.inputs.iterdir():
        sample.unlink()  # the fixture's text article: this project translates HTML only
    write_article(project.inputs)
    project.run()
    for locale in ("uk", "tr"):
        out = (project.locales / locale / "coffee.html").read_bytes().decode("utf-8")
        assert tree(out) == tree(ARTICLE)
        for kept in KEPT:
            assert kept in out
        assert f'<html lang="{locale}">' in out and '<meta charset="utf-8">' in out
    for po in project.locales.rglob("*.po"):
        msgfmt_check(po)
    po_path = project.locales / "uk" / "LC_MESSAGES" / "coffee.po"
    po = polib.pofile(str(po_path))
    entry = po.find(LINK_SENTENCE)
    assert entry is not None and "fuzzy" in entry.flags
    reviewed = (
        'Прочитайте <a href="https://example.org/guide?a=1&b=2&amp;c=3" title="The full guide">'
        "<em>повний</em> <strong>посібник</strong></a>&nbsp;перед поїздкою."
    )
    entry.msgstr = reviewed
    entry.flags = [f for f in entry.flags if f != "fuzzy"]
    po.save()
    project.run()
    out = (project.locales / "uk" / "coffee.html").read_text(encoding="utf-8")
    # the reviewer's words and tag order; the link's title attribute is its own entry
    assert 'Прочитайте <a href="https://example.org/guide?a=1&b=2&amp;c=3" title="' in out
    assert "<em>повний</em> <strong>посібник</strong></a>&nbsp;перед поїздкою." in out
    assert tree(out) != tree(ARTICLE)  # the reviewer swapped two elements, and that is kept
    assert SCRIPT in out
    msgfmt_check(po_path)


def test_rtl_locale_gets_dir_and_jsonl_bodies_may_be_html(tmp_path, installed_models):
    project = html_project(tmp_path / "proj", ("ar",), installed_models)
    arabic = build_package("en", "ar", tmp_path / "pkg", sample_text="Officials met in Kyiv. " * 20)
    project.locpipe("models", "install", str(arabic))
    body = '<p>Officials met in <a href="https://example.org/?x=1&y=2">Kyiv</a> on Monday.</p>\n<pre>x</pre>'
    line = {"id": "kyiv", "title": "Officials met", "body": body, "format": "html"}
    (project.inputs / "feed.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    project.run()
    out = (project.locales / "ar" / "coffee.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in out and tree(out) == tree(ARTICLE)
    feed = json.loads((project.locales / "ar" / "feed.jsonl").read_text(encoding="utf-8"))
    assert tree(feed["body"]) == tree(body) and feed["body"].endswith("</p>\n<pre>x</pre>")
    assert 'href="https://example.org/?x=1&y=2"' in feed["body"]
    po = polib.pofile(str(project.locales / "ar" / "LC_MESSAGES" / "kyiv.po"))
    assert any("<a href=" in e.msgid for e in po)
    for path in project.locales.rglob("*.po"):
        msgfmt_check(path)


LOOSE = """<div class="x">Loose text in a <b>div</b>
<ul><li>Item one <ul><li>Sub item</li></ul> tail words</li><LI>Item two<br/>second line
</ul><p>First para<p>Second para <b>First sentence. Second one.</b> Third.
<dl><dt>Term<dd>Definition here</dl>
<table><caption>Table caption</caption><tr><th><p>Header para</p></th><td>12 345</td></tr></table>
<p title='It&#39;s "quoted"' aria-label=unquoted>Text with an <abbr title="Entity">&eacute;</abbr>.</p>
</div>"""


def test_implied_end_tags_nesting_and_attribute_quoting(tmp_path):
    article = parse_html(tmp_path / "loose.html", LOOSE)
    texts = {p.text: p.role for p in article.paragraphs}
    for text in ("Item one", "Sub item", "tail words", "Item two<br/>second line", "First para", "Term"):
        assert texts[text] == "body"
    assert texts["Header para"] == "table header" and "12 345" not in " ".join(texts)
    assert texts['Text with an <abbr title="Entity">é</abbr>.'] == "body"  # a visible entity, decoded
    msgids = [s.msgid for s in segment_article(article, "en")]
    assert "Second one.</b>" in msgids and "Third." in msgids  # an end tag stays with its sentence
    out, _ = translate(upper_words, write_html(tmp_path / "loose.html", LOOSE.encode()))
    assert tree(out) == tree(LOOSE)
    assert '<p title=\'IT&#39;S "QUOTED"\' aria-label="UNQUOTED">' in out
    assert '<abbr title="ENTITY">É</abbr>' in out and "<LI>ITEM TWO<br/>SECOND LINE" in out


def write_html(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_encoding_follows_the_html_rules(tmp_path):
    cafe = "<p>Caf\u00e9 cr\u00e8me</p>"
    assert decode_html("a", cafe.encode("utf-8")) == (cafe, "utf-8")  # no declaration, valid UTF-8
    assert decode_html("b", cafe.encode("cp1252")) == (cafe, "cp1252")  # otherwise windows-1252
    equiv = '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">' + cafe
    assert decode_html("c", equiv.encode("cp1252"))[1] == "cp1252"  # latin1 means windows-1252
    path = write_html(tmp_path / "equiv.html", ("<html><head>" + equiv).encode("cp1252"))
    out, _ = translate(upper_words, path)
    assert '<html lang="uk"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">' in out


def test_an_embed_inside_a_paragraph_keeps_its_title_translatable(tmp_path):
    embed = '<iframe src="https://v.example/e?a=1&b=2" title="Video of the meeting"></iframe>'
    source = f"<p>Watch the {embed} now.</p>\n"
    out, po = translate(upper_words, write_html(tmp_path / "embed.html", source.encode()))
    assert po.find("Video of the meeting") is not None
    assert '<iframe src="https://v.example/e?a=1&b=2" title="VIDEO OF THE MEETING"></iframe> NOW.' in out
    assert tree(out) == tree(source)


def test_a_page_without_a_charset_declaration_gets_one_saying_utf8(tmp_path):
    page = (
        "<!DOCTYPE html>\n<html><head>\n<title>Caf\u00e9 notes</title>\n</head>\n"
        "<body><p>Prices rose.</p></body></html>\n"
    )
    article = parse_html(tmp_path / "p.html", page)
    out = render_article(article, segment_article(article, "en"), polib.POFile(), "uk")
    assert out == page.replace("<html>", '<html lang="uk">').replace("<head>", '<head><meta charset="utf-8">')
    declared = page.replace("<head>", '<head><meta charset="windows-1252">')
    article = parse_html(tmp_path / "d.html", declared)
    out = render_article(article, segment_article(article, "en"), polib.POFile(), "uk")
    assert out.count("charset") == 1 and '<meta charset="utf-8">' in out  # rewritten, not doubled
    fragment = parse_html(tmp_path / "f.html", "<header><p>No head here.</p></header>\n")
    assert "charset" not in render_article(fragment, segment_article(fragment, "en"), polib.POFile(), "uk")
