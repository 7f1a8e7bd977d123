"""The sign-in step for real: what the server's answer means, the test message, and the keychain."""

from __future__ import annotations

import keyring
import pytest
from pytestqt.qtbot import QtBot

from assistant.credentials import SERVICE_NAME, open_store, problem_text
from assistant.gui.state import PageId
from assistant.gui.wizard import MailSetupWizard
from tests.gui.conftest import ADDRESS, MakeWizard, go_to_testing, wait_for_run
from tests.keyrings import InMemoryKeyring
from tests.servers import Loopback
from tests.servers.farm import CANARY_PASSWORD, password_authenticator


def _to_results(qtbot: QtBot, wizard: MailSetupWizard, password: str) -> None:
    go_to_testing(qtbot, wizard, password=password)
    wait_for_run(qtbot, wizard)
    wizard.next()
    assert wizard.page_id() is PageId.RESULTS


@pytest.mark.parametrize(
    ("reply", "column", "meaning"),
    [
        (
            "535 5.7.8 Username and Password not accepted.",
            "Password refused",
            "The user name or password was not accepted. Check the password",
        ),
        (
            "534 5.7.9 Application-specific password required.",
            "Needs an app password",
            "It wants an app password",
        ),
        (
            "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.",
            "Turned off by your organisation",
            "Only your Microsoft 365 administrator can switch it on.",
        ),
    ],
)
def test_refused_sign_in_is_explained_with_the_servers_words_quoted_apart(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard, reply: str, column: str, meaning: str
) -> None:
    server = loopback.starttls(authenticator=password_authenticator(failure=reply))
    wizard = make_wizard([server])
    go_to_testing(qtbot, wizard, password="not-the-password")
    wait_for_run(qtbot, wizard)
    assert wizard.testing.sign_in_text(server.candidate()) == column
    wizard.next()
    results = wizard.results
    text = results.password_text.plain_text()
    assert text.startswith("Sign-in on mail.example.test")
    assert meaning in text
    assert reply not in text  # the server's words are not mixed into ours…
    assert results.server_words.isVisible()
    assert results.server_words.text() == f"The server said: “{reply}”"  # …but quoted, apart
    assert not results.send_test_button.isVisible()
    assert all(reply not in t for t in results.port_texts)
    wizard.next()
    assert "not accepted in the test" in wizard.settings.sign_in_note.text()


def test_accepted_password_and_one_test_message_on_request(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    server = loopback.starttls()
    wizard = make_wizard([server])
    go_to_testing(qtbot, wizard, password=CANARY_PASSWORD)
    assert not wizard.testing.tree.isColumnHidden(3)  # the Sign-in column
    wait_for_run(qtbot, wizard)
    assert wizard.testing.sign_in_text(server.candidate()) == "Password accepted"
    wizard.next()
    results = wizard.results
    assert results.password_text.plain_text().startswith(
        "Your password was accepted by mail.example.test"
    )
    assert not results.server_words.isVisible()
    assert loopback.messages == []  # nothing is sent unless asked
    assert results.send_test_button.isVisible() and results.send_test_button.isEnabled()
    with qtbot.waitSignal(wizard.bridge.finished, timeout=20_000):
        results.send_test_button.click()
        assert results.sending and not results.send_test_button.isEnabled()
    assert not results.sending
    assert len(loopback.messages) == 1
    assert loopback.messages[0].rcpt_tos == [ADDRESS]
    assert "Check your inbox at alice@example.test" in results.test_message_text.text()
    assert (
        wizard.state.test_message is not None
        and wizard.state.test_message.test_message_sent is True
    )
    wizard.next()
    assert "accepted in the test" in wizard.settings.sign_in_note.text()


def test_refused_test_message_is_explained(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    server = loopback.starttls(refuse_rcpt="550 5.7.1 Relaying denied")
    wizard = make_wizard([server])
    _to_results(qtbot, wizard, CANARY_PASSWORD)
    with qtbot.waitSignal(wizard.bridge.finished, timeout=20_000):
        wizard.results.send_test_button.click()
    text = wizard.results.test_message_text.text()
    assert "did not accept the test message" in text
    assert "The server said: “550 5.7.1 Relaying denied”" in text
    assert loopback.messages == []


def test_no_password_no_sign_in_column_and_no_password_section(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    wizard = make_wizard([loopback.starttls()])
    go_to_testing(qtbot, wizard)
    assert wizard.testing.tree.isColumnHidden(3)
    wait_for_run(qtbot, wizard)
    wizard.next()
    assert not wizard.results.password_box.isVisible()


# -- the keychain ---------------------------------------------------------------------------------


def _finish(qtbot: QtBot, wizard: MailSetupWizard) -> None:
    wait_for_run(qtbot, wizard)
    wizard.next()
    wizard.next()
    assert wizard.page_id() is PageId.SETTINGS
    with qtbot.waitSignal(wizard.finished, timeout=5_000):
        wizard.button(wizard.WizardButton.FinishButton).click()


def test_remember_find_and_forget_through_the_window(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard, memory_keyring: InMemoryKeyring
) -> None:
    server = loopback.starttls()
    wizard = make_wizard([server])
    go_to_testing(qtbot, wizard)  # walk to the sign-in page, then back to type and tick
    wizard.back()
    page = wizard.sign_in
    qtbot.waitUntil(page.remember.isEnabled)
    page.password.setText(CANARY_PASSWORD)
    page.remember.setChecked(True)
    wizard.next()
    wait_for_run(qtbot, wizard)
    wizard.next()
    wizard.next()
    assert memory_keyring.secrets == {}  # nothing is written before Finish
    with qtbot.waitSignal(wizard.finished, timeout=5_000):
        wizard.button(wizard.WizardButton.FinishButton).click()
    assert memory_keyring.secrets == {(SERVICE_NAME, ADDRESS): CANARY_PASSWORD}

    # Next time: found for that address and filled in (masked), with a way to forget it.
    again = make_wizard([server])
    again.next()
    qtbot.keyClicks(again.address.address, ADDRESS)
    again.next()
    page = again.sign_in
    qtbot.waitUntil(lambda: page.password.text() == CANARY_PASSWORD)
    assert page.password.echoMode() is page.password.EchoMode.Password
    assert page.remember.isChecked()
    assert page.forget_button.isVisible()
    assert "filled in from your desktop's password store" in page.keychain_note.text()
    with qtbot.waitSignal(again.keychain.forgotten, timeout=5_000):
        page.forget_button.click()
    assert memory_keyring.secrets == {}
    assert page.password.text() == "" and not page.remember.isChecked()
    assert "removed" in page.keychain_note.text()
    again.reject()
    assert memory_keyring.secrets == {}


def test_cancel_writes_nothing_and_a_refused_password_is_not_remembered(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard, memory_keyring: InMemoryKeyring
) -> None:
    wizard = make_wizard([loopback.starttls()])
    wizard.next()
    qtbot.keyClicks(wizard.address.address, ADDRESS)
    wizard.next()
    qtbot.waitUntil(wizard.sign_in.remember.isEnabled)
    qtbot.keyClicks(wizard.sign_in.password, CANARY_PASSWORD)
    wizard.sign_in.remember.setChecked(True)
    wizard.next()
    wait_for_run(qtbot, wizard)
    wizard.reject()  # Cancel
    assert memory_keyring.secrets == {}

    other = make_wizard([loopback.starttls()])
    other.next()
    qtbot.keyClicks(other.address.address, ADDRESS)
    other.next()
    qtbot.waitUntil(other.sign_in.remember.isEnabled)
    qtbot.keyClicks(other.sign_in.password, "not-the-password")
    other.sign_in.remember.setChecked(True)
    other.next()
    _finish(qtbot, other)
    assert memory_keyring.secrets == {}  # the server said it is wrong: not worth remembering


def test_a_remembered_password_is_not_used_for_another_address(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard, memory_keyring: InMemoryKeyring
) -> None:
    memory_keyring.secrets[(SERVICE_NAME, ADDRESS)] = CANARY_PASSWORD
    wizard = make_wizard([loopback.starttls()])
    wizard.next()
    qtbot.keyClicks(wizard.address.address, ADDRESS)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.sign_in.password.text() == CANARY_PASSWORD)
    wizard.back()
    wizard.address.address.setText("bob@example.test")
    wizard.next()
    assert wizard.sign_in.password.text() == ""
    assert not wizard.sign_in.remember.isChecked()


def test_without_a_safe_keychain_remember_is_off_and_the_page_says_why(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())  # the fixture puts the previous one back
    _, sentence = open_store()
    assert sentence
    wizard = make_wizard([loopback.starttls()])
    wizard.next()
    qtbot.keyClicks(wizard.address.address, ADDRESS)
    wizard.next()
    page = wizard.sign_in
    qtbot.waitUntil(lambda: wizard.keychain.is_open)
    assert not page.remember.isEnabled() and not page.remember.isChecked()
    assert page.keychain_note.isVisible()
    assert page.keychain_note.text() == problem_text(sentence)
    qtbot.keyClicks(page.password, CANARY_PASSWORD)
    wizard.next()
    _finish(qtbot, wizard)  # finishing is fine; the password just is not kept
