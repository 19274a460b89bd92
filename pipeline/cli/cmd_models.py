"""`locpipe models`: list the installed Argos model packages, install one, install the
default pairs, or build a labelled demo package."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from pipeline.cli.common import AddCommand, command_settings
from pipeline.core.errors import ConfigError, LocpipeError
from pipeline.core.settings import Settings
from pipeline.core.settings_table import check_option, language_code


def add_command(sub: Any, command: AddCommand) -> None:
    models = command(sub, "models", "list, install or build Argos model packages")
    models_sub = models.add_subparsers(dest="action", required=True)
    command(models_sub, "list", "the installed models").set_defaults(func=cmd_models)
    install = command(models_sub, "install", "install a .argosmodel file")
    install.add_argument("file", help="the .argosmodel to install")
    install.set_defaults(func=cmd_models)
    default = command(
        models_sub, "install-default", "install default_pairs from model_source_dir or Argos's index"
    )
    default.add_argument(
        "--demo-fallback",
        action="store_true",
        help="build the labelled demo model when no real one can be had",
    )
    default.set_defaults(func=cmd_models)
    demo = command(models_sub, "build-demo", "build a demo .argosmodel (random weights: placeholder output)")
    demo.add_argument(
        "--pair", action="append", help="FROM-TO, e.g. en-uk (repeatable; default: default_pairs)"
    )
    demo.add_argument(
        "--size",
        default="tiny",
        choices=["tiny", "small", "argos"],
        help="model dimensions: tiny (tests, ~1 MB), small, argos (as large as a real Argos model)",
    )
    demo.add_argument("--dest", default=".", help="folder for the .argosmodel")
    demo.set_defaults(func=cmd_models)


def cmd_models(args: argparse.Namespace) -> int:
    from pipeline.translation.packages import install_package, installed_models

    settings = command_settings(args, "models_dir")
    staging = settings.state_dir / "tmp"
    if args.action == "list":
        models = installed_models(settings.models_dir, settings.state_dir)
        if not models:
            print(f"no models installed in {settings.models_dir}")
        for m in models:
            label = "  DEMO: placeholder output, not a translation" if m.demo else ""
            version = m.version
            if m.weights:  # re-issued under the same version with other weights
                version += f" (weights {m.weights}: not those first installed as {m.version})"
            print(f"{m.from_code}->{m.to_code}\t{version}\t{m.path.name}{label}")
        return 0
    if args.action == "install":
        model = install_package(Path(args.file), settings.models_dir, staging)
        print(f"installed {model.id} into {model.path}")
        return 0
    if args.action == "install-default":
        from pipeline.translation.defaults import install_defaults

        sample = _sample_text(settings)
        done = install_defaults(
            settings.default_pairs,
            settings.model_source_dir,
            settings.models_dir,
            staging,
            demo_fallback=args.demo_fallback,
            sample=sample,
        )
        for (src, tgt), how in done:
            print(f"{src}->{tgt}: {how}")
        if not done:
            print("all default pairs are installed")
        return 0
    if args.action == "build-demo":
        from pipeline.translation.synthetic import build_package

        pairs = [_pair(p) for p in args.pair] if args.pair else list(settings.default_pairs)
        for src, tgt in pairs:
            path = build_package(
                src, tgt, Path(args.dest), size=args.size, sample_text=_sample_text(settings)
            )
            print(f"built {path} (demo model: placeholder output)")
        return 0
    raise LocpipeError(None, f"unknown models action {args.action!r}")


def _pair(raw: str) -> tuple[str, str]:
    """--pair FROM-TO with two language codes (en-uk), never 'enuk'."""
    src, sep, tgt = raw.partition("-")
    if not sep:
        raise ConfigError(None, f"--pair {raw}: not FROM-TO (e.g. en-uk)")
    return (
        str(check_option("--pair", src, language_code)),
        str(check_option("--pair", tgt, language_code)),
    )


def _sample_text(settings: Settings) -> str | None:
    if not settings.inputs.is_dir():
        return None
    texts = []
    for path in sorted(settings.inputs.glob("*.txt"))[:20]:
        try:
            texts.append(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
    return "\n".join(texts) or None
