"""The trust rule: the password goes only to servers whose names the person has reason to trust.

Hostile case A: a server whose certificate names another local name that resolves to the same
address. Before, that name was probed and signed in to, and the canary arrived there. Now it is
probed without the password, the result says why, and the person can be asked; only after
`--trust-host` (or the wizard's "yes") does the password go there.
"""

from __future__ import annotations

import io
import time

import pytest

from assistant import cli
from assistant.core.explanation import explain
from assistant.core.models import AuthOutcome, Candidate, Security, Verdict
from assistant.core.probe_run import run_and_wait
from assistant.core.ranking import rank
from assistant.core.trust import (
    NameSource,
    TrustPolicy,
    TrustReason,
    policy_for,
    question_text,
    questions,
)
from tests.servers import Loopback
from tests.servers.farm import CANARY_PASSWORD, Server
from tests.servers.hostile import auth_commands, canary_arrived

OWN = "customer.test"
CUSTOMER_HOST = "mail.customer.test"
EVIL = "evil.attacker.test"
TIMEOUT = 4.0


# -- the rule itself --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "source", "reason"),
    [
        ("smtp.far.test", NameSource.TYPED, TrustReason.SOURCE),
        ("smtp.far.test", NameSource.PROFILE, TrustReason.SOURCE),
        ("smtp.far.test", NameSource.DATABASE, TrustReason.SOURCE),
        ("smtp.far.test", NameSource.HTTPS_AUTOCONFIG, TrustReason.SOURCE),
        ("mail.customer.test", NameSource.GUESS, TrustReason.OWN_DOMAIN),
        ("customer.test", NameSource.DNS, TrustReason.OWN_DOMAIN),
        ("mx.mail.customer.test", NameSource.CERTIFICATE, TrustReason.OWN_DOMAIN),
        ("mail.elsewhere.test", NameSource.DNS, TrustReason.UNTRUSTED),
        ("smtp.far.test", NameSource.PLAIN_HTTP, TrustReason.UNTRUSTED),
        ("evil.attacker.test", NameSource.CERTIFICATE, TrustReason.UNTRUSTED),
        ("notcustomer.test", NameSource.CERTIFICATE, TrustReason.UNTRUSTED),
        ("server1.hosting.test", NameSource.CERTIFICATE, TrustReason.HOSTING_DOMAIN),
        ("hosting.test.evil.test", NameSource.CERTIFICATE, TrustReason.UNTRUSTED),
        ("Evil.Attacker.Test.", NameSource.CERTIFICATE, TrustReason.UNTRUSTED),
    ],
)
def test_where_a_name_came_from_decides(host: str, source: NameSource, reason: TrustReason) -> None:
    policy = policy_for(OWN, hosting_domains=["hosting.test"])
    assert policy.reason(host, source) is reason
    assert policy.trusts(host, source) is (reason is not TrustReason.UNTRUSTED)


def test_a_confirmed_name_is_trusted_from_any_source() -> None:
    policy = policy_for(OWN).confirming("Evil.Attacker.Test")
    assert policy.reason(EVIL, NameSource.CERTIFICATE) is TrustReason.CONFIRMED
    assert policy.reason(EVIL, NameSource.PLAIN_HTTP) is TrustReason.CONFIRMED
    assert not TrustPolicy().trusts(EVIL, NameSource.CERTIFICATE)


# -- hostile case A, engine level -------------------------------------------------------------


def _shared_hosting(loopback: Loopback, cert_name: str) -> tuple[Server, Candidate]:
    """mail.customer.test answers with a certificate for `cert_name`, on the same address."""
    loopback.map_name(CUSTOMER_HOST)
    loopback.map_name(cert_name)
    server = loopback.smtp_script(tls_context=loopback.pki.server_context(cert_name))
    return server, Candidate(CUSTOMER_HOST, server.port, Security.STARTTLS)


def test_a_certificate_name_on_the_same_address_is_tested_without_the_password(
    loopback: Loopback,
) -> None:
    server, candidate = _shared_hosting(loopback, EVIL)
    settings = loopback.settings(timeout=TIMEOUT, password=CANARY_PASSWORD)
    settings.trust = policy_for(OWN)
    start = time.monotonic()
    outcome = run_and_wait([candidate], settings)
    elapsed = time.monotonic() - start

    first, rescue = outcome.results
    assert first.verdict is Verdict.CERT_NAME_MISMATCH
    assert rescue.candidate.host == EVIL
    assert rescue.candidate.source is NameSource.CERTIFICATE and not rescue.candidate.trusted
    assert rescue.verdict is Verdict.ENCRYPTED_STARTTLS
    assert rescue.auth is AuthOutcome.UNTRUSTED_SERVER
    assert server.scripted is not None
    assert not canary_arrived(server.scripted.received)
    assert auth_commands(server.scripted.received) == []
    assert server.scripted.connections <= 4  # probe, certificate look, rescue (+1 spare)
    assert elapsed < TIMEOUT + 1

    text = explain(rescue).text
    assert "Sign-in was not tried" in text
    assert f"read from the certificate of {CUSTOMER_HOST}" in text
    assert "Your sign-in was accepted" not in text

    (question,) = questions(outcome.results)
    assert (question.host, question.source) == (EVIL, NameSource.CERTIFICATE)
    assert (question.other_host, question.other_source) == (CUSTOMER_HOST, NameSource.TYPED)
    assert question.candidate_key == rescue.candidate.key
    assert question_text(question) == (
        f"Your provider's server calls itself {EVIL}. Is this your hosting company? Sign in there?"
    )


def test_once_the_person_confirms_the_name_the_sign_in_happens(loopback: Loopback) -> None:
    """The wizard's "yes, sign in there" and the CLI's --trust-host: the same policy change."""
    server, candidate = _shared_hosting(loopback, EVIL)
    settings = loopback.settings(timeout=TIMEOUT, password=CANARY_PASSWORD)
    settings.trust = policy_for(OWN).confirming(EVIL)
    outcome = run_and_wait([candidate], settings)
    rescue = outcome.results[1]
    assert rescue.auth is AuthOutcome.ACCEPTED
    assert outcome.recommendation is rescue
    assert server.scripted is not None and canary_arrived(server.scripted.received)
    assert questions(outcome.results) == []


def test_a_known_hosting_companys_server_needs_no_question(loopback: Loopback) -> None:
    """The provider list names hosting.test as a hosting company's own server domain."""
    _server, candidate = _shared_hosting(loopback, "server1.hosting.test")
    settings = loopback.settings(timeout=TIMEOUT, password=CANARY_PASSWORD)
    settings.trust = policy_for(OWN, hosting_domains=["hosting.test"])
    outcome = run_and_wait([candidate], settings)
    rescue = outcome.results[1]
    assert rescue.candidate.trusted
    assert rescue.auth is AuthOutcome.ACCEPTED
    assert questions(outcome.results) == []


def test_no_rescue_from_a_server_the_person_has_no_reason_to_trust(loopback: Loopback) -> None:
    """Rescue names come only from candidates the person or a trusted source named."""
    server, _candidate = _shared_hosting(loopback, "server1.hosting.test")
    settings = loopback.settings(timeout=TIMEOUT, password=CANARY_PASSWORD)
    untrusted = Candidate(
        CUSTOMER_HOST, server.port, Security.STARTTLS, trusted=False, source=NameSource.DNS
    )
    outcome = run_and_wait([untrusted], settings)
    assert [r.candidate.host for r in outcome.results] == [CUSTOMER_HOST]
    assert outcome.results[0].evidence.rescue_names == []


def test_a_trusted_safe_server_is_recommended_before_an_untrusted_one(loopback: Loopback) -> None:
    implicit = loopback.implicit_tls()
    starttls = loopback.starttls()
    trusted = starttls.candidate()  # STARTTLS: a lower tier than implicit TLS
    planted = Candidate(
        implicit.host, implicit.port, Security.IMPLICIT_TLS, trusted=False, source=NameSource.DNS
    )
    outcome = run_and_wait([planted, trusted], loopback.settings())
    assert rank(outcome.results) is not None
    assert outcome.recommendation is not None
    assert outcome.recommendation.candidate == trusted


# -- hostile case A through the command line -------------------------------------------------


def _check(
    loopback: Loopback,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *extra: str,
    port: int,
) -> tuple[int, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(CANARY_PASSWORD + "\n"))
    argv = [
        "check",
        f"alice@{OWN}",
        "--host",
        CUSTOMER_HOST,
        "--ports",
        f"{port}/starttls",
        "--timeout",
        str(TIMEOUT),
        "--password-stdin",
        *extra,
    ]
    start = time.monotonic()
    code = cli._check(cli.build_parser().parse_args(argv), loopback.settings())
    assert time.monotonic() - start < TIMEOUT + 1
    out = capsys.readouterr().out
    assert CANARY_PASSWORD not in out
    return code, out


def test_cli_says_sign_in_was_not_tried_and_how_to_allow_it(
    loopback: Loopback, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    server, _ = _shared_hosting(loopback, EVIL)
    _code, out = _check(loopback, monkeypatch, capsys, port=server.port)
    assert server.scripted is not None
    assert not canary_arrived(server.scripted.received)
    assert "Your sign-in was accepted" not in out
    assert f"Sign-in was not tried at {EVIL}" in out
    assert f"--trust-host {EVIL}" in out


def test_cli_trust_host_signs_in_at_the_shared_hosting_server(
    loopback: Loopback, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    server, _ = _shared_hosting(loopback, EVIL)
    code, out = _check(loopback, monkeypatch, capsys, "--trust-host", EVIL, port=server.port)
    assert code == 0
    assert "Your sign-in was accepted" in out
    assert f"Use {EVIL}, port {server.port}" in out
    assert "--trust-host" not in out


def test_the_outcome_carries_the_question_for_the_window(loopback: Loopback) -> None:
    """What the wizard needs to ask "Sign in there?", as data and in its own words."""
    from assistant.core.address import parse
    from assistant.core.explanation import Audience
    from assistant.core.trust import risk_text
    from assistant.outcome import conclude
    from assistant.plan import PlanInputs, make_plan, typed_hosts

    _server, _candidate = _shared_hosting(loopback, EVIL)
    plan = make_plan(PlanInputs(parse(f"alice@{OWN}"), typed_hosts([CUSTOMER_HOST])))
    assert plan.trust.domain == OWN
    settings = loopback.settings(timeout=TIMEOUT, password=CANARY_PASSWORD)
    settings.trust = plan.trust
    candidate = Candidate(CUSTOMER_HOST, _server.port, Security.STARTTLS)
    results = run_and_wait([candidate], settings).results
    outcome = conclude(plan, results, password_given=True, audience=Audience.WINDOW)
    (question,) = outcome.trust_questions
    assert question.other_host == CUSTOMER_HOST
    assert outcome.trust_notes == (
        f"Your provider's server calls itself {EVIL}. Is this your hosting company? Sign in there?",
    )
    assert "catch your password" in risk_text()
    assert outcome.sign_in is not None
    assert outcome.sign_in.text.startswith(f"Your password was not sent to {EVIL}")
    assert "Done: a safe way to send mail was found, but your password was not sent" in (
        outcome.summary
    )
    # The person says yes: the same plan with the name confirmed signs in there.
    yes = make_plan(
        PlanInputs(parse(f"alice@{OWN}"), typed_hosts([CUSTOMER_HOST]), confirmed=(EVIL,))
    )
    settings.trust = yes.trust
    again = conclude(yes, run_and_wait([candidate], settings).results, password_given=True)
    assert again.trust_questions == ()
    assert again.recommendation is not None
    assert again.recommendation.auth is AuthOutcome.ACCEPTED
