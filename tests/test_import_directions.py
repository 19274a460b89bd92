"""The folders of `pipeline/` are the stages in their order, with the shared folders around
them: a module imports only its own folder and the folders before it. A stage that reached
forward (segments writing catalogs, catalogs rendering articles) would tie a stage to the ones
after it, and the order of the folders would no longer tell how a run goes."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"

# the one table: each folder may import the folders before it in this list
ORDER = ["core", "inputs", "segments", "translation", "memory", "catalogs", "outputs", "run", "cli"]

# importer -> imported, each with its reason (at most three)
EXCEPTIONS: dict[tuple[str, str], str] = {}


def _folder(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "pipeline" else None


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("pipeline.")}


def backward_imports() -> dict[str, set[str]]:
    """module -> the modules it imports from a later folder."""
    found: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        own = _folder(module)
        for name in _imports(path):
            theirs = _folder(name)
            if own is None or theirs is None or theirs == own:
                continue
            if ORDER.index(theirs) > ORDER.index(own) and (own, theirs) not in EXCEPTIONS:
                found.setdefault(module, set()).add(name)
    return found


def test_every_module_lives_in_a_listed_folder() -> None:
    loose = [p.name for p in PACKAGE.glob("*.py") if p.name != "__init__.py"]
    folders = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists())
    assert loose == [] and folders == sorted(ORDER)


def test_no_import_runs_back_up_the_stage_order() -> None:
    assert backward_imports() == {}
    assert len(EXCEPTIONS) <= 3


def test_no_two_modules_share_a_name() -> None:
    names = [p.stem for p in PACKAGE.rglob("*.py") if p.stem not in {"__init__", "__main__"}]
    assert sorted({n for n in names if names.count(n) > 1}) == []
