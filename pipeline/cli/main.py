"""The locpipe command: run, status, models, memory, prune."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from pipeline.cli import cmd_memory, cmd_models, cmd_prune, cmd_run, cmd_status, cmd_worker
from pipeline.cli.cmd_run import OutputsUnwritable
from pipeline.cli.common import say_uses_despite_error
from pipeline.cli.streams import outlast_readers
from pipeline.core.errors import LocpipeError
from pipeline.run.log_filter import FATAL_OS_ERRORS, KnownErrors, os_error_line
from pipeline.run.stop import exit_now

# in the order --help lists them
COMMANDS = (cmd_run, cmd_worker, cmd_status, cmd_memory, cmd_prune, cmd_models)

COMMAND_USES = {
    "run": ("inputs", "outputs", "models_dir"),
    "status": ("inputs", "outputs"),
    "prune": ("inputs", "outputs"),
    "memory": ("outputs",),
    "worker": ("outputs", "models_dir"),
    "models": ("models_dir",),
}


class _Parser(argparse.ArgumentParser):
    """An argument error (`--workers 0`) comes after the command's usual first line, so even
    a mistyped option says which config and folders the command would have used."""

    argv: list[str] = []

    def error(self, message: str) -> None:  # type: ignore[override]
        words = self.prog.split()[1:2] or [w for w in self.argv if w in COMMAND_USES][:1]
        if words and words[0] in COMMAND_USES:
            loose = argparse.ArgumentParser(add_help=False)
            for flag in ("--config", "--inputs", "--out"):
                loose.add_argument(flag)
            known, _ = loose.parse_known_args(self.argv)
            args = argparse.Namespace(command=words[0], config=known.config)
            given = {"inputs": known.inputs, "outputs": known.out}
            say_uses_despite_error(args, COMMAND_USES[words[0]], given)
        super().error(message)


def build_parser() -> argparse.ArgumentParser:
    # global options, accepted before or after the command (`locpipe run --config x`);
    # SUPPRESS keeps a command's missing option from hiding one given before it
    common = _Parser(add_help=False)
    common.add_argument(
        "--config", default=argparse.SUPPRESS, help="luigi.cfg to use (default: the project's)"
    )
    parser = _Parser(prog="locpipe", description=__doc__, parents=[common])
    sub = parser.add_subparsers(dest="command", required=True)

    def command(parent: Any, name: str, text: str) -> argparse.ArgumentParser:
        return parent.add_parser(name, help=text, description=text, parents=[common])

    for module in COMMANDS:
        module.add_command(sub, command)
    return parser


def main(argv: list[str] | None = None) -> int:
    streams = sys.stdout, sys.stderr
    outlast_readers()  # a closed pipe on stdout or stderr never stops the work (streams.py)
    try:
        return _main(argv)
    finally:
        for stream in (sys.stdout, sys.stderr):
            stream.flush()  # what is buffered goes out (or to /dev/null) before the originals return
        sys.stdout, sys.stderr = streams


def _main(argv: list[str] | None) -> int:
    _Parser.argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except OutputsUnwritable as exc:
        print(f"locpipe: {exc.line()}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # written past the streams (streams.py): the reader has what it wanted; no traceback
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as exc:
        if exc.errno not in FATAL_OS_ERRORS:
            raise
        if exc.errno not in KnownErrors.said:
            print(f"locpipe: {os_error_line(exc)}", file=sys.stderr)
        return 1
    except LocpipeError as exc:
        print(f"locpipe: {exc.line()}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("locpipe: interrupted; run again to resume", file=sys.stderr)
        exit_now(130)
        return 130


if __name__ == "__main__":
    sys.exit(main())
