"""`locpipe run --dry-run`: what a run would translate, per language pair; writes nothing.

An upper bound: sentences the memory or a reviewer already covers are counted as pending.
"""

from __future__ import annotations

from pipeline.config import Settings
from pipeline.inputs.discover import discover
from pipeline.locales import parse_locale
from pipeline.segments.record import detect_file, segment_file
from pipeline.translation.packages import installed_models
from pipeline.translation.plan import collect_work, decide_all


def print_dry_run(settings: Settings) -> int:
    sources, errors = discover(settings.inputs)
    records = [
        {
            **segment_file(
                src.path,
                detect_file(src.path, settings.source_lang, src.member, settings.min_confidence),
                settings.unit,
                src.member,
                settings.min_confidence,
                settings.abbreviations,
            ),
            "id": src.id,
        }
        for src in sources
    ]
    locales = [parse_locale(t) for t in settings.targets]
    decisions = decide_all(records, locales, installed_models(settings.models_dir), settings.min_confidence)
    pairs = collect_work(records, locales, decisions, settings.outputs / ".locpipe", settings.decode_key())
    print(f"{len(sources)} articles, targets {', '.join(settings.targets)}")
    for (src, tgt), work in sorted(pairs.items()):
        via = f" via {work.route.pivot}" if work.route.pivot else ""
        print(f"  {src}->{tgt}{via}: {len(work.pending)} of {len(work.total)} unique segments pending")
    for (aid, loc), decision in sorted(decisions.items()):
        if decision.skip:
            print(f"  skip {aid} [{loc}]: {decision.skip}")
    for error in errors:
        print(f"  error: {error.line()}")
    return 0
