"""IMAP and POP3 servers that misbehave on purpose (security-and-faults.md, "IMAP and POP3").

Every test that gives the engine a password checks every byte the server received in plain text:
the canary must never arrive there, in any encoding.
"""

from __future__ import annotations

import base64
import time
from typing import Any

import pytest

from assistant.core.explanation import explain
from assistant.core.models import AuthOutcome, Detail, Protocol, Security, Verdict
from assistant.core.probe import probe
from tests.servers import Loopback
from tests.servers import scripted as s
from tests.servers.farm import MAIL_HOST, TEST_USER, Server
from tests.servers.scripted_incoming import ImapScript, Pop3Script, imap_handler, pop3_handler

CANARY = "Canary-incoming-9d8e7f"
IMAP, POP3 = Protocol.IMAP, Protocol.POP3


def imap(loopback: Loopback, security: Security = Security.STARTTLS, **kw: Any) -> Server:
    kw.setdefault("tls_context", loopback.pki.server_context(MAIL_HOST))
    return loopback.scripted(imap_handler(ImapScript(**kw)), security)


def pop3(loopback: Loopback, security: Security = Security.STARTTLS, **kw: Any) -> Server:
    kw.setdefault("tls_context", loopback.pki.server_context(MAIL_HOST))
    return loopback.scripted(pop3_handler(Pop3Script(**kw)), security)


def secret_forms(password: str = CANARY, user: str = TEST_USER) -> list[bytes]:
    local = user.split("@")[0]
    return [
        password.encode(),
        base64.b64encode(password.encode()),
        base64.b64encode(f"\0{user}\0{password}".encode()),
        base64.b64encode(f"\0{local}\0{password}".encode()),
    ]


def assert_no_secret_in_plain(server: Server) -> None:
    assert server.scripted is not None
    received = bytes(server.scripted.received.plain)
    for secret in secret_forms():
        assert secret not in received, received


def plain_commands(server: Server) -> list[str]:
    assert server.scripted is not None
    return server.scripted.received.commands_plain


# -- PREAUTH ------------------------------------------------------------------------------------


def test_preauth_greeting_on_a_plain_connection_is_a_failure(loopback: Loopback) -> None:
    server = imap(
        loopback, greeting=b"* PREAUTH [CAPABILITY IMAP4rev1] welcome, no login needed\r\n"
    )
    result = probe(server.candidate(protocol=IMAP), loopback.settings(password=CANARY))
    assert (result.verdict, result.detail) == (Verdict.PLAINTEXT_ONLY, Detail.PREAUTH_PLAIN)
    assert not result.verdict.is_safe and result.auth is AuthOutcome.NOT_TRIED
    assert "without any password on an unencrypted connection" in explain(result).text
    assert plain_commands(server) == []  # we hung up without saying a word
    assert_no_secret_in_plain(server)


# -- STARTTLS refused ---------------------------------------------------------------------------


@pytest.mark.parametrize("status", [b"NO STARTTLS is not available now", b"BAD what?"])
def test_imap_starttls_answered_no_or_bad_never_falls_back(
    loopback: Loopback, status: bytes
) -> None:
    server = imap(loopback, caps="IMAP4rev1 STARTTLS AUTH=PLAIN", starttls_status=status)
    result = probe(server.candidate(protocol=IMAP), loopback.settings(password=CANARY))
    assert (result.verdict, result.detail) == (Verdict.TLS_FAILED, Detail.STARTTLS_REFUSED)
    assert result.evidence.starttls_reply is not None
    assert result.evidence.starttls_reply.status == status.split()[0].decode()
    assert [c.split(" ", 1)[1] for c in plain_commands(server)] == ["CAPABILITY", "STARTTLS"]
    assert_no_secret_in_plain(server)


def test_pop3_stls_answered_err_never_falls_back(loopback: Loopback) -> None:
    server = pop3(loopback, caps=("USER", "STLS", "SASL PLAIN"), stls_reply=b"-ERR not now\r\n")
    result = probe(server.candidate(protocol=POP3), loopback.settings(password=CANARY))
    assert (result.verdict, result.detail) == (Verdict.TLS_FAILED, Detail.STARTTLS_REFUSED)
    assert plain_commands(server) == ["CAPA", "STLS"]
    assert_no_secret_in_plain(server)


# -- injection after the go-ahead ---------------------------------------------------------------


def test_imap_text_injected_after_the_go_ahead_is_thrown_away(loopback: Loopback) -> None:
    server = imap(
        loopback,
        after_greeting=b"* CAPABILITY IMAP4rev1 AUTH=EVIL-GREETING\r\n",
        after_starttls=b"* CAPABILITY IMAP4rev1 AUTH=EVIL-INJECTED\r\na3 OK injected\r\n",
    )
    result = probe(server.candidate(protocol=IMAP), loopback.settings(password=CANARY))
    assert result.verdict is Verdict.ENCRYPTED_STARTTLS, result.evidence.transcript
    ev = result.evidence
    assert ev.auth_mechanisms == ["PLAIN", "LOGIN"]
    assert not any("EVIL" in c for c in ev.ehlo_after_tls + ev.ehlo_before_tls)
    injected = " ".join(ev.unexpected_data)
    assert "EVIL-GREETING" in injected and "EVIL-INJECTED" in injected
    assert result.auth is AuthOutcome.ACCEPTED
    assert_no_secret_in_plain(server)


def test_pop3_text_injected_after_the_go_ahead_is_thrown_away(loopback: Loopback) -> None:
    server = pop3(loopback, after_stls=b"+OK\r\nSASL EVIL-INJECTED\r\n.\r\n")
    result = probe(server.candidate(protocol=POP3), loopback.settings(password=CANARY))
    assert result.verdict is Verdict.ENCRYPTED_STARTTLS, result.evidence.transcript
    assert "EVIL-INJECTED" not in result.evidence.auth_mechanisms
    assert result.evidence.auth_mechanisms == ["PLAIN", "USER"]
    assert "EVIL-INJECTED" in " ".join(result.evidence.unexpected_data)
    assert_no_secret_in_plain(server)


# -- plain text only, offering a plain-text login ----------------------------------------------


def test_plain_only_imap_offering_login_never_gets_the_password(loopback: Loopback) -> None:
    server = imap(loopback, caps="IMAP4rev1 AUTH=PLAIN AUTH=LOGIN", tls_context=None)
    result = probe(server.candidate(protocol=IMAP), loopback.settings(password=CANARY))
    assert result.verdict is Verdict.PLAINTEXT_ONLY
    assert result.evidence.auth_before_tls == ["PLAIN", "LOGIN"]
    assert result.auth is AuthOutcome.NOT_TRIED
    assert [c.split(" ", 1)[1] for c in plain_commands(server)] == ["CAPABILITY", "LOGOUT"]
    assert_no_secret_in_plain(server)


def test_plain_only_pop3_offering_user_never_gets_the_password(loopback: Loopback) -> None:
    server = pop3(loopback, caps=("USER", "SASL PLAIN LOGIN"), tls_context=None)
    result = probe(server.candidate(protocol=POP3), loopback.settings(password=CANARY))
    assert result.verdict is Verdict.PLAINTEXT_ONLY
    assert result.evidence.auth_before_tls == ["PLAIN", "LOGIN", "USER"]
    assert plain_commands(server) == ["CAPA", "QUIT"]
    assert_no_secret_in_plain(server)


def test_old_pop3_without_capa_is_plain_text_only(loopback: Loopback) -> None:
    server = pop3(loopback, capa_supported=False, tls_context=None)
    result = probe(server.candidate(protocol=POP3), loopback.settings(password=CANARY))
    assert (result.verdict, result.detail) == (Verdict.PLAINTEXT_ONLY, Detail.EHLO_REFUSED)
    assert plain_commands(server) == ["CAPA", "QUIT"]
    assert_no_secret_in_plain(server)


def test_untrusted_candidate_gets_no_password_even_over_verified_tls(loopback: Loopback) -> None:
    server = imap(
        loopback, Security.IMPLICIT_TLS, implicit_tls=True, caps_tls="IMAP4rev1 AUTH=PLAIN"
    )
    result = probe(
        server.candidate(protocol=IMAP, trusted=False), loopback.settings(password=CANARY)
    )
    assert result.verdict is Verdict.ENCRYPTED_IMPLICIT
    assert result.auth is AuthOutcome.UNTRUSTED_SERVER
    assert server.scripted is not None
    tls_commands = server.scripted.received.commands_tls
    assert not any("AUTHENTICATE" in c or "LOGIN " in c for c in tls_commands)
    for secret in secret_forms():
        assert secret not in bytes(server.scripted.received.tls)


# -- silence and slowness: the deadline holds ---------------------------------------------------


@pytest.mark.parametrize("protocol", [IMAP, POP3])
def test_tls_port_that_never_answers_the_hello(loopback: Loopback, protocol: Protocol) -> None:
    server = loopback.scripted(s.tarpit, Security.IMPLICIT_TLS)
    start = time.monotonic()
    result = probe(server.candidate(protocol=protocol), loopback.settings(timeout=1.5))
    elapsed = time.monotonic() - start
    assert (result.verdict, result.detail) == (Verdict.BLOCKED, Detail.NO_TLS_ANSWER)
    assert 1.4 < elapsed < 2.5


@pytest.mark.parametrize(
    ("protocol", "greeting"),
    [
        (IMAP, b"* OK [CAPABILITY IMAP4rev1] slowly but surely\r\n"),
        (POP3, b"+OK slowly but surely\r\n"),
    ],
)
def test_drip_server_is_cut_at_the_deadline(
    loopback: Loopback, protocol: Protocol, greeting: bytes
) -> None:
    """One byte a second: every read gets data, so only the overall deadline can end it."""
    server = loopback.scripted(s.drip(greeting, 1.0))
    start = time.monotonic()
    result = probe(server.candidate(protocol=protocol), loopback.settings(timeout=2.5))
    elapsed = time.monotonic() - start
    assert (result.verdict, result.detail) == (Verdict.NOT_MAIL_SERVER, Detail.DEADLINE)
    assert 2.4 < elapsed < 3.5
    assert "no complete answer within 2.5 s (greeting)" in str(result.evidence.error)


def test_chain_of_empty_literals_is_cut_off(loopback: Loopback) -> None:
    server = loopback.scripted(s.send_then_wait(b"* OK {0}\r\n" * 100 + b"\r\n"))
    result = probe(server.candidate(protocol=IMAP), loopback.settings())
    assert (result.verdict, result.detail) == (Verdict.NOT_MAIL_SERVER, Detail.RESPONSE_TOO_LARGE)


# -- floods -------------------------------------------------------------------------------------


def test_huge_literal_is_refused_unread(loopback: Loopback) -> None:
    server = imap(loopback, capability_extra=b"* CAPABILITY {999999999}\r\n")
    start = time.monotonic()
    result = probe(server.candidate(protocol=IMAP), loopback.settings(timeout=5.0))
    assert (result.verdict, result.detail) == (Verdict.NOT_MAIL_SERVER, Detail.RESPONSE_TOO_LARGE)
    assert time.monotonic() - start < 2.0  # it did not wait for (or buffer) a gigabyte
    assert "999999999" in str(result.evidence.error)


def test_huge_literal_in_the_greeting(loopback: Loopback) -> None:
    server = loopback.scripted(s.send_then_wait(b"* OK {50000000}\r\n" + b"x" * 70000))
    result = probe(server.candidate(protocol=IMAP), loopback.settings(timeout=3.0))
    assert (result.verdict, result.detail) == (Verdict.NOT_MAIL_SERVER, Detail.RESPONSE_TOO_LARGE)


def test_small_literal_is_read_and_the_probe_goes_on(loopback: Loopback) -> None:
    server = imap(loopback, capability_extra=b"* OK [ALERT] {11}\r\nhello world\r\n")
    result = probe(server.candidate(protocol=IMAP), loopback.settings())
    assert result.verdict is Verdict.ENCRYPTED_STARTTLS, result.evidence.transcript
    assert "S: * OK [ALERT] {11 bytes}" in result.evidence.transcript


def test_endless_untagged_lines_are_cut_off(loopback: Loopback) -> None:
    server = imap(loopback, capability_extra=b"* OK noise\r\n" * 500)
    result = probe(server.candidate(protocol=IMAP), loopback.settings())
    assert (result.verdict, result.detail) == (Verdict.NOT_MAIL_SERVER, Detail.RESPONSE_TOO_LARGE)


def test_endless_capa_list_is_cut_off(loopback: Loopback) -> None:
    server = pop3(loopback, caps=tuple(f"X-NOISE-{i}" for i in range(500)))
    result = probe(server.candidate(protocol=POP3), loopback.settings())
    assert (result.verdict, result.detail) == (Verdict.NOT_MAIL_SERVER, Detail.RESPONSE_TOO_LARGE)


def test_line_without_end_is_cut_off(loopback: Loopback) -> None:
    server = loopback.scripted(s.send_then_wait(b"* OK " + b"A" * 20000))
    result = probe(server.candidate(protocol=IMAP), loopback.settings())
    assert (result.verdict, result.detail) == (Verdict.NOT_MAIL_SERVER, Detail.LINE_TOO_LONG)


# -- the wrong protocol, wrong greetings --------------------------------------------------------


def test_smtp_server_on_an_imap_port_is_not_a_mail_server_for_imap(loopback: Loopback) -> None:
    server = loopback.smtp_script()
    result = probe(server.candidate(protocol=IMAP), loopback.settings())
    assert (result.verdict, result.detail) == (Verdict.NOT_MAIL_SERVER, Detail.GARBAGE_GREETING)


@pytest.mark.parametrize(
    ("protocol", "greeting"),
    [(IMAP, b"* BYE too many connections\r\n"), (POP3, b"-ERR [SYS/TEMP] busy\r\n")],
)
def test_error_greeting_is_the_server_refusing_us(
    loopback: Loopback, protocol: Protocol, greeting: bytes
) -> None:
    server = loopback.scripted(s.send_then_wait(greeting))
    result = probe(server.candidate(protocol=protocol), loopback.settings())
    assert (result.verdict, result.detail) == (Verdict.SERVER_REFUSED_US, Detail.ERROR_GREETING)


def test_implicit_tls_port_that_speaks_plain_imap(loopback: Loopback) -> None:
    server = imap(loopback, tls_context=None)
    result = probe(
        server.candidate(Security.IMPLICIT_TLS, protocol=IMAP), loopback.settings(timeout=4.0)
    )
    assert (result.verdict, result.detail) == (Verdict.NOT_MAIL_SERVER, Detail.PLAIN_ON_TLS_PORT)


def test_expired_certificate_behind_starttls_is_diagnosed(loopback: Loopback) -> None:
    server = imap(loopback, tls_context=loopback.pki.server_context(MAIL_HOST, expired=True))
    result = probe(server.candidate(protocol=IMAP), loopback.settings(password=CANARY))
    assert result.verdict is Verdict.CERT_EXPIRED
    assert result.evidence.certificate is not None
    assert result.auth is AuthOutcome.NOT_TRIED
    assert server.scripted is not None
    assert not any("AUTHENTICATE" in c for c in server.scripted.received.commands_tls)


# -- sign-in answers ----------------------------------------------------------------------------


def test_logindisabled_after_tls_without_sasl_means_not_offered(loopback: Loopback) -> None:
    server = imap(loopback, caps_tls="IMAP4rev1 LOGINDISABLED")
    result = probe(server.candidate(protocol=IMAP), loopback.settings(password=CANARY))
    assert result.verdict is Verdict.ENCRYPTED_STARTTLS
    assert result.auth is AuthOutcome.NOT_OFFERED
    assert server.scripted is not None
    assert not any("LOGIN " in c for c in server.scripted.received.commands_tls)


def test_login_command_when_no_sasl_plain(loopback: Loopback) -> None:
    server = imap(loopback, caps_tls="IMAP4rev1")
    result = probe(server.candidate(protocol=IMAP), loopback.settings(password='pa"ss\\word'))
    assert result.auth is AuthOutcome.ACCEPTED
    assert result.evidence.auth_mechanism == "LOGIN"
    assert server.scripted is not None
    assert (
        server.scripted.received.commands_tls[1]
        == 'a4 LOGIN "alice@example.test" "pa\\"ss\\\\word"'
    )


def test_authenticate_without_sasl_ir_waits_for_the_continuation(loopback: Loopback) -> None:
    server = imap(loopback, caps_tls="IMAP4rev1 AUTH=PLAIN")
    result = probe(server.candidate(protocol=IMAP), loopback.settings(password=CANARY))
    assert result.auth is AuthOutcome.ACCEPTED
    assert server.scripted is not None
    assert server.scripted.received.commands_tls[1] == "a4 AUTHENTICATE PLAIN"


@pytest.mark.parametrize(
    ("protocol", "reply", "outcome", "words"),
    [
        (
            IMAP,
            b"NO [AUTHENTICATIONFAILED] Authentication failed.",
            AuthOutcome.WRONG_PASSWORD,
            "is not right",
        ),
        (
            IMAP,
            b"NO [UNAVAILABLE] Temporary authentication failure.",
            AuthOutcome.TEMPORARY,
            "a problem on its side",
        ),
        (
            IMAP,
            b"NO [ALERT] Application-specific password required: https://support.google.com/mail/accounts/answer/185833 (Failure)",
            AuthOutcome.APP_PASSWORD_REQUIRED,
            "app password",
        ),
        (
            IMAP,
            b"NO AUTHENTICATE failed.",
            AuthOutcome.WRONG_PASSWORD,
            "Microsoft gives this same answer",
        ),
        (
            IMAP,
            b"BAD [CLIENTBUG] nonsense",
            AuthOutcome.REFUSED_OTHER,
            "The server refused the sign-in.",
        ),
        (POP3, b"-ERR [AUTH] Authentication failed.", AuthOutcome.WRONG_PASSWORD, "is not right"),
        (POP3, b"-ERR [SYS/TEMP] Try again later.", AuthOutcome.TEMPORARY, "a problem on its side"),
        (
            POP3,
            b"-ERR [IN-USE] Mailbox locked by another session.",
            AuthOutcome.TEMPORARY,
            "Another mail program",
        ),
    ],
)
def test_refusals_are_explained_from_data(
    loopback: Loopback, protocol: Protocol, reply: bytes, outcome: AuthOutcome, words: str
) -> None:
    if protocol is IMAP:
        server = imap(loopback, auth_replies=(reply,))
    else:
        server = pop3(loopback, auth_replies=(reply + b"\r\n",))
    result = probe(server.candidate(protocol=protocol), loopback.settings(password=CANARY))
    assert result.auth is outcome, result.evidence.transcript
    text = explain(result).text
    assert words in text
    assert reply.decode().split(" ", 1)[1][:30] in text  # the server's own words, quoted


def test_alert_during_sign_in_is_shown(loopback: Loopback) -> None:
    server = imap(
        loopback,
        auth_untagged=b"* OK [ALERT] Your password expires in 3 days\r\n",
        auth_replies=(b"OK Logged in",),
    )
    result = probe(server.candidate(protocol=IMAP), loopback.settings(password=CANARY))
    assert result.auth is AuthOutcome.ACCEPTED
    assert result.evidence.alerts == ["Your password expires in 3 days"]
    assert "“Your password expires in 3 days”" in explain(result).text


def test_alert_in_plain_text_is_never_shown(loopback: Loopback) -> None:
    """Before TLS anyone on the way could write an [ALERT]; only encrypted ones reach the person."""
    server = imap(
        loopback,
        greeting=b"* OK [ALERT] Your account is locked: call +1 555 0100 now\r\n",
        capability_extra=b"* OK [ALERT] Send your password to help@evil.test\r\n",
        capability_extra_tls=b"",
        auth_untagged=b"* OK [ALERT] Real alert over TLS\r\n",
    )
    result = probe(server.candidate(protocol=IMAP), loopback.settings(password=CANARY))
    assert result.verdict is Verdict.ENCRYPTED_STARTTLS
    assert result.evidence.alerts == ["Real alert over TLS"]
    text = explain(result).text
    assert "555" not in text and "evil.test" not in text


def test_wrong_full_address_then_local_part_accepted(loopback: Loopback) -> None:
    server = pop3(
        loopback, auth_replies=(b"-ERR [AUTH] Authentication failed.\r\n", b"+OK Logged in.\r\n")
    )
    result = probe(server.candidate(protocol=POP3), loopback.settings(password=CANARY))
    assert result.auth is AuthOutcome.ACCEPTED
    assert result.evidence.auth_username == "alice"


def test_pop3_user_pass_when_no_sasl(loopback: Loopback) -> None:
    server = pop3(loopback, caps_tls=("USER", "UIDL"))
    result = probe(server.candidate(protocol=POP3), loopback.settings(password=CANARY))
    assert result.auth is AuthOutcome.ACCEPTED
    assert result.evidence.auth_mechanism == "USER"
    assert server.scripted is not None
    assert server.scripted.received.commands_tls[1:3] == [
        "USER alice@example.test",
        f"PASS {CANARY}",
    ]
    assert "PASS <hidden: sign-in data>" in " ".join(result.evidence.transcript)
    assert CANARY not in " ".join(result.evidence.transcript)
