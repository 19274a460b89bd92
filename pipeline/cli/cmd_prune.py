"""`locpipe prune`: drop obsolete entries, the outputs of deleted articles, or dropped locales."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from pipeline.cli.common import AddCommand, command_settings
from pipeline.core.errors import LocpipeError
from pipeline.core.settings_table import check_option, locale_code


def add_command(sub: Any, command: AddCommand) -> None:
    prune = command(sub, "prune", "drop obsolete entries, outputs of deleted articles or dropped locales")
    prune.add_argument("--obsolete", action="store_true", help="drop #~ entries, as msgattrib --no-obsolete")
    prune.add_argument("--orphans", action="store_true", help="remove outputs whose input is gone")
    prune.add_argument(
        "--locales", help="remove these locales' outputs (comma-separated; not in targets; needs --force)"
    )
    prune.add_argument("--dry-run", action="store_true", help="say what would go; change nothing")
    prune.add_argument(
        "--force",
        action="store_true",
        help="--locales: really remove them; --orphans: even when most articles, or all, would go",
    )
    prune.add_argument("--inputs", help="folder of articles")
    prune.add_argument("--out", help="output folder (locales/)")
    prune.set_defaults(func=cmd_prune)


def cmd_prune(args: argparse.Namespace) -> int:
    from pipeline.outputs.prune import prune_locales, prune_obsolete, prune_orphans

    if not (args.obsolete or args.orphans or args.locales):
        raise LocpipeError(None, "say what to prune: --obsolete, --orphans, --locales or several")
    settings = command_settings(args, "inputs", "outputs", inputs=args.inputs, outputs=args.out)
    verb = "would drop" if args.dry_run else "dropped"
    errors: list[str] = []
    if args.locales:
        dropped = tuple(x.strip() for x in args.locales.split(",") if x.strip())
        for code in dropped:
            check_option("--locales", code, locale_code)
        report = prune_locales(settings.outputs, dropped, settings.targets, args.dry_run, args.force)
        for path in report.removed:
            print(f"{'would remove' if args.dry_run else 'removed'} {path.relative_to(settings.outputs)}")
        kept = f"{report.reviewed_kept} reviewed translations kept in memory"
        print(f"locales: {len(report.removed)} files; {kept}")
        errors += report.errors
    if args.orphans:
        report = prune_orphans(settings.outputs, settings.inputs, args.dry_run, args.force)
        for path in report.removed:
            print(f"{'would remove' if args.dry_run else 'removed'} {path.relative_to(settings.outputs)}")
        kept = f"{report.reviewed_kept} reviewed translations kept in memory"
        print(f"orphans: {len(report.removed)} files; {kept}")
        errors += report.errors
    if args.obsolete:
        report = prune_obsolete(settings.outputs, args.dry_run)
        print(
            f"obsolete: {verb} {report.obsolete_dropped} entries; "
            f"{report.reviewed_kept} reviewed translations kept in memory"
        )
        errors += report.errors
    for error in errors:
        print(f"locpipe: {error}", file=sys.stderr)
    return 1 if errors else 0
