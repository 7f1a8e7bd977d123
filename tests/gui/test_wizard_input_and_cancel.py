"""Typing mistakes, Back during a run, and late results of a cancelled run."""

from __future__ import annotations

import threading

import pytest
from pytestqt.qtbot import QtBot

from assistant.core.address import parse
from assistant.core.models import ProbeResult, Verdict
from assistant.core.ports import InputError
from assistant.gui.state import PageId
from tests.gui.conftest import MakeWizard, go_to_testing, wait_for_run
from tests.servers import Loopback


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("alice", "An email address has exactly one @, like name@example.com."),
        ("alice@", "The part after the @ is missing."),
        ("@example.com", "The part before the @ is missing."),
        ("alice smith@example.com", "An email address has no spaces in it."),
        ("alice@@example.com", "An email address has exactly one @, like name@example.com."),
        ("alice@example", "“example” is not a"),
        (
            "ali..ce@example.com",
            "The part before the @ has characters an email address cannot have.",
        ),
    ],
)
def test_bad_address_shows_a_friendly_message_and_keeps_next_disabled(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard, typed: str, message: str
) -> None:
    wizard = make_wizard([loopback.closed()])
    wizard.next()
    assert wizard.page_id() is PageId.ADDRESS
    next_button = wizard.button(wizard.WizardButton.NextButton)
    assert not next_button.isEnabled()  # empty field
    assert wizard.address.address_message.text() == "Type your email address."
    qtbot.keyClicks(wizard.address.address, typed)
    with pytest.raises(InputError) as engine:
        parse(typed)
    assert wizard.address.address_message.text() == str(engine.value)  # the engine's own sentence
    assert message.split()[0] in str(engine.value) and "Traceback" not in str(engine.value)
    assert not next_button.isEnabled()
    assert not wizard.address.isComplete()
    wizard.address.address.setText("alice@example.com")
    assert next_button.isEnabled()
    assert "Looks like an email address" in wizard.address.address_message.text()


def test_guessed_servers_are_shown_and_a_typed_server_replaces_them(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    wizard = make_wizard([loopback.closed()], hosts=[])
    wizard.address.server.clear()
    wizard.next()
    with qtbot.waitSignal(wizard.discovery.finished, timeout=5_000):  # offline: not in the list
        qtbot.keyClicks(wizard.address.address, "bob@Example.COM")
    info = wizard.address.servers_info.plain_text()
    assert "smtp.example.com, mail.example.com, example.com" in info
    assert "a guess from your address" in info
    assert wizard.state.plan().hosts == ("smtp.example.com", "mail.example.com", "example.com")
    qtbot.keyClicks(wizard.address.server, "bad_name!")
    assert not wizard.button(wizard.WizardButton.NextButton).isEnabled()
    assert "not a valid server name" in wizard.address.server_message.text()
    wizard.address.server.setText("Mail.Example.com, smtp.other.org")
    assert wizard.button(wizard.WizardButton.NextButton).isEnabled()
    assert wizard.state.plan().hosts == ("mail.example.com", "smtp.other.org")


def test_a_typed_outgoing_server_says_which_receiving_names_are_tried_beside_it(
    qtbot: QtBot, make_wizard: MakeWizard
) -> None:
    """The field takes the servers the person was given; the page says what else the plan tries
    for receiving mail, so the person is not surprised by names they did not type."""
    wizard = make_wizard([], hosts=[])
    wizard.next()
    qtbot.keyClicks(wizard.address.address, "me@mycompany.test")
    qtbot.keyClicks(wizard.address.server, "smtp.mycompany.test")
    info = wizard.address.servers_info.plain_text()
    beside = [h for h in wizard.state.plan().hosts if h != "smtp.mycompany.test"]
    assert beside[:2] == ["imap.mycompany.test", "mail.mycompany.test"]
    assert info == (
        "We will test smtp.mycompany.test. "
        f"For receiving mail, we will also try {', '.join(beside)}."
    )
    wizard.address.server.setText("smtp.hosting.test")  # elsewhere: nothing is guessed for it
    assert wizard.address.servers_info.plain_text() == ("We will test smtp.hosting.test.")


def test_back_during_a_run_cancels_it_and_its_workers_end(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    # A listener whose backlog is full never answers: the probe would wait the whole 30 s.
    wizard = make_wizard([loopback.full_backlog(), loopback.full_backlog()], timeout=30.0)
    with qtbot.waitSignal(wizard.bridge.progress, timeout=5_000):
        go_to_testing(qtbot, wizard)
    run = wizard.bridge.run
    assert run is not None and wizard.testing.running
    assert not wizard.button(wizard.WizardButton.NextButton).isEnabled()
    old_id = run.run_id

    with qtbot.waitSignal(wizard.bridge.cancelled, timeout=1_000) as cancelled:
        wizard.back()
    assert cancelled.args == [old_id]
    assert wizard.page_id() is PageId.SIGN_IN
    assert run.cancelled and wizard.bridge.current_run_id is None
    assert run.join_workers(2.0), "cancel must end every worker within a second or two"

    # Going forward again starts a fresh run with fresh rows.
    wizard.next()
    assert wizard.bridge.run is not run
    assert wizard.testing.row_count() == 2
    assert all(wizard.testing.status_text(c) != "Stopped" for c in wizard.state.candidates())


def test_late_results_of_a_cancelled_run_are_ignored(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    closed = loopback.closed()
    wizard = make_wizard([closed])
    go_to_testing(qtbot, wizard)
    wait_for_run(qtbot, wizard)
    old = wizard.bridge.run
    assert old is not None
    wizard.back()  # nothing running any more; then a new run
    wizard.next()
    wait_for_run(qtbot, wizard)
    status_before = wizard.testing.status_text(closed.candidate())

    # A worker of the old run delivers late, from its own thread: the bridge must drop it.
    stale = ProbeResult(closed.candidate(), Verdict.ENCRYPTED_IMPLICIT)
    dropped = wizard.bridge.dropped
    with qtbot.assertNotEmitted(wizard.bridge.result):
        worker = threading.Thread(target=wizard.bridge._worker_result, args=(old.run_id, stale))
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: wizard.bridge.dropped == dropped + 1, timeout=2_000)
    assert wizard.testing.status_text(closed.candidate()) == status_before == "Not offered"
    assert wizard.state.recommendation is None


def test_stop_testing_marks_rows_stopped_and_test_again_restarts(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    server = loopback.full_backlog()
    wizard = make_wizard([server], timeout=30.0)
    with qtbot.waitSignal(wizard.bridge.progress, timeout=5_000):
        go_to_testing(qtbot, wizard)
    run = wizard.bridge.run
    assert run is not None
    wizard.testing.stop_button.click()
    assert wizard.testing.status_text(server.candidate()) == "Stopped"
    assert "Testing stopped" in wizard.testing.summary.text()
    assert not wizard.button(wizard.WizardButton.NextButton).isEnabled()
    assert run.join_workers(2.0)
    assert wizard.testing.again_button.isVisible()
    wizard.testing.again_button.click()
    assert wizard.testing.running and wizard.bridge.run is not run


def test_the_receiving_advice_can_be_done_in_the_server_field(
    qtbot: QtBot, make_wizard: MakeWizard
) -> None:
    """ "Ask for the incoming server" now ends with where to put it in this window; and what it
    says to type there is accepted and tested for receiving on that port."""
    from assistant.core.explanation import Audience, NextStep, next_step_text

    advice = next_step_text(NextStep.ASK_SERVER, Audience.WINDOW, receiving=True)
    example = advice.split("(for example ", 1)[1].rstrip(").")
    assert example == "smtp.example.com, imap.example.com:993"
    wizard = make_wizard([], hosts=[])
    wizard.next()
    qtbot.keyClicks(wizard.address.address, "me@example.com")
    qtbot.keyClicks(wizard.address.server, example)
    assert wizard.button(wizard.WizardButton.NextButton).isEnabled()
    keys = [c.key for c in wizard.state.plan().candidates]
    assert "imap:imap.example.com:993/tls" in keys and "smtp:smtp.example.com:465/tls" in keys
