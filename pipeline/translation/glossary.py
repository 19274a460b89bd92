"""glossary.csv: names and brands a model must not translate, per target locale.

    term,uk,de
    Kyiv,Київ,Kyjiw
    locpipe,keep,keep

A cell is the forced translation, `keep` (leave the term as it is) or empty (no rule for
that locale). Terms match whole words, case-sensitively, and are protected like URLs.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from pipeline.core.errors import ConfigError

KEEP = "keep"
Rules = dict[str, str | None]  # term -> forced translation, None = keep as it is


def read_glossary(path: Path | None) -> dict[str, Rules]:
    """Rules per locale column; {} when there is no glossary file. Parsed once per process
    while the file is unchanged (every catalog task asks); callers must not change it."""
    if path is None or not path.exists():
        return {}
    info = path.stat()
    return _parse(path, info.st_mtime_ns, info.st_size)


@lru_cache(maxsize=4)
def _parse(path: Path, _mtime: int, _size: int) -> dict[str, Rules]:
    try:
        rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ConfigError(path, f"glossary is not a UTF-8 CSV file ({exc}); fix it") from None
    if not rows or len(rows[0]) < 2:
        raise ConfigError(path, "glossary needs a header row: term,<locale>,<locale>...")
    locales = [c.strip() for c in rows[0][1:]]
    rules: dict[str, Rules] = {loc: {} for loc in locales}
    for number, row in enumerate(rows[1:], start=2):
        if not row or not row[0].strip():
            continue
        if len(row) > len(locales) + 1:
            raise ConfigError(f"{path}:{number}", "more cells than locale columns; quote cells with commas")
        term = row[0].strip()
        for loc, cell in zip(locales, row[1:], strict=False):
            cell = cell.strip()
            if cell:
                rules[loc][term] = None if cell.lower() == KEEP else cell
    return rules


def rules_for(glossary: dict[str, Rules], locale: str) -> Rules:
    """The locale's column, or its language's (uk for uk_UA)."""
    return glossary.get(locale) or glossary.get(locale.split("_")[0]) or {}

