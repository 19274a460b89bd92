"""One table between the three code systems: gettext locales, Argos codes, langdetect codes.

Users name targets as gettext locales (the folder names translators and consumers know);
Argos packages use their own codes (pt_BR is "pb", zh_TW is "zt") and langdetect reports
"zh-cn"/"zh-tw". Plural-Forms come from weblate-language-data, the table Weblate writes,
which follows GNU gettext's formulas.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from weblate_language_data.aliases import ALIASES
from weblate_language_data.languages import LANGUAGES

from pipeline.core.errors import ConfigError

# written right to left: their text is isolated (FSI/PDI) where it meets left-to-right spans
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ckb"})

# gettext locale -> Argos code, where they differ from the language part of the locale
ARGOS_CODE_EXCEPTIONS: dict[str, str] = {
    "pt_BR": "pb",
    "zh_TW": "zt",
    "zh_HK": "zt",
    "zh_Hant": "zt",
    "zh_CN": "zh",
    "zh_Hans": "zh",
    "nb_NO": "nb",
    "no": "nb",
}

# langdetect code -> Argos code, where they differ
LANGDETECT_TO_ARGOS: dict[str, str] = {"zh-cn": "zh", "zh-tw": "zt", "no": "nb"}

PSEUDO = "qps"  # the pseudo-locale a desk names (translation.pseudo); Argos has no such language
_LOCALE_RE = re.compile(r"^[a-z]{2,3}(_[A-Z]{2}|_[A-Z][a-z]{3})?(@[a-z]+)?$")


@dataclass(frozen=True)
class Locale:
    """A target as the user named it, with the codes each library needs."""

    gettext: str
    argos: str
    language: str

    @property
    def plural_forms(self) -> str:
        return plural_forms(self.gettext)


def parse_locale(code: str) -> Locale:
    code = code.strip().replace("-", "_")
    if not _LOCALE_RE.match(code):
        raise ConfigError(
            None, f"target {code!r} is not a gettext locale (examples: uk, uk_UA, pt_BR, zh_TW)"
        )
    language = code.split("_")[0].split("@")[0]
    argos = ARGOS_CODE_EXCEPTIONS.get(code, ARGOS_CODE_EXCEPTIONS.get(language, language))
    return Locale(gettext=code, argos=argos, language=language)


def argos_from_langdetect(code: str) -> str:
    return LANGDETECT_TO_ARGOS.get(code, code.split("-")[0])


@cache
def _plural_table() -> dict[str, tuple[int, str]]:
    return {code: (n, formula) for code, _name, n, formula in LANGUAGES}


@cache
def _name_table() -> dict[str, str]:
    return {code: name for code, name, _n, _f in LANGUAGES}


def _lookup_code(locale: str) -> str | None:
    table = _plural_table()
    for candidate in (locale, ALIASES.get(locale.lower()), locale.split("_")[0].split("@")[0]):
        if candidate and candidate in table:
            return candidate
    return None


def plural_forms(locale: str) -> str:
    """The Plural-Forms header value GNU gettext, Poedit and Weblate use for this locale."""
    code = _lookup_code(locale)
    if code is None:
        return "nplurals=2; plural=(n != 1);"
    n, formula = _plural_table()[code]
    expression = formula if formula.isdigit() else f"({formula})"
    return f"nplurals={n}; plural={expression};"


def language_name(locale: str) -> str:
    if locale.split("_")[0] == PSEUDO:
        return "Pseudo-locale"  # translation.pseudo: no language table knows it
    code = _lookup_code(locale)
    return _name_table()[code] if code else locale
