"""The pseudo-locale qps: no model, the real path, letters accented, padded and bracketed,
markup and placeholders where they were."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import polib
from conftest import make_project, msgfmt_check
from markdown_it import MarkdownIt

from pipeline.translation.protect import mask, restore
from pipeline.translation.pseudo import CLOSE, OPEN, PAD, pseudo_translate

MARKDOWN = """\
# Getting started

Install it with `pip install locpipe` and read [the guide](https://example.org/guide "Guide").
Prices start at 10 € per month, for {count} users.

- Use **bold** and _emphasis_ here.
- A second item with a [reference link][ref] and <https://example.org/auto>.

```python
print("code stays")
```

[ref]: https://example.org/ref
"""

HTML = """\
<!DOCTYPE html>
<html lang="en"><head><title>Release notes</title></head>
<body>
<h1>Release notes</h1>
<p>The <a href="/download?v=2&amp;os=linux" title="Download">new version</a> is <b>faster</b>.
It needs <code>python3 -m venv</code> first.</p>
<img src="shot.png" alt="A screenshot">
</body></html>
"""


def test_letters_accented_padded_bracketed_tokens_kept() -> None:
    masked = mask("Run `make test` now, {name}: see https://example.org/x.", markdown=True)
    out = pseudo_translate(masked.text)
    assert out.startswith(OPEN) and out.endswith(CLOSE)
    for i in range(len(masked.spans)):
        assert masked.token(i) in out
    restored = restore(out, masked)
    assert not restored.lost
    assert "`make test`" in restored.text and "{name}" in restored.text
    assert "https://example.org/x" in restored.text
    letters = sum(c.isalpha() for c in masked.text.replace("Z", ""))
    assert out.count(PAD) >= 0.3 * letters
    assert "Ŕûñ" in out and "ñöŵ" in out


def test_whitespace_outside_the_brackets() -> None:
    assert pseudo_translate("  Hello \n") == f"  {OPEN}Ĥéĺĺö ··{CLOSE} \n"
    assert pseudo_translate("   ") == "   "


def _structure(text: str) -> list[tuple[object, ...]]:
    """markdown-it's tokens without the words: what must survive any translation. A soft line
    break is layout: a translated paragraph is written on one line."""
    out: list[tuple[object, ...]] = []
    for token in MarkdownIt("commonmark").parse(text):
        out.append((token.type, token.tag, token.nesting, sorted((token.attrs or {}).items())))
        if token.type in {"fence", "code_block", "html_block"}:
            out.append(("content", token.content))
        for child in token.children or []:
            if child.type in {"softbreak", "text"}:
                continue
            keep = child.type in {"code_inline", "html_inline"} or child.type.endswith("_open")
            attrs = {k: v for k, v in (child.attrs or {}).items() if k != "title"}
            out.append((child.type, child.markup, sorted(attrs.items()), child.content if keep else None))
    return out


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Translated attributes, the target's lang and the charset the writer adds aside."""
        if tag != "meta":
            self.tags.append((tag, [(k, v) for k, v in attrs if k not in {"title", "alt", "lang"}]))

    def handle_endtag(self, tag: str) -> None:
        self.tags.append(("/" + tag, []))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _html(text: str) -> _Tags:
    parser = _Tags()
    parser.feed(text)
    parser.close()
    return parser


def test_run_with_no_model_keeps_markup_and_labels_the_catalogs(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", ("qps",))
    (project.inputs / "guide.md").write_text(MARKDOWN, encoding="utf-8")
    (project.inputs / "notes.html").write_text(HTML, encoding="utf-8")
    (project.inputs / "plain.txt").write_text(
        "The first paragraph says hello.\n\nThe second one costs 5 kg and 10 %.\n", encoding="utf-8"
    )
    assert not project.models.exists()
    project.run()

    guide = (project.locales / "qps" / "guide.md").read_text(encoding="utf-8")
    assert _structure(guide) == _structure(MARKDOWN)
    assert f"{OPEN}Ĝéţţîñĝ šţàŕţéđ" in guide
    assert "`pip install locpipe`" in guide and "{count}" in guide
    assert 'print("code stays")' in guide

    notes = (project.locales / "qps" / "notes.html").read_text(encoding="utf-8")
    assert _html(notes).tags == _html(HTML).tags
    assert '<html lang="qps">' in notes and "<code>python3 -m venv</code>" in notes
    assert 'title="⟦Đöŵñĺöàđ' in notes and 'alt="⟦À šçŕééñšĥöţ' in notes
    text = "".join(_html(notes).text)
    assert "Ŕéĺéàšé ñöţéš" in text and "Release notes" not in text

    plain = (project.locales / "qps" / "plain.txt").read_text(encoding="utf-8")
    assert plain.count(OPEN) == 2 and "5 kg" in plain and "10 %" in plain
    assert plain.count("\n\n") == 1  # the paragraph layout

    for name in ("guide", "notes", "plain"):
        po_path = project.locales / "qps" / "LC_MESSAGES" / f"{name}.po"
        msgfmt_check(po_path)
        catalog = polib.pofile(str(po_path))
        assert "Pseudo-localized" in catalog.header
        assert catalog.metadata["Language"] == "qps"
        assert all(e.msgstr.startswith(OPEN) or e.obsolete for e in catalog if e.msgstr)
        assert all("pseudo-locale qps" in e.comment for e in catalog if e.msgstr)
        # no one reviews pseudo text: an application run in qps shows all of it
        mo = polib.mofile(str(project.locales / "qps" / "LC_MESSAGES" / f"{name}.mo"))
        assert {e.msgid for e in mo if e.msgid} == {e.msgid for e in catalog if e.msgstr}


def test_qps_beside_a_real_model(project) -> None:
    """A model's target and the pseudo-locale in one run: each gets its own text."""
    config = project.root / "luigi.cfg"
    config.write_text(config.read_text(encoding="utf-8").replace("targets = uk,tr", "targets = uk,qps"))
    project.run()
    uk = polib.pofile(str(project.locales / "uk" / "LC_MESSAGES" / "ukraine-turkey-defense.po"))
    qps = polib.pofile(str(project.locales / "qps" / "LC_MESSAGES" / "ukraine-turkey-defense.po"))
    assert {e.msgid for e in uk} == {e.msgid for e in qps}
    assert not any(e.msgstr.startswith(OPEN) for e in uk)
    assert all(e.msgstr.startswith(OPEN) for e in qps if not e.obsolete)
    msgfmt_check(project.locales / "qps" / "LC_MESSAGES" / "ukraine-turkey-defense.po")
