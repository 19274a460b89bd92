"""Compiled catalogs: what msgfmt would produce from the .po."""

from __future__ import annotations

import copy

import polib


def compile_mo(po: polib.POFile, include_fuzzy: bool = False) -> bytes:
    """Reviewed entries only, as msgfmt does; include_fuzzy mirrors msgfmt --use-fuzzy."""
    if not include_fuzzy:
        return po.to_binary()
    clone = copy.deepcopy(po)
    for entry in clone:
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    return clone.to_binary()
