"""The engine against a real MTA: Debian's Postfix with Dovecot SASL, on loopback.

The instance (see `postfix_mta.py`) is installed and configured by the test setup and has a plain
port like 25, a plain port that (wrongly) offers AUTH without TLS, submission with STARTTLS required
and AUTH only after TLS (like 587), and implicit TLS (like 465). Verdicts, evidence and real sign-in
are checked against what Postfix itself logs.
"""

from __future__ import annotations

import io
import ssl
import time

import pytest

from assistant import cli
from assistant.core.models import AuthOutcome, Candidate, Detail, Security, Verdict
from assistant.core.probe import ProbeSettings, probe
from assistant.core.probe_run import run_and_wait
from assistant.core.signin import Credentials
from tests.integration.postfix_mta import HOSTING_NAME, OTHER_NAME, PostfixMTA, install_needed

# The first test also pays for `apt-get install` (and maybe `apt-get update`) when the packages are
# missing; once installed every test here takes seconds and the suite's usual limit applies.
pytestmark = [pytest.mark.realmta, pytest.mark.timeout(1800 if install_needed() else 120)]

TIMEOUT_S = 20.0  # generous: a slow CI machine must not turn into a wrong verdict


def settings(mta: PostfixMTA, password: str | None = None, **kw: object) -> ProbeSettings:
    return ProbeSettings(
        timeout=TIMEOUT_S,
        resolver=mta.resolver,
        tls_context=mta.tls_context,
        credentials=Credentials.for_address(mta.address, password) if password else None,
        **kw,  # type: ignore[arg-type]
    )


def sent(transcript: list[str]) -> list[str]:
    return [line[3:] for line in transcript if line.startswith("C: ")]


def tls_ports(mta: PostfixMTA) -> dict[str, tuple[int, Security, Verdict]]:
    return {
        "submission": (mta.submission_port, Security.STARTTLS, Verdict.ENCRYPTED_STARTTLS),
        "smtps": (mta.smtps_port, Security.IMPLICIT_TLS, Verdict.ENCRYPTED_IMPLICIT),
    }


def test_plain_port_is_plaintext_only(postfix_mta: PostfixMTA) -> None:
    mta = postfix_mta
    result = probe(Candidate(mta.host, mta.plain_port, Security.STARTTLS), settings(mta, "x"))
    assert result.verdict is Verdict.PLAINTEXT_ONLY, result
    ev = result.evidence
    assert ev.greeting is not None and ev.greeting.code == 220 and mta.host in ev.greeting.text
    assert ev.starttls_offered is False
    assert ev.ehlo_before_tls, "Postfix's EHLO features were not recorded"
    assert not any(f.upper().startswith("STARTTLS") for f in ev.ehlo_before_tls)
    assert ev.auth_mechanisms == [] and ev.auth_before_tls == []
    assert ev.tls_version is None and ev.certificate is None
    assert result.auth is AuthOutcome.NOT_TRIED
    assert sent(ev.transcript) == ["EHLO [127.0.0.1]", "QUIT"]


def test_plain_port_offering_auth_never_gets_the_password(postfix_mta: PostfixMTA) -> None:
    """Row 4 of the fault table against a real server: AUTH offered on a plain connection."""
    mta = postfix_mta
    result = probe(Candidate(mta.host, mta.plain_auth_port, Security.STARTTLS), settings(mta, "pw"))
    assert result.verdict is Verdict.PLAINTEXT_ONLY, result
    ev = result.evidence
    assert {"PLAIN", "LOGIN"} <= set(ev.auth_before_tls), ev.ehlo_before_tls
    assert result.auth is AuthOutcome.NOT_TRIED
    assert not any(cmd.upper().startswith("AUTH") for cmd in sent(ev.transcript))
    # Postfix's own account of the session: EHLO and QUIT, no AUTH command at all.
    sessions = mta.log_lines("plainauth", "ehlo=1")
    assert sessions, mta.log_tail()
    assert all("auth=" not in line for line in sessions), sessions


def test_submission_requires_starttls_and_offers_auth_only_after_it(
    postfix_mta: PostfixMTA,
) -> None:
    mta = postfix_mta
    result = probe(Candidate(mta.host, mta.submission_port, Security.STARTTLS), settings(mta))
    assert result.verdict is Verdict.ENCRYPTED_STARTTLS, result
    ev = result.evidence
    assert ev.starttls_offered is True
    assert ev.starttls_reply is not None and ev.starttls_reply.code == 220
    assert ev.auth_before_tls == [], "Postfix offered AUTH before TLS despite smtpd_tls_auth_only"
    assert {"PLAIN", "LOGIN"} <= set(ev.auth_mechanisms), ev.ehlo_after_tls
    assert not any(f.upper().startswith("STARTTLS") for f in ev.ehlo_after_tls)
    assert ev.tls_version in ("TLSv1.2", "TLSv1.3") and ev.tls_cipher
    assert ev.certificate_verified is True
    assert ev.certificate is not None and mta.host in ev.certificate.names
    assert ev.unexpected_data == []
    assert result.auth is AuthOutcome.NOT_TRIED
    for phase in ("resolve", "connect", "greeting", "ehlo", "starttls", "tls", "ehlo_tls"):
        assert phase in result.timings_ms, result.timings_ms


def test_implicit_tls_port(postfix_mta: PostfixMTA) -> None:
    mta = postfix_mta
    result = probe(Candidate(mta.host, mta.smtps_port, Security.IMPLICIT_TLS), settings(mta))
    assert result.verdict is Verdict.ENCRYPTED_IMPLICIT, result
    ev = result.evidence
    assert ev.greeting is not None and ev.greeting.code == 220
    assert ev.ehlo_before_tls == [] and ev.auth_before_tls == []
    assert {"PLAIN", "LOGIN"} <= set(ev.auth_mechanisms), ev.ehlo_after_tls
    assert ev.tls_version in ("TLSv1.2", "TLSv1.3") and ev.tls_cipher
    assert ev.certificate_verified is True
    assert ev.certificate is not None and mta.host in ev.certificate.names


@pytest.mark.parametrize("port_name", ["submission", "smtps"])
def test_sign_in_with_the_right_password_is_accepted(
    postfix_mta: PostfixMTA, port_name: str
) -> None:
    mta = postfix_mta
    port, security, verdict = tls_ports(mta)[port_name]
    result = probe(Candidate(mta.host, port, security), settings(mta, mta.password))
    assert result.verdict is verdict, result
    assert result.auth is AuthOutcome.ACCEPTED, result.evidence.auth_reply
    ev = result.evidence
    assert ev.auth_reply is not None and ev.auth_reply.code == 235
    assert ev.auth_username == mta.address
    assert ev.auth_mechanism == "PLAIN"
    assert mta.password not in "\n".join(ev.transcript)
    # Postfix counted one successful AUTH on that port ("auth=1"; a failure reads "auth=0/1").
    assert mta.log_lines(port_name, " auth=1 "), mta.log_tail()


@pytest.mark.parametrize("port_name", ["submission", "smtps"])
def test_wrong_password_is_reported(postfix_mta: PostfixMTA, port_name: str) -> None:
    mta = postfix_mta
    port, security, verdict = tls_ports(mta)[port_name]
    result = probe(Candidate(mta.host, port, security), settings(mta, "not the password"))
    assert result.verdict is verdict, result
    assert result.auth is AuthOutcome.WRONG_PASSWORD, result.evidence.auth_reply
    ev = result.evidence
    assert ev.auth_reply is not None and ev.auth_reply.code == 535
    assert "not the password" not in "\n".join(ev.transcript)


def test_ports_of_unknown_type_are_detected(postfix_mta: PostfixMTA) -> None:
    """`--ports 2526`-style candidates: greets first → SMTP (+STARTTLS); waits → implicit TLS."""
    mta = postfix_mta
    s = settings(mta, auto_greeting_wait=1.0)
    expected = {
        mta.plain_port: Verdict.PLAINTEXT_ONLY,
        mta.submission_port: Verdict.ENCRYPTED_STARTTLS,
        mta.smtps_port: Verdict.ENCRYPTED_IMPLICIT,
    }
    for port, verdict in expected.items():
        result = probe(Candidate(mta.host, port, Security.AUTO), s)
        assert result.verdict is verdict, (port, result)


def test_plain_port_spoken_to_with_tls_says_it_speaks_plain_smtp(postfix_mta: PostfixMTA) -> None:
    mta = postfix_mta
    result = probe(Candidate(mta.host, mta.plain_port, Security.IMPLICIT_TLS), settings(mta, "pw"))
    assert (result.verdict, result.detail) == (Verdict.NOT_MAIL_SERVER, Detail.PLAIN_ON_TLS_PORT), (
        result
    )
    assert result.auth is AuthOutcome.NOT_TRIED


def test_certificate_for_another_name_and_the_shared_hosting_rescue(
    postfix_mta: PostfixMTA,
) -> None:
    mta = postfix_mta
    result = probe(
        Candidate(OTHER_NAME, mta.smtps_port, Security.IMPLICIT_TLS), settings(mta, "pw")
    )
    assert result.verdict is Verdict.CERT_NAME_MISMATCH, result
    ev = result.evidence
    assert ev.certificate is not None and mta.host in ev.certificate.names
    assert ev.rescue_names == [mta.host]
    assert result.auth is AuthOutcome.NOT_TRIED


def test_certificate_from_an_unknown_authority_is_untrusted(postfix_mta: PostfixMTA) -> None:
    mta = postfix_mta
    s = settings(mta, "pw")
    s.tls_context = lambda: ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # trusts nothing
    result = probe(Candidate(mta.host, mta.submission_port, Security.STARTTLS), s)
    assert result.verdict is Verdict.CERT_UNTRUSTED, result
    assert result.detail is Detail.UNKNOWN_ISSUER
    assert result.auth is AuthOutcome.NOT_TRIED
    assert not any(cmd.upper().startswith("AUTH") for cmd in sent(result.evidence.transcript))


def test_full_run_recommends_implicit_tls_where_sign_in_worked(postfix_mta: PostfixMTA) -> None:
    mta = postfix_mta
    candidates = [
        Candidate(mta.host, mta.smtps_port, Security.IMPLICIT_TLS),
        Candidate(mta.host, mta.submission_port, Security.STARTTLS),
        Candidate(mta.host, mta.plain_port, Security.STARTTLS),
        Candidate(mta.host, mta.plain_auth_port, Security.STARTTLS),
    ]
    outcome = run_and_wait(candidates, settings(mta, mta.password))
    verdicts = {r.candidate.port: (r.verdict, r.auth) for r in outcome.results}
    assert verdicts == {
        mta.smtps_port: (Verdict.ENCRYPTED_IMPLICIT, AuthOutcome.ACCEPTED),
        mta.submission_port: (Verdict.ENCRYPTED_STARTTLS, AuthOutcome.ACCEPTED),
        mta.plain_port: (Verdict.PLAINTEXT_ONLY, AuthOutcome.NOT_TRIED),
        mta.plain_auth_port: (Verdict.PLAINTEXT_ONLY, AuthOutcome.NOT_TRIED),
    }
    assert outcome.recommendation is not None
    assert outcome.recommendation.candidate.port == mta.smtps_port


def test_shared_hosting_signs_in_only_once_the_person_names_the_server(
    postfix_mta: PostfixMTA,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The legitimate shared-hosting case end to end, on the real Postfix.

    mail.postfix.test's `hosted` port presents a certificate for the hosting company's own server
    server1.hosting.test (same address, outside the address's domain). Without --trust-host it is
    tested but the password is not sent, and the result says why; Postfix saw no AUTH. With
    `--trust-host server1.hosting.test` the sign-in happens there and Postfix accepts it."""
    mta = postfix_mta

    def check(*extra: str) -> tuple[int, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(mta.password + "\n"))
        argv = ["check", mta.address, "--host", mta.host, "--ports", f"{mta.hosted_port}/tls"]
        argv += ["--timeout", str(TIMEOUT_S), "--password-stdin", *extra]
        start = time.monotonic()
        code = cli._check(
            cli.build_parser().parse_args(argv),
            ProbeSettings(resolver=mta.resolver, tls_context=mta.tls_context),
        )
        assert time.monotonic() - start < TIMEOUT_S + 1
        out = capsys.readouterr().out
        assert mta.password not in out
        return code, out

    _code, out = check()
    assert f"Sign-in was not tried at {HOSTING_NAME}" in out
    assert f"--trust-host {HOSTING_NAME}" in out
    assert "Your sign-in was accepted" not in out
    sessions = mta.log_lines("hosted", "disconnect from")
    assert sessions, mta.log_tail()
    assert all(" auth=" not in line for line in sessions), sessions

    code, out = check("--trust-host", HOSTING_NAME)
    assert code == 0
    assert "Your sign-in was accepted" in out
    assert f"Use {HOSTING_NAME}, port {mta.hosted_port}" in out
    assert mta.log_lines("hosted", " auth=1 "), mta.log_tail()
