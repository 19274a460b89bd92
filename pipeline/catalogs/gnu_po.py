"""PO text exactly as GNU gettext writes it (write-po.c at 79 columns), so `msgcat` leaves
every file we write byte-identical and a file saved by Poedit or msgcat is not reflowed.

What GNU does, and we with it: a string is cut into portions after each `\\n`, each portion
is escaped, then filled greedily at Unicode line-break opportunities (after spaces, between
ideographs...; see linebreak.py) to 79 columns counting the quotes; a string that is wrapped
or has more than one portion starts with `""` on the keyword's line. `#:` references fill
79 columns too; `#,` flags come in GNU's order (fuzzy, format flags, range, wrap); comment
lines are written as they are. Obsolete entries follow the live ones.
"""

from __future__ import annotations

import re
from functools import lru_cache

import polib

from pipeline.catalogs.linebreak import (
    POSSIBLE,
    PROHIBITED,
    UNDEFINED,
    printable_ascii,
    width_linebreaks,
)

PAGE_WIDTH = 79
NO_WRAP = 10**9
_ESCAPES = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v", "\\": "\\", '"': '"'}
# gettext 0.21's format languages, in the order msgcat writes their flags
FORMAT_ORDER = (
    "c", "objc", "python", "python-brace", "java", "java-printf", "csharp", "javascript", "scheme",
    "lisp", "elisp", "librep", "ruby", "sh", "awk", "lua", "object-pascal", "smalltalk", "qt",
    "qt-plural", "kde", "kde-kuit", "boost", "tcl", "perl", "perl-brace", "php", "gcc-internal",
    "gfc-internal", "ycp",
)
FSI, PDI = "\u2068", "\u2069"  # how gettext writes a file name that has spaces


def _escape(portion: str, inside: set[int], offset: int) -> tuple[str, list[int]]:
    """inside: positions in the whole value within a format directive, not at its start."""
    text: list[str] = []
    overrides: list[int] = []
    for i, ch in enumerate(portion):
        brk = PROHIBITED if offset + i in inside else UNDEFINED
        if ch in _ESCAPES:
            text += ["\\", _ESCAPES[ch]]
            overrides += [brk, PROHIBITED]
        else:
            text.append(ch)
            overrides.append(brk)
    return "".join(text), overrides


def _portions(value: str) -> list[str]:
    parts = value.split("\n")
    out = [p + "\n" for p in parts[:-1]]
    if parts[-1] or not out:
        out.append(parts[-1])
    return out


def wrap_string(prefix: str, name: str, value: str, flags: list[str] | None = None) -> list[str]:
    """`name "value"` as write-po.c's wrap() lays it out, one output line per item."""
    return list(_wrapped(prefix, name, value, tuple(flags or ())))


@lru_cache(maxsize=32768)
def _wrapped(prefix: str, name: str, value: str, flags: tuple[str, ...]) -> tuple[str, ...]:
    """Cached: a msgid is laid out for its template and every locale's catalog, each of them
    twice (the file and its date-free view), and the line breaking is the costly part."""
    no_wrap = "no-wrap" in flags
    after_break = len(prefix) + 1
    width = (NO_WRAP if no_wrap else PAGE_WIDTH) - 1 - after_break
    if _plain(value) and len(name) + 1 + len(value) <= width:
        return (f'{prefix}{name} "{value}"',)  # fits as it is: no escape, no break to look for
    inside = {i for start, end in directive_spans(value, list(flags)) for i in range(start + 1, end)}
    offset = 0
    lines: list[str] = []
    first = True
    portions = _portions(value)
    for n, portion in enumerate(portions):
        text, overrides = _escape(portion, inside, offset)
        offset += len(portion)
        if portion.endswith("\n"):
            overrides[-2] = PROHIBITED  # never break just before the final \n
        while True:
            startcol = len(prefix) + (len(name) + 1 if first else 0) + 1 - after_break
            breaks = width_linebreaks(text, width, startcol, overrides)
            if first and text and (n + 1 < len(portions) or startcol > width or POSSIBLE in breaks):
                lines.append(f'{prefix}{name} ""')
                first = False
                continue
            break
        line = prefix + (f"{name} " if first else "") + '"'
        first = False
        for i, ch in enumerate(text):
            if breaks[i] == POSSIBLE:
                lines.append(line + '"')
                line = prefix + '"'
            line += ch
        lines.append(line + '"')
    return tuple(lines)


def _plain(value: str) -> bool:
    """Printable ASCII with nothing to escape: one column a character."""
    return printable_ascii(value) and '"' not in value and "\\" not in value


def reference_name(path: str) -> str:
    while path.startswith("./"):
        path = path[2:]
    if " " in path and not path.startswith(FSI):
        return f"{FSI}{path}{PDI}"
    return path


def reference_lines(occurrences: list[tuple[str, str]]) -> list[str]:
    if not occurrences:
        return []
    lines, line, column = [], "#:", 2
    for path, number in occurrences:
        item = reference_name(path) + (f":{number}" if number not in ("", None) else "")
        size = len(item.encode("utf-8")) + 1
        if column > 2 and column + size > PAGE_WIDTH:
            lines.append(line)
            line, column = "#:", 2
        line += " " + item
        column += size
    lines.append(line)
    return lines


def ordered_flags(flags: list[str], translated: bool) -> list[str]:
    """GNU's order; a fuzzy flag on an empty msgstr is dropped, as msgcat drops it.
    Flags GNU does not know are kept last (msgcat would drop them; they are not ours)."""
    out = ["fuzzy"] if "fuzzy" in flags and translated else []
    by_language = {}
    for flag in flags:
        base = flag[3:] if flag.startswith("no-") else flag
        if base.endswith("-format") and base[: -len("-format")] in FORMAT_ORDER:
            by_language[base[: -len("-format")]] = flag
    out += [by_language[lang] for lang in FORMAT_ORDER if lang in by_language]
    out += [f for f in flags if f.startswith("range:")]
    out += [f for f in flags if f in ("wrap", "no-wrap")]
    known = set(out) | {"fuzzy"}
    out += [f for f in flags if f not in known]
    return out


def _comment_lines(mark: str, text: str) -> list[str]:
    if not text:
        return []
    return [mark + (f" {line}" if line else "") for line in text.split("\n")]


def entry_lines(entry: polib.POEntry, header_comment: str | None = None) -> list[str]:
    obsolete = bool(entry.obsolete)
    prefix, previous_prefix = ("#~ ", "#~| ") if obsolete else ("", "#| ")
    msgstrs = (
        [(f"msgstr[{k}]", v) for k, v in sorted(entry.msgstr_plural.items(), key=lambda kv: int(kv[0]))]
        if entry.msgid_plural
        else [("msgstr", entry.msgstr)]
    )
    translated = bool(msgstrs[0][1])
    flags = list(entry.flags)
    if obsolete:  # GNU keeps only fuzzy on an obsolete entry: no format flag guides its wrapping
        flags = [f for f in flags if f == "fuzzy"]
    lines = _comment_lines("#", entry.tcomment if header_comment is None else header_comment)
    lines += _comment_lines("#.", entry.comment)
    lines += reference_lines(list(entry.occurrences))
    if obsolete:
        if "fuzzy" in entry.flags:
            lines.append("#, fuzzy")
    else:
        flags = ordered_flags(list(entry.flags), translated)
        if flags:
            lines.append("#, " + ", ".join(flags))
    for name, value in (
        ("msgctxt", entry.previous_msgctxt),
        ("msgid", entry.previous_msgid),
        ("msgid_plural", entry.previous_msgid_plural),
    ):
        if value is not None:
            lines += wrap_string(previous_prefix, name, value, flags)
    if entry.msgctxt is not None:
        lines += wrap_string(prefix, "msgctxt", entry.msgctxt, flags)
    lines += wrap_string(prefix, "msgid", entry.msgid, flags)
    if entry.msgid_plural:
        lines += wrap_string(prefix, "msgid_plural", entry.msgid_plural, flags)
    for name, value in msgstrs:
        lines += wrap_string(prefix, name, value, flags)
    return lines


def header_entry(catalog: polib.POFile) -> polib.POEntry:
    text = "".join(f"{key}: {value}\n" for key, value in catalog.metadata.items())
    return polib.POEntry(msgid="", msgstr=text, flags=["fuzzy"] if catalog.metadata_is_fuzzy else [])


def format_catalog(catalog: polib.POFile) -> str:
    blocks = [entry_lines(header_entry(catalog), header_comment=catalog.header or "")]
    live = [e for e in catalog if not e.obsolete]
    gone = [e for e in catalog if e.obsolete and (e.msgstr or any(e.msgstr_plural.values()))]
    blocks += [entry_lines(e) for e in live + gone]
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"


_PYTHON = re.compile(r"%(?:%|(?:\([^)]*\))?[-+ #0]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrs])")
_BRACE = re.compile(r"\{\{|\}\}|\{[^{}]*\}")


def directive_spans(value: str, flags: list[str]) -> list[tuple[int, int]]:
    """Format directives GNU will not break inside: python-format's `%(name)s`, else
    python-brace-format's `{name}` (the first format flag in GNU's order decides)."""
    if "python-format" in flags:
        spans: list[tuple[int, int]] = []
        kinds = set()
        for m in re.finditer("%", value):
            if spans and m.start() < spans[-1][1]:
                continue
            found = _PYTHON.match(value, m.start())
            if found is not None and found.group() != "%%":
                kinds.add("(" in found.group()[:2])
            if found is None or len(kinds) > 1:
                break  # GNU's parser stops at the first invalid directive (or named after unnamed)
            spans.append(found.span())
        return spans
    if "python-brace-format" in flags:
        return [m.span() for m in _BRACE.finditer(value) if m.group() not in ("{{", "}}")]
    return []
