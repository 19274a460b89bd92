"""Pseudo-localization: the target `qps` translates with no model.

As Translate Toolkit's `podebug`, Windows' qps-ploc and Android's en-XA do: every segment
goes through the real path (masking, catalogs, the `.mo`, rendering) and comes back with its
Latin letters accented, padded by 30 % and bracketed, while the masked spans (code, URLs,
placeholders, inline markup: the `Z1Z` tokens) stay exactly where they were. A desk sees,
before any model is installed, that layout and markup survive and where longer text hurts.

The brackets are ⟦ ⟧ and the padding is "·", not "[ ]" and "!!!": in Markdown "[x]" can
become a link and "![" an image, and "~~" strikes text through, so the pseudo text must be
inert in every input format. `qps` is in ISO 639's private-use range (qaa-qtz), as
Microsoft's `qps-ploc` is.
"""

from __future__ import annotations

import math
import re

from pipeline.core.locales import PSEUDO

CODE = PSEUDO  # the gettext target a desk names; Argos has no such language
VERSION = "1"  # bump when the pseudo text changes: its route key keys the stored results
OPEN, CLOSE, PAD = "⟦", "⟧", "·"
EXPANSION = 0.3

_LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LOOKALIKES = "àƀçđéƒĝĥîĵķĺɱñöþǫŕšţûṽŵẋýžÀƁÇĐÉƑĜĤÎĴĶĹṀÑÖÞǪŔŠŢÛṼŴẊÝŽ"
_ACCENTED = str.maketrans(_LATIN, _LOOKALIKES)
_PLAIN = str.maketrans(_LOOKALIKES, _LATIN)
_TOKEN = re.compile(r"Z\d+Z")  # the masked spans (translation.protect): kept as they are


def pseudo_translate(text: str) -> str:
    """Accent every Latin letter outside the masked tokens, pad the letters by 30 %, bracket.
    Whitespace around the text stays outside the brackets, so layout is untouched."""
    body = text.strip()
    if not body:
        return text
    parts = _TOKEN.split(body)
    tokens = _TOKEN.findall(body)
    accented = [p.translate(_ACCENTED) for p in parts]
    letters = sum(c.isalpha() for p in parts for c in p)
    out = accented[0] + "".join(t + p for t, p in zip(tokens, accented[1:], strict=True))
    padding = PAD * math.ceil(letters * EXPANSION)
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}{OPEN}{out}{' ' + padding if padding else ''}{CLOSE}{trail}"


def plain_letters(text: str) -> str:
    """The accents taken off again: how a check reads pseudo text against its source."""
    return text.translate(_PLAIN)


def shown_unreviewed(locale: str) -> bool:
    """The pseudo-locale's .mo holds its machine (fuzzy) entries: no one reviews pseudo text,
    and an application run in qps must show it."""
    return locale == CODE
