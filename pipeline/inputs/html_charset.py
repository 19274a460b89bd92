"""The text of an HTML file's bytes, as a browser decodes them: a BOM, the `<meta>`
charset declaration, UTF-8, or windows-1252; NUL bytes read as U+FFFD."""

from __future__ import annotations

import codecs
from pathlib import Path

from pipeline.core.errors import InputError
from pipeline.inputs.html_tags import attribute
from pipeline.inputs.html_tokens import events

BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _label_codec(label: str) -> str | None:
    """A charset label as the HTML standard reads it (latin1 and ascii mean windows-1252;
    a meta that claims UTF-16 means UTF-8)."""
    label = label.strip().strip("\"'").lower()
    if label in {"latin1", "iso-8859-1", "iso8859-1", "l1", "ascii", "us-ascii", "windows-1252", "cp1252"}:
        return "cp1252"
    if label.startswith("utf-16"):
        return "utf-8"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def declared_charset(head: str) -> str | None:
    """The charset of the first `<meta charset>` or `<meta http-equiv=content-type>`."""
    for event in events(head):
        if event.kind not in {"start", "startend"} or event.tag != "meta":
            continue
        charset = attribute(event.attrs, "charset")
        if charset:
            return charset
        content = attribute(event.attrs, "content") or ""
        if (attribute(event.attrs, "http-equiv") or "").lower() == "content-type" and "charset=" in content:
            return content.lower().split("charset=", 1)[1].split(";")[0]
    return None


MAX_NUL_SHARE = 0.25  # more NUL bytes than this, or two in a row (UTF-16), and it is no page
REPLACEMENT = "\ufffd".encode()


def _nul_as_replacement(path: Path | str, data: bytes) -> bytes:
    """A NUL in a page is a parse error the HTML standard's tokenizer reads as U+FFFD (or
    drops) and a browser shows the page: so here, for a page that is UTF-8 text around its
    NULs. NUL never reaches a catalog; a file that is binary is still refused."""
    count = data.count(b"\x00")
    if not count:
        return data
    binary = count > len(data) * MAX_NUL_SHARE or b"\x00\x00" in data
    try:
        data.replace(b"\x00", b"").decode("utf-8")
    except UnicodeDecodeError:
        binary = True
    if binary:
        raise InputError(path, "binary file, not HTML; remove it from the inputs folder")
    return data.replace(b"\x00", REPLACEMENT)


def decode_html(path: Path | str, data: bytes) -> tuple[str, str]:
    """(text, encoding): a BOM, else the `<meta>` declaration in the first 1024 bytes, else
    UTF-8 when the bytes are UTF-8, else windows-1252 (the HTML standard's default)."""
    for bom, name in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                raise InputError(path, f"starts with a {name} mark but does not decode; re-save it") from None
    data = _nul_as_replacement(path, data)
    label = declared_charset(data[:1024].decode("latin-1"))
    codec = _label_codec(label) if label else None
    if label and codec is None:
        raise InputError(path, f"<meta charset={label!r}> is not an encoding; fix the declaration")
    if codec is None:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            codec = "cp1252"
    try:
        return data.decode(codec), codec
    except UnicodeDecodeError as exc:
        if codec == "utf-8":  # as a browser shows it: the stray byte as U+FFFD
            return data.decode("utf-8", errors="replace"), "utf-8"
        reason = f"byte {exc.start} does not decode as {codec}; fix the <meta charset>"
        raise InputError(path, reason) from None
