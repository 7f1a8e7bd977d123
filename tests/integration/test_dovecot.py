"""The engine against Debian's real Dovecot IMAP and POP3 servers, on loopback.

The instances (see `dovecot_mail.py`) are installed and configured by the test setup: IMAP with
STARTTLS and implicit TLS, POP3 with STLS and implicit TLS (`ssl = required`, so the plain ports say
LOGINDISABLED and offer no USER), and a separate instance that allows plain-text sign-in only.
Verdicts, evidence and real sign-in are checked against what Dovecot itself logs.
"""

from __future__ import annotations

import pytest

from assistant.core.explanation import explain
from assistant.core.models import AuthOutcome, Candidate, Protocol, Security, Verdict
from assistant.core.probe import ProbeSettings, probe
from assistant.core.probe_run import ProbeRun, run_and_wait
from assistant.core.signin import Credentials
from tests.integration.dovecot_mail import (
    LOCAL_ONLY_ADDRESS,
    LOCAL_ONLY_USER,
    OTHER_NAME,
    DovecotMail,
)
from tests.integration.postfix_mta import install_needed

pytestmark = [pytest.mark.realmta, pytest.mark.timeout(1800 if install_needed() else 120)]

TIMEOUT_S = 20.0
IMAP, POP3 = Protocol.IMAP, Protocol.POP3


def settings(mail: DovecotMail, password: str | None = None, address: str = "") -> ProbeSettings:
    return ProbeSettings(
        timeout=TIMEOUT_S,
        resolver=mail.resolver,
        tls_context=mail.tls_context,
        credentials=Credentials.for_address(address or mail.address, password)
        if password
        else None,
    )


def sent(transcript: list[str]) -> list[str]:
    return [line[3:] for line in transcript if line.startswith("C: ")]


def secure_ports(mail: DovecotMail) -> dict[str, tuple[Protocol, int, Security, Verdict]]:
    return {
        "imap-starttls": (IMAP, mail.imap_port, Security.STARTTLS, Verdict.ENCRYPTED_STARTTLS),
        "imaps": (IMAP, mail.imaps_port, Security.IMPLICIT_TLS, Verdict.ENCRYPTED_IMPLICIT),
        "pop3-stls": (POP3, mail.pop3_port, Security.STARTTLS, Verdict.ENCRYPTED_STARTTLS),
        "pop3s": (POP3, mail.pop3s_port, Security.IMPLICIT_TLS, Verdict.ENCRYPTED_IMPLICIT),
    }


PORT_NAMES = ["imap-starttls", "imaps", "pop3-stls", "pop3s"]


@pytest.mark.parametrize("name", PORT_NAMES)
def test_sign_in_accepted_on_every_encrypted_port(dovecot_mail: DovecotMail, name: str) -> None:
    mail = dovecot_mail
    protocol, port, security, verdict = secure_ports(mail)[name]
    result = probe(
        Candidate(mail.host, port, security, protocol=protocol), settings(mail, mail.password)
    )
    assert result.verdict is verdict, result
    ev = result.evidence
    assert ev.certificate_verified is True and ev.tls_version in ("TLSv1.2", "TLSv1.3")
    assert ev.certificate is not None and mail.host in ev.certificate.names
    assert result.auth is AuthOutcome.ACCEPTED, ev.transcript
    assert ev.auth_username == mail.address and ev.auth_mechanism == "PLAIN"
    assert ev.greeting is not None and "Dovecot test instance ready." in ev.greeting.text
    assert "Your sign-in was accepted." in explain(result).text
    assert mail.password not in " ".join(ev.transcript)
    # Dovecot's own account: this user logged in over TLS.
    service = "imap" if protocol is IMAP else "pop3"
    assert mail.log_lines(f"{service}-login: Info: Login: user=<{mail.address}>"), mail.log_text()


def test_imap_starttls_port_says_logindisabled_and_nothing_private_goes_first(
    dovecot_mail: DovecotMail,
) -> None:
    mail = dovecot_mail
    result = probe(
        Candidate(mail.host, mail.imap_port, Security.STARTTLS, protocol=IMAP),
        settings(mail, mail.password),
    )
    ev = result.evidence
    assert ev.starttls_offered is True
    assert "LOGINDISABLED" in ev.ehlo_before_tls and ev.auth_before_tls == []
    # Asked again after TLS; the answer before TLS is not reused.
    assert "STARTTLS" not in ev.ehlo_after_tls and "AUTH=PLAIN" in ev.ehlo_after_tls
    commands = sent(ev.transcript)
    assert commands[:2] == ["a1 CAPABILITY", "a2 STARTTLS"]
    assert commands[2] == "a3 CAPABILITY"
    assert commands[3].startswith("a4 AUTHENTICATE PLAIN <hidden")


def test_pop3_stls_port_offers_no_user_before_tls(dovecot_mail: DovecotMail) -> None:
    mail = dovecot_mail
    result = probe(
        Candidate(mail.host, mail.pop3_port, Security.STARTTLS, protocol=POP3), settings(mail)
    )
    ev = result.evidence
    assert result.verdict is Verdict.ENCRYPTED_STARTTLS
    assert "STLS" in ev.ehlo_before_tls and "USER" not in ev.ehlo_before_tls
    assert ev.auth_before_tls == []
    assert "USER" in ev.auth_mechanisms and "PLAIN" in ev.auth_mechanisms
    assert sent(ev.transcript) == ["CAPA", "STLS", "CAPA", "QUIT"]


@pytest.mark.parametrize("name", ["imaps", "pop3s"])
def test_wrong_password_is_refused_and_explained(dovecot_mail: DovecotMail, name: str) -> None:
    mail = dovecot_mail
    protocol, port, security, _ = secure_ports(mail)[name]
    result = probe(
        Candidate(mail.host, port, security, protocol=protocol), settings(mail, "not-the-password")
    )
    assert result.auth is AuthOutcome.WRONG_PASSWORD, result.evidence.transcript
    reply = result.evidence.auth_reply
    assert reply is not None
    if protocol is IMAP:
        assert reply.status == "NO" and "[AUTHENTICATIONFAILED]" in reply.text
    else:
        assert reply.status == "-ERR" and "[AUTH]" in reply.text
    # Both user names were tried: the full address, then the part before the @.
    assert result.evidence.auth_username == mail.address.split("@")[0]
    text = explain(result).text
    assert "The user name or password is not right." in text
    assert f"“{reply.shown}”" in text
    # In Spanish too: the receiving half's refusals were never extracted for translation.
    from assistant import i18n

    i18n.set_language("es")  # tests/conftest.py puts English back afterwards
    spanish = explain(result).text
    assert "El nombre de usuario o la contraseña no son correctos." in spanish
    assert "The user name" not in spanish and f"«{reply.shown}»" in spanish


@pytest.mark.parametrize("name", ["imap-starttls", "pop3s"])
def test_a_mailbox_known_by_its_local_part_signs_in_with_that(
    dovecot_mail: DovecotMail, name: str
) -> None:
    mail = dovecot_mail
    protocol, port, security, _ = secure_ports(mail)[name]
    result = probe(
        Candidate(mail.host, port, security, protocol=protocol),
        settings(mail, mail.password, address=LOCAL_ONLY_ADDRESS),
    )
    assert result.auth is AuthOutcome.ACCEPTED, result.evidence.transcript
    assert result.evidence.auth_username == LOCAL_ONLY_USER


@pytest.mark.parametrize("protocol", [IMAP, POP3])
def test_plain_only_port_never_gets_the_password(
    dovecot_mail: DovecotMail, protocol: Protocol
) -> None:
    mail = dovecot_mail
    port = mail.plain_imap_port if protocol is IMAP else mail.plain_pop3_port
    result = probe(
        Candidate(mail.host, port, Security.STARTTLS, protocol=protocol),
        settings(mail, mail.password),
    )
    assert result.verdict is Verdict.PLAINTEXT_ONLY, result
    ev = result.evidence
    assert ev.starttls_offered is False
    # The server would take a plain-text password: it says so, and we still do not send it.
    assert ("LOGIN" if protocol is IMAP else "USER") in ev.auth_before_tls
    assert result.auth is AuthOutcome.NOT_TRIED
    expected = ["a1 CAPABILITY", "a2 LOGOUT"] if protocol is IMAP else ["CAPA", "QUIT"]
    assert sent(ev.transcript) == expected
    service = "imap-login" if protocol is IMAP else "pop3-login"
    lines = mail.log_lines(f"{service}: Info: Disconnected", instance="plain")
    assert lines and all("no auth attempts" in line for line in lines), lines
    assert mail.password not in mail.log_text("plain")


def test_certificate_for_another_name_and_the_rescue(dovecot_mail: DovecotMail) -> None:
    mail = dovecot_mail
    candidate = Candidate(OTHER_NAME, mail.imaps_port, Security.IMPLICIT_TLS, protocol=IMAP)
    result = probe(candidate, settings(mail, mail.password))
    assert result.verdict is Verdict.CERT_NAME_MISMATCH
    assert result.auth is AuthOutcome.NOT_TRIED
    assert result.evidence.certificate is not None
    assert mail.host in result.evidence.certificate.names
    assert result.evidence.rescue_names == [mail.host]
    assert f"It is for {mail.host}, not for {OTHER_NAME}." in explain(result).text

    # The name on the certificate could have been planted: tested, recommended with care, but
    # the password goes there only once the person has named that server (--trust-host).
    outcome = run_and_wait([candidate], settings(mail, mail.password))
    rescued = outcome.incoming_recommendation
    assert rescued is not None and rescued.candidate.host == mail.host
    assert rescued.candidate.rescue_of == candidate.key
    assert rescued.candidate.protocol is IMAP and rescued.auth is AuthOutcome.UNTRUSTED_SERVER
    assert outcome.recommendation is None  # no sending half was tested

    confirmed = settings(mail, mail.password)
    confirmed.trust = confirmed.trust.confirming(mail.host)
    outcome = run_and_wait([candidate], confirmed)
    rescued = outcome.incoming_recommendation
    assert rescued is not None and rescued.candidate.host == mail.host
    assert rescued.auth is AuthOutcome.ACCEPTED
    assert rescued.evidence.auth_username == mail.address


def test_full_run_of_both_protocols_prefers_imap_with_implicit_tls(
    dovecot_mail: DovecotMail,
) -> None:
    mail = dovecot_mail
    candidates = [
        Candidate(mail.host, port, security, protocol=protocol)
        for protocol, port, security, _ in secure_ports(mail).values()
    ] + [
        Candidate(mail.host, mail.plain_imap_port, Security.STARTTLS, protocol=IMAP),
        Candidate(mail.host, mail.plain_pop3_port, Security.STARTTLS, protocol=POP3),
    ]
    outcome = run_and_wait(candidates, settings(mail, mail.password))
    rec = outcome.incoming_recommendation
    assert rec is not None
    assert (rec.candidate.protocol, rec.candidate.port) == (IMAP, mail.imaps_port)
    assert rec.auth is AuthOutcome.ACCEPTED
    verdicts = {(r.candidate.protocol, r.candidate.port): r.verdict for r in outcome.results}
    assert verdicts[(POP3, mail.plain_pop3_port)] is Verdict.PLAINTEXT_ONLY
    assert verdicts[(POP3, mail.pop3s_port)] is Verdict.ENCRYPTED_IMPLICIT

    run = ProbeRun(candidates, settings(mail, mail.password), prefer_incoming=POP3).start()
    chosen = run.wait()
    assert chosen is not None and chosen.incoming_recommendation is not None
    pop = chosen.incoming_recommendation.candidate
    assert (pop.protocol, pop.port) == (POP3, mail.pop3s_port)
