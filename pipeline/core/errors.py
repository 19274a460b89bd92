"""Errors a user can act on: each renders as one line naming the file and what to do."""

from __future__ import annotations

from pathlib import Path


class LocpipeError(Exception):
    """A problem with input, configuration or models that stops one unit of work."""

    def __init__(self, path: Path | str | None, message: str) -> None:
        self.path = str(path) if path is not None else None
        self.message = message
        super().__init__(self.line())

    def line(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class InputError(LocpipeError):
    """An article that cannot be read or translated as it is."""


class ModelError(LocpipeError):
    """A model package that is missing, broken or unusable."""


class CatalogError(LocpipeError):
    """A catalog (.po) that cannot be parsed; it is left untouched."""


class ConfigError(LocpipeError):
    """A setting that makes no sense."""
