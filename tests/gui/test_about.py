"""The About box: version, licence, and what the program contacts and why."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWizard
from pytestqt.qtbot import QtBot

import assistant
from tests.gui.conftest import MakeWizard


def test_about_button_shows_version_licence_and_what_is_contacted(
    qtbot: QtBot, make_wizard: MakeWizard
) -> None:
    wizard = make_wizard([])
    button = wizard.button(QWizard.WizardButton.CustomButton1)
    assert button.isVisible() and button.accessibleName() == "About"
    button.click()
    qtbot.waitUntil(lambda: wizard.findChild(QMessageBox, "about-box") is not None, timeout=2000)
    box = wizard.findChild(QMessageBox, "about-box")
    assert box is not None and box.isVisible()
    text = box.text()
    assert f"Version {assistant.__version__}" in text
    assert "Licence: MIT" in text
    assert "outgoing mail servers" in text and "465, 587, 25, 26, 2525" in text
    assert "Thunderbird's public list of providers" in text
    box.close()
