"""Defects (f) and (g): going on after Stop with what was found, and where the pages are scrolled."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from assistant.gui.pages.base import Page
from assistant.gui.state import PageId
from assistant.gui.wizard import MailSetupWizard
from tests.gui.conftest import MakeWizard, go_to_testing, wait_for_run
from tests.servers import Loopback, Server
from tests.servers.farm import CANARY_PASSWORD


def in_view(page: Page, widget: QWidget) -> bool:
    """The whole of `widget` is inside the page's visible (scrolled) area."""
    viewport = page.scroll_area.viewport()
    top_left = widget.mapTo(viewport, QPoint(0, 0))
    return viewport.rect().contains(QRect(top_left, widget.size()))


# -- (f) Stop, then Next with what was already found ---------------------------------------------


def _testing_with_one_answer(
    qtbot: QtBot, make_wizard: MakeWizard, first: Server, hanging: Server
) -> MailSetupWizard:
    """The testing page once `first` has answered while `hanging` is still being tried."""
    wizard = make_wizard([first, hanging], timeout=30.0)
    with qtbot.waitSignal(
        wizard.bridge.result,
        timeout=10_000,
        check_params_cb=lambda r: r.candidate.key == first.candidate().key,
    ):
        go_to_testing(qtbot, wizard)
    assert wizard.testing.running
    assert not wizard.button(wizard.WizardButton.NextButton).isEnabled()
    return wizard


def test_after_stop_next_goes_on_with_the_safe_way_already_found(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    good = loopback.starttls()
    hanging = loopback.full_backlog()  # never answers: the run would take the whole time limit
    wizard = _testing_with_one_answer(qtbot, make_wizard, good, hanging)
    testing = wizard.testing
    testing.stop_button.click()
    assert testing.status_text(hanging.candidate()) == "Stopped"
    next_button = wizard.button(wizard.WizardButton.NextButton)
    assert next_button.isEnabled(), "a safe way was found before Stop: the person may go on"
    assert "already found: press Next" in testing.summary.text()
    outcome = wizard.state.outcome
    assert outcome is not None and outcome.recommendation is not None
    assert outcome.recommendation.candidate.key == good.candidate().key
    assert [r.candidate.key for r in outcome.results] == [good.candidate().key]

    wizard.next()
    assert wizard.page_id() is PageId.RESULTS
    assert str(good.port) in wizard.results.recommendation.text()
    wizard.next()
    assert wizard.page_id() is PageId.SETTINGS


def test_after_stop_with_nothing_safe_found_next_stays_off(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    wizard = _testing_with_one_answer(
        qtbot, make_wizard, loopback.closed(), loopback.full_backlog()
    )
    wizard.testing.stop_button.click()
    assert not wizard.button(wizard.WizardButton.NextButton).isEnabled()
    assert wizard.state.recommendation is None
    assert "Testing stopped" in wizard.testing.summary.text()


def test_test_again_after_stop_forgets_the_partial_outcome(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    wizard = _testing_with_one_answer(
        qtbot, make_wizard, loopback.starttls(), loopback.full_backlog()
    )
    wizard.testing.stop_button.click()
    assert wizard.state.outcome is not None
    wizard.testing.again_button.click()
    assert wizard.state.outcome is None
    assert not wizard.button(wizard.WizardButton.NextButton).isEnabled()
    wizard.testing.stop_button.click()


# -- (g) the results page opens at the top, and the test message keeps the headline in view -------


def _tall_results(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard, password: str = ""
) -> MailSetupWizard:
    """A run with one good port and many refused ones: the results page is taller than the window."""
    servers = [loopback.starttls()] + [loopback.closed() for _ in range(9)]
    wizard = make_wizard(servers)
    go_to_testing(qtbot, wizard, password=password)
    wait_for_run(qtbot, wizard)
    wizard.next()
    assert wizard.page_id() is PageId.RESULTS
    return wizard


def test_the_results_page_opens_at_the_top_after_another_run(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    wizard = _tall_results(qtbot, loopback, make_wizard)
    results = wizard.results
    bar = results.scroll_area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)  # it does not fit: it scrolls
    bar.setValue(bar.maximum())  # the person reads the last port
    wizard.back()
    wizard.testing.again_button.click()
    wait_for_run(qtbot, wizard)
    wizard.next()
    assert bar.value() == 0
    assert in_view(results, results.recommendation)


def test_sending_the_test_message_keeps_the_headline_in_view(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    wizard = _tall_results(qtbot, loopback, make_wizard, password=CANARY_PASSWORD)
    results = wizard.results
    qtbot.waitUntil(lambda: results.scroll_area.verticalScrollBar().maximum() > 0)
    assert in_view(results, results.recommendation)
    with qtbot.waitSignal(wizard.bridge.finished, timeout=20_000):
        qtbot.mouseClick(results.send_test_button, Qt.MouseButton.LeftButton)  # focus, then press
        assert results.sending
        assert in_view(results, results.recommendation), "pressing it moved the headline away"
    assert "Check your inbox" in results.test_message_text.text()
    assert in_view(results, results.recommendation), "the answer moved the headline away"
    assert in_view(results, results.test_message_text), "and the answer itself can be read"
