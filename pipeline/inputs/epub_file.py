"""EPUB books: one article per book, its content documents read as HTML.

The article's paragraphs come part by part: the package document's (OPF) `dc:title`
first (the title), then each XHTML document of the spine in reading order, then the
navigation document if the spine leaves it out, then the NCX table of contents' labels.
XHTML goes through the HTML reader (pipeline.inputs.html_file): inline markup stays in
the msgid, `<html lang/xml:lang>` is set to the target language. Every other member (CSS,
images, fonts, container.xml) is copied byte for byte; the OPF and NCX change only in the
translated titles, `dc:language` and `xml:lang`. The written book's `mimetype` member is
first and stored, as the EPUB container format requires.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from pipeline.core.errors import InputError
from pipeline.inputs.article import Article, Paragraph
from pipeline.inputs.html_file import parse_html
from pipeline.inputs.html_render import bcp47
from pipeline.inputs.html_render import render as render_html
from pipeline.inputs.office import new_article, parse_part
from pipeline.inputs.runs import real
from pipeline.inputs.xml_tree import Node, unescape
from pipeline.inputs.zip_package import Package, open_package, write_package

WHAT = "EPUB"
CONTAINER = "META-INF/container.xml"
XHTML = "application/xhtml+xml"
NCX = "application/x-dtbncx+xml"
_LANGUAGE = re.compile(r"(<dc:language\b[^>]*>)([^<]*)(</dc:language>)")
_LINK = re.compile(r"(<a\b[^>]*>)(.*)</a>", re.DOTALL)
_XML_LANG = re.compile(r'(\sxml:lang=)("[^"]*"|\'[^\']*\')')


def _package_document(package: Package) -> str:
    """The OPF's member name, from META-INF/container.xml."""
    if not package.has(CONTAINER):
        raise InputError(package.path, f"{CONTAINER} is missing: not an {WHAT}; re-save the book")
    _, root = parse_part(package, CONTAINER)
    rootfile = next(root.iter("rootfile"), None)
    name = rootfile.attrs.get("full-path", "") if rootfile is not None else ""
    if not name or not package.has(name):
        raise InputError(package.path, f"{CONTAINER} names no package document; re-save the book")
    return name


def _href(opf: str, href: str) -> str:
    """A manifest href as a member name (relative to the OPF's folder, no fragment)."""
    folder = PurePosixPath(opf).parent
    joined = PurePosixPath(folder, unquote(href.split("#")[0]))
    parts: list[str] = []
    for part in joined.parts:
        if part == "..":
            if parts:
                parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def _xml_text_part(article: Article, view: str, member: str, nodes: list[tuple[Node, str]]) -> None:
    """A part whose paragraphs are the character data of some elements (titles, labels)."""
    start_layout, start_paragraphs, cursor = len(article.layout), len(article.paragraphs), 0
    for node, role in sorted(nodes, key=lambda n: n[0].start):
        raw = real(view[node.open_end : node.close_start])
        text = unescape(raw).strip()
        if "<" in raw or not any(ch.isalpha() for ch in text) or node.start < cursor:
            continue
        index = len(article.paragraphs)
        lead = raw[: len(raw) - len(raw.lstrip())]
        trail = raw[len(raw.rstrip()) :]
        article.paragraphs.append(Paragraph(index, text, role, "xml", raw.strip()))
        article.layout += [real(view[cursor : node.open_end]) + lead, index]
        cursor = node.close_start
        article.layout.append(trail)
    article.layout.append(real(view[cursor:]))
    added = [len(article.layout) - start_layout, len(article.paragraphs) - start_paragraphs, "xml"]
    article.parts.append([member, *added])


def _links_as_labels(page: Article) -> None:
    """In the navigation document a list item holds one link and nothing else, so a label
    `<a href=...>text</a>` is translated as its text, the link kept around it."""
    by_index = {p.index: p for p in page.paragraphs}
    layout: list[str | int] = []
    for part in page.layout:
        p = by_index.get(part) if isinstance(part, int) else None
        found = _LINK.fullmatch(p.original()) if p is not None and p.kind == "html" else None
        if p is None or found is None or "<a" in found.group(2) or "</a" in found.group(2):
            layout.append(part)
            continue
        inner = _LINK.fullmatch(p.text)
        text = inner.group(2) if inner else found.group(2)
        source = found.group(2) if found.group(2) != text else None
        page.paragraphs[page.paragraphs.index(p)] = Paragraph(p.index, text, p.role, p.kind, source)
        layout += [found.group(1), part, "</a>"]
    page.layout = layout


def _keep_file_name_titles(page: Article, member: str, start: int) -> None:
    """A `<title>` that is only the document's file name (`ch001.xhtml`, as pandoc writes)
    is kept as it is: nothing for a translator."""
    name = PurePosixPath(member).name
    dropped = {p.index: p.original() for p in page.paragraphs if p.role == "title" and p.text == name}
    if not dropped:
        return
    kept = [p for p in page.paragraphs if p.index not in dropped]
    renumber = {p.index: start + k for k, p in enumerate(kept)}
    page.paragraphs = [dataclasses.replace(p, index=renumber[p.index]) for p in kept]
    page.layout = [
        dropped[part] if isinstance(part, int) and part in dropped else renumber.get(part, part)  # type: ignore[arg-type]
        for part in page.layout
    ]


def _xhtml_part(article: Article, package: Package, member: str, nav: bool = False) -> None:
    data = package.read(member)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(package.path, f"{member} is not UTF-8; re-save the {WHAT}") from None
    start = len(article.paragraphs)
    page = parse_html(article.source, text, "x", start, title_from_heading=False, declare_charset=False)
    _keep_file_name_titles(page, member, start)
    if nav:
        _links_as_labels(page)
    if data.startswith(b"\xef\xbb\xbf"):
        page.layout.insert(0, "\ufeff")
    article.paragraphs += page.paragraphs
    article.layout += page.layout
    article.parts.append([member, len(page.layout), len(page.paragraphs), "xhtml"])


def read_epub_article(path: Path, data: bytes | None = None) -> Article:
    package = open_package(path, path.read_bytes() if data is None else data, WHAT)
    opf = _package_document(package)
    view, root = parse_part(package, opf)
    manifest: dict[str, Node] = {
        item.attrs["id"]: item for item in root.iter("item") if "id" in item.attrs and "href" in item.attrs
    }
    spine = [ref.attrs.get("idref", "") for ref in root.iter("itemref")]
    article = new_article(path)
    titles = [(n, "title") for n in root.iter("dc:title")]
    _xml_text_part(article, view, opf, titles)
    documents = [manifest[i] for i in spine if i in manifest and manifest[i].attrs.get("media-type") == XHTML]
    nav = [i for i in manifest.values() if "nav" in i.attrs.get("properties", "").split()]
    documents += [i for i in nav if i not in documents]
    seen: set[str] = set()
    for item in documents:
        member = _href(opf, item.attrs["href"])
        if member in seen or not package.has(member):
            continue
        seen.add(member)
        _xhtml_part(article, package, member, nav=item in nav)
    for item in manifest.values():
        member = _href(opf, item.attrs["href"])
        if item.attrs.get("media-type") == NCX and package.has(member) and member not in seen:
            seen.add(member)
            ncx_view, ncx = parse_part(package, member)
            labels = [(t, "heading") for label in ncx.iter("navLabel") for t in label.iter("text")]
            labels += [(t, "title") for title in ncx.iter("docTitle") for t in title.iter("text")]
            _xml_text_part(article, ncx_view, member, labels)
    if not any(p.kind in {"html", "attr", "attr-in"} for p in article.paragraphs):
        raise InputError(path, f"no text in the {WHAT}'s spine documents; nothing to translate")
    return article


def _localize_xml(text: str, locale: str | None) -> str:
    """dc:language and every xml:lang of the OPF or NCX set to the target language."""
    if not locale:
        return text
    lang = bcp47(locale)
    text = _LANGUAGE.sub(lambda m: m.group(1) + lang + m.group(3), text)
    return _XML_LANG.sub(lambda m: f"{m.group(1)}{m.group(2)[0]}{lang}{m.group(2)[0]}", text)


def render_epub(article: Article, data: bytes, texts: dict[int, str], locale: str | None) -> bytes:
    """The translated book; its mimetype first and stored."""
    from pipeline.core.locales import RTL_LANGUAGES, parse_locale

    package = open_package(article.source, data, WHAT)
    rtl = bool(locale) and parse_locale(locale).language in RTL_LANGUAGES  # type: ignore[arg-type]
    replaced: dict[str, bytes] = {}
    for member, kind, layout, paragraphs in article.part_slices():
        part = Article(article.id, article.source, paragraphs, layout)
        if kind == "xhtml":
            text = render_html(part, texts, locale, rtl)
        else:
            text = _localize_xml(part.render(texts), locale)
        replaced[member] = text.encode("utf-8")
    return write_package(package, replaced, first_stored="mimetype")
