"""Word-processor documents (.docx, .odt) and EPUB books: the text translated, every other
byte of the package kept.

The files under tests/data/documents were made by real tools from source.md (pandoc) and
source.html (LibreOffice headless); see the README there. The slow tests make fresh ones
with LibreOffice and open the translated documents in it.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import polib
import pytest
from conftest import Project, make_project, msgfmt_check

from pipeline.inputs.discover import read_article
from pipeline.inputs.docx_file import DIALECT as DOCX
from pipeline.inputs.runs import render
from pipeline.outputs.document import render_package

DATA = Path(__file__).parent / "data" / "documents"
OFFICE = sorted(DATA.glob("word-*.docx")) + sorted(DATA.glob("writer-*.odt"))
READ = "Read the <b1>full</b1> <i2>guide</i2> at <a3>our site</a3> before you go."
TEXT_PART = {".docx": "word/document.xml", ".odt": "content.xml"}


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def infos(data: bytes) -> list[tuple[str, int]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(i.filename, i.compress_type) for i in zf.infolist()]


def without_text(xml: bytes) -> str:
    """The XML with every text node emptied: what must not change when only text does."""
    return re.sub(r">[^<]*<", "><", xml.decode("utf-8"))


def shout(message: str) -> str:
    """A 'translation' that changes every letter and keeps every tag where it is."""
    return re.sub(r"(^|>)([^<]*)", lambda m: m.group(1) + m.group(2).upper(), message)


@pytest.mark.parametrize("path", OFFICE, ids=lambda p: p.name)
def test_paragraphs_headings_cells_and_inline_tags(path: Path):
    article = read_article(path)
    texts = [p.text for p in article.paragraphs]
    roles = {p.text: p.role for p in article.paragraphs}
    title = article.paragraphs[0]
    assert title.role == "title" and "coffee" in title.text.lower()
    assert roles["Opening hours"] == "heading"
    assert "Espresso with milk" in texts and "Tea for two" in texts  # table cells
    assert "2.50" not in texts  # nothing to translate in a number
    assert f"{READ} Prices rose in the spring." in texts
    assert "The cafés open at seven &amp; close at &lt;seven&gt;.<x1/>A second line after a break." in texts
    if "pandoc" in path.name:  # the footnote: its own paragraph (footnotes.xml, or inside its host)
        assert "The city council reported the rise in April." in texts
    assert article.parts[0][0] == TEXT_PART[path.suffix]


@pytest.mark.parametrize("path", OFFICE, ids=lambda p: p.name)
def test_identity_translation_gives_the_same_members(path: Path):
    article = read_article(path)
    source = path.read_bytes()
    same = render_package(article, {p.index: p.text for p in article.paragraphs}, "uk", None)
    assert members(same) == members(source)
    assert infos(same) == infos(source)  # the same order and compression


@pytest.mark.parametrize("path", OFFICE, ids=lambda p: p.name)
def test_only_text_nodes_change(path: Path):
    article = read_article(path)
    source = members(path.read_bytes())
    out = members(render_package(article, {p.index: shout(p.text) for p in article.paragraphs}, "uk", None))
    text_parts = {part[0] for part in article.parts}
    assert list(out) == list(source)
    for name, data in source.items():
        if name not in text_parts:
            assert out[name] == data, name
        else:
            assert without_text(out[name]) == without_text(data), name
    body = out[TEXT_PART[path.suffix]].decode("utf-8")
    assert "ESPRESSO WITH MILK" in body and ">FULL<" in body and "&amp; CLOSE AT &lt;SEVEN&gt;." in body


def test_formatting_follows_the_words_it_was_on():
    article = read_article(DATA / "word-libreoffice.docx")
    p = next(p for p in article.paragraphs if p.text.startswith("Read the"))
    xml = render(p.original(), "Zuerst <i2>Führer</i2>, dann <b1>ganz</b1> auf <a3>Seite</a3>.", DOCX)
    assert re.search(r"<w:r><w:rPr><w:i/></w:rPr><w:t>Führer</w:t></w:r>", xml)
    assert re.search(r"<w:r><w:rPr><w:b/></w:rPr><w:t>ganz</w:t></w:r>", xml)
    link = r'<w:hyperlink r:id="\w+"><w:r><w:rPr><w:rStyle w:val="InternetLink"/></w:rPr><w:t>Seite'
    assert re.search(link, xml)
    assert xml.index("Führer") < xml.index("ganz") < xml.index("Seite")
    assert '<w:t xml:space="preserve">Zuerst </w:t>' in xml  # spaces at an edge are kept


def test_a_placeholder_the_translation_lost_stays_in_the_paragraph():
    article = read_article(DATA / "word-libreoffice.docx")
    p = next(p for p in article.paragraphs if "<x1/>" in p.text)
    xml = render(p.original(), "Ohne Umbruch & mit <Zeichen>.", DOCX)
    assert xml.count("<w:br/>") == 1 and "Ohne Umbruch &amp; mit" in xml
    twice = render(p.original(), "Eins<x1/> zwei<x1/>", DOCX)
    assert twice.count("<w:br/>") == 1  # a placeholder comes back once


def references(po: Path) -> list[str]:
    return [f"{name}:{line}" for e in polib.pofile(str(po)) for name, line in e.occurrences]


@pytest.fixture
def documents(tmp_path: Path) -> Project:
    """A project with the four office documents; the pseudo-locale needs no model."""
    proj = make_project(tmp_path / "docs", ("qps",))
    for path in OFFICE:
        shutil.copy(path, proj.inputs / path.name)
    return proj


def test_run_renders_each_document_and_catalogs_point_into_the_package(documents: Project):
    documents.run()
    for path in OFFICE:
        out = documents.locales / "qps" / path.name
        assert out.exists(), out
        body = members(out.read_bytes())[TEXT_PART[path.suffix]].decode("utf-8")
        assert "⟦Ŕéàđ ţĥé" in body and "Espresso with milk" not in body
        po = documents.locales / "qps" / "LC_MESSAGES" / f"{path.stem}.po"
        msgfmt_check(po)
        refs = references(po)
        assert f"{path.name}:{TEXT_PART[path.suffix]}:1" in refs
        heading = next(e for e in polib.pofile(str(po)) if e.msgid == "Opening hours")
        assert heading.msgctxt == "heading"
    refs = references(documents.locales / "qps" / "LC_MESSAGES" / "word-pandoc.po")
    assert any(r.startswith("word-pandoc.docx:word/footnotes.xml:") for r in refs)


def test_a_reviewed_msgstr_reaches_the_document_and_reruns_are_stable(documents: Project):
    documents.run()
    po_path = documents.locales / "qps" / "LC_MESSAGES" / "word-libreoffice.po"
    po = polib.pofile(str(po_path))
    entry = next(e for e in po if e.msgid == "Tea for two")
    entry.msgstr, entry.flags = "Чай на двох", []
    cell = next(e for e in po if e.msgid.startswith("Read the"))
    cell.msgstr, cell.flags = "Спершу <i2>посібник</i2>, тоді <b1>повний</b1> на <a3>сайті</a3>.", []
    po.save(str(po_path))
    documents.run()
    out = documents.locales / "qps" / "word-libreoffice.docx"
    body = members(out.read_bytes())["word/document.xml"].decode("utf-8")
    assert "<w:t>Чай на двох</w:t>" in body
    assert "<w:rPr><w:i/></w:rPr><w:t>посібник</w:t>" in body
    before = {p: p.read_bytes() for p in (documents.locales / "qps").glob("w*")}
    documents.run()
    assert {p: p.read_bytes() for p in before} == before


def test_an_edited_document_is_read_again(documents: Project):
    documents.run()
    shutil.copy(DATA / "writer-pandoc.odt", documents.inputs / "writer-libreoffice.odt")
    documents.run()
    po = documents.locales / "qps" / "LC_MESSAGES" / "writer-libreoffice.po"
    assert any(e.msgid == "Coffee prices in the old town" for e in polib.pofile(str(po)))
    out = members((documents.locales / "qps" / "writer-libreoffice.odt").read_bytes())["content.xml"]
    assert "⟦Ţĥé çîţý" in out.decode("utf-8")  # the footnote, written back inside its paragraph
