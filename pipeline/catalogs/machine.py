"""From stored model output to the msgstr a reviewer sees: spans put back, checks noted."""

from __future__ import annotations

from pipeline.catalogs.entries import Unit
from pipeline.catalogs.merge import MachineText
from pipeline.translation.checks import check_translation
from pipeline.translation.glossary import Rules
from pipeline.translation.protect import RTL_LANGUAGES, model_input, restore


def machine_texts(
    units: list[Unit],
    stored: dict[str, str],
    rules: Rules,
    note: str,
    source_lang: str,
    target_lang: str,
) -> dict[str, MachineText]:
    """stored: model output by model input (masked text)."""
    out: dict[str, MachineText] = {}
    for unit in units:
        masked = model_input(unit.msgid, unit.kind, rules)
        raw = stored.get(masked.text)
        if not raw:
            continue
        restored = restore(raw, masked, rtl=target_lang in RTL_LANGUAGES)
        problems = check_translation(unit.msgid, masked, restored, source_lang, target_lang)
        out[unit.msgid] = MachineText(restored.text, "\n".join([note, *problems]))
    return out
