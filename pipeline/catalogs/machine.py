"""From stored model output to the msgstr a reviewer sees: spans put back, checks noted."""

from __future__ import annotations

from pipeline.catalogs.entries import Unit
from pipeline.catalogs.resolve import MachineText
from pipeline.core.locales import RTL_LANGUAGES
from pipeline.translation.checks import NUMBER_CHECK, check_translation
from pipeline.translation.glossary import Rules
from pipeline.translation.mt_store import StoredTexts
from pipeline.translation.packages import Route
from pipeline.translation.protect import model_input, restore
from pipeline.translation.quality import estimate, quality_note, signals_for


def provenance(route: Route, decode_key: str) -> str:
    """The #. note on machine text: the model, and the decoding settings as a key, so machine
    text still in a catalog can be reused when the stored results are gone."""
    return f"{route.note()} [decode {decode_key}]" if decode_key else route.note()


def machine_by_language(
    units: list[Unit],
    routes: dict[str, Route],
    stored: dict[str, dict[str, str]],
    rules: Rules,
    source_lang: str,
    target_lang: str,
    decode_key: str = "",
) -> tuple[dict[str, MachineText], dict[str, str]]:
    """Machine text per unit from its own language's route (mixed-language articles have
    several), and why the others are left untranslated."""
    machine: dict[str, MachineText] = {}
    reasons: dict[str, str] = {}
    for lang in sorted({u.lang or source_lang for u in units}):
        group = [u for u in units if (u.lang or source_lang) == lang]
        if lang in routes:
            note = provenance(routes[lang], decode_key)
            found = machine_texts(group, stored.get(lang, {}), rules, note, lang, target_lang)
            machine.update(found)
            empty = "not translated: the model returned no text; the next run tries again"
            reasons.update((u.msgid, empty) for u in group if u.msgid not in found and u.msgid.strip())
        elif lang == target_lang:
            reasons.update((u.msgid, "not translated: already in the target language") for u in group)
        elif lang != "und" and routes:
            reasons.update((u.msgid, f"not translated: no model for {lang}->{target_lang}") for u in group)
    return machine, reasons


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
    scored = stored.score if isinstance(stored, StoredTexts) else None
    for unit in units:
        masked = model_input(unit.msgid, unit.kind, rules)
        raw = stored.get(masked.text)
        if not raw:
            continue
        restored = restore(raw, masked, rtl=target_lang in RTL_LANGUAGES)
        problems = check_translation(unit.msgid, masked, restored, source_lang, target_lang)
        score = scored(masked.text) if scored else None
        line = note
        if score is not None:
            numbers = sum(p.startswith(NUMBER_CHECK) for p in problems)
            lost = len(restored.lost) + len(restored.moved) + numbers
            signals = signals_for(unit.msgid, restored.text, score, lost, source_lang, target_lang)
            line += quality_note(estimate(signals))
        out[unit.msgid] = MachineText(restored.text, "\n".join([line, *problems]))
    return out
