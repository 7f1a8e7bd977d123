"""Writing an export to disk so that a failure loses nothing.

Each file is written next to its destination under a temporary name and then renamed over it, so a
full disk or a missing permission leaves any earlier file as it was and no half-written one behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from assistant.i18n import N_


def save_with(path: Path, write: Callable[[Path], None]) -> None:
    """Call `write(temporary_path)`, then move the result to `path`. OSError on any failure."""
    folder = path.parent if str(path.parent) else Path(".")
    handle, name = tempfile.mkstemp(prefix=".mailsetup-", suffix=path.suffix, dir=folder)
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        # mkstemp makes the file private (0600); an export is an ordinary file (0666 minus umask).
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def save_bytes(path: Path, data: bytes) -> None:
    def write(temporary: Path) -> None:
        temporary.write_bytes(data)

    save_with(path, write)


def save_text(path: Path, text: str) -> None:
    save_bytes(path, text.encode("utf-8"))


def report_paths(path: Path) -> tuple[Path, Path]:
    """The HTML report and the JSON beside it, whichever of the two names was given."""
    html_path = path.with_suffix(".html") if path.suffix.lower() == ".json" else path
    return html_path, html_path.with_suffix(".json")


def problem(exc: OSError) -> str:
    """Why a file could not be written, in a few plain words."""
    if isinstance(exc, PermissionError):
        return N_("no permission to write there")
    if isinstance(exc, FileNotFoundError):
        return N_("that folder does not exist")
    if isinstance(exc, IsADirectoryError):
        return N_("that is a folder")
    return exc.strerror or N_("the file could not be written")
