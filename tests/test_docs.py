"""The README and the docs site stay a house a newcomer can walk into: the site builds with
--strict (a broken link, a missing figures file or a settings-table failure stops it), the README
stays short, every relative link lands on a file (and a heading, where it names one), and every
`locpipe COMMAND` the README shows is one the CLI has."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
PAGES = [README, *sorted(DOCS.glob("*.md"))]

LINK = re.compile(r"(?<!\!)\[[^\]]*\]\(([^)\s]+)\)|!\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.S | re.M)
CODE = re.compile(r"`[^`\n]*`")
HEADING = re.compile(r"^#{1,6} (.+?)\s*$", re.M)


def prose(text: str) -> str:
    """The text without code blocks and inline code, where brackets are not links."""
    return CODE.sub("", FENCE.sub("", text))


def slug(heading: str) -> str:
    """An anchor as Python-Markdown's toc extension (MkDocs' default) makes it."""
    text = CODE.sub(lambda m: m.group(0).strip("`"), heading)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def anchors(path: Path) -> set[str]:
    return {slug(h) for h in HEADING.findall(FENCE.sub("", path.read_text(encoding="utf-8")))}


def test_readme_is_short() -> None:
    lines = README.read_text(encoding="utf-8").count("\n")
    assert lines <= 250, f"README.md has {lines} lines; move the detail into docs/"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(page: Path) -> None:
    broken = []
    for match in LINK.finditer(prose(page.read_text(encoding="utf-8"))):
        target = match.group(1) or match.group(2)
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto:
            continue
        path, _, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.exists():
            broken.append(f"{target}: no such file")
        elif anchor and file.suffix == ".md" and anchor not in anchors(file):
            broken.append(f"{target}: no heading #{anchor} in {file.relative_to(ROOT)}")
    assert not broken, f"{page.relative_to(ROOT)}: " + "; ".join(broken)


def _help(*args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", *args, "--help"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_readme_suite_table_is_the_last_runs() -> None:
    """The README's table of other projects' suites is bench/readme_figures.py's rendering of the
    committed docs/figures, so every figure in it came from a run (make bench-segmentation)."""
    spec = importlib.util.spec_from_file_location("readme_figures", ROOT / "bench" / "readme_figures.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.current() == module.render()
    rows = [line for line in module.render().splitlines() if line.startswith(("| pySBD", "| sentencex"))]
    assert len(rows) == 2
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert int(cells[2]) >= int(cells[5]), row  # locpipe at or above the goal


def test_readme_commands_exist() -> None:
    text = README.read_text(encoding="utf-8")
    named = re.findall(r"(?:bin/|`|\$ )locpipe (?:--config \S+ )?([a-z][a-z-]*)(?: ([a-z][a-z-]*))?", text)
    assert named, "the README names no locpipe command"
    top = _help()
    listed = set(re.search(r"\{([a-z,-]+)\}", top).group(1).split(","))
    missing = sorted({cmd for cmd, _ in named} - listed)
    assert not missing, f"README names locpipe commands the CLI lacks: {missing} (it has {sorted(listed)})"
    for cmd in sorted({cmd for cmd, _ in named if cmd in ("models", "memory")}):
        actions = set(re.search(r"\{([a-z,-]+)\}", _help(cmd)).group(1).split(","))
        unknown = sorted({sub for c, sub in named if c == cmd and sub} - actions)
        assert not unknown, f"README names `locpipe {cmd}` actions the CLI lacks: {unknown}"


NO_MKDOCS = importlib.util.find_spec("mkdocs") is None


@pytest.mark.skipif(NO_MKDOCS, reason="mkdocs is not installed (pip install -e '.[dev]')")
def test_site_builds_strict(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(ROOT / "mkdocs.yml"),
         "-d", str(tmp_path / "site")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    page = (tmp_path / "site" / "configuration" / "index.html").read_text(encoding="utf-8")
    assert "batch_size" in page and "<!-- settings-table -->" not in page
    scale = (tmp_path / "site" / "performance" / "index.html").read_text(encoding="utf-8")
    assert "figures:scale" not in scale
