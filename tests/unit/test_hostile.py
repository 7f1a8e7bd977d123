"""security-and-faults.md, row by row: what a hostile or broken server does, and what we must do."""

from __future__ import annotations

import base64
import socket
import ssl

import pytest
import trustme

from assistant.core.models import AuthOutcome, Candidate, Detail, Security, Verdict
from assistant.core.probe import NEUTRAL_EHLO, probe
from tests.servers import Loopback
from tests.servers import scripted as s
from tests.servers.farm import MAIL_HOST

PASSWORD = "Pw-canary-1b2c3d"


def _secret_forms(password: str, user: str = "alice@example.test") -> list[bytes]:
    return [
        password.encode(),
        base64.b64encode(password.encode()),
        base64.b64encode(f"\0{user}\0{password}".encode()),
    ]


# Row 1: no STARTTLS, or EHLO refused (HELO only) → plain text only; never AUTH.
def test_row1_no_starttls_advertised(loopback: Loopback) -> None:
    server = loopback.smtp_script(features=("AUTH PLAIN LOGIN", "PIPELINING"))
    result = probe(server.candidate(), loopback.settings(password=PASSWORD))
    assert result.verdict is Verdict.PLAINTEXT_ONLY
    assert result.evidence.auth_before_tls == ["PLAIN", "LOGIN"]
    assert server.scripted is not None
    assert not any(c.upper().startswith("AUTH") for c in server.scripted.received.commands_plain)
    for secret in _secret_forms(PASSWORD):
        assert secret not in server.scripted.received.plain


def test_row1_helo_only_server(loopback: Loopback) -> None:
    server = loopback.smtp_script(ehlo_reply=b"502 5.5.2 Error: command not recognized\r\n")
    result = probe(server.candidate(), loopback.settings(password=PASSWORD))
    assert result.verdict is Verdict.PLAINTEXT_ONLY
    assert result.detail is Detail.EHLO_REFUSED


# Row 3: response injection after the greeting and before the TLS handshake.
def test_row3_injected_lines_are_ignored_and_reported(loopback: Loopback) -> None:
    server = loopback.smtp_script(
        after_greeting=b"250-mail.example.test\r\n250 AUTH EVIL-GREETING\r\n",
        after_starttls=b"250-mail.example.test\r\n250 AUTH EVIL-INJECTED\r\n",
        features_tls=("AUTH PLAIN LOGIN",),
    )
    result = probe(server.candidate(), loopback.settings())
    assert result.verdict is Verdict.ENCRYPTED_STARTTLS
    assert result.evidence.auth_mechanisms == ["PLAIN", "LOGIN"]
    assert result.evidence.ehlo_before_tls == ["PIPELINING", "STARTTLS"]
    injected = " ".join(result.evidence.unexpected_data)
    assert "EVIL-GREETING" in injected and "EVIL-INJECTED" in injected


# Rows 4 + 5 + 6: password only after verified TLS, 503 is no success, one mechanism only.
def test_no_password_byte_before_tls_and_one_auth_only(loopback: Loopback) -> None:
    mechanisms = " ".join(
        ["PLAIN", "LOGIN", "CRAM-MD5", "DIGEST-MD5", "NTLM", "GSSAPI"]
        + [f"X-MECH-{i}" for i in range(30)]
    )
    server = loopback.smtp_script(
        features=("STARTTLS", "AUTH PLAIN LOGIN"), features_tls=(f"AUTH {mechanisms}",)
    )
    result = probe(server.candidate(), loopback.settings(password=PASSWORD))
    assert result.verdict is Verdict.ENCRYPTED_STARTTLS
    assert result.auth is AuthOutcome.ACCEPTED
    assert server.scripted is not None
    received = server.scripted.received
    for secret in _secret_forms(PASSWORD):
        assert secret not in received.plain
    assert [c for c in received.commands_plain if c.upper().startswith("AUTH")] == []
    assert len([c for c in received.commands_tls if c.upper().startswith("AUTH")]) == 1
    transcript = "\n".join(result.evidence.transcript)
    for secret in _secret_forms(PASSWORD):
        assert secret.decode() not in transcript


def test_row5_auth_answered_503_is_not_success(loopback: Loopback) -> None:
    server = loopback.smtp_script(auth_reply=b"503 5.5.1 Error: already authenticated\r\n")
    result = probe(server.candidate(), loopback.settings(password=PASSWORD))
    assert result.verdict is Verdict.ENCRYPTED_STARTTLS
    assert result.auth is not AuthOutcome.ACCEPTED
    assert result.evidence.auth_reply is not None and result.evidence.auth_reply.code == 503


def test_refusal_heard_before_a_stalled_retry_is_kept(loopback: Loopback) -> None:
    """535 to the full address, then silence for the local-part retry: the answer is the 535."""
    server = loopback.smtp_script(
        auth_replies=(b"535 5.7.8 Username and Password not accepted.\r\n",)
    )
    result = probe(server.candidate(), loopback.settings(timeout=1.5, password=PASSWORD))
    assert result.verdict is Verdict.ENCRYPTED_STARTTLS
    assert result.auth is AuthOutcome.WRONG_PASSWORD


def test_no_auth_on_a_certificate_that_failed(loopback: Loopback) -> None:
    server = loopback.smtp_script(tls_context=loopback.pki.server_context("other.example.net"))
    result = probe(server.candidate(), loopback.settings(password=PASSWORD))
    assert result.verdict is Verdict.CERT_NAME_MISMATCH
    assert server.scripted is not None
    assert not any(c.upper().startswith("AUTH") for c in server.scripted.received.commands_tls)
    assert result.auth is AuthOutcome.NOT_TRIED


# Row 7: an issuer this computer does not know.
def test_row7_unknown_issuer(loopback: Loopback) -> None:
    stranger = trustme.CA(organization_name="Nobody You Know CA")
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    stranger.issue_cert(MAIL_HOST).configure_cert(ctx)
    server = loopback.starttls(context=ctx)
    result = probe(server.candidate(), loopback.settings())
    assert result.verdict is Verdict.CERT_UNTRUSTED
    assert result.detail is Detail.UNKNOWN_ISSUER
    assert result.evidence.certificate is not None
    assert result.evidence.certificate.issuer == "Nobody You Know CA"


@pytest.mark.filterwarnings("ignore:ssl.TLSVersion:DeprecationWarning")
def test_row7_tls_older_than_1_2_is_refused(loopback: Loopback) -> None:
    ctx = loopback.pki.server_context(MAIL_HOST)
    ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
    ctx.minimum_version = ssl.TLSVersion.TLSv1
    ctx.maximum_version = ssl.TLSVersion.TLSv1_1
    server = loopback.smtp_script(tls_context=ctx)
    result = probe(server.candidate(), loopback.settings())
    assert result.verdict is Verdict.TLS_FAILED
    assert result.detail is Detail.OLD_TLS


# Row 8: port 465 speaking plain SMTP.
def test_row8_plain_smtp_on_the_tls_port(loopback: Loopback) -> None:
    server = loopback.plain()
    result = probe(server.candidate(Security.IMPLICIT_TLS), loopback.settings())
    assert result.verdict is Verdict.NOT_MAIL_SERVER
    assert result.detail is Detail.PLAIN_ON_TLS_PORT


# Row 10: reset right after accept.
def test_row10_reset_after_accept(loopback: Loopback) -> None:
    server = loopback.scripted(s.reset_on_accept)
    result = probe(server.candidate(), loopback.settings())
    assert result.verdict is Verdict.SERVER_REFUSED_US
    assert result.detail in (Detail.CONNECTION_RESET, Detail.CLOSED_EARLY)


# Row 11: TLS handshake stalls after "220 go ahead".
def _stall_after_starttls(conn: socket.socket, server: s.ScriptedServer) -> None:
    conn.sendall(b"220 mail.example.test ESMTP\r\n")
    buffer = b""
    while b"STARTTLS" not in buffer.upper():
        data = conn.recv(4096)
        if not data:
            return
        buffer += data
        if buffer.upper().startswith(b"EHLO") and b"\n" in buffer:
            conn.sendall(b"250-mail.example.test\r\n250 STARTTLS\r\n")
            buffer = b""
    conn.sendall(b"220 Ready\r\n")
    s.tarpit(conn, server)


def test_row11_stalled_handshake_is_cut_at_the_deadline(loopback: Loopback) -> None:
    server = loopback.scripted(_stall_after_starttls)
    result = probe(server.candidate(), loopback.settings(timeout=1.5))
    assert result.verdict is Verdict.TLS_FAILED
    assert result.detail is Detail.DEADLINE
    assert result.total_ms / 1000 <= 2.0


# Row 13: a 10 KB reply line.
def test_row13_huge_line(loopback: Loopback) -> None:
    server = loopback.scripted(s.send_then_wait(b"220 " + b"x" * 10_000 + b"\r\n"))
    result = probe(server.candidate(), loopback.settings())
    assert result.verdict is Verdict.NOT_MAIL_SERVER
    assert result.detail is Detail.LINE_TOO_LONG


# Row 14: something else answers.
def test_row14_ssh_server_is_not_a_mail_server(loopback: Loopback) -> None:
    server = loopback.scripted(s.send_then_wait(b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"))
    result = probe(server.candidate(), loopback.settings())
    assert result.verdict is Verdict.NOT_MAIL_SERVER
    assert result.detail is Detail.GARBAGE_GREETING
    assert result.evidence.error is not None and "SSH-2.0" in result.evidence.error


def test_row14_garbage_greeting(loopback: Loopback) -> None:
    server = loopback.scripted(s.send_then_wait(b"\x00\xff\xfe garbage \x1b[2J\r\n"))
    result = probe(server.candidate(), loopback.settings())
    assert result.verdict is Verdict.NOT_MAIL_SERVER


# Row 15: 554 greeting.
def test_row15_554_greeting(loopback: Loopback) -> None:
    server = loopback.scripted(
        s.send_then_wait(b"554 5.7.1 Your address is listed on a block list\r\n")
    )
    result = probe(server.candidate(), loopback.settings())
    assert result.verdict is Verdict.SERVER_REFUSED_US
    assert result.detail is Detail.ERROR_GREETING


# Row 16: control characters and escapes in replies never reach what we show.
def test_row16_escape_sequences_are_stripped(loopback: Loopback) -> None:
    server = loopback.smtp_script(
        greeting=b"220 \x1b[32mVERIFIED \x07SAFE\x1b[0m\x08 mail.example.test "
        + b"y" * 500
        + b"\r\n"
    )
    result = probe(server.candidate(), loopback.settings())
    assert result.verdict is Verdict.ENCRYPTED_STARTTLS
    greeting = result.evidence.greeting
    assert greeting is not None
    text = greeting.text
    assert "\x1b" not in text and "\x07" not in text and "\x08" not in text
    assert "VERIFIED SAFE" in text
    assert len(text) <= 200
    assert all("\x1b" not in line for line in result.evidence.transcript)


def test_ehlo_uses_a_neutral_name(loopback: Loopback) -> None:
    server = loopback.smtp_script()
    probe(server.candidate(), loopback.settings())
    assert server.scripted is not None
    first = server.scripted.received.commands_plain[0]
    assert first == f"EHLO {NEUTRAL_EHLO}"
    assert socket.gethostname() not in " ".join(server.scripted.received.commands_plain)


def test_port_of_unknown_kind_detects_tls_or_plain(loopback: Loopback) -> None:
    tls_server = loopback.implicit_tls()
    plain_server = loopback.starttls()
    settings = loopback.settings()
    settings.auto_greeting_wait = 0.5
    tls_result = probe(tls_server.candidate(Security.AUTO), settings)
    plain_result = probe(plain_server.candidate(Security.AUTO), settings)
    assert tls_result.verdict is Verdict.ENCRYPTED_IMPLICIT
    assert plain_result.verdict is Verdict.ENCRYPTED_STARTTLS


def test_dead_address_family_does_not_cost_the_deadline(loopback: Loopback) -> None:
    """::1 black-holes the port (full accept queue); 127.0.0.1 answers: we connect promptly."""
    script = s.Script(tls_context=loopback.pki.server_context("dual.example.test"))
    server, hole = _same_port_on_both_families(s.smtp_handler(script))
    port = server.port
    fillers = []
    for _ in range(4):
        filler = socket.socket(socket.AF_INET6)
        filler.setblocking(False)
        filler.connect_ex(("::1", port))
        fillers.append(filler)
    try:
        loopback.map_name("dual.example.test", "::1", "127.0.0.1")
        candidate = Candidate("dual.example.test", port, Security.STARTTLS)
        result = probe(candidate, loopback.settings(timeout=5))
        assert result.verdict is Verdict.ENCRYPTED_STARTTLS
        assert result.evidence.addresses == ["::1", "127.0.0.1"]
        assert result.evidence.connected_to == f"127.0.0.1:{port}"
        assert result.timings_ms["connect"] < 1000
    finally:
        server.close()
        for filler in fillers:
            filler.close()
        hole.close()


def _same_port_on_both_families(handler: s.Handler) -> tuple[s.ScriptedServer, socket.socket]:
    """A server on 127.0.0.1:P and a never-accepting listener on [::1]:P (P chosen free on both)."""
    for _ in range(50):
        server = s.ScriptedServer(handler)
        hole = socket.socket(socket.AF_INET6)
        try:
            hole.bind(("::1", server.port))
        except OSError:  # P is taken on ::1 by something else: choose another P
            hole.close()
            server.close()
            continue
        hole.listen(0)
        return server, hole
    raise RuntimeError("no port free on both 127.0.0.1 and ::1")


# Issue 9 (c): an implicit-TLS port that accepts but never answers the TLS hello.
def test_tls_port_that_never_answers_the_hello_says_nothing_answered(loopback: Loopback) -> None:
    from assistant.core.explanation import explain

    server = loopback.scripted(s.tarpit, security=Security.IMPLICIT_TLS)
    result = probe(server.candidate(), loopback.settings(timeout=1.5))
    assert result.verdict is Verdict.BLOCKED
    assert result.detail is Detail.NO_TLS_ANSWER
    told = explain(result, timeout=1.5)
    assert told.headline == "No answer at all."
    assert "never answered" in told.meaning
    assert "Encryption was offered" not in told.text
    assert result.total_ms / 1000 <= 2.5


def test_tls_port_that_answers_slowly_is_still_an_encryption_failure(loopback: Loopback) -> None:
    """One byte of answer is an answer: a dripping TLS server is cut off, not 'silent'."""
    server = loopback.scripted(
        s.drip(b"\x16\x03\x03\x00\x10" + b"\x00" * 16, 0.5), Security.IMPLICIT_TLS
    )
    result = probe(server.candidate(), loopback.settings(timeout=1.5))
    assert result.verdict is Verdict.TLS_FAILED
    assert result.detail is Detail.DEADLINE
