"""locales/report/index.html: written by every run, well-formed, self-contained, and showing
the figures `status --json` gives; the slow trial opens it in headless Chromium."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest

from pipeline.outputs.orphans import find_orphans, output_locales
from pipeline.run.report_figures import Figures
from pipeline.run.report_page import render
from pipeline.run.runlog import KEEP_RUNS, record_totals, run_history, runs_dir, totals_dir

VOID = {"meta", "br", "img", "input", "link", "hr", "area", "base", "col", "embed", "source", "wbr"}
SVG_EMPTY = {"rect", "circle", "line", "polyline", "path"}  # written with /> or closed


class Page(HTMLParser):
    """What the tests read of the page: tags in balance, figures, references, the JSON block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.figures: dict[str, list[str]] = {}
        self.refs: list[tuple[str, str, str]] = []  # tag, attribute, value
        self.tags: list[str] = []
        self.text: list[str] = []
        self._figure: str | None = None
        self._json: list[str] | None = None
        self.json = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        values = dict(attrs)
        for name in ("src", "href", "xlink:href", "action", "data"):
            if values.get(name):
                self.refs.append((tag, name, values[name] or ""))
        if tag == "script" and values.get("id") == "figures":
            self._json = []
        if "data-figure" in values:
            self._figure = values["data-figure"]
            self.figures.setdefault(self._figure or "", []).append("")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag not in VOID | SVG_EMPTY:
            self.errors.append(f"<{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        self.stack.pop()
        if tag == "script" and self._json is not None:
            self.json, self._json = "".join(self._json), None
        if self._figure is not None and tag in {"b", "td"}:
            self._figure = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._json is not None:
            self._json.append(data)
        if self._figure is not None:
            self.figures[self._figure][-1] += data


def read_page(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    assert not page.errors and not page.stack, (page.errors, page.stack)
    return page


def review_first(po_path: Path) -> str:
    """A reviewer translates the first live entry: the bars then differ between locales."""
    po = polib.pofile(str(po_path))
    entry = next(e for e in po if e.msgid and not e.obsolete)
    entry.msgstr = "Переглянутий переклад"
    entry.flags = [f for f in entry.flags if f != "fuzzy"]
    po.save()
    return entry.msgid


def test_every_run_writes_a_page_with_status_figures(project) -> None:
    project.run()
    page_path = project.locales / "report" / "index.html"
    first = json.loads(read_page(page_path).json)
    review_first(project.locales / "uk" / "LC_MESSAGES" / "ukraine-turkey-defense.po")
    started = time.monotonic()
    project.run()  # --quiet: the page is written all the same
    assert time.monotonic() - started < 30
    page = read_page(page_path)

    # self-contained: no stylesheet, script or image fetched from anywhere
    assert "link" not in page.tags and "img" not in page.tags and "iframe" not in page.tags
    assert not [r for r in page.refs if r[0] == "script" or r[2].startswith(("http:", "https:", "//"))]
    html = page_path.read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html and "@import" not in html
    for _, _, href in page.refs:  # every link is a catalog beside the page
        assert href.startswith("../") and (page_path.parent / href).resolve().is_file(), href

    figures = json.loads(page.json)
    status = json.loads(project.locpipe("status", "--json").stdout)
    assert figures["locales"] == status["locales"]
    assert figures["locales"]["uk"]["reviewed"] > 0 == figures["locales"]["tr"]["reviewed"]
    for loc, item in status["locales"].items():  # and the visible text says the same
        for state in ("reviewed", "machine", "untranslated"):
            assert page.figures[f"{loc}.{state}"] == [str(item[state])]
        assert page.figures[f"{loc}.failed_checks"] == [str(len(item["failed_checks"]))]
        rows = [r["words"] for r in status["rows"] if r["locale"] == loc]
        offered = sum(w["memory"] + w["carried"] for w in rows)
        assert page.figures[f"{loc}.memory"] == [str(offered)]

    worst = json.loads(project.locpipe("status", "--worst", "20", "--json").stdout)
    assert figures["worst"] == worst and len(worst) == 20
    shown = [int(v) for v in page.figures["worst"]]
    assert shown == sorted(shown) == [w["quality"] for w in worst]
    assert f"{worst[0]['catalog']}:{worst[0]['line']}" in html

    # the demo model wrote the text, and the page says so before anything else
    assert figures["demo_model_used"] is True
    opening = re.search(r"<body>\s*<p[^>]*>([^<]*)<", html)
    assert opening and opening.group(1).startswith("A demo model produced the machine text")

    # the run's own work, stages and the history of both runs
    assert first["changed"]["read"] == ["ukraine-turkey-defense"]
    assert figures["changed"]["read"] == []
    assert figures["changed"]["written"] == {"ukraine-turkey-defense": ["uk"]}
    assert {"PlanShard", "WriteShard"} <= {s["stage"] for s in figures["stages"]}
    assert all(s["wall"] is not None and s["seconds"] >= 0 for s in figures["stages"])
    assert [h["run_id"] for h in figures["history"]] == [first["run_id"], figures["run_id"]]
    reviewed = [h["locales"]["uk"]["reviewed"] for h in figures["history"]]
    assert reviewed == [0, status["locales"]["uk"]["reviewed"]]

    # report/ is no locale and holds no article's outputs
    assert output_locales(project.locales) == ["tr", "uk"]
    assert find_orphans(project.locales, project.inputs) == []
    assert status["dropped_locales"] == [] and {r["locale"] for r in status["rows"]} == {"tr", "uk"}


def test_a_run_that_fails_on_a_catalog_still_writes_the_page(project) -> None:
    """A reviewer's typo stops that catalog (exit 1): the page is written all the same, with
    the error, and the other catalogs' figures."""
    project.run()
    page_path = project.locales / "report" / "index.html"
    before = json.loads(read_page(page_path).json)
    broken = project.locales / "uk" / "LC_MESSAGES" / "ukraine-turkey-defense.po"
    broken.write_text(broken.read_text(encoding="utf-8") + '\nmsgid "unclosed\n', encoding="utf-8")
    assert project.run(check=False).returncode == 1
    figures = json.loads(read_page(page_path).json)
    assert figures["run_id"] != before["run_id"]
    status = json.loads(project.locpipe("status", "--json").stdout)
    assert figures["locales"] == status["locales"] and "uk" not in figures["locales"]
    assert [(e["article"], e["locale"]) for e in figures["errors"]] == [("ukraine-turkey-defense", "uk")]
    assert "does not parse" in figures["errors"][0]["reason"]
    assert figures["worst"] and {w["locale"] for w in figures["worst"]} == {"tr"}


def test_the_history_keeps_the_last_runs_and_passes_over_a_damaged_one(tmp_path: Path) -> None:
    for n in range(KEEP_RUNS + 2):
        record_totals(tmp_path, f"run-{n:02d}", {"run_id": f"run-{n:02d}", "at": n, "locales": {}})
    (totals_dir(tmp_path) / "run-21.json").write_text("{cut sho", encoding="utf-8")
    kept = [h["run_id"] for h in run_history(tmp_path)]
    assert kept == [f"run-{n:02d}" for n in range(2, KEEP_RUNS + 1)]
    assert not runs_dir(tmp_path).exists()  # the events folder holds events only


def _figures(text: str) -> Figures:
    worst = {
        "quality": 3,
        "locale": "uk",
        "catalog": "uk/LC_MESSAGES/a&b.po",
        "line": 7,
        "context": None,
        "source": text,
        "machine": text,
    }
    return Figures(
        run_id=text,
        made="2026-01-01 00:00:00 UTC",
        demo_model_used=False,
        locales={"uk": {"reviewed": 1, "machine": 2, "untranslated": 3, "failed_checks": [text]}},
        offered={"uk": {"memory": 1, "draft": 0}},
        catalogs={"uk": {text: "uk/LC_MESSAGES/x.po"}},
        worst=[worst],
        changed={"read": [text], "written": {text: ["uk"]}},
        orphaned=[text],
        errors=[{"article": text, "locale": "uk", "reason": text}],
        stages=[{"stage": text, "done": 1, "failed": 0, "seconds": 0.5, "wall": None}],
        history=[
            {"run_id": text, "at": 0, "locales": {"uk": {"reviewed": 1, "machine": 2, "untranslated": 3}}}
        ],
    )


def test_every_text_is_escaped(tmp_path: Path) -> None:
    hostile = '</script><img src="https://example.org/x.png" onerror="alert(1)">&amp; "q" \u2028'
    path = tmp_path / "index.html"
    path.write_text(render(_figures(hostile)), encoding="utf-8")
    page = read_page(path)
    assert "img" not in page.tags and page.tags.count("script") == 1
    assert not [r for r in page.refs if "example.org" in r[2]]
    assert json.loads(page.json)["worst"][0]["source"] == hostile
    assert hostile in "".join(page.text)  # shown as text, not markup
    assert "No demo model" in "".join(page.text)


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.slow
@pytest.mark.skipif(_chromium() is None, reason="no chromium or chromium-browser on PATH (.ci/run adds it)")
def test_the_page_renders_in_headless_chromium(project, tmp_path: Path) -> None:
    project.run()
    review_first(project.locales / "uk" / "LC_MESSAGES" / "ukraine-turkey-defense.po")
    project.run()
    page_path = project.locales / "report" / "index.html"
    figures = json.loads(read_page(page_path).json)
    shot = tmp_path / "report.png"
    common = [str(_chromium()), "--headless", "--disable-gpu", "--no-sandbox", "--window-size=1200,1600"]
    logging = ["--enable-logging=stderr", "--v=0", f"--user-data-dir={tmp_path / 'profile'}"]
    url = page_path.resolve().as_uri()
    dom = subprocess.run([*common, *logging, "--dump-dom", url], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    drawn = subprocess.run(
        [*common, *logging, f"--screenshot={shot}", url], capture_output=True, text=True, timeout=120
    )
    assert drawn.returncode == 0, drawn.stderr[-2000:]

    # rendered: the DOM Chromium built holds the figures, the screenshot is a real PNG
    for loc, item in figures["locales"].items():
        for state in ("reviewed", "machine", "untranslated"):
            assert f'data-figure="{loc}.{state}">{item[state]}</b>' in dom.stdout
    assert "A demo model produced the machine text" in dom.stdout
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000
    # the page logged nothing to its console; the same check sees a page that does
    assert not _console(dom.stderr + drawn.stderr), _console(dom.stderr + drawn.stderr)
    noisy = tmp_path / "noisy.html"
    noisy.write_text("<!DOCTYPE html><p>x</p><script>console.error('boom'); missing();</script>")
    seen = subprocess.run([*common, *logging, "--dump-dom", noisy.as_uri()], capture_output=True, text=True)
    assert len(_console(seen.stderr)) == 2, seen.stderr[-2000:]


def _console(stderr: str) -> list[str]:
    """Chromium's --enable-logging=stderr writes a page's console messages and uncaught errors
    as `INFO:CONSOLE:<line>]` (older builds: `CONSOLE(<line>)`)."""
    return [line for line in stderr.splitlines() if ":CONSOLE:" in line or "CONSOLE(" in line]


def test_figures_are_the_same_over_many_manifest_pages_and_only_a_changed_page_is_read(
    project, monkeypatch
) -> None:
    """At 20,000 articles the manifest is ~80 pages and a run that edits one article rewrites
    one: the page's figures are summed page by page, and only a page whose file changed is
    read again. The one page of a small run, split in three by hand, gives the same figures."""
    from pipeline.core.settings import load_settings
    from pipeline.run import report_figures

    for path in project.inputs.iterdir():
        path.unlink()
    for n in range(6):
        text = f"Brief {n}\n\nThe council met on day {n}. It approved the budget for the port.\n"
        (project.inputs / f"brief-{n}.txt").write_text(text, encoding="utf-8")
    project.run()
    settings = load_settings(project.root / "luigi.cfg")
    cache = project.locales / ".locpipe" / "report-figures.json"
    manifest = project.locales / "manifest.json"
    index = json.loads(manifest.read_text(encoding="utf-8"))
    (whole,) = index["pages"]
    one_page = report_figures._from_catalogs(settings, index)
    status = json.loads(project.locpipe("status", "--json").stdout)
    assert one_page["locales"] == status["locales"]

    articles = json.loads((project.locales / whole).read_text(encoding="utf-8"))["articles"]
    names = sorted(articles)
    index["pages"] = []
    for n, part in enumerate([names[:2], names[2:4], names[4:]]):
        page = f"manifest/page-9{n:03d}.json"
        (project.locales / page).write_text(json.dumps({"articles": {a: articles[a] for a in part}}))
        index["pages"].append(page)
    cache.unlink()
    digested: list[int] = []
    real = report_figures._page_digest
    monkeypatch.setattr(report_figures, "_page_digest", lambda *a: digested.append(len(a[1])) or real(*a))
    assert report_figures._from_catalogs(settings, index) == one_page
    assert digested == [2, 2, 2]

    # a review in brief-3's catalog, as the run would write it in the second page
    page = project.locales / index["pages"][1]
    data = json.loads(page.read_text(encoding="utf-8"))
    words = data["articles"]["brief-3"]["locales"]["uk"]["counts"]["words"]
    moved = min(3, words["machine"])
    words["machine"] -= moved
    words["reviewed"] += moved
    page.write_text(json.dumps(data, indent=1))
    digested.clear()
    again = report_figures._from_catalogs(settings, index)
    assert digested == [2]  # the other two pages came from the kept figures
    assert again["locales"]["uk"]["reviewed"] == one_page["locales"]["uk"]["reviewed"] + moved
    assert again["locales"]["tr"] == one_page["locales"]["tr"] and moved > 0
