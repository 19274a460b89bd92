"""Installed Argos packages: validate, install, list, and pick a route for a language pair.

argostranslate's install_from_path extracts any zip without checking it and then imports
its stanza-bound translate module, so locpipe validates and places the package itself,
in Argos's layout (one folder per package under ARGOS_PACKAGES_DIR), and reads it back
with argostranslate.package.
"""

from __future__ import annotations

import json
import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath

from pipeline.errors import ModelError

REQUIRED_METADATA = ("from_code", "to_code", "package_version")


@dataclass(frozen=True)
class InstalledModel:
    from_code: str
    to_code: str
    version: str
    path: Path
    demo: bool
    target_prefix: str = ""

    @property
    def id(self) -> str:
        return f"argos {self.from_code}->{self.to_code} {self.version}"


@dataclass(frozen=True)
class Route:
    """One model, or two chained through English."""

    models: tuple[InstalledModel, ...]

    @property
    def pivot(self) -> str | None:
        return self.models[0].to_code if len(self.models) > 1 else None

    @property
    def demo(self) -> bool:
        return any(m.demo for m in self.models)

    @property
    def key(self) -> str:
        return "+".join(f"{m.from_code}_{m.to_code}@{m.version}" for m in self.models)

    def note(self) -> str:
        first, last = self.models[0], self.models[-1]
        versions = "+".join(m.version for m in self.models)
        text = f"machine: argos {first.from_code}->{last.to_code} {versions}"
        if self.pivot:
            text += f" via {self.pivot}"
        if self.demo:
            text += " (demo model: placeholder text)"
        return text


def _check_members(archive: Path, zf: zipfile.ZipFile) -> str:
    tops: set[str] = set()
    for info in zf.infolist():
        name = info.filename
        pure = PurePosixPath(name)
        if name.startswith(("/", "\\")) or ".." in pure.parts or ":" in pure.parts[0]:
            raise ModelError(archive, f"member {name!r} escapes the package folder; not installed")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ModelError(archive, f"member {name!r} is a symbolic link; not installed")
        tops.add(pure.parts[0])
    if len(tops) != 1:
        raise ModelError(archive, f"expected one top folder in the package, found {len(tops)}; not installed")
    top = tops.pop()
    if top.startswith("."):
        raise ModelError(archive, f"top folder {top!r} is hidden; not installed")
    return top


def _check_metadata(archive: Path, folder: Path) -> dict[str, object]:
    meta_path = folder / "metadata.json"
    if not meta_path.is_file():
        raise ModelError(archive, "no metadata.json in the package; not an Argos package")
    try:
        metadata = json.loads(meta_path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ModelError(archive, f"metadata.json is not valid JSON ({exc}); not installed") from None
    if not isinstance(metadata, dict):
        raise ModelError(archive, "metadata.json is not an object; not installed")
    if metadata.get("type", "translate") != "translate":
        raise ModelError(archive, f"package type {metadata.get('type')!r} is not 'translate'")
    for key in REQUIRED_METADATA:
        value = metadata.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ModelError(archive, f"metadata.json lacks {key!r}; not installed")
    return metadata


def _check_model(archive: Path, folder: Path) -> None:
    if not (folder / "sentencepiece.model").is_file():
        raise ModelError(archive, "no sentencepiece.model in the package; not installed")
    model_dir = folder / "model"
    if not (model_dir / "model.bin").is_file():
        raise ModelError(archive, "no model/model.bin in the package; not installed")
    import ctranslate2
    import sentencepiece as spm

    try:
        spm.SentencePieceProcessor(model_file=str(folder / "sentencepiece.model"))
        ctranslate2.Translator(str(model_dir), device="cpu", inter_threads=1, intra_threads=1)
    except Exception as exc:  # the libraries raise RuntimeError, OSError, ValueError...
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ModelError(archive, f"model cannot be loaded ({reason}); not installed") from None


def install_package(archive: Path, models_dir: Path, staging: Path | None = None) -> InstalledModel:
    """Validate an .argosmodel completely, then move it into place in one rename."""
    archive = Path(archive)
    if not archive.is_file():
        raise ModelError(archive, "file not found")
    if not zipfile.is_zipfile(archive):
        raise ModelError(archive, "not a zip archive, so not an .argosmodel; not installed")
    models_dir.mkdir(parents=True, exist_ok=True)
    staging = staging or models_dir.parent
    staging.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".locpipe-install-", dir=staging) as tmp:
        try:
            with zipfile.ZipFile(archive) as zf:
                top = _check_members(archive, zf)
                zf.extractall(tmp)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise ModelError(archive, f"damaged zip ({exc}); not installed") from None
        folder = Path(tmp) / top
        _check_metadata(archive, folder)
        _check_model(archive, folder)
        destination = models_dir / top
        if destination.exists():  # a reinstall: the old copy is removed with the temp folder
            destination.rename(Path(tmp) / ".replaced")
        shutil.move(str(folder), str(destination))
    return read_package(destination)


def read_package(path: Path) -> InstalledModel:
    from argostranslate.package import Package

    try:
        pkg = Package(path)
    except (OSError, ValueError) as exc:
        raise ModelError(path, f"not a readable Argos package ({exc})") from None
    metadata = json.loads((path / "metadata.json").read_text(encoding="utf-8"))
    return InstalledModel(
        from_code=pkg.from_code,
        to_code=pkg.to_code,
        version=pkg.package_version,
        path=path,
        demo=bool(metadata.get("locpipe_demo")),
        target_prefix=pkg.target_prefix or "",
    )


def installed_models(models_dir: Path) -> list[InstalledModel]:
    """Every readable translate package in models_dir, via argostranslate.package.

    Read once per process while the folder is unchanged: every catalog task asks.
    """
    if not models_dir.is_dir():
        return []
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(models_dir.iterdir()))
    return list(_installed_models(models_dir, models_dir.stat().st_mtime_ns, stamp))


@lru_cache(maxsize=4)
def _installed_models(
    models_dir: Path, _mtime: int, _stamp: tuple[tuple[str, int], ...]
) -> tuple[InstalledModel, ...]:
    from argostranslate.package import get_installed_packages

    try:
        packages = get_installed_packages([models_dir])
        paths = [Path(p.package_path) for p in packages if p.type == "translate"]
    except (OSError, ValueError):
        # one broken folder makes argostranslate give up on all: read them one by one
        paths = [p for p in models_dir.iterdir() if p.is_dir() and not p.name.startswith(".")]
    models = []
    for path in sorted(paths):
        try:
            models.append(read_package(path))
        except ModelError:
            continue
    return tuple(models)


def _version_key(version: str) -> tuple[int, object]:
    from packaging.version import InvalidVersion, Version

    try:
        return (1, Version(version))
    except InvalidVersion:
        return (0, version)


def find_route(models: list[InstalledModel], src: str, tgt: str, pivot: str = "en") -> Route | None:
    """The newest direct model, else two models through the pivot language."""

    def best(a: str, b: str) -> InstalledModel | None:
        matches = [m for m in models if m.from_code == a and m.to_code == b]
        return max(matches, key=lambda m: _version_key(m.version)) if matches else None

    direct = best(src, tgt)
    if direct:
        return Route((direct,))
    if pivot not in (src, tgt):
        first, second = best(src, pivot), best(pivot, tgt)
        if first and second:
            return Route((first, second))
    return None
