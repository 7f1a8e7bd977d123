"""The real wizard, driven end to end against loopback SMTP servers."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from assistant.core.explanation import recommendation_sentence
from assistant.gui.state import PageId
from tests.gui.conftest import ADDRESS, MakeWizard, go_to_testing, wait_for_run
from tests.servers import Loopback
from tests.servers.farm import (
    CANARY_PASSWORD,
    MAIL_HOST,
    local_part_authenticator,
    password_authenticator,
)


def test_implicit_tls_is_recommended_with_exact_outlook_and_thunderbird_values(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    # Sign-in offered on the encrypted connection, as on a real provider's port 465.
    tls = loopback.implicit_tls(authenticator=password_authenticator(), auth_require_tls=False)
    starttls = loopback.starttls()
    closed = loopback.closed()
    wizard = make_wizard([tls, starttls, closed])
    go_to_testing(qtbot, wizard)
    assert wizard.testing.row_count() == 3
    with qtbot.waitSignal(wizard.testing.completeChanged, timeout=20_000):
        pass
    wait_for_run(qtbot, wizard)
    assert wizard.button(wizard.WizardButton.NextButton).isEnabled()
    assert wizard.testing.status_text(tls.candidate()) == "Works, encrypted (SSL/TLS)"
    assert wizard.testing.status_text(starttls.candidate()) == "Works, encrypted (STARTTLS)"
    assert wizard.testing.status_text(closed.candidate()) == "Not offered"

    wizard.next()
    assert wizard.page_id() is PageId.RESULTS
    expected = f"Use {MAIL_HOST}, port {tls.port}, SSL/TLS — encrypted from the start."
    assert wizard.results.recommendation.text() == expected
    assert wizard.results.recommendation.text() == recommendation_sentence(
        wizard.state.recommendation
    )
    assert len(wizard.results.port_texts) == 3
    assert any("does not offer this port" in t for t in wizard.results.port_texts)

    wizard.next()
    assert wizard.page_id() is PageId.SETTINGS
    wizard.settings.select_program("outlook-classic")
    assert wizard.settings.values() == {
        "Server": MAIL_HOST,
        "Port": str(tls.port),
        "Encryption method": "SSL/TLS",
        "Require logon using Secure Password Authentication (SPA)": "Leave it unticked",
    }
    assert wizard.settings.value_edits["Server"].text() == MAIL_HOST
    wizard.settings.select_program("thunderbird")
    assert wizard.settings.values() == {
        "Hostname": MAIL_HOST,
        "Port": str(tls.port),
        "Connection security": "SSL/TLS",
        "Authentication method": "Normal password",
        "Username": ADDRESS,
    }
    assert wizard.button(wizard.WizardButton.FinishButton).isVisible()


def test_starttls_only_gives_starttls_values(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    starttls = loopback.starttls()
    wizard = make_wizard([starttls, loopback.closed()])
    go_to_testing(qtbot, wizard)
    wait_for_run(qtbot, wizard)
    wizard.next()
    assert wizard.results.recommendation.text() == (
        f"Use {MAIL_HOST}, port {starttls.port}, STARTTLS — encrypted before anything private is sent."
    )
    wizard.next()
    wizard.settings.select_program("outlook-classic")
    assert wizard.settings.values()["Encryption method"] == "STARTTLS"
    assert wizard.settings.values()["Port"] == str(starttls.port)
    wizard.settings.select_program("thunderbird")
    assert wizard.settings.values()["Connection security"] == "STARTTLS"


def test_nothing_safe_shows_plain_settings_only_after_i_understand_the_risks(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    plain = loopback.plain()
    wizard = make_wizard([plain, loopback.implicit_tls(name="other.example.net")])
    go_to_testing(qtbot, wizard)
    wait_for_run(qtbot, wizard)
    wizard.next()
    assert wizard.page_id() is PageId.RESULTS
    assert wizard.results.recommendation.text().startswith("No safe way to send was found.")
    assert "What to do next" in wizard.results.recommendation_note.plain_text()
    assert any("certificate" in t for t in wizard.results.port_texts)
    assert wizard.results.risk.isVisible()
    next_button = wizard.button(wizard.WizardButton.NextButton)
    assert not next_button.isEnabled()
    wizard.results.risk.setChecked(True)
    assert next_button.isEnabled()
    wizard.next()
    assert wizard.page_id() is PageId.SETTINGS
    assert wizard.settings.risk_banner.isVisible()
    assert "NOT encrypted" in wizard.settings.risk_banner.plain_text()
    wizard.settings.select_program("thunderbird")
    assert wizard.settings.values()["Connection security"] == "None"
    assert wizard.settings.values()["Port"] == str(plain.port)
    wizard.settings.select_program("outlook-new")  # does not offer plain text at all
    assert wizard.settings.values() == {}
    assert "cannot use a server without encryption" in wizard.settings.section.text()


def test_nothing_answering_makes_results_the_last_page(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    wizard = make_wizard([loopback.closed()])
    go_to_testing(qtbot, wizard)
    wait_for_run(qtbot, wizard)
    wizard.next()
    assert not wizard.results.risk.isVisible()
    assert wizard.results.nextId() == -1
    assert wizard.button(wizard.WizardButton.FinishButton).isVisible()
    assert wizard.button(wizard.WizardButton.FinishButton).isEnabled()


def test_rows_expand_to_evidence_and_transcript_is_shown_on_request(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    wizard = make_wizard([loopback.implicit_tls()])
    go_to_testing(qtbot, wizard)
    wait_for_run(qtbot, wizard)
    group = wizard.testing.tree.topLevelItem(0)
    assert group is not None and group.text(0) == "Sending (SMTP)"
    item = group.child(0)
    assert item is not None and item.childCount() >= 3
    children = [item.child(i).text(0) for i in range(item.childCount())]
    assert children[0].startswith("Encrypted from the first byte")
    assert any(c.startswith("Encryption: TLSv1.") for c in children)
    assert any("Certificate for: mail.example.test" in c for c in children)
    assert not wizard.testing.transcript.isVisible()
    qtbot.mouseClick(wizard.testing.details_button, Qt.MouseButton.LeftButton)
    assert wizard.testing.transcript.isVisible()
    assert "S: 220" in wizard.testing.transcript.toPlainText()
    assert "C: EHLO" in wizard.testing.transcript.toPlainText()


def test_server_without_sign_in_gets_no_authentication(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    wizard = make_wizard([loopback.implicit_tls(sign_in=False)])  # a relay: no AUTH at all
    go_to_testing(qtbot, wizard)
    wait_for_run(qtbot, wizard)
    wizard.next()
    wizard.next()
    wizard.settings.select_program("thunderbird")
    assert wizard.settings.values()["Authentication method"] == "No authentication"


def test_settings_show_the_user_name_that_signed_in(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    """Issue 9 (h): a host that takes only the part before the @ gets that, not the address."""
    server = loopback.starttls(authenticator=local_part_authenticator())
    wizard = make_wizard([server])
    go_to_testing(qtbot, wizard, password=CANARY_PASSWORD)
    wait_for_run(qtbot, wizard)
    wizard.next()
    wizard.next()
    wizard.settings.select_program("thunderbird")
    assert wizard.settings.values()["Username"] == ADDRESS.split("@")[0]
    wizard.settings.select_program("outlook-classic")
    assert ADDRESS not in wizard.settings.values().values()
