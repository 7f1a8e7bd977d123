"""Starting the assistant window. Only what the first page needs is imported here; the engine's
network and TLS code loads when the first test starts."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence


def _ensure_platform() -> None:
    """Without any display (a server, CI), use Qt's offscreen platform instead of aborting."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY")
        or os.environ.get("WAYLAND_DISPLAY")
        or os.environ.get("QT_QPA_PLATFORM")
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


GUI_SWITCH_INTERVAL_S = 0.001
DESKTOP_ID = "org.mailsetupassistant.MailSetupAssistant"  # as in packaging/linux


def favour_the_window() -> None:
    """Probe workers are Python threads; with the default 5 ms GIL switch interval, twenty of them
    busy at once (TLS, certificate parsing) can keep the GUI thread waiting ~100 ms. A 1 ms interval
    lets it in promptly; the probes are network-bound, so they lose nothing that matters."""
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)


def gui_options(argv: Sequence[str]) -> tuple[str | None, str | None, list[str]]:
    """The window's own options: `--profile FILE` (an IT profile instead of the installed one) and
    `--lang LANG` (else the system's language). Anything else is left for Qt (e.g. `-style`)."""
    import argparse

    parser = argparse.ArgumentParser(prog="mailsetup", add_help=False)
    parser.add_argument("--profile", metavar="FILE", default=None)
    parser.add_argument("--lang", metavar="LANG", default=None)
    known, rest = parser.parse_known_args(list(argv))
    return known.profile, known.lang, rest


def run_gui(argv: Sequence[str]) -> int:
    profile_path, language, rest = gui_options(argv)
    _ensure_platform()
    favour_the_window()
    from PySide6.QtWidgets import QApplication

    from assistant import PRODUCT_NAME
    from assistant.gui.i18n import install_translations
    from assistant.gui.palette import make_text_readable
    from assistant.gui.wizard import MailSetupWizard

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(["mailsetup", *rest])
    app.setApplicationName(PRODUCT_NAME)
    app.setApplicationDisplayName(PRODUCT_NAME)
    # Lets Wayland and the taskbar match the window to the installed menu entry and its icon.
    app.setDesktopFileName(DESKTOP_ID)
    translators = install_translations(app, language)
    make_text_readable(app)
    from assistant.gui import errors

    errors.install()
    wizard = MailSetupWizard(profile_path=profile_path)
    wizard.show()
    code = app.exec()
    del translators
    return int(code)
