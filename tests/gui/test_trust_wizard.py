"""The wizard follows the same trust rule: a certificate's other name gets no password.

Hostile case A through the window: mail.customer.test presents a certificate for
evil.attacker.test on the same address. The rescue is tested, the canary never arrives there, and
the results page says the password was not sent and why. (The "Sign in there?" question on top of
`Outcome.trust_questions` is the wizard's own step.)
"""

from __future__ import annotations

import os

from pytestqt.qtbot import QtBot

from tests.gui.conftest import MakeWizard, go_to_testing, wait_for_run
from tests.servers import Loopback
from tests.servers.farm import CANARY_PASSWORD
from tests.servers.hostile import auth_commands, canary_arrived

EVIL = "evil.attacker.test"


def test_the_window_sends_no_password_to_a_certificate_name(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    loopback.map_name("mail.customer.test")
    loopback.map_name(EVIL)
    server = loopback.smtp_script(tls_context=loopback.pki.server_context(EVIL))
    wizard = make_wizard([server], hosts=["mail.customer.test"])
    go_to_testing(qtbot, wizard, address="alice@customer.test", password=CANARY_PASSWORD)
    wait_for_run(qtbot, wizard)
    assert server.scripted is not None
    assert not canary_arrived(server.scripted.received)
    assert auth_commands(server.scripted.received) == []
    wizard.next()
    outcome = wizard.state.outcome
    assert outcome is not None
    assert [q.host for q in outcome.trust_questions] == [EVIL]
    text = wizard.results.password_text.plain_text()
    assert text.startswith(f"Your password was not sent to {EVIL}")
    assert "a certificate can name any server" in text
    assert "Your sign-in was accepted" not in text
    shot = os.environ.get("TRUST_SHOT")  # a path: save the results page to look at
    if shot:
        wizard.grab().save(shot)
