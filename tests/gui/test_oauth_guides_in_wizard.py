"""The wizard with a Microsoft 365 server and a Gmail address, without an app registration: one
sentence says this copy cannot test the provider's sign-in, and the settings page still gives the
right choice (Outlook: no server fields, the provider's window first; Thunderbird: OAuth2)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from assistant.gui.state import PageId
from tests.gui.conftest import MakeWizard, go_to_testing, wait_for_run
from tests.servers import Loopback

M365 = "smtp.office365.com"


def test_a_microsoft_365_server_gets_microsofts_own_sign_in_in_every_guide(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    loopback.map_name(M365)
    server = loopback.starttls(name=M365)
    wizard = make_wizard([server], hosts=[M365])
    go_to_testing(qtbot, wizard, "alice@contoso.example")
    wait_for_run(qtbot, wizard)
    wizard.next()
    assert wizard.page_id() is PageId.RESULTS
    wizard.next()
    assert wizard.page_id() is PageId.SETTINGS
    page = wizard.settings
    page.select_program("outlook-classic")
    assert page.values() == {}
    assert page.steps.text().startswith(
        "1. Do not type any server settings: Outlook signs in to Microsoft accounts"
    )
    assert "Let Microsoft's sign-in window appear" in page.steps.text()
    assert "Server" not in page.sheet_text().split("\n\n", 1)[1].replace("server settings", "")
    page.select_program("thunderbird")
    assert page.values()["Authentication method"] == "OAuth2"
    assert page.values()["Hostname"] == M365
    page.select_program("iphone")
    assert "Tap Microsoft Exchange" in page.steps.text() and page.values() == {}


def test_gmail_without_a_registration_says_so_in_one_sentence(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    wizard = make_wizard([], hosts=[])
    wizard.next()
    with qtbot.waitSignal(wizard.discovery.finished, timeout=5_000):
        qtbot.keyClicks(wizard.address.address, "someone@gmail.com")
    wizard.next()
    assert wizard.page_id() is PageId.SIGN_IN
    advice = wizard.sign_in.advice.plain_text()
    assert "This copy of the assistant cannot test a sign-in with Google" in advice
    assert "the settings shown are still the right ones for your account" in advice
