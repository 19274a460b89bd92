"""A translated zip package (.docx, .odt, .pptx, .odp, .epub): the source's members with text parts redone.

The record keeps each text part's layout (the XML between paragraphs, and paragraph
indexes), so only the other members come from the source file: it is read again and must
be the bytes the record was made from (a file edited since is translated on the next run).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pipeline.core.errors import InputError
from pipeline.inputs.article import Article, Paragraph
from pipeline.inputs.runs import Dialect, render

WHAT = {".docx": "Word document", ".odt": "OpenDocument text", ".pptx": "PowerPoint deck"}
WHAT[".odp"] = "OpenDocument presentation"


def _dialects() -> dict[str, Dialect]:
    from pipeline.inputs.docx_file import DIALECT as DOCX
    from pipeline.inputs.odt_file import DIALECT as ODT
    from pipeline.inputs.pptx_file import DIALECT as PPTX

    return {"docx": DOCX, "odt": ODT, "pptx": PPTX}


def is_package(article: Article) -> bool:
    return bool(article.parts)


def render_runs_part(
    layout: list[str | int], paragraphs: list[Paragraph], texts: dict[int, str], dialect: Dialect
) -> str:
    """A .docx or .odt part: each paragraph written back into its runs; a paragraph inside
    another (a note, a text box) written back inside its host."""
    by_index = {p.index: p for p in paragraphs}
    # the paragraphs inside a host follow it (document order), so each host's are found in
    # one pass, not by searching every host for every note
    inner: dict[int, list[Paragraph]] = {}
    host = None
    for p in paragraphs:
        if p.kind.endswith("-in") and host is not None:
            inner[host].append(p)
        else:
            host = p.index
            inner[host] = []

    def paragraph(p: Paragraph, nested: list[Paragraph]) -> str:
        xml = render(p.original(), texts[p.index], dialect) if p.index in texts else p.original()
        for k, q in enumerate(nested):
            if q.original() in xml:
                xml = xml.replace(q.original(), paragraph(q, nested[k + 1 :]))
        return xml

    return "".join(
        part if isinstance(part, str) else paragraph(by_index[part], inner.get(part, [])) for part in layout
    )


def render_package(
    article: Article,
    texts: dict[int, str],
    locale: str | None,
    digest: str | None,
) -> bytes:
    """The translated package; digest: the source bytes the record was made from."""
    source = article.source
    try:
        data = Path(source).read_bytes()
    except OSError as exc:
        raise InputError(source, f"cannot be read again to write it ({exc.strerror}); run again") from None
    if digest and hashlib.sha256(data).hexdigest() != digest:
        raise InputError(source, "changed since it was read for this run; run again to translate it")
    suffix = Path(source).suffix.lower()
    if suffix == ".epub":
        from pipeline.inputs.epub_file import render_epub

        return render_epub(article, data, texts, locale)
    from pipeline.inputs.zip_package import open_package, write_package

    package = open_package(Path(source), data, WHAT.get(suffix, suffix))
    dialects = _dialects()
    replaced = {
        member: render_runs_part(layout, paragraphs, texts, dialects[kind]).encode("utf-8")
        for member, kind, layout, paragraphs in article.part_slices()
    }
    return write_package(package, replaced)
