"""The checks on a message's text: placeholders a reviewed text must keep, numbers, notes a
tool took away. A message's state (reviewed, machine, offered) is pipeline.catalogs.message's.
"""

from __future__ import annotations

import re
from collections import Counter

import polib

from pipeline.catalogs.header import SOURCE_LANGUAGE
from pipeline.catalogs.message import CHANGED, DRAFT_NOTE, FROM_MEMORY, MACHINE, Message, read_message
from pipeline.translation.checks import CHECK, number_problems, oversize, oversize_note
from pipeline.translation.invisible import ISOLATES, hidden_notes
from pipeline.translation.protect import BRACE, PRINTF

# a mixed-language article's paragraph in another language than the catalog's
_ENTRY_SOURCE = re.compile(r"^source: ([\w-]+) \(this paragraph", re.MULTILINE)


PROVENANCE = (MACHINE, CHANGED, FROM_MEMORY, DRAFT_NOTE)
Languages = tuple[str | None, str | None]  # of the msgids and of the msgstrs


def catalog_languages(metadata: dict[str, str] | None) -> Languages:
    """What a catalog's header says its msgids and msgstrs are written in."""
    meta = metadata or {}
    return meta.get(SOURCE_LANGUAGE) or None, meta.get("Language") or None


def notes_stripped(entry: polib.POEntry, languages: Languages = (None, None)) -> bool:
    """Notes locpipe writes that a tool took away (msgmerge --update takes #. from the .pot):
    an unreviewed translation without its provenance, a reviewed one without its check."""
    if entry.obsolete or not entry.msgstr:
        return False
    lines = entry.comment.splitlines()
    if read_message(entry).state.unreviewed:
        return not any(line.startswith(PROVENANCE) for line in lines)
    return bool(review_problems(entry, languages)) and not any(line.startswith(CHECK) for line in lines)


def failed_checks(entry: polib.POEntry) -> list[str]:
    return [line for line in entry.comment.splitlines() if line.startswith(CHECK)]


def other_language(entry: polib.POEntry) -> bool:
    """A paragraph whose #. note names a language of its own (mixed-language article)."""
    return bool(_ENTRY_SOURCE.search(entry.comment or ""))


def _directives(text: str, flag: str) -> Counter[str]:
    if flag == "python-format":
        return Counter(m.group() for m in PRINTF.finditer(text) if m.group() != "%%")
    return Counter(m.group() for m in BRACE.finditer(text.replace("{{", "").replace("}}", "")))


def format_problems(entry: polib.POEntry) -> list[str]:
    """Placeholders of a format-flagged entry that its msgstr does not keep, as msgfmt
    --check-format would refuse them: the program would raise on them at run time."""
    problems = []
    if not entry.msgstr:
        return problems
    for flag in FORMAT_FLAGS:
        if flag not in entry.flags:
            continue
        want, got = _directives(entry.msgid, flag), _directives(entry.msgstr, flag)
        if want != got:
            missing = sorted((want - got).elements())
            extra = sorted((got - want).elements())
            detail = ", ".join([*(f"{m} missing" for m in missing), *(f"{e} unknown" for e in extra)])
            problems.append(f"{CHECK} format: {detail}")
        elif flag == "python-format" and _positional(entry.msgid) != _positional(entry.msgstr):
            # %s and %d take their arguments in order: msgfmt --check refuses a swap
            order = " ".join(_positional(entry.msgid))
            problems.append(f"{CHECK} format: {order} in another order")
    return problems


def _positional(text: str) -> list[str]:
    """Unnamed printf directives (no `%(name)`), in the order they take their arguments."""
    return [m.group() for m in PRINTF.finditer(text) if m.group() != "%%" and "(" not in m.group()]


def review_problems(entry: polib.POEntry, languages: Languages) -> list[str]:
    """The check notes of a reviewed entry: placeholders that do not match (it is left out of
    the .mo) and numbers that do not, read in each language's format (it stays in)."""
    if not entry.msgstr:
        return []
    if oversize(entry.msgid, entry.msgstr):  # nothing else is worth reading in it
        return [oversize_note(entry.msgid, entry.msgstr)]
    hidden = hidden_notes(entry.msgstr, "translation", allowed=ISOLATES)
    return [*format_problems(entry), *number_problems(entry.msgid, entry.msgstr, *languages), *hidden]


FORMAT_FLAGS = ("python-format", "python-brace-format")


def is_broken(entry: polib.POEntry) -> bool:
    """A reviewed entry whose placeholders do not match, or far longer than its source: left
    out of the .mo and the article."""
    if entry.obsolete:
        return False
    if oversize(entry.msgid, entry.msgstr):
        return True
    if not any(flag in entry.flags for flag in FORMAT_FLAGS):
        return False  # only a format-flagged entry has placeholders to keep
    return read_message(entry).reviewed and bool(format_problems(entry))


def feeds_memory(message: Message, entry: polib.POEntry) -> bool:
    """A translator's text the memory may offer elsewhere: reviewed, placeholders intact (a
    broken one would spread the error to every article that repeats the sentence)."""
    return (
        bool(message.source)
        and message.reviewed
        and not format_problems(entry)
        and not oversize(message.source, message.text)
    )
