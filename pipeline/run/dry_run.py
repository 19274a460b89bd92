"""`locpipe run --dry-run`: what a run would translate, per language pair; writes nothing.

An upper bound: sentences the memory or a reviewer already covers are counted as pending.
"""

from __future__ import annotations

from pipeline.catalogs.pair_keys import PairKey
from pipeline.core.layout import Layout
from pipeline.core.locales import parse_locale
from pipeline.core.settings import Settings
from pipeline.inputs.discover import discover
from pipeline.segments.record import prepare_file, segments_of
from pipeline.translation.glossary import read_glossary, rules_for
from pipeline.translation.mt_store import load_translations
from pipeline.translation.packages import installed_models
from pipeline.translation.protect import model_input
from pipeline.translation.routes import decide


def print_dry_run(settings: Settings) -> int:
    sources, errors = discover(settings.inputs)
    layout = Layout(settings.outputs)
    models = installed_models(settings.models_dir, settings.state_dir)
    glossary = read_glossary(settings.glossary)
    needed: dict[PairKey, set[str]] = {}
    vias: dict[PairKey, str | None] = {}
    skips = []
    for src in sources:
        record = {
            **prepare_file(
                src.path,
                settings.source_lang,
                settings.unit,
                src.member,
                settings.min_confidence,
                settings.abbreviations,
                settings.inputs,
            ),
            "id": src.id,
        }
        for target in settings.targets:
            locale = parse_locale(target)
            decision = decide(record, locale, models, settings.min_confidence)
            if decision.skip or decision.untranslated:
                skips.append(
                    f"  {'skip' if decision.skip else 'no model'} {src.id} [{target}]: "
                    f"{decision.skip or decision.untranslated}"
                )
                continue
            rules = rules_for(glossary, target)
            main = record["detection"]["language"]
            for seg in segments_of(record):
                route = decision.routes.get(seg.lang or main)
                if route is None:
                    continue
                key = PairKey(seg.lang or main, locale.argos, route.key)
                vias[key] = route.pivot
                needed.setdefault(key, set()).add(model_input(seg.msgid, seg.kind, rules).text)
    print(f"{len(sources)} articles, targets {', '.join(settings.targets)}")
    for key, texts in sorted(needed.items(), key=lambda item: item[0].text):  # as stored keys sort
        stored = load_translations(layout.mt(key.source, key.target, key.route, settings.decode_key()))
        pending = sum(1 for t in texts if t not in stored)
        via = f" via {vias[key]}" if vias[key] else ""
        print(f"  {key.source}->{key.target}{via}: {pending} of {len(texts)} unique segments pending")
    for line in skips:
        print(line)
    for error in errors:
        print(f"  error: {error.line()}")
    return 0
