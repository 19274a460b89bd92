"""`locpipe memory`: export a locale's reviewed translations, import them, or withdraw units."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from pipeline.cli.common import AddCommand, command_settings
from pipeline.core.errors import ConfigError, LocpipeError
from pipeline.core.settings_table import check_option, locale_code


def add_command(sub: Any, command: AddCommand) -> None:
    memory = command(sub, "memory", "export or import a locale's translation memory")
    memory_sub = memory.add_subparsers(dest="action", required=True)
    export = command(memory_sub, "export", "write a locale's reviewed translations to a .tmx or .po")
    export.add_argument("--force", action="store_true", help="overwrite FILE even with an empty export")
    imports = command(memory_sub, "import", "read reviewed translations (.tmx, .po) into a locale's memory")
    for action in (export, imports):
        action.add_argument("file", help="a .tmx (TMX 1.4) or .po file")
        action.add_argument("--locale", required=True, help="gettext locale, e.g. uk")
        action.add_argument("--source-lang", help="only this source language (.po import: its msgids')")
        action.add_argument("--out", help="output folder (locales/) whose memory to use")
        action.set_defaults(func=cmd_memory)
    forget = command(memory_sub, "forget", "withdraw units from a locale's memory: never offered again")
    forget.add_argument("source", nargs="*", help="source text(s) whose units to withdraw")
    forget.add_argument(
        "--units", metavar="FILE", help="a .tmx or .po whose units (source and target) to withdraw"
    )
    forget.add_argument("--locale", required=True, help="gettext locale, e.g. uk")
    forget.add_argument("--source-lang", help="only units of this source language")
    forget.add_argument("--out", help="output folder (locales/) whose memory to use")
    forget.set_defaults(func=cmd_memory)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def cmd_memory(args: argparse.Namespace) -> int:
    from pipeline.catalogs.memory_exchange import export_memory, forget_memory, import_memory
    from pipeline.catalogs.memory_sources import current_memory

    settings = command_settings(args, "outputs", outputs=args.out)
    check_option("--locale", args.locale, locale_code)
    where = settings.outputs
    if args.action == "forget":
        if not args.source and not args.units:
            raise ConfigError(None, "memory forget: give the source text(s), or --units FILE.tmx|FILE.po")
        units_file = Path(args.units) if args.units else None
        gone = forget_memory(where, args.locale, args.source, units_file, args.source_lang)
        if not gone:
            print(f"no unit of the {args.locale} memory in {where} matched; nothing withdrawn")
            return 0
        print(
            f"withdrew {_plural(len(gone), 'unit')} from the {args.locale} memory in {where} "
            "(kept, marked withdrawn, never offered again); the next run renders without them"
        )
        return 0
    path = Path(args.file)
    if args.action == "export":
        if path.exists() and not args.force:
            units = current_memory(where, args.locale)
            if not [u for u in units if not args.source_lang or u.source_lang == args.source_lang]:
                raise LocpipeError(
                    path,
                    f"exists, and {where} holds no reviewed translations into {args.locale}: not "
                    "overwritten; check --out/--config and --locale, or add --force",
                )
        done = export_memory(where, args.locale, path, args.source_lang)
        withdrawn = f" (and {done.withdrawn} withdrawn, marked as such)" if done.withdrawn else ""
        print(
            f"exported {_plural(done.units, 'reviewed translation')}{withdrawn} into {args.locale} "
            f"from {where} to {path}"
        )
        if done.plurals_left_out:
            print(
                f"{_plural(done.plurals_left_out, 'plural unit')} left out: TMX has no plural forms "
                "(export to a .po keeps them)"
            )
    else:
        before = {(u.source_lang, u.source, u.target) for u in current_memory(where, args.locale)}
        n = import_memory(where, args.locale, path, args.source_lang)
        after = {(u.source_lang, u.source, u.target) for u in current_memory(where, args.locale)}
        new = len(after - before)
        added = f"{new} new" if new else "none new: all were already in the memory"
        print(
            f"imported {_plural(n, 'translation')} ({added}) from {path} into the {args.locale} memory "
            f"in {where}; the next run uses them"
        )
    return 0
