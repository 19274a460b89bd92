"""Word-processor documents (.docx, .odt), decks (.pptx, .odp) and EPUB books: the text
translated, every other byte of the package kept.

The files under tests/data/documents were made by real tools (pandoc, LibreOffice headless)
from the sources there; see its README. The slow tests make fresh ones with LibreOffice,
open the translated documents in it and run epubcheck on the translated book.
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

from pipeline.core.errors import InputError
from pipeline.inputs.discover import read_article
from pipeline.inputs.docx_file import DIALECT as DOCX
from pipeline.inputs.runs import render
from pipeline.outputs.document import render_package

DATA = Path(__file__).parent / "data" / "documents"
OFFICE = sorted(DATA.glob("word-*.docx")) + sorted(DATA.glob("writer-*.odt"))
DECKS = [DATA / "deck-pandoc.pptx", DATA / "deck-libreoffice.odp"]
READ = "Read the <b1>full</b1> <i2>guide</i2> at <a3>our site</a3> before you go."
TEXT_PART = {".docx": "word/document.xml", ".odt": "content.xml", ".odp": "content.xml"}


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def infos(data: bytes) -> list[tuple[str, int, tuple[int, ...], bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(i.filename, i.compress_type, i.date_time, i.comment) for i in zf.infolist()]


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
    assert roles["Drink"] == roles["Price"] == "table header" and roles["Tea for two"] == "body"
    assert "2.50" not in texts  # nothing to translate in a number
    assert f"{READ} Prices rose in the spring." in texts
    assert "The cafés open at seven &amp; close at &lt;seven&gt;.<x1/>A second line after a break." in texts
    if "pandoc" in path.name:  # the footnote: its own paragraph (footnotes.xml, or inside its host)
        assert "The city council reported the rise in April." in texts
    assert article.parts[0][0] == TEXT_PART[path.suffix]


@pytest.mark.parametrize("path", OFFICE + DECKS, ids=lambda p: p.name)
def test_identity_translation_gives_the_same_members(path: Path):
    article = read_article(path)
    source = path.read_bytes()
    same = render_package(article, {p.index: p.text for p in article.paragraphs}, "uk", None)
    assert members(same) == members(source)
    assert infos(same) == infos(source)  # the same order, compression and dates


@pytest.mark.parametrize("path", OFFICE + DECKS, ids=lambda p: p.name)
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
    if path in OFFICE:
        body = out[TEXT_PART[path.suffix]].decode("utf-8")
        assert "ESPRESSO WITH MILK" in body and ">FULL<" in body and "&amp; CLOSE AT &lt;SEVEN&gt;." in body
    else:
        assert any(">SAY HELLO TO THE AUDIENCE FIRST.<" in data.decode("utf-8") for data in out.values())


@pytest.mark.parametrize("path", DECKS, ids=lambda p: p.name)
def test_decks_slide_titles_bodies_and_notes(path: Path):
    article = read_article(path)
    roles = {p.text: p.role for p in article.paragraphs}
    assert article.title == "Coffee in the old town" and article.paragraphs[0].role == "title"
    assert roles["Where to drink coffee"] == roles["Opening hours"] == "heading"
    assert roles["Read the <b1>full</b1> guide before you go."] == "body"
    assert roles["Prices rose in the <i1>spring</i1>."] == "body"
    assert roles["Say hello to the audience first."] == "body"  # the speaker's notes
    members_read = [part[0] for part in article.parts]
    if path.suffix == ".pptx":
        assert members_read == [
            "ppt/slides/slide1.xml",
            "ppt/slides/slide2.xml",
            "ppt/slides/slide3.xml",
            "ppt/notesSlides/notesSlide1.xml",
        ]
    else:
        assert members_read == ["content.xml"]


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
    """A project with the office documents and decks; the pseudo-locale needs no model."""
    proj = make_project(tmp_path / "docs", ("qps",))
    for path in OFFICE + DECKS:
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
    deck = members((documents.locales / "qps" / "deck-pandoc.pptx").read_bytes())
    assert "⟦Šàý ĥéĺĺö" in deck["ppt/notesSlides/notesSlide1.xml"].decode("utf-8")
    assert "deck-pandoc.pptx:ppt/slides/slide2.xml:2" in references(
        documents.locales / "qps" / "LC_MESSAGES" / "deck-pandoc.po"
    )
    slides = members((documents.locales / "qps" / "deck-libreoffice.odp").read_bytes())["content.xml"]
    assert "⟦Ŵĥéŕé ţö đŕîñķ" in slides.decode("utf-8")


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


# ---------------------------------------------------------------- EPUB

BOOK = DATA / "book.epub"


def first_member(data: bytes) -> zipfile.ZipInfo:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.infolist()[0]


def test_epub_is_one_article_in_reading_order():
    article = read_article(BOOK)
    assert [part[0] for part in article.parts] == [
        "EPUB/content.opf",
        "EPUB/text/title_page.xhtml",
        "EPUB/text/ch001.xhtml",
        "EPUB/text/ch002.xhtml",
        "EPUB/nav.xhtml",
        "EPUB/toc.ncx",
    ]
    texts = [p.text for p in article.paragraphs]
    assert article.title == "The Coffee Book" and article.paragraphs[0].role == "title"
    assert texts.index("Read the <strong>full</strong> guide before you go.") < texts.index(
        "Prices rose in the <em>spring</em>."
    )
    assert "A cup of coffee" in texts and "Tea for two" in texts
    assert "The old town" in texts  # a nav label: the link's text, the link kept around it
    assert "ch001.xhtml" not in texts  # a <title> that is only the file name is kept as it is
    assert [p.index for p in article.paragraphs] == list(range(len(article.paragraphs)))


def test_epub_identity_keeps_every_member_and_puts_mimetype_first_stored():
    article = read_article(BOOK)
    same = render_package(article, {p.index: p.text for p in article.paragraphs}, None, None)
    assert members(same) == members(BOOK.read_bytes())
    first = first_member(same)
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert members(same)["mimetype"] == b"application/epub+zip"


def test_epub_whose_mimetype_is_misplaced_is_written_to_spec(tmp_path: Path):
    source = members(BOOK.read_bytes())
    bad = tmp_path / "bad.epub"
    with zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in reversed(list(source.items())):
            zf.writestr(name, data)
    out = render_package(read_article(bad), {}, "uk", None)
    first = first_member(out)
    assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)


def epubcheck(path: Path) -> None:
    jar = shutil.which("epubcheck")
    if jar is None:
        pytest.skip("epubcheck is not installed (apt-get install epubcheck)")
    import subprocess

    command = ["java", "-jar", str(Path(jar).resolve())] if shutil.which("java") else [jar]
    result = subprocess.run([*command, str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_epub_run_translates_titles_and_language_and_keeps_the_rest(tmp_path: Path):
    proj = make_project(tmp_path / "book", ("qps",))
    shutil.copy(BOOK, proj.inputs / BOOK.name)
    proj.run()
    out = proj.locales / "qps" / "book.epub"
    data = out.read_bytes()
    first = first_member(data)
    assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
    source, written = members(BOOK.read_bytes()), members(data)
    assert list(written) == list(source)
    changed = {name for name in source if written[name] != source[name]}
    assert changed == {
        "EPUB/content.opf",
        "EPUB/toc.ncx",
        "EPUB/nav.xhtml",
        "EPUB/text/title_page.xhtml",
        "EPUB/text/ch001.xhtml",
        "EPUB/text/ch002.xhtml",
    }
    opf = written["EPUB/content.opf"].decode("utf-8")
    assert "<dc:language>qps</dc:language>" in opf and "⟦Ţĥé Çöƒƒéé Ɓööķ" in opf
    old = source["EPUB/content.opf"].decode("utf-8")

    def outside_titles(xml: str) -> str:
        return re.sub(r"(<dc:(?:title|language)\b[^>]*>)[^<]*", r"\1", xml)

    assert outside_titles(opf) == outside_titles(old)
    chapter = written["EPUB/text/ch001.xhtml"].decode("utf-8")
    assert 'xml:lang="qps"' in chapter and "⟦Ŕéàđ ţĥé <strong>ƒûĺĺ</strong>" in chapter
    po = proj.locales / "qps" / "LC_MESSAGES" / "book.po"
    msgfmt_check(po)
    refs = references(po)
    assert "book.epub:EPUB/text/ch001.xhtml:21" in refs and "book.epub:EPUB/content.opf:5" in refs


@pytest.mark.slow
def test_translated_epub_passes_epubcheck(tmp_path: Path):
    proj = make_project(tmp_path / "book", ("qps",))
    shutil.copy(BOOK, proj.inputs / BOOK.name)
    proj.run()
    epubcheck(BOOK)
    epubcheck(proj.locales / "qps" / "book.epub")


# ---------------------------------------------------------------- hostile packages


def docx_with(tmp: Path, name: str, document: bytes | None, extra: dict[str, bytes] | None = None) -> Path:
    """A .docx from the pandoc one with word/document.xml replaced (None: left out)."""
    source = members((DATA / "word-pandoc.docx").read_bytes())
    path = tmp / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for member, data in source.items():
            if member == "word/document.xml":
                if document is None:
                    continue
                data = document
            zf.writestr(member, data)
        for member, data in (extra or {}).items():
            zf.writestr(member, data)
    return path


LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>&secret;</w:t></w:r></w:p></w:body></w:document>"""


def hostile(tmp: Path) -> dict[str, str]:
    """File name -> what its one error line says."""
    (tmp / "text.docx").write_text("Not a zip at all, just words.\n", encoding="utf-8")
    docx_with(tmp, "laughs.docx", LAUGHS)
    docx_with(tmp, "external.docx", EXTERNAL)
    docx_with(tmp, "missing.docx", None)
    docx_with(tmp, "slip.docx", None, {"../../evil.xml": b"<x/>", "word/document.xml": b"<w:document/>"})
    docx_with(tmp, "bomb.docx", b"<w:document>" + b" " * (30 * 1024**2) + b"</w:document>")
    docx_with(tmp, "broken.docx", b"<w:document><w:body><w:p></w:document>")
    docx_with(tmp, "deep.docx", b"<w:document>" + b"<w:r>" * 5000 + b"</w:r>" * 5000 + b"</w:document>")
    with zipfile.ZipFile(tmp / "rooted.epub", "w") as zf:
        zf.writestr("mimetype", "application/epub+zip")
        zf.writestr("/etc/cron.d/evil", "* * * * * root true")
    return {
        "text.docx": "not a zip package",
        "laughs.docx": "entity expansion is refused",
        "external.docx": "entity expansion is refused",
        "missing.docx": "word/document.xml is missing",
        "slip.docx": "zip slip",
        "bomb.docx": "(a zip bomb)",
        "broken.docx": "not well-formed XML",
        "deep.docx": "nests elements more than",
        "rooted.epub": "zip slip",
    }


def test_hostile_packages_are_refused_one_line_each(tmp_path: Path):
    folder = tmp_path / "hostile"
    folder.mkdir()
    for name, expected in hostile(folder).items():
        with pytest.raises(InputError) as caught:
            read_article(folder / name)
        line = caught.value.line()
        assert name in line and expected in line and "\n" not in line, line


def test_a_run_refuses_hostile_documents_and_translates_the_others(tmp_path: Path):
    proj = make_project(tmp_path / "mixed", ("qps",))
    expected = hostile(proj.inputs)
    shutil.copy(DATA / "writer-pandoc.odt", proj.inputs / "good.odt")
    (proj.inputs / "scan.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    expected["scan.pdf"] = "PDF is not read"
    result = proj.run(check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("  error:")]
    for name, message in expected.items():
        assert [line for line in errors if name in line and message in line], (name, result.stderr)
    assert (proj.locales / "qps" / "good.odt").exists()
    assert not (tmp_path / "evil.xml").exists() and not (proj.root / "evil.xml").exists()


# ---------------------------------------------------------------- LibreOffice (slow)


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    return found


def convert(source: Path, to: str, folder: Path, home: Path) -> Path:
    """LibreOffice headless, with a profile of its own (two runs at once share none)."""
    import subprocess

    folder.mkdir(parents=True, exist_ok=True)
    profile = f"-env:UserInstallation=file://{home}"
    command = [soffice(), profile, "--headless", "--convert-to", to, "--outdir", str(folder), str(source)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180)
    out = folder / f"{source.stem}.{to.split(':')[0]}"
    assert out.exists(), result.stdout + result.stderr
    return out


def text_lines(path: Path, tmp: Path) -> list[str]:
    """The document as LibreOffice reads it: its paragraphs, one a line."""
    out = convert(path, "txt:Text (encoded):UTF8", tmp / "txt" / path.suffix[1:], tmp / "profile")
    return [line.strip("\ufeff") for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.slow
@pytest.mark.parametrize("suffix", ["docx", "odt"])
def test_documents_made_by_libreoffice_translate_and_open_in_it(tmp_path: Path, suffix: str):
    html = tmp_path / f"desk-{suffix}.html"
    html.write_text((DATA / "source.html").read_text(encoding="utf-8"), encoding="utf-8")
    target = 'docx:"MS Word 2007 XML"'.replace('"', "") if suffix == "docx" else "odt"
    made = convert(html, target, tmp_path / "made", tmp_path / "profile")
    proj = make_project(tmp_path / "proj", ("qps",))
    shutil.copy(made, proj.inputs / made.name)
    proj.run()
    out = proj.locales / "qps" / made.name
    before, after = text_lines(made, tmp_path / "a"), text_lines(out, tmp_path / "b")
    assert len(after) == len(before)  # the same paragraphs
    assert "Espresso with milk" in before and "⟦Éšþŕéššö ŵîţĥ ɱîĺķ ·····⟧" in after
    assert any(line.startswith("⟦Ŕéàđ ţĥé ƒûĺĺ ĝûîđé àţ öûŕ šîţé") for line in after)
    assert "2.50" in after  # nothing to translate, kept


@pytest.mark.slow
def test_committed_documents_open_in_libreoffice_after_translation(tmp_path: Path):
    proj = make_project(tmp_path / "proj", ("qps",))
    for path in OFFICE:
        shutil.copy(path, proj.inputs / path.name)
    proj.run()
    for path in OFFICE:
        before = text_lines(path, tmp_path / path.stem / "a")
        after = text_lines(proj.locales / "qps" / path.name, tmp_path / path.stem / "b")
        assert len(after) == len(before), (path.name, before, after)
        assert "⟦Éšþŕéššö ŵîţĥ ɱîĺķ ·····⟧" in after and "Espresso with milk" in before


def test_machine_translation_keeps_every_document_well_formed(project: Project):
    """The tiny demo models write nonsense; the runs, placeholders and XML must survive it."""
    from pipeline.inputs.xml_tree import parse

    for path in [*OFFICE, *DECKS, BOOK]:
        shutil.copy(path, project.inputs / path.name)
    project.run("--targets", "uk")
    for path in OFFICE + DECKS:
        source, out = members(path.read_bytes()), members((project.locales / "uk" / path.name).read_bytes())
        assert list(out) == list(source)
        for name, data in source.items():
            if name.endswith(".xml") and data:
                parse(out[name])  # well-formed
            if name not in {part[0] for part in read_article(path).parts}:
                assert out[name] == data, name
        body = TEXT_PART.get(path.suffix, "ppt/slides/slide2.xml")
        paragraphs = re.compile(rb"<(?:w:p|text:p|text:h|a:p)[ >]")
        assert len(paragraphs.findall(out[body])) == len(paragraphs.findall(source[body]))
        assert out[body] != source[body]
    book = members((project.locales / "uk" / "book.epub").read_bytes())
    assert 'xml:lang="uk"' in book["EPUB/text/ch001.xhtml"].decode("utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("path", DECKS, ids=lambda p: p.name)
def test_translated_decks_open_in_libreoffice_impress(tmp_path: Path, path: Path):
    """Impress saves the translated deck in the other format; read back, it has the same
    paragraphs, translated."""
    modules = Path(soffice()).resolve().parent.parent / "share" / "config" / "soffice.cfg" / "modules"
    if not (modules / "simpress").is_dir():
        pytest.skip("LibreOffice Impress is not installed (apt-get install libreoffice-impress-nogui)")
    proj = make_project(tmp_path / "proj", ("qps",))
    shutil.copy(path, proj.inputs / path.name)
    proj.run()
    other = "odp" if path.suffix == ".pptx" else "pptx"
    before = convert(path, other, tmp_path / "a", tmp_path / "profile")
    after = convert(proj.locales / "qps" / path.name, other, tmp_path / "b", tmp_path / "profile")
    source = [p.text for p in read_article(before).paragraphs]
    translated = [p.text for p in read_article(after).paragraphs]
    assert len(translated) == len(source) and "Opening hours" in source
    assert any(text.startswith("⟦Öþéñîñĝ ĥöûŕš") for text in translated)


def test_a_bare_doctype_is_read_and_one_with_declarations_refused():
    from pipeline.inputs.xml_tree import XMLRefused, parse

    public = b'"-//NISO//DTD ncx 2005-1//EN" "http://www.daisy.org/z3986/2005/ncx-2005-1.dtd"'
    ncx = b'<?xml version="1.0"?><!DOCTYPE ncx PUBLIC ' + public + b"><ncx><text>A</text></ncx>"
    assert parse(ncx).name == "ncx"
    for hostile_xml in (LAUGHS, EXTERNAL, b'<!DOCTYPE x [<!ELEMENT x ANY>]><x/>'):
        with pytest.raises(XMLRefused):
            parse(hostile_xml)
