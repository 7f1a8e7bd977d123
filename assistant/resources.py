"""Where the data files live: `resources/` beside the `assistant` package.

One place for this rule, so the source tree, an installed copy and a PyInstaller bundle (which unpacks
into `sys._MEIPASS`) all agree. `MAILSETUP_RESOURCES` overrides it (an IT department's own data, tests).
"""

from __future__ import annotations

import json
import os
import sys
from functools import cache
from pathlib import Path
from typing import Any


def resources_dir() -> Path:
    override = os.environ.get("MAILSETUP_RESOURCES")
    if override:
        return Path(override)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[1] / "resources"


@cache
def load_json(relative: str) -> Any:
    """A JSON data file under resources/, parsed once per process."""
    with open(resources_dir() / relative, encoding="utf-8") as handle:
        return json.load(handle)
