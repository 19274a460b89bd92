"""Text that is a value, not language: kept as written, never a msgid, never sent to a model.

po4a and md2po leave such table cells alone; a model would only garble `4`, `false` or
`GET`, and a reviewer would have to confirm each one.
"""

from __future__ import annotations

import re

# a value a program reads: booleans and null as JSON and most languages write them (not
# `None`, an English answer too), and HTTP methods (upper case only: `Get` is a word)
VALUE_WORDS = {"true", "false", "True", "False", "TRUE", "FALSE", "null"}
HTTP_METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"}
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_MARKUP = re.compile(r"[*_~\\]")  # emphasis and escapes around a value: `**4**`


def letters(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def is_literal(text: str) -> bool:
    """No letters (a number, a date, a dash), or a lone boolean, null or HTTP method."""
    value = text.strip()
    return not letters(value) or value in VALUE_WORDS or value in HTTP_METHODS


def is_literal_markdown(text: str) -> bool:
    """A Markdown cell that is only inline code and values: `` `/widgets` ``, `**4**`, `GET`."""
    return is_literal(_MARKUP.sub("", _CODE_SPAN.sub(" ", text)))
