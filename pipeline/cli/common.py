"""What every locpipe command shares: its settings, checked, with the first stderr line that
says which config and folders it uses; and the argument types and helper its options use."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import Any

from pipeline.core.environment import prepare_environment
from pipeline.core.errors import LocpipeError
from pipeline.core.settings import Settings, load_settings

# command(parent, name, help): a subcommand parser that takes the global options too
AddCommand = Callable[[Any, str, str], argparse.ArgumentParser]


def command_settings(args: argparse.Namespace, *uses: str, **overrides: object) -> Settings:
    """Settings, checked; then one stderr line saying which config and folders this command uses
    (a project folder with its own luigi.cfg must never silently use another one)."""
    try:
        settings = load_settings(getattr(args, "config", None), **overrides)
    except LocpipeError:
        say_uses_despite_error(args, uses, overrides)
        raise
    prepare_environment(settings)
    if settings.config_path:
        os.environ["LUIGI_CONFIG_PATH"] = str(settings.config_path)
    _say_uses(args, settings, uses)
    return settings


def _say_uses(args: argparse.Namespace, settings: Settings, uses: tuple[str, ...]) -> None:
    line = "; ".join(f"{k} {v}" for k, v in command_uses(settings, uses).items())
    print(f"locpipe {args.command}: {line}", file=sys.stderr)


def say_uses_despite_error(args: argparse.Namespace, uses: tuple[str, ...], overrides: dict) -> None:
    """A bad option (`--targets english`) still gets the first line, with the folders given
    on the command line, wherever the config itself can be read."""
    folders = {k: v for k, v in overrides.items() if k in {"inputs", "outputs", "models_dir"}}
    try:
        settings = load_settings(getattr(args, "config", None), **folders)
    except LocpipeError:
        return  # the config itself is the error, and its line names the file
    _say_uses(args, settings, uses)


def command_uses(settings: Settings, uses: tuple[str, ...]) -> dict[str, str]:
    """What a command reads and writes, for its first line and its --json output."""
    config = str(settings.config_path) if settings.config_path else "none (built-in defaults)"
    return {"config": config, **{key: str(getattr(settings, key)) for key in uses}}


def positive(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{raw!r}: must be an integer ≥ 1")
    return value
