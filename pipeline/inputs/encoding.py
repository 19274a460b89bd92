"""Bytes to text: UTF-8 (BOM or not), UTF-16/32 with a BOM, legacy 8-bit encodings.

A file that is UTF-8 but for a few bad bytes stays UTF-8: each bad sequence becomes U+FFFD
and a warning gives the byte offsets. Reading it as a legacy code page instead would turn
every correct non-ASCII character into mojibake. Only a file whose non-ASCII content is
mostly invalid UTF-8 (more than STRAY_MAX_SHARE of it) is guessed by charset-normalizer
(a maintained detector that scores decodings by how much they look like language).

NUL never reaches a catalog: a file with a NUL in its first 8 KB (git's test) or with many
NULs is binary, an error; a few NULs further in are removed, with a warning.
Output is always UTF-8.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.errors import InputError

PREFERRED = ("cp1252", "iso8859_1", "iso8859_15", "cp1251", "koi8_r", "iso8859_2", "cp1250")
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
SNIFF_BYTES = 8192  # a NUL in here: binary, as git and grep decide
MAX_NUL_SHARE = 0.01  # more NUL bytes than this share of the file: binary wherever they are
# Invalid sequences as a share of all non-ASCII characters. UTF-8 damaged by a few bytes has
# almost every non-ASCII character valid; a legacy file has almost none (multi-byte UTF-8
# sequences seldom occur by chance). At this share or below, the file is UTF-8.
STRAY_MAX_SHARE = 0.25
SHOWN_OFFSETS = 5  # offsets named in a warning; the count says how many there are in all
FEW_HIGH_BYTES = 3  # a legacy-encoding guess from no more non-ASCII bytes than this is warned


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    warnings: tuple[str, ...] = ()  # one line each, naming the file


def decode(path: Path | str, data: bytes) -> Decoded:
    """The text, or a one-line error saying what the file is instead."""
    for bom, name in BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(name)
            except UnicodeDecodeError:
                raise InputError(path, f"starts with a {name} mark but does not decode; re-save it") from None
            return _without_nul_characters(path, Decoded(text, name))
    data, warnings = _without_nul_bytes(path, data)
    decoded = _as_utf8(path, data) or _as_legacy(path, data)
    return Decoded(decoded.text, decoded.encoding, (*warnings, *decoded.warnings))


def _without_nul_bytes(path: Path | str, data: bytes) -> tuple[bytes, tuple[str, ...]]:
    count = data.count(b"\x00")
    if not count:
        return data, ()
    if b"\x00" in data[:SNIFF_BYTES] or count > len(data) * MAX_NUL_SHARE:
        raise InputError(path, "binary file, not text; remove it from the inputs folder")
    offsets = _offsets(data, b"\x00")
    where = _describe(offsets, count)
    warning = f"{count} NUL byte(s) removed ({where}); remove them from the file"
    return data.replace(b"\x00", b""), (InputError(path, warning).line(),)


def _without_nul_characters(path: Path | str, decoded: Decoded) -> Decoded:
    count = decoded.text.count("\x00")
    if not count:
        return decoded
    if count > len(decoded.text) * MAX_NUL_SHARE:
        raise InputError(path, "binary file, not text; remove it from the inputs folder")
    warning = InputError(path, f"{count} NUL character(s) removed; remove them from the file").line()
    return Decoded(decoded.text.replace("\x00", ""), decoded.encoding, (warning,))


def _as_utf8(path: Path | str, data: bytes) -> Decoded | None:
    """UTF-8, damaged or not; None when the file is clearly in another encoding."""
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")  # one U+FFFD per invalid sequence
    bad = text.count("\ufffd") - data.count("\ufffd".encode("utf-8"))
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    if bad > STRAY_MAX_SHARE * non_ascii:
        return None
    where = _describe(_invalid_offsets(data), bad)
    warning = f"not valid UTF-8 ({where}); read as UTF-8 with U+FFFD there; fix those bytes in the file"
    return Decoded(text, "utf-8", (InputError(path, warning).line(),))


def _as_legacy(path: Path | str, data: bytes) -> Decoded:
    from charset_normalizer import from_bytes

    results = from_bytes(data)
    best = results.best()
    if best is None:
        raise InputError(path, "not text in any known encoding; save it as UTF-8")
    # short texts often score the same in several code pages; take the most common one then
    tied = {m.encoding: m for m in results if (m.chaos, m.coherence) == (best.chaos, best.coherence)}
    chosen = next((tied[name] for name in PREFERRED if name in tied), best)
    text = str(chosen)
    high = [i for i, byte in enumerate(data) if byte > 0x7F]
    if len(high) > FEW_HIGH_BYTES:
        return Decoded(text, chosen.encoding)
    # a guess resting on a byte or two: most likely a stray byte in an ASCII file, so say so
    shown = ", ".join(str(i) for i in high[:SHOWN_OFFSETS])
    chars = "".join(ch for ch in text if ord(ch) > 0x7F)
    warning = (
        f"not UTF-8: read as {chosen.encoding}, a guess from {len(high)} non-ASCII byte(s) at offset "
        f"{shown} ({chars!r}); if that is wrong, fix those bytes or save the file as UTF-8"
    )
    return Decoded(text, chosen.encoding, (InputError(path, warning).line(),))


def _offsets(data: bytes, needle: bytes) -> list[int]:
    found, at = [], data.find(needle)
    while at >= 0 and len(found) < SHOWN_OFFSETS:
        found.append(at)
        at = data.find(needle, at + 1)
    return found


def _invalid_offsets(data: bytes) -> list[int]:
    """Byte offsets of the first invalid UTF-8 sequences."""
    found, start = [], 0
    while len(found) < SHOWN_OFFSETS:
        try:
            data[start:].decode("utf-8")
            break
        except UnicodeDecodeError as exc:
            found.append(start + exc.start)
            start += exc.end
    return found


def _describe(offsets: list[int], count: int) -> str:
    more = f" and {count - len(offsets)} more" if count > len(offsets) else ""
    label = "byte" if len(offsets) == 1 else "bytes"
    return f"at {label} {', '.join(map(str, offsets))}{more}"
