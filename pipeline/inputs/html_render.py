"""An HTML article written back: the source with each paragraph's translation in its
place, `<html lang>` (and dir) set to the locale and the charset declaration to UTF-8."""

from __future__ import annotations

from pipeline.inputs.article import Article
from pipeline.inputs.html_file import ATTRIBUTES, is_localized_tag
from pipeline.inputs.html_tags import attribute_spans, quote, set_attribute, unquote
from pipeline.inputs.html_tokens import events

KINDS = {"html", "attr", "attr-in"}  # paragraph kinds this module writes back


def bcp47(locale: str) -> str:
    """gettext locale to BCP 47: pt_BR -> pt-BR, sr@latin -> sr-Latn."""
    base, _, modifier = locale.partition("@")
    script = {"latin": "Latn", "cyrillic": "Cyrl"}.get(modifier)
    parts = base.split("_")
    return "-".join([parts[0], *([script] if script else []), *parts[1:]])


def localize_tag(tag: str, locale: str | None, rtl: bool) -> str:
    """`<html>` gets lang (and dir); a charset declaration says UTF-8. Anything else, and any
    piece that is not exactly one such tag, is returned as it is."""
    if tag[:5].lower() not in {"<html", "<meta"} or not tag.endswith(">"):
        return tag
    found = events(tag)
    if len(found) != 1 or found[0].kind not in {"start", "startend"} or not is_localized_tag(found[0]):
        return tag
    names = {name for name, _ in found[0].attrs}
    if found[0].tag == "html":
        if not locale:
            return tag
        tag = set_attribute(tag, "lang", bcp47(locale))
        if "xml:lang" in names:
            tag = set_attribute(tag, "xml:lang", bcp47(locale))
        if rtl or "dir" in names:
            tag = set_attribute(tag, "dir", "rtl" if rtl else "ltr")
    elif "charset" in names:
        tag = set_attribute(tag, "charset", "utf-8")
    else:
        tag = set_attribute(tag, "content", "text/html; charset=utf-8")
    return tag


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def localized_tags(article: Article, texts: dict[int, str]) -> dict[str, str]:
    """Inline tags with a translated attribute: as in the source (and as in a msgid, whitespace
    squeezed) -> as written."""
    values: dict[str, dict[str, str]] = {}
    for p in article.paragraphs:
        if p.kind == "attr-in" and p.index in texts and p.source is not None:
            values.setdefault(p.source, {})[p.text] = texts[p.index]
    out: dict[str, str] = {}
    for source, translated in values.items():
        tag = source
        for name, start, end in reversed(attribute_spans(source)):
            value = unquote(source[start:end]).strip()
            if name in ATTRIBUTES and value in translated:
                tag = tag[:start] + quote(translated[value], source[start:end]) + tag[end:]
        out[source] = tag
        out.setdefault(_squeeze(source), _squeeze(tag))
    return out


def render(article: Article, texts: dict[int, str], locale: str | None = None, rtl: bool = False) -> str:
    """The article with paragraph i written as texts[i] where given, the source elsewhere."""
    by_index = {p.index: p for p in article.paragraphs}
    tags = localized_tags(article, texts)
    out = []
    for part in article.layout:
        if isinstance(part, str):
            out.append(localize_tag(part, locale, rtl))
            continue
        p = by_index[part]
        if p.kind == "attr":
            out.append(quote(texts[part], p.original()) if part in texts else p.original())
            continue
        text = texts.get(part, p.original())
        for source, localized in tags.items():
            text = text.replace(source, localized)
        out.append(text)
    return "".join(out)


def is_html(article: Article) -> bool:
    return any(p.kind in KINDS for p in article.paragraphs)
