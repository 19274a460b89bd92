"""Table cells that are values (a number, a boolean, an HTTP method, inline code) are kept as
written: no msgid, nothing sent to a model, the rendered table the same for them."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
from conftest import make_project

from pipeline.inputs.markdown_file import parse_markdown

TABLE = """# Widgets API

Each route of the widgets service, with its method and limits.

| Route | Method | Limit | Cached | Note |
| --- | --- | --- | --- | --- |
| `/widgets` | GET | 4 | false | Lists every widget |
| `/widgets/{id}` | `DELETE` | **1,000** | TRUE | — |
| Get one | POST | 2.5% | null | None yet |
"""
VALUES = ["`/widgets`", "GET", "4", "false", "`/widgets/{id}`", "`DELETE`", "**1,000**", "TRUE", "—",
          "POST", "2.5%", "null"]


def test_value_cells_are_layout() -> None:
    article = parse_markdown(Path("api.md"), TABLE)
    texts = [p.text for p in article.paragraphs]
    assert not set(VALUES) & set(texts), set(VALUES) & set(texts)
    assert {"Route", "Method", "Lists every widget", "Get one", "None yet"} <= set(texts)
    pieces = [p if isinstance(p, str) else article.paragraphs[p].original() for p in article.layout]
    assert "".join(pieces) == TABLE  # the cells left out are layout, byte for byte


def test_value_cells_stay_as_written_in_catalogs_and_output(tmp_path: Path, installed_models: Path) -> None:
    project = make_project(tmp_path / "proj", targets=("uk",))
    shutil.copytree(installed_models, project.models, dirs_exist_ok=True)
    (project.inputs / "api.md").write_text(TABLE, encoding="utf-8")
    project.run()
    pot = {e.msgid for e in polib.pofile(str(project.locales / "templates" / "api.pot"))}
    assert not set(VALUES) & pot
    assert "Lists every widget" in pot and "Get one" in pot
    out = (project.locales / "uk" / "api.md").read_text(encoding="utf-8").splitlines()
    rows = [line.split("|")[1:-1] for line in out if line.startswith("| ")][2:]
    source = [line.split("|")[1:-1] for line in TABLE.splitlines() if line.startswith("| ")][2:]
    for got, want in zip(rows, source, strict=True):
        for cell, original in zip(got, want, strict=True):
            if original.strip() in VALUES:
                assert cell == original
