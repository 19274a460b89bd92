"""`locpipe status`: per article and locale, how much is reviewed, machine, memory ...; or
the machine entries with the lowest quality estimate."""

from __future__ import annotations

import argparse
from typing import Any

from pipeline.cli.common import AddCommand, command_settings, command_uses, positive


def add_command(sub: Any, command: AddCommand) -> None:
    status = command(sub, "status", "per article and locale: reviewed / machine / memory / ...")
    status.add_argument("--inputs", help="folder of articles")
    status.add_argument("--out", help="output folder (locales/)")
    status.add_argument("--json", action="store_true", help="machine-readable output")
    status.add_argument(
        "--worst",
        type=positive,
        metavar="N",
        help="list the N machine entries with the lowest quality estimate (file:line, figure, text)",
    )
    status.add_argument("--locale", action="append", help="with --worst: only this locale (repeatable)")
    status.set_defaults(func=cmd_status)


def cmd_status(args: argparse.Namespace) -> int:
    from pipeline.run.status import print_status

    settings = command_settings(args, "inputs", "outputs", inputs=args.inputs, outputs=args.out)
    if args.worst is not None:
        from pipeline.run.status import print_worst

        return print_worst(settings, args.worst, args.locale, as_json=args.json)
    return print_status(settings, as_json=args.json, uses=command_uses(settings, ("inputs", "outputs")))
