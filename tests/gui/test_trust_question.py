"""The wizard asks before the password goes to a name nothing vouches for (issue 10).

The person typed mail.customer.test; the server there presents a certificate for another name on
the same address (shared hosting, or an attacker on the network). That name is tested without the
password, the results page asks "Sign in there?" with both names and the risk, and only after
"Yes" is the password sent there — and then the sign-in shows as accepted.
"""

from __future__ import annotations

import base64

from pytestqt.qtbot import QtBot

from assistant.core.models import AuthOutcome, Security
from assistant.core.ports import PortSpec
from assistant.core.trust import NameSource
from assistant.gui.state import PageId
from tests.gui.conftest import MakeWizard, go_to_testing, wait_for_run
from tests.servers import Loopback
from tests.servers.farm import CANARY_PASSWORD
from tests.servers.hostile import auth_commands, canary_arrived

CUSTOMER_HOST = "mail.customer.test"
HOSTING = "server1.hosting-co.test"


def test_the_person_confirms_the_hosting_server_and_is_signed_in(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    loopback.map_name(CUSTOMER_HOST)
    loopback.map_name(HOSTING)
    server = loopback.smtp_script(tls_context=loopback.pki.server_context(HOSTING))
    assert server.scripted is not None
    wizard = make_wizard([], hosts=[CUSTOMER_HOST], timeout=4.0)
    wizard.state.ports = [PortSpec(server.port, Security.STARTTLS)]
    go_to_testing(qtbot, wizard, address="ana@customer.test", password=CANARY_PASSWORD)
    wait_for_run(qtbot, wizard)
    wizard.next()
    assert wizard.page_id() is PageId.RESULTS
    outcome = wizard.state.outcome
    assert outcome is not None
    (question,) = outcome.trust_questions
    assert (question.host, question.source) == (HOSTING, NameSource.CERTIFICATE)
    assert not canary_arrived(server.scripted.received)  # nothing was sent before the question
    assert auth_commands(server.scripted.received) == []

    (yes,) = wizard.results.trust_buttons
    assert yes.text() == f"Yes, sign in at {HOSTING}"
    box_text = yes.parentWidget().accessibleName()
    assert f"Your provider's server calls itself {HOSTING}." in box_text
    assert CUSTOMER_HOST in box_text and "you typed it" in box_text
    assert "catch your password" in box_text

    yes.click()
    qtbot.waitUntil(lambda: not wizard.results.confirming, timeout=10_000)
    outcome = wizard.state.outcome
    assert outcome is not None and outcome.recommendation is not None
    assert outcome.recommendation.candidate.host == HOSTING
    assert outcome.recommendation.auth is AuthOutcome.ACCEPTED
    assert outcome.trust_questions == ()
    assert wizard.results.trust_buttons == []
    (auth,) = auth_commands(server.scripted.received)  # only now, after "Yes"
    assert CANARY_PASSWORD.encode() in base64.b64decode(auth.split()[-1])
    assert "Your password was accepted" in wizard.results.password_text.plain_text()
    assert wizard.state.trust_hosts == [HOSTING]


def test_a_certificate_name_under_the_own_domain_needs_no_question(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    """The wizard's run uses the plan's trust rule, as `check` does: a rescue name under the
    address's own domain gets the password without asking."""
    own_name = "mx1.customer.test"
    loopback.map_name(CUSTOMER_HOST)
    loopback.map_name(own_name)
    server = loopback.smtp_script(tls_context=loopback.pki.server_context(own_name))
    wizard = make_wizard([], hosts=[CUSTOMER_HOST], timeout=4.0)
    wizard.state.ports = [PortSpec(server.port, Security.STARTTLS)]
    go_to_testing(qtbot, wizard, address="ana@customer.test", password=CANARY_PASSWORD)
    wait_for_run(qtbot, wizard)
    outcome = wizard.state.outcome
    assert outcome is not None and outcome.recommendation is not None
    assert outcome.recommendation.candidate.host == own_name
    assert outcome.recommendation.auth is AuthOutcome.ACCEPTED
    assert outcome.trust_questions == ()
