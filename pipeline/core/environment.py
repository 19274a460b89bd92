"""Point argostranslate at the project's folders before it is imported.

Importing argostranslate creates folders under $HOME (config, data, cache) unless the
XDG_* variables say otherwise, and reads ARGOS_PACKAGES_DIR once at import time.
"""

from __future__ import annotations

import os
import sys

from pipeline.core.settings import Settings


def prepare_environment(settings: Settings) -> None:
    """Set ARGOS_* and XDG_* to folders inside the project; must run before argostranslate loads."""
    state = settings.state_dir
    wanted = {
        "ARGOS_PACKAGES_DIR": str(settings.models_dir),
        "XDG_DATA_HOME": str(state / "share"),
        "XDG_CONFIG_HOME": str(state / "config"),
        "XDG_CACHE_HOME": str(state / "cache"),
        # never let argostranslate pick or download a sentence splitter: we split ourselves
        "ARGOS_CHUNK_TYPE": "NONE",
    }
    if "argostranslate.settings" in sys.modules:
        loaded = sys.modules["argostranslate.settings"]
        if str(loaded.package_data_dir) != wanted["ARGOS_PACKAGES_DIR"]:
            # already imported for another folder in this process: update what it reads
            from pathlib import Path

            loaded.package_data_dir = Path(wanted["ARGOS_PACKAGES_DIR"])
            loaded.package_dirs = [loaded.package_data_dir]
    os.environ.update(wanted)
    settings.models_dir.mkdir(parents=True, exist_ok=True)
