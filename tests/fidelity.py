"""Round trips through locpipe's own read -> catalog -> render path, and what "kept" means.

`round_trip(source, suffix, engine)` writes the document as a file of its kind, reads it
with locpipe's reader (`prepare_file`, the record as stored between stages), sends each
segment's model input (`protect.model_input`) through the engine, puts the spans back
(`protect.restore`), writes those translations into a catalog (serialized as the pipeline
writes it and parsed again) and renders the article from it (`outputs.render`).

Two engines: `identity` returns the model input unchanged; `transform` upper-cases letters
and wraps each segment in brackets, keeping the `Z1Z` tokens.

An example "has text" when locpipe's parser of its kind (`parse_markdown` / `parse_html`, on
the text) finds at least one paragraph to translate in the source; the same examples count
for both engines (engines do not change the source). One whose file the reader then refuses
(a NUL byte makes an .html file "binary") counts as a failure.

Kept, for Markdown (`same_markdown`): the markdown-it-py token stream of the output equals
the source's: types, nesting, tags, attributes (href, src, title), markup, info strings,
code / fence / html_block / html_inline content; the inline text too, exactly for identity
(after line breaks with the spaces around them read as one space: that is layout) and, for
the transform, as the engine changes it (letters upper-cased, brackets added).
For HTML (`same_html`): the html5lib trees are equal except text node contents (a text
node must stay a text node, whitespace-only ones as they are; script, style and comments
exactly) and the values of the attributes locpipe translates.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import polib

from pipeline.catalogs.pofile import parse_catalog, serialize
from pipeline.outputs.render import render_article
from pipeline.segments.record import article_from_record, prepare_file, segments_of
from pipeline.translation.protect import model_input, restore

Engine = Callable[[str], str]


def identity(text: str) -> str:
    return text


def transform(text: str) -> str:
    """Letters upper-cased (tokens kept as they are), the segment wrapped in brackets."""
    parts = re.split(r"(Z\d+Z)", text)
    return "[" + "".join(p if k % 2 else p.upper() for k, p in enumerate(parts)) + "]"


ENGINES: dict[str, Engine] = {"identity": identity, "transform": transform}


def has_text(source: str, suffix: str) -> bool:
    """Whether locpipe's parser finds a paragraph to translate in source; for HTML, read with
    html.parser's tokenizer alone as well, so that an input whose only "text" is script or
    comment content (as the HTML standard ends them, and locpipe now does) still counts."""
    from pipeline.core.errors import InputError
    from pipeline.inputs.html_file import _Reader, parse_html
    from pipeline.inputs.markdown_file import parse_markdown

    if suffix == ".html":

        class PlainReader(_Reader):
            def __init__(self, text: str) -> None:
                super().__init__(text)
                self.evs = _html_parser_events(text)

        return bool(parse_html(Path("article.html"), source).paragraphs or PlainReader(source).read())
    try:
        return bool(parse_markdown(Path(f"article{suffix}"), source).paragraphs)
    except InputError:
        return False


def _html_parser_events(text: str) -> list[Any]:
    from pipeline.inputs.html_tokens import _Tokenizer

    tokenizer = _Tokenizer(text)
    tokenizer.feed(text)
    tokenizer.close()
    found = tokenizer.found
    for event, following in zip(found, found[1:], strict=False):
        event.end = following.start
    if found:
        found[-1].end = len(text)
    return [e for e in found if e.end > e.start]


def round_trip(source: str, suffix: str, engine: Engine) -> str | None:
    """The rendered translation of source, or None when the reader refuses the file."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"article{suffix}"
        path.write_bytes(source.encode("utf-8"))
        record = prepare_file(path, "en")
    if "error" in record:
        return None
    record = json.loads(json.dumps(record))
    article = article_from_record(record)
    segments = segments_of(record)
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "fr"}
    seen: set[tuple[str | None, str]] = set()
    for seg in segments:
        if not seg.msgid.strip() or (seg.context, seg.msgid) in seen:
            continue
        seen.add((seg.context, seg.msgid))
        masked = model_input(seg.msgid, seg.kind, {})
        msgstr = restore(engine(masked.text), masked).text
        po.append(polib.POEntry(msgctxt=seg.context, msgid=seg.msgid, msgstr=msgstr))
    po = parse_catalog(Path("fr.po"), serialize(po).encode("utf-8"))
    return render_article(article, segments, po, "fr")


# ---------------------------------------------------------------- Markdown


def _markdown() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


_LAYOUT = re.compile(r"[ \t]*\n[ \t]*")


def unpseudo(text: str) -> str:
    """Pseudo-locale text (translation.pseudo) as the source wrote it: brackets and padding
    gone, accented letters back to ASCII (applied to both sides: a source's own "é" reads "e")."""
    from pipeline.translation.pseudo import CLOSE, OPEN, PAD, plain_letters

    text = re.sub(rf" ?{re.escape(PAD)}+{CLOSE}|{CLOSE}", "", text).replace(OPEN, "")
    return plain_letters(text)


def _shape(text: str, engine: str) -> str:
    text = _LAYOUT.sub(" ", text)
    if engine == "identity":
        return text
    if engine == "pseudo":
        return unpseudo(text)
    return " ".join(text.replace("[", "").replace("]", "").upper().split())


def markdown_stream(text: str, engine: str = "identity") -> list[tuple[Any, ...]]:
    """The token stream as compared: inline children flattened, adjacent text joined."""
    out: list[tuple[Any, ...]] = []
    for token in _markdown().parse(text):
        if token.type == "inline":
            out.extend(_inline(token.children or [], engine))
            continue
        content = token.content if token.type in {"code_block", "fence", "html_block"} else ""
        out.append((token.type, token.tag, token.nesting, token.markup, token.info, _attrs(token), content))
    return out


def _attrs(token: Any) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted((k, v) for k, v in (token.attrs or {}).items() if k != "alt"))


def _inline(children: list[Any], engine: str) -> Iterator[tuple[Any, ...]]:
    text: list[str] = []
    for child in children:
        if child.type in {"text", "softbreak", "text_special"}:
            text.append("\n" if child.type == "softbreak" else child.content)
            continue
        if text and _shape("".join(text), engine):
            yield ("text", _shape("".join(text), engine))
        text = []
        content = child.content if child.type in {"code_inline", "html_inline"} else ""
        yield (child.type, child.tag, child.nesting, child.markup, _attrs(child), content)
        if child.children:
            yield from _inline(child.children, engine)
            yield ("end", child.type)
    if text and _shape("".join(text), engine):
        yield ("text", _shape("".join(text), engine))


def same_markdown(source: str, output: str, engine: str) -> bool:
    return markdown_stream(source, engine) == markdown_stream(output, engine)


def commonmark_examples(path: Path) -> list[tuple[int, str]]:
    """(example number, Markdown input) from a markdown-it-py fixture file."""
    from markdown_it.utils import read_fixture_file

    return [(n, case[2]) for n, case in enumerate(read_fixture_file(path), start=1)]


# ---------------------------------------------------------------- HTML

TRANSLATED_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label"}
EXACT_TEXT = {"script", "style"}


def html_tree(text: str, container: str | None = None, engine: str = "identity") -> list[Any]:
    import html5lib

    if container:
        root = html5lib.parseFragment(text, container=container, namespaceHTMLElements=False)
    else:
        root = html5lib.parse(text, namespaceHTMLElements=False)
    out: list[Any] = []
    _walk(root, out, exact=False, engine=engine)
    return out


def _text(value: str | None, exact: bool, engine: str) -> str | None:
    if value and engine == "transform" and not exact:
        value = value.replace("[", "").replace("]", "")  # the engine's brackets
    if value and engine == "pseudo" and not exact:
        value = unpseudo(value)
    if not value:
        return None
    return value if exact or not value.strip() else "#text"


def _localized(tag: str, attrs: dict[str, str]) -> bool:
    """A charset declaration: the output is UTF-8 and says so (added where there was none)."""
    equiv = attrs.get("http-equiv", "").lower() == "content-type"
    return tag == "meta" and ("charset" in attrs or equiv)


def _walk(node: Any, out: list[Any], exact: bool, engine: str) -> None:
    tag = node.tag if isinstance(node.tag, str) else "#comment"
    attrs = dict(node.attrib) if tag != "#comment" else {}
    if _localized(tag, attrs):
        pass
    elif tag == "#comment":
        out.append(("#comment", node.text))
    else:
        if tag == "html":  # the output names its language
            for name in ("lang", "dir", "xml:lang"):
                attrs.pop(name, None)
        for name in TRANSLATED_ATTRIBUTES:
            if name in attrs:
                attrs[name] = "#text"
        if tag == "meta" and attrs.get("name", "").lower() == "description" and "content" in attrs:
            attrs["content"] = "#text"
        out.append((tag, tuple(sorted(attrs.items()))))
        inner = exact or tag in EXACT_TEXT
        text = _text(node.text, inner, engine)
        if text:
            out.append(("text", text))
        for child in node:
            _walk(child, out, inner, engine)
        out.append(("end", tag))
    tail = _text(node.tail, exact, engine)
    if tail:
        if out and out[-1][0] == "text" and out[-1][1] == tail == "#text":
            return
        out.append(("text", tail))


def same_html(source: str, output: str, container: str | None = None, engine: str = "identity") -> bool:
    return html_tree(source, container, engine) == html_tree(output, container, engine)


def html5lib_tests(folder: Path) -> Iterator[tuple[str, int, str, str | None]]:
    """(file name, test number from 1, #data, #document-fragment container) of every test."""
    for path in sorted(folder.glob("*.dat")):
        text = path.read_text(encoding="utf-8")
        for number, block in enumerate(re.split(r"\n(?=#data\n)", "\n" + text.strip("\n")), start=0):
            if not block.strip():
                continue
            sections: dict[str, list[str]] = {}
            current = None
            for line in block.strip("\n").split("\n"):
                if re.fullmatch(r"#[a-z-]+", line):
                    current = line[1:]
                    sections[current] = []
                elif current:
                    sections[current].append(line)
            data = "\n".join(sections.get("data", []))
            fragment = "\n".join(sections.get("document-fragment", [])).strip() or None
            yield path.name, number, data, fragment


# ---------------------------------------------------------------- suites


def commonmark_results(path: Path, engine: str) -> dict[int, bool]:
    """Per example with text: whether its structure is kept."""
    results = {}
    for number, source in commonmark_examples(path):
        if has_text(source, ".md"):
            output = round_trip(source, ".md", ENGINES[engine])
            results[number] = output is not None and same_markdown(source, output, engine)
    return results


def html5lib_results(folder: Path, engine: str) -> dict[tuple[str, int], bool]:
    results = {}
    for name, number, data, container in html5lib_tests(folder):
        if container and " " in container:
            container = None  # a foreign context (svg path): parsed as a document on both sides
        if has_text(data, ".html"):
            output = round_trip(data, ".html", ENGINES[engine])
            results[(name, number)] = output is not None and same_html(data, output, container, engine)
    return results
