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
    # Both halves are tested, so both are named, with the ports the engine really tries.
    assert "incoming and outgoing servers" in text
    assert "993, 143, 995, 110 for receiving (IMAP, POP3)" in text
    assert "465, 587, 25, 26, 2525 for sending (SMTP)" in text
    assert "Only if you choose to sign in with Microsoft or Google" in text
    assert "Thunderbird's public list of providers" in text
    box.close()


def test_the_welcome_page_says_both_halves_are_tested_and_which_servers_are_contacted(
    make_wizard: MakeWizard,
) -> None:
    """The first page said "Get your email sending working" and that only the outgoing servers
    are contacted, long after the receiving servers were tested too: what is contacted must be
    true."""
    wizard = make_wizard([])
    page = wizard.welcome
    assert page.title() == "Get your email working"
    said = " ".join(label.plain_text() for label in page.labels)
    assert "every usual way of receiving and sending mail" in said
    assert (
        "Only your email provider's mail servers are contacted (its incoming and outgoing" in said
    )
    assert "sending working" not in said and "outgoing mail servers" not in said
