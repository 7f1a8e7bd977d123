"""The account model from a real loopback run: the same settings the engine recommended."""

from __future__ import annotations

from assistant.core.models import Protocol, Security
from assistant.core.probe_run import run_and_wait
from assistant.export.account import (
    EMAIL_ADDRESS,
    AuthMethod,
    account_from_document,
    account_from_outcome,
    outcome_document,
)
from tests.servers import Loopback
from tests.servers.farm import CANARY_PASSWORD, MAIL_HOST, TEST_USER


def test_model_from_a_live_run_matches_its_report(loopback: Loopback) -> None:
    starttls, closed, plain = loopback.starttls(), loopback.closed(), loopback.plain()
    candidates = [s.candidate() for s in (starttls, closed, plain)]
    outcome = run_and_wait(candidates, loopback.settings(password=CANARY_PASSWORD))
    assert outcome.recommendation is not None
    model = account_from_outcome(TEST_USER, outcome, timeout=5.0, found_in=None)
    assert model.outgoing is not None
    assert (model.outgoing.host, model.outgoing.port, model.outgoing.security) == (
        MAIL_HOST,
        starttls.port,
        Security.STARTTLS,
    )
    assert model.outgoing.protocol is Protocol.SMTP
    assert model.outgoing.auth is AuthMethod.PASSWORD
    assert model.outgoing.username_form == EMAIL_ADDRESS
    assert model.incoming is None
    assert [(p.port, p.verdict.value, p.recommended) for p in model.ports] == [
        (starttls.port, "ENCRYPTED_STARTTLS", True),
        (closed.port, "REFUSED", False),
        (plain.port, "PLAINTEXT_ONLY", False),
    ]
    assert model.tested_at is not None and model.summary.startswith(f"Use {MAIL_HOST}")
    assert CANARY_PASSWORD not in repr(model)
    # The same run read back from its JSON is the same model (dates aside).
    again = account_from_document(outcome_document(TEST_USER, outcome, timeout=5.0))
    assert again.outgoing == model.outgoing and again.ports == model.ports

    # "Use the unencrypted server anyway" (the wizard's risk checkbox) picks that one.
    chosen = account_from_outcome(TEST_USER, outcome, chosen=(MAIL_HOST, plain.port))
    assert chosen.outgoing is not None and chosen.outgoing.security is Security.PLAIN
