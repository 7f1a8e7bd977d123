"""Where an IT profile can be: found without loading the profile code itself.

Most computers have no profile; the window should not pay for parsing code it will not use before
its first page is painted. `assistant.profile` reads what this module finds.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

PROFILE_NAME = "profile.json"


def search_paths(explicit: str | os.PathLike[str] | None = None) -> list[Path]:
    """`--profile FILE`; else beside the installed program, then the system-wide folder."""
    if explicit:
        return [Path(explicit)]
    frozen = bool(getattr(sys, "frozen", False))
    paths = [Path(sys.executable).resolve().parent / PROFILE_NAME] if frozen else []
    if sys.platform == "win32":
        base = os.environ.get("PROGRAMDATA", r"C:\ProgramData")
        paths.append(Path(base) / "Mail Setup Assistant" / PROFILE_NAME)
    elif sys.platform == "darwin":
        paths.append(Path("/Library/Application Support/Mail Setup Assistant") / PROFILE_NAME)
    else:
        paths.append(Path("/etc/mail-setup-assistant") / PROFILE_NAME)
    return paths


def profile_location(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """The profile to read: the explicit one (even if missing, to report it), or the first that exists."""
    if explicit:
        return Path(explicit)
    return next((path for path in search_paths() if path.is_file()), None)
