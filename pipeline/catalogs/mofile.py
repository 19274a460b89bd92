"""Compiled catalogs: what msgfmt would produce from the .po."""

from __future__ import annotations

import copy
from collections.abc import Callable

import polib


def compile_mo(
    po: polib.POFile, include_fuzzy: bool = False, leave_out: Callable[[polib.POEntry], bool] | None = None
) -> bytes:
    """Reviewed entries only, as msgfmt does; include_fuzzy mirrors msgfmt --use-fuzzy.
    leave_out: entries served as source text instead (a reviewed entry whose placeholders
    do not match would raise in the consuming program)."""
    if not include_fuzzy and not leave_out:
        return po.to_binary()
    clone = copy.copy(po)  # shallow: an entry is copied only where its flags change
    for i, entry in enumerate(clone):
        if leave_out and leave_out(entry):
            flags = [*entry.flags, "fuzzy"]
        elif include_fuzzy and "fuzzy" in entry.flags:
            flags = [f for f in entry.flags if f != "fuzzy"]
        else:
            continue
        clone[i] = copy.copy(entry)
        clone[i].flags = flags
    return clone.to_binary()
