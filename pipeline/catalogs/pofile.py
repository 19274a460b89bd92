"""Reading and writing .po/.pot files: strict parsing, stable serialization."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import polib

from pipeline.catalogs.gnu_po import FSI, PDI, format_catalog
from pipeline.core.atomic import write_text
from pipeline.core.create_batch import CreateBatch
from pipeline.core.errors import CatalogError
from pipeline.core.guarded_replace import Snapshot, read_snapshot, replace_if_unchanged

WRAP_WIDTH = 79  # GNU gettext's default (msgcat, msgmerge), so tools and we agree on layout
DATE_FIELDS = ("POT-Creation-Date", "PO-Revision-Date")


_STRING = r'"(?:[^"\\]|\\.)*"'
_KEYWORD_LINE = re.compile(rf"^(msgctxt|msgid|msgid_plural|msgstr|msgstr\[\d+\])\s+{_STRING}\s*$")
_CONTINUATION = re.compile(rf"^\s*{_STRING}\s*$")


def _lines(text: str) -> list[str]:
    """A catalog's lines end at \\n (\\r\\n, \\r) only: U+2028, U+0085 and the other separators
    str.splitlines() also breaks at are characters of a msgid (the source's), written raw."""
    return re.split(r"\r\n|\r|\n", text)


class _Text(str):
    """The catalog text for polib, which splits a string it is given with splitlines()."""

    def splitlines(self, keepends: bool = False) -> list[str]:  # type: ignore[override]
        if keepends:
            return re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", self)
        return _lines(self[:-1] if self.endswith("\n") else self)


def syntax_error_line(text: str) -> int | None:
    """First line that is not PO syntax. polib accepts some broken lines (an unterminated
    string loses its last character), so a reviewer's typo is caught here instead."""
    for number, line in enumerate(_lines(text), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not (_KEYWORD_LINE.match(stripped) or _CONTINUATION.match(stripped)):
            return number
    return None


def read_catalog(path: Path) -> polib.POFile | None:
    """The catalog at path, None if absent; a file that does not parse stops with file:line."""
    snapshot = read_snapshot(path)
    return parse_catalog(path, snapshot.data) if snapshot else None


def read_template(path: Path) -> polib.POFile | None:
    """A template as locpipe last wrote it, None if absent or unreadable: a template is
    written without an fsync (see pipeline.core.atomic), so one a crash cut short is written again,
    as is one edited by hand."""
    try:
        return read_catalog(path)
    except CatalogError:
        return None


HEADER_BYTES = 16384  # a header is a few hundred bytes; one larger is read the long way


def read_header(path: Path) -> dict[str, str] | None:
    """A catalog's header fields without parsing its entries, None if absent: a template is
    read for its creation date once per article and locale, and parsing the whole of it was
    a twentieth of a first run. A header this cannot read is read with the whole catalog."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(HEADER_BYTES)
    except FileNotFoundError:
        return None
    end = data.find(b"\n\n")
    if end >= 0 or len(data) < HEADER_BYTES:
        try:
            head = polib.pofile(data[: end + 1 if end >= 0 else None].decode("utf-8"), encoding="utf-8")
        except (OSError, ValueError, UnicodeDecodeError):
            pass
        else:
            if head.metadata:
                return dict(head.metadata)
    po = read_catalog(path)
    return dict(po.metadata) if po is not None else None


def read_catalog_snapshot(path: Path) -> tuple[polib.POFile | None, Snapshot | None]:
    """The catalog and the exact bytes it was parsed from, for a replace that must not
    overwrite a translator's later save."""
    snapshot = read_snapshot(path)
    return (parse_catalog(path, snapshot.data) if snapshot else None), snapshot


BOM = b"\xef\xbb\xbf"


def has_bom(snapshot: Snapshot | None) -> bool:
    """Saved with a byte order mark (Windows editors): read, and written back without it, as
    GNU msgfmt and msgcat refuse a BOM."""
    return bool(snapshot and snapshot.data.startswith(BOM))


_CHARSET = re.compile(rb"charset=([A-Za-z0-9_.:-]+)")


def _decoded(path: Path, data: bytes) -> str:
    """UTF-8, or the charset the header declares (`msgconv -t ISO-8859-1` writes one); locpipe
    writes the catalog back in UTF-8 when it next changes it."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _CHARSET.search(data[:4096])
    name = declared.group(1).decode("ascii") if declared else "UTF-8"
    try:
        return data.decode(name)
    except (LookupError, UnicodeDecodeError):
        raise CatalogError(
            path, f"catalog is not in its declared charset ({name}); re-save it as UTF-8"
        ) from None


def parse_catalog(path: Path, data: bytes) -> polib.POFile:
    if data.startswith(BOM):
        data = data[len(BOM) :]
    text = _decoded(path, data)
    bad = syntax_error_line(text)
    if bad is not None:
        raise CatalogError(
            f"{path}:{bad}", "catalog does not parse (not PO syntax); fix the file, it was left untouched"
        )
    try:
        po = polib.pofile(_Text(text), encoding="utf-8", wrapwidth=WRAP_WIDTH, check_for_duplicates=True)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        message = str(exc)
        line = re.search(r"line (\d+)", message)
        where = f"{path}:{line.group(1)}" if line else str(path)
        reason = re.sub(r"\s*\(line \d+\)|\s*on line \d+|^Syntax error in po file\s*", "", message)
        reason = reason.strip(" :") or "syntax error"
        raise CatalogError(
            where,
            f"catalog does not parse ({reason}); fix the file, it was left untouched",
        ) from None
    for entry in po:
        entry.occurrences = join_isolated(entry.occurrences)
    check_locale_folder(path, po)
    return po


def check_locale_folder(path: Path, po: polib.POFile) -> None:
    """A catalog in `<locale>/LC_MESSAGES/` whose Language header names another language is
    not that locale's work (a uk file moved into de/ by mistake): refused, left untouched."""
    if path.parent.name != "LC_MESSAGES":
        return
    folder = path.parent.parent.name
    said = (po.metadata.get("Language") or "").strip()
    if said and not same_locale(said, folder):
        raise CatalogError(
            path,
            f"catalog says Language: {said} but is in the {folder} folder; move it to "
            f"{said}/LC_MESSAGES/ or fix its header (left untouched, nothing read from it)",
        )


def same_locale(header: str, folder: str) -> bool:
    """uk = uk_UA = uk-UA; pt_BR and pt_PT differ when both name a territory."""

    def parts(code: str) -> tuple[str, str]:
        code = code.split(".")[0].split("@")[0].replace("-", "_")
        lang, _, territory = code.partition("_")
        return lang.lower(), territory.lower()

    (a, ta), (b, tb) = parts(header), parts(folder)
    return a == b and (not ta or not tb or ta == tb)


def join_isolated(occurrences: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """polib splits `#: ⁨my file.txt⁩:3` at the space; join the name again."""
    out: list[tuple[str, str]] = []
    pending: list[str] = []
    for name, line in occurrences:
        if pending or name.startswith(FSI):
            pending.append(name + (f":{line}" if line and PDI not in name else ""))
            if PDI in name:
                out.append((" ".join(pending).strip(FSI + PDI), line))
                pending = []
            continue
        out.append((name, line))
    return out


def serialize(catalog: polib.POFile) -> str:
    """GNU gettext's layout (see gnu_po): `msgcat` leaves what we write as it is."""
    return format_catalog(catalog)


def content_view(catalog: polib.POFile) -> str:
    """The catalog without its header dates: equal views mean nothing worth a rewrite changed."""
    saved = {k: catalog.metadata.get(k) for k in DATE_FIELDS}
    for key in DATE_FIELDS:
        catalog.metadata[key] = ""
    try:
        return serialize(catalog)
    finally:
        for key, value in saved.items():
            if value is None:
                catalog.metadata.pop(key, None)
            else:
                catalog.metadata[key] = value


def save_catalog(path: Path, catalog: polib.POFile, durable: bool = True) -> bool:
    """durable=False for a template, which the inputs give again."""
    return write_text(path, serialize(catalog), durable)


def dates_hint(catalog: polib.POFile) -> dict[str, Any]:
    """What a deleted catalog's dates were, for the content they were written with."""
    view = hashlib.sha256(content_view(catalog).encode("utf-8")).hexdigest()
    return {"view": view, "dates": {k: catalog.metadata[k] for k in DATE_FIELDS if k in catalog.metadata}}


def settle_dates(
    new: polib.POFile,
    old: polib.POFile | None,
    fields: tuple[str, ...],
    hint: dict[str, Any] | None = None,
) -> bool:
    """Keep old's dates when nothing but dates differ, so an unchanged catalog stays byte-equal;
    a catalog written again with the content locpipe last wrote gets its dates back from the
    hint.

    Returns True when the file must be written (content changed, or no file).
    """
    if old is None or content_view(new) != content_view(old):
        # back to what locpipe last wrote (after a deletion, or another tool's rewrite):
        # the dates it was written with
        if hint and hint.get("view") == dates_hint(new)["view"]:
            for key in fields:
                if key in hint.get("dates", {}):
                    new.metadata[key] = hint["dates"][key]
        return True
    for key in fields:
        if key in old.metadata:
            new.metadata[key] = old.metadata[key]
    return False


def replace_catalog(
    path: Path, catalog: polib.POFile, expected: Snapshot | None, batch: CreateBatch | None = None
) -> bool:
    """Save only if the file is still the one `expected` was read from (see
    pipeline.core.guarded_replace); False: a translator saved first, merge again.
    batch: a new catalog waits there to be put in place with the others."""
    return replace_if_unchanged(path, serialize(catalog).encode("utf-8"), expected, batch)
