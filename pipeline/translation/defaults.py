"""`locpipe models install-default`: the configured pairs from a local folder, else Argos's index.

Argos's index and model downloads need the network; when it is not reachable the user
gets one line saying where to put .argosmodel files, or to build the labelled demo model.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from pipeline.core.errors import ModelError
from pipeline.translation.packages import (
    MAX_METADATA_BYTES,
    InstalledModel,
    install_package,
    installed_models,
)
from pipeline.translation.synthetic import build_package


def _archive_pair(path: Path) -> tuple[str, str] | None:
    try:
        with zipfile.ZipFile(path) as zf:
            names = [n for n in zf.namelist() if n.count("/") == 1 and n.endswith("/metadata.json")]
            if not names or zf.getinfo(names[0]).file_size > MAX_METADATA_BYTES:
                return None  # install_package says what is wrong with it
            meta = json.loads(zf.read(names[0]))
            return str(meta.get("from_code")), str(meta.get("to_code"))
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, RecursionError, AttributeError):
        return None


def missing_pairs(pairs: tuple[tuple[str, str], ...], models_dir: Path) -> list[tuple[str, str]]:
    have = {(m.from_code, m.to_code) for m in installed_models(models_dir) if not m.demo}
    return [p for p in pairs if p not in have]


def install_from_folder(
    pair: tuple[str, str], folder: Path, models_dir: Path, staging: Path
) -> InstalledModel | None:
    if not folder.is_dir():
        return None
    for archive in sorted(folder.glob("*.argosmodel"), reverse=True):
        if _archive_pair(archive) == pair:
            return install_package(archive, models_dir, staging)
    return None


def install_from_index(pair: tuple[str, str], models_dir: Path, staging: Path) -> InstalledModel | None:
    """Argos's package index (network); None when it cannot be reached or has no such pair."""
    import contextlib
    import io

    from argostranslate import package, settings

    if not _reachable(settings.remote_package_index):
        return None  # one short attempt, not argostranslate's retries and printed URLError
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        package.update_package_index()
    if not Path(settings.local_package_index).exists():
        return None
    for available in package.get_available_packages():
        if (available.from_code, available.to_code) == pair:
            try:
                archive = available.download()
            except Exception:  # urllib raises many kinds; any means "not reachable"
                return None
            return install_package(Path(archive), models_dir, staging)
    return None


def _reachable(url: str, timeout: float = 3.0) -> bool:
    import socket
    from urllib.parse import urlparse

    parts = urlparse(url)
    if not parts.hostname:
        return False
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        socket.create_connection((parts.hostname, port), timeout=timeout).close()
    except OSError:
        return False
    return True


def install_demo(
    pair: tuple[str, str], models_dir: Path, staging: Path, sample: str | None
) -> InstalledModel:
    archive = build_package(pair[0], pair[1], staging / "demo-models", size="tiny", sample_text=sample)
    return install_package(archive, models_dir, staging)


def install_defaults(
    pairs: tuple[tuple[str, str], ...],
    source_dir: Path,
    models_dir: Path,
    staging: Path,
    demo_fallback: bool,
    sample: str | None = None,
) -> list[tuple[tuple[str, str], str]]:
    """Install every missing pair; returns (pair, how) for each; raises if one cannot be had."""
    results = []
    for pair in missing_pairs(pairs, models_dir):
        model = install_from_folder(pair, source_dir, models_dir, staging)
        how = f"installed from {source_dir}"
        demo_there = any((m.from_code, m.to_code) == pair for m in installed_models(models_dir))
        if model is None and demo_fallback and demo_there:
            # `make run` on every call: no network retries while the demo model stands in
            kept = "demo model kept (to look for a real one: `locpipe models install-default`)"
            results.append((pair, kept))
            continue
        if model is None:
            model = install_from_index(pair, models_dir, staging)
            how = "installed from Argos's package index"
        if model is None and demo_fallback:
            model = install_demo(pair, models_dir, staging, sample)
            how = "installed the DEMO model (random weights: placeholder text, not a translation)"
        if model is None:
            raise ModelError(
                None,
                f"no model for {pair[0]}->{pair[1]}: Argos's index is not reachable and "
                f"{source_dir} has none; put translate-{pair[0]}_{pair[1]}-*.argosmodel there "
                "or run `locpipe models install FILE.argosmodel`",
            )
        results.append((pair, how))
    return results
