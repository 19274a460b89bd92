"""Bytes to text: UTF-8 (BOM or not), UTF-16/32 with a BOM, legacy 8-bit encodings.

Legacy encodings are guessed by charset-normalizer (a maintained detector that scores
decodings by how much they look like language), not by code of ours. Output is always UTF-8.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from pipeline.errors import InputError

PREFERRED = ("cp1252", "iso8859_1", "iso8859_15", "cp1251", "koi8_r", "iso8859_2", "cp1250")
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(path: Path | str, data: bytes) -> tuple[str, str]:
    """(text, encoding name) or a one-line error saying what the file is instead."""
    for bom, name in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                raise InputError(path, f"starts with a {name} mark but does not decode; re-save it") from None
    if b"\x00" in data[:8192]:
        raise InputError(path, "binary file, not text; remove it from the inputs folder")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    results = from_bytes(data)
    best = results.best()
    if best is None:
        raise InputError(path, "not text in any known encoding; save it as UTF-8")
    # short texts often score the same in several code pages; take the most common one then
    tied = {m.encoding: m for m in results if (m.chaos, m.coherence) == (best.chaos, best.coherence)}
    chosen = next((tied[name] for name in PREFERRED if name in tied), best)
    return str(chosen), chosen.encoding
