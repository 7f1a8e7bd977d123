"""Starting the assistant window. Only what the first page needs is imported here; the engine's
network and TLS code loads when the first test starts."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence


def _ensure_platform() -> None:
    """Without any display (a server, CI), use Qt's offscreen platform instead of aborting."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def run_gui(argv: Sequence[str]) -> int:
    _ensure_platform()
    from PySide6.QtWidgets import QApplication

    from assistant import PRODUCT_NAME
    from assistant.gui.i18n import install_translations
    from assistant.gui.wizard import MailSetupWizard

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(["mailsetup", *argv])
    app.setApplicationName(PRODUCT_NAME)
    app.setApplicationDisplayName(PRODUCT_NAME)
    translators = install_translations(app)
    wizard = MailSetupWizard()
    wizard.show()
    code = app.exec()
    del translators
    return int(code)
