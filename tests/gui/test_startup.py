"""The first page paints without loading what it does not need (DESIGN §13 start-up budget)."""

from __future__ import annotations

import subprocess
import sys

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from assistant.gui import first_paint_enums as early


def test_early_numbers_are_the_real_enum_values() -> None:
    assert Qt.TextFormat.RichText.value == early.RICH_TEXT
    assert Qt.TextInteractionFlag.TextSelectableByMouse.value == early.TEXT_SELECTABLE_BY_MOUSE
    assert Qt.TextInteractionFlag.LinksAccessibleByMouse.value == early.LINKS_ACCESSIBLE_BY_MOUSE
    assert (
        Qt.TextInteractionFlag.LinksAccessibleByKeyboard.value == early.LINKS_ACCESSIBLE_BY_KEYBOARD
    )
    assert Qt.FocusPolicy.NoFocus.value == early.NO_FOCUS
    assert Qt.FocusPolicy.StrongFocus.value == early.STRONG_FOCUS


def test_first_page_labels_get_their_flags(qtbot: QtBot) -> None:
    from assistant.gui.widgets.glossary import GlossaryLabel

    label = GlossaryLabel("An [[outgoing-server|outgoing server]] word")
    qtbot.addWidget(label)
    assert label.textFormat() == Qt.TextFormat.RichText
    assert label.focusPolicy() == Qt.FocusPolicy.StrongFocus
    flags = label.textInteractionFlags()
    assert flags & Qt.TextInteractionFlag.LinksAccessibleByKeyboard
    assert flags & Qt.TextInteractionFlag.LinksAccessibleByMouse


def test_building_the_first_page_loads_no_engine_and_no_qt_namespace() -> None:
    """In a fresh process: construct the wizard (first page only) and see what got imported."""
    code = """
import sys
from PySide6.QtWidgets import QApplication
app = QApplication(["t"])
import PySide6.QtCore as core
from assistant.gui.wizard import MailSetupWizard
wizard = MailSetupWizard()
loaded = sorted(m for m in sys.modules if m.startswith(("assistant.core", "assistant.discovery",
                "assistant.clients", "ssl", "cryptography", "assistant.gui.workers")))
print(loaded)
print("Qt namespace built:", "Qt" in core.__dict__)
"""
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == "[]", proc.stdout
    assert proc.stdout.splitlines()[1] == "Qt namespace built: False", proc.stdout


def test_every_glossary_mark_in_the_program_exists() -> None:
    """Labels link every [[key|words]] mark without looking it up (start-up speed): so each key
    used anywhere in the program must be in resources/glossary.json."""
    import re
    from pathlib import Path

    from assistant.gui.widgets.glossary import glossary

    top = Path(__file__).parents[2]
    sources = [*(top / "assistant").rglob("*.py"), *(top / "resources").rglob("*.json")]
    sources += list((top / "resources" / "locale").rglob("*.po"))  # the translations' marks too
    used = {
        key
        for path in sources
        if path.name not in ("glossary.py", "marks.py")  # their docstrings show the syntax
        for key in re.findall(r"\[\[([a-z0-9-]+)\|", path.read_text(encoding="utf-8"))
    }
    assert used, "the program marks some words"
    assert used <= set(glossary()), sorted(used - set(glossary()))
