"""The address step catches a mistyped provider domain (defect e) and takes `host:port` (defect d)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from assistant.gui.state import PageId
from tests.gui.conftest import MakeWizard, wait_for_run
from tests.servers import Loopback
from tests.servers.farm import MAIL_HOST

# -- (e) "Did you mean gmail.com?" ------------------------------------------------------------------


def test_a_mistyped_provider_domain_gets_a_one_click_fix(
    qtbot: QtBot, make_wizard: MakeWizard
) -> None:
    wizard = make_wizard([], hosts=[])
    wizard.next()
    page = wizard.address
    qtbot.keyClicks(page.address, "bob@gmial.com")
    assert page.address_message.text() == "Did you mean gmail.com?"
    assert "Looks like an email address" not in page.address_message.text()
    assert page.use_suggestion.isVisible()
    assert page.use_suggestion.text() == "Use gmail.com"
    assert page.use_suggestion.accessibleName() == "Use gmail.com instead of gmial.com"
    qtbot.mouseClick(page.use_suggestion, Qt.MouseButton.LeftButton)
    assert page.address.text() == "bob@gmail.com"
    assert wizard.state.domain == "gmail.com"
    assert not page.use_suggestion.isVisible()
    assert page.address_message.text() == "✓ Looks like an email address."
    assert wizard.focusWidget() is page.address, "the person can go on typing where they were"
    with qtbot.waitSignal(wizard.discovery.finished, timeout=5_000):
        page.look_up_now()
    assert "Gmail" in page.provider_line.text()


def test_the_person_can_go_on_with_what_they_typed(qtbot: QtBot, make_wizard: MakeWizard) -> None:
    wizard = make_wizard([], hosts=[])
    wizard.next()
    page = wizard.address
    qtbot.keyClicks(page.address, "bob@gmial.com")
    assert page.use_suggestion.isVisible()
    assert wizard.button(wizard.WizardButton.NextButton).isEnabled()
    wizard.next()
    assert wizard.page_id() is PageId.SIGN_IN
    assert wizard.state.domain == "gmial.com"


def test_a_right_address_gets_no_suggestion(qtbot: QtBot, make_wizard: MakeWizard) -> None:
    wizard = make_wizard([], hosts=[])
    wizard.next()
    page = wizard.address
    qtbot.keyClicks(page.address, "bob@gmail.con")
    assert page.address_message.text() == "Did you mean gmail.com?"
    page.address.clear()
    qtbot.keyClicks(page.address, "alice@example.test")
    assert page.address_message.text() == "✓ Looks like an email address."
    assert not page.use_suggestion.isVisible()


# -- (d) host:port in the server field --------------------------------------------------------------


def test_a_server_with_a_port_is_tested_on_that_port_only(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    other, chosen = loopback.starttls(), loopback.starttls()
    wizard = make_wizard([other, chosen], hosts=[])
    wizard.next()
    page = wizard.address
    qtbot.keyClicks(page.address, "alice@example.test")
    qtbot.keyClicks(page.server, f"{MAIL_HOST}:{chosen.port}")
    assert not page.server_message.isVisible()
    assert f"{MAIL_HOST}:{chosen.port}" in page.servers_info.plain_text()
    assert wizard.button(wizard.WizardButton.NextButton).isEnabled()
    wizard.next()
    wizard.next()
    assert wizard.page_id() is PageId.TESTING
    shown = wizard.testing.candidates_shown()
    assert [(server, port.split(" ")[0]) for server, port in shown] == [
        (MAIL_HOST, str(chosen.port))
    ]
    assert wizard.testing.row_count() == 1
    assert [c.port for c in wizard.state.candidates()] == [chosen.port]
    wait_for_run(qtbot, wizard)
    outcome = wizard.state.outcome
    assert outcome is not None and [r.candidate.port for r in outcome.results] == [chosen.port]


def test_a_bad_port_is_explained_and_next_waits(qtbot: QtBot, make_wizard: MakeWizard) -> None:
    wizard = make_wizard([], hosts=[])
    wizard.next()
    page = wizard.address
    qtbot.keyClicks(page.address, "alice@example.test")
    qtbot.keyClicks(page.server, "smtp.example.test:99999")
    assert page.server_message.isVisible()
    assert (
        page.server_message.text() == "“99999” is not a port number (use numbers from 1 to 65535)."
    )
    assert not wizard.button(wizard.WizardButton.NextButton).isEnabled()
    page.server.clear()
    qtbot.keyClicks(page.server, "[::1]:587")
    assert not page.server_message.isVisible()
    assert wizard.button(wizard.WizardButton.NextButton).isEnabled()
    assert [(c.host, c.port) for c in wizard.state.candidates()] == [("::1", 587)]
