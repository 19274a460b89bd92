"""Installed Argos packages: validate, install, list, and pick a route for a language pair.

argostranslate's install_from_path extracts any zip without checking it and then imports
its stanza-bound translate module, so locpipe validates and places the package itself,
in Argos's layout (one folder per package under ARGOS_PACKAGES_DIR). It reads packages
back itself too: argostranslate.package.Package loads metadata.json of any size and depth.

A package is untrusted input. Its unpacked size and compression ratio are bounded from the
zip's own directory before anything is written and again by counting bytes while writing;
metadata.json is bounded in size and depth; language codes and versions must match strict
patterns at install and whenever an installed package is read, since they end up in names
of work folders.
"""

from __future__ import annotations

import json
import re
import shutil
import stat
import sys
import tempfile
import zipfile
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path, PurePosixPath

from pipeline.core.errors import ModelError
from pipeline.translation import pseudo
from pipeline.translation.fingerprint import fingerprints, weights_tags

REQUIRED_METADATA = ("from_code", "to_code", "package_version")
# Argos models are 30-500 MB unpacked; a package four times the largest is not a model.
MAX_UNPACKED_BYTES = 2 * 1024**3
# Model weights barely compress (int8: ~1.1x), SentencePiece ~2x, text files ~5x; a member
# over RATIO_FROM_BYTES that unpacks to more than MAX_RATIO times its packed size is a bomb.
MAX_RATIO = 100
RATIO_FROM_BYTES = 1024**2
MAX_MEMBERS = 1000  # Argos packages hold a dozen files (a few hundred with a stanza folder)
MAX_METADATA_BYTES = 1024**2  # real ones are about 1 KB
MAX_METADATA_DEPTH = 32  # real ones nest two levels; deep nesting only exhausts the parser
CHUNK = 1024**2
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")  # ISO 639-1/-3 and Argos's own (pb, zt)
VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z._+-]{0,39}")


@dataclass(frozen=True)
class InstalledModel:
    from_code: str
    to_code: str
    version: str
    path: Path
    demo: bool
    target_prefix: str = ""
    weights: str = ""  # "" for the first weights seen under this name and version (fingerprint)
    pseudo: bool = False  # the built-in pseudo-locale (translation.pseudo): no files, no weights

    @property
    def id(self) -> str:
        tag = f" weights {self.weights}" if self.weights else ""
        return f"argos {self.from_code}->{self.to_code} {self.version}{tag}"

    @property
    def name_key(self) -> str:
        return f"{self.from_code}_{self.to_code}@{self.version}"


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
    def pseudo(self) -> bool:
        return any(m.pseudo for m in self.models)

    @property
    def key(self) -> str:
        return "+".join(m.name_key + (f"#{m.weights}" if m.weights else "") for m in self.models)

    def note(self) -> str:
        first, last = self.models[0], self.models[-1]
        if self.pseudo:
            return f"machine: pseudo-locale {last.to_code} {last.version} (not a translation)"
        versions = "+".join(m.version + (f" weights {m.weights}" if m.weights else "") for m in self.models)
        text = f"machine: argos {first.from_code}->{last.to_code} {versions}"
        if self.pivot:
            text += f" via {self.pivot}"
        if self.demo:
            text += " (demo model: placeholder text)"
        return text


def _check_sizes(archive: Path, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse a zip bomb from the sizes the zip declares (the writer counts again)."""
    if len(infos) > MAX_MEMBERS:
        raise ModelError(archive, f"{len(infos)} files, more than {MAX_MEMBERS}: not a model; not installed")
    total = sum(info.file_size for info in infos)
    if total > MAX_UNPACKED_BYTES:
        limit = _size(MAX_UNPACKED_BYTES)
        raise ModelError(archive, f"unpacks to {_size(total)}, more than {limit}: not a model; not installed")
    for info in infos:
        if info.filename.endswith("/metadata.json") and info.file_size > MAX_METADATA_BYTES:
            limit = _size(MAX_METADATA_BYTES)
            raise ModelError(archive, f"metadata.json is larger than {limit}; not installed")
        if info.file_size > RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            message = f"member {info.filename!r} unpacks to {ratio}x its size (a zip bomb); not installed"
            raise ModelError(archive, message)


def _size(count: int) -> str:
    return f"{count / 1024**2:.0f} MB" if count >= 1024**2 else f"{count} bytes"


def _extract(archive: Path, zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], folder: Path) -> None:
    """Write the checked members, counting bytes: a zip whose data holds more than its
    directory says stops here, whatever the headers claim."""
    total = 0
    for info in infos:
        target = folder / info.filename
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        written = 0
        with zf.open(info) as source, open(target, "wb") as out:
            while chunk := source.read(CHUNK):
                written += len(chunk)
                total += len(chunk)
                if written > info.file_size or total > MAX_UNPACKED_BYTES:
                    raise ModelError(
                        archive, f"member {info.filename!r} holds more than its header says; not installed"
                    )
                out.write(chunk)


def _check_members(archive: Path, zf: zipfile.ZipFile) -> str:
    tops: set[str] = set()
    _check_sizes(archive, zf.infolist())
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


def load_metadata(where: Path | str, meta_path: Path) -> dict[str, object]:
    """metadata.json, bounded and checked; where: the file named in errors."""
    if not meta_path.is_file():
        raise ModelError(where, "no metadata.json: not an Argos package")
    if meta_path.stat().st_size > MAX_METADATA_BYTES:
        raise ModelError(where, f"metadata.json is larger than {_size(MAX_METADATA_BYTES)}")
    text = meta_path.read_bytes()
    if _depth(text) > MAX_METADATA_DEPTH:
        raise ModelError(where, f"metadata.json nests deeper than {MAX_METADATA_DEPTH} levels")
    try:
        metadata = json.loads(text.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ModelError(where, f"metadata.json is not valid JSON ({exc})") from None
    if not isinstance(metadata, dict):
        raise ModelError(where, "metadata.json is not an object")
    if metadata.get("type", "translate") != "translate":
        raise ModelError(where, f"package type {metadata.get('type')!r} is not 'translate'")
    for key in REQUIRED_METADATA:
        value = metadata.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ModelError(where, f"metadata.json lacks {key!r}")
    for key in ("from_code", "to_code"):
        if not LANGUAGE_CODE.fullmatch(str(metadata[key])):
            raise ModelError(where, f"{key} {metadata[key]!r} is not a language code (2-3 letters a-z)")
    if not VERSION.fullmatch(str(metadata["package_version"])):
        raise ModelError(where, f"package_version {metadata['package_version']!r} is not a version")
    if not isinstance(metadata.get("target_prefix", ""), str):
        raise ModelError(where, "target_prefix in metadata.json is not text")
    return metadata


def _depth(text: bytes) -> int:
    """How deep brackets nest outside strings: json's parser recurses once per level."""
    unquoted = re.sub(rb'"(?:[^"\\]|\\.)*"', b"", text)
    depth = deepest = 0
    for byte in re.findall(rb"[\[\]{}]", unquoted):
        depth += 1 if byte in (b"[", b"{") else -1
        deepest = max(deepest, depth)
    return deepest


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
                _extract(archive, zf, zf.infolist(), Path(tmp))
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
            raise ModelError(archive, f"damaged zip ({exc}); not installed") from None
        folder = Path(tmp) / top
        try:
            load_metadata(archive, folder / "metadata.json")
        except ModelError as exc:
            raise ModelError(archive, f"{exc.message}; not installed") from None
        _check_model(archive, folder)
        destination = models_dir / top
        if destination.exists():  # a reinstall: the old copy is removed with the temp folder
            destination.rename(Path(tmp) / ".replaced")
        shutil.move(str(folder), str(destination))
    return read_package(destination)


def read_package(path: Path) -> InstalledModel:
    metadata = load_metadata(path, path / "metadata.json")
    return InstalledModel(
        from_code=str(metadata["from_code"]),
        to_code=str(metadata["to_code"]),
        version=str(metadata["package_version"]),
        path=path,
        demo=bool(metadata.get("locpipe_demo")),
        target_prefix=str(metadata.get("target_prefix") or ""),
    )


def installed_models(models_dir: Path, state_dir: Path | None = None) -> list[InstalledModel]:
    """Every valid translate package in models_dir; each invalid one is skipped with a warning.

    Read once per process while the folder is unchanged: every catalog task asks. state_dir:
    where the models' content digests and first-seen weights are kept (pipeline.translation.
    fingerprint); without it a re-issued package is not told apart (install-default's check).
    """
    if not models_dir.is_dir():
        return []
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(models_dir.iterdir()))
    return list(_installed_models(models_dir, models_dir.stat().st_mtime_ns, stamp, state_dir))


@lru_cache(maxsize=4)
def _installed_models(
    models_dir: Path, _mtime: int, _stamp: tuple[tuple[str, int], ...], state_dir: Path | None
) -> tuple[InstalledModel, ...]:
    models = []
    for path in sorted(p for p in models_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
        try:
            models.append(read_package(path))
        except ModelError as exc:
            print(f"locpipe: warning: {exc.line()}; package skipped, remove it", file=sys.stderr)
    if state_dir is None:
        return tuple(models)
    prints = fingerprints(models_dir, [m.path for m in models], state_dir)
    tags = weights_tags(state_dir, {m.name_key: prints[m.path] for m in models})
    return tuple(replace(m, weights=tags[m.name_key]) for m in models)


def _version_key(version: str) -> tuple[int, object]:
    from packaging.version import InvalidVersion, Version

    try:
        return (1, Version(version))
    except InvalidVersion:
        return (0, version)


def find_route(models: list[InstalledModel], src: str, tgt: str, pivot: str = "en") -> Route | None:
    """The newest direct model, else two models through the pivot language; the pseudo-locale
    (translation.pseudo) from any source, with no model."""
    if tgt == pseudo.CODE:
        return Route((InstalledModel(src, tgt, pseudo.VERSION, Path(), demo=False, pseudo=True),))

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
