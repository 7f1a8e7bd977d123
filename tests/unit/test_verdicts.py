"""Every verdict of DESIGN §3, produced by the real engine against a live loopback server."""

from __future__ import annotations

import pytest

from assistant.core.models import AuthOutcome, Detail, Security, Verdict
from assistant.core.probe import probe
from tests.servers import Loopback
from tests.servers import scripted as s
from tests.servers.farm import MAIL_HOST


def test_implicit_tls_is_encrypted_from_the_start(loopback: Loopback) -> None:
    server = loopback.implicit_tls()
    result = probe(server.candidate(), loopback.settings())
    assert result.verdict is Verdict.ENCRYPTED_IMPLICIT
    ev = result.evidence
    assert ev.certificate_verified is True
    assert ev.tls_version in ("TLSv1.2", "TLSv1.3")
    assert ev.tls_cipher
    assert ev.certificate is not None and MAIL_HOST in ev.certificate.names
    assert "Test CA" in ev.certificate.issuer
    assert ev.greeting is not None and ev.greeting.code == 220
    for phase in ("resolve", "connect", "tls", "greeting", "ehlo_tls"):
        assert phase in result.timings_ms


def test_starttls_offers_sign_in_only_after_encryption(loopback: Loopback) -> None:
    server = loopback.starttls()
    result = probe(server.candidate(), loopback.settings())
    assert result.verdict is Verdict.ENCRYPTED_STARTTLS
    ev = result.evidence
    assert ev.starttls_offered is True
    assert ev.auth_before_tls == []
    assert "PLAIN" in ev.auth_mechanisms
    assert ev.starttls_reply is not None and ev.starttls_reply.code == 220


def test_plain_only_server_is_never_sent_a_password(loopback: Loopback) -> None:
    server = loopback.plain()
    result = probe(server.candidate(), loopback.settings(password="secret-xyz"))
    assert result.verdict is Verdict.PLAINTEXT_ONLY
    assert "PLAIN" in result.evidence.auth_before_tls
    assert result.auth is AuthOutcome.NOT_TRIED
    assert not any("AUTH" in line for line in result.evidence.transcript if line.startswith("C:"))


@pytest.mark.parametrize(
    "reply",
    [
        b"454 4.7.0 TLS not available due to temporary reason\r\n",
        b"502 5.5.1 Not implemented\r\n",
        b"354 Go ahead\r\n",
    ],
)
def test_starttls_refused_is_tls_failed_without_fallback(loopback: Loopback, reply: bytes) -> None:
    server = loopback.smtp_script(starttls_reply=reply, features=("STARTTLS", "AUTH PLAIN"))
    result = probe(server.candidate(), loopback.settings(password="secret-xyz"))
    assert result.verdict is Verdict.TLS_FAILED
    assert result.detail is Detail.STARTTLS_REFUSED
    assert server.scripted is not None
    commands = server.scripted.received.commands_plain
    assert [c.split()[0] for c in commands][:2] == ["EHLO", "STARTTLS"]
    assert not any(c.upper().startswith("AUTH") for c in commands)
    assert b"secret-xyz" not in server.scripted.received.plain


def test_expired_certificate_says_when(loopback: Loopback) -> None:
    server = loopback.starttls(expired=True)
    result = probe(server.candidate(), loopback.settings())
    assert result.verdict is Verdict.CERT_EXPIRED
    cert = result.evidence.certificate
    assert cert is not None and cert.not_after.year >= 2020
    assert result.evidence.certificate_verified is False


def test_wrong_name_certificate_lists_its_names(loopback: Loopback) -> None:
    server = loopback.implicit_tls(name="other.example.net")
    result = probe(server.candidate(), loopback.settings())
    assert result.verdict is Verdict.CERT_NAME_MISMATCH
    assert result.evidence.certificate is not None
    assert result.evidence.certificate.names == ("other.example.net",)


def test_self_signed_certificate_is_untrusted(loopback: Loopback) -> None:
    server = loopback.self_signed()
    result = probe(server.candidate(), loopback.settings())
    assert result.verdict is Verdict.CERT_UNTRUSTED
    assert result.detail is Detail.SELF_SIGNED


def test_closed_port_is_refused(loopback: Loopback) -> None:
    result = probe(loopback.closed().candidate(), loopback.settings())
    assert result.verdict is Verdict.REFUSED


def test_full_backlog_is_blocked_at_the_deadline(loopback: Loopback) -> None:
    server = loopback.full_backlog()
    result = probe(server.candidate(), loopback.settings(timeout=1.5))
    assert result.verdict is Verdict.BLOCKED
    assert 1.3 <= result.total_ms / 1000 <= 2.5


def test_unknown_name_is_no_such_host(loopback: Loopback) -> None:
    result = probe(s_candidate("smtp.does-not-exist.test"), loopback.settings())
    assert result.verdict is Verdict.NO_SUCH_HOST


def test_tarpit_is_not_a_mail_server_cut_at_deadline(loopback: Loopback) -> None:
    server = loopback.scripted(s.tarpit)
    result = probe(server.candidate(), loopback.settings(timeout=1.5))
    assert result.verdict is Verdict.NOT_MAIL_SERVER
    assert result.detail is Detail.NO_GREETING
    assert result.total_ms / 1000 <= 2.0


def test_drip_server_is_cut_at_the_deadline(loopback: Loopback) -> None:
    """One byte a second: every read succeeds in time, only the overall deadline stops it."""
    server = loopback.scripted(s.drip(b"220 mail.example.test ESMTP slowly but surely\r\n", 1.0))
    result = probe(server.candidate(), loopback.settings(timeout=2.5))
    assert result.verdict is Verdict.NOT_MAIL_SERVER
    assert result.detail is Detail.DEADLINE
    assert 2.4 <= result.total_ms / 1000 <= 3.0


def test_421_greeting_means_server_refused_us(loopback: Loopback) -> None:
    server = loopback.scripted(
        s.send_then_wait(b"421 4.7.0 Try again later, closing connection.\r\n")
    )
    result = probe(server.candidate(), loopback.settings())
    assert result.verdict is Verdict.SERVER_REFUSED_US
    assert result.evidence.greeting is not None and result.evidence.greeting.code == 421


def s_candidate(host: str):  # type: ignore[no-untyped-def]
    from assistant.core.models import Candidate

    return Candidate(host, 587, Security.STARTTLS)
