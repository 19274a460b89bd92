"""Catalog headers: every field msgfmt --check-header wants, and the translator's kept."""

from __future__ import annotations

from pipeline import __version__
from pipeline.core.locales import Locale, language_name

GENERATOR = f"locpipe {__version__}"
# fields a translator's tool owns once it has saved the file
TRANSLATOR_FIELDS = ("Last-Translator", "Language-Team")
# the source language of the msgids: what the locale's memory is keyed by
SOURCE_LANGUAGE = "X-Source-Language"


def template_metadata(project: str, created: str, source_lang: str) -> dict[str, str]:
    return {
        "Project-Id-Version": project,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": created,
        "PO-Revision-Date": created,
        "Last-Translator": "locpipe <https://pypi.org/project/locpipe/>",
        "Language-Team": "none",
        "Language": source_lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": GENERATOR,
    }


def catalog_metadata(
    project: str,
    locale: Locale,
    pot_created: str,
    revised: str,
    previous: dict[str, str] | None,
    source_lang: str,
) -> dict[str, str]:
    """Our fields, then whatever a translator's tool added or set (kept as it was)."""
    fields = {
        "Project-Id-Version": project,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": pot_created,
        "PO-Revision-Date": revised,
        "Last-Translator": "locpipe machine translation <https://pypi.org/project/locpipe/>",
        "Language-Team": f"{language_name(locale.gettext)} <{locale.gettext}@li.org>",
        "Language": locale.gettext,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": locale.plural_forms,
        "X-Generator": GENERATOR,
        SOURCE_LANGUAGE: source_lang,
    }
    for key, value in (previous or {}).items():
        if key == SOURCE_LANGUAGE:
            continue
        if key in TRANSLATOR_FIELDS or key.startswith("X-") or key not in fields:
            fields[key] = value
    # the order the file already has (a tool that saved it may have its own), ours after
    order = [k for k in (previous or {}) if k in fields]
    return {k: fields[k] for k in [*order, *(k for k in fields if k not in order)]}
