"""Where a file the person takes away is saved: the system's Save dialog, opening in Documents.

Every file the wizard writes (the settings as PDF, the Apple profile, Thunderbird's setup file, the
reports for IT) is asked for the same way, so they all start in the same folder and a Cancel never
writes anything.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget


def ask_save_path(parent: QWidget, title: str, name: str, kinds: str) -> Path | None:
    """The place the person chose for a file suggested as `name` in Documents (`kinds` is the
    dialog's filter, e.g. "Web pages (*.html)"); None when they cancelled."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    path, _ = QFileDialog.getSaveFileName(parent, title, str(Path(folder) / name), kinds)
    return Path(path) if path else None
