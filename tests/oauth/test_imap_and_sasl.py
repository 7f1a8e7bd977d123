"""SASL XOAUTH2 / OAUTHBEARER strings, the error-challenge parser, and the IMAP AUTHENTICATE
exchange against a scripted loopback IMAP server (implicit TLS) that accepts only tokens the
loopback authorization server issued."""

from __future__ import annotations

import base64
import socket
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

import pytest

from assistant.core.imap_oauth import authenticate_imap
from assistant.core.models import AuthOutcome
from assistant.core.sasl_oauth import (
    OAuthCredentials,
    choose_oauth_mechanism,
    oauthbearer_response,
    parse_error_challenge,
    xoauth2_response,
)
from assistant.core.stopper import Stopper
from assistant.core.wire import Wire
from assistant.oauth.providers import OAuthClient
from assistant.oauth.sign_in import run_oauth_sign_in
from tests.oauth.conftest import MailFactory
from tests.servers import Loopback
from tests.servers.browser import ScriptedBrowser
from tests.servers.farm import MAIL_HOST, TEST_USER
from tests.servers.oauth_server import AuthServer


def test_xoauth2_is_the_documented_string() -> None:
    raw = base64.b64decode(
        xoauth2_response("someuser@example.com", "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg")
    )
    assert raw == (
        b"user=someuser@example.com\x01auth=Bearer ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg\x01\x01"
    )


def test_oauthbearer_follows_rfc_7628() -> None:
    raw = base64.b64decode(
        oauthbearer_response(
            "user@example.com",
            "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==",
            "server.example.com",
            143,
        )
    )
    assert raw == (
        b"n,a=user@example.com,\x01host=server.example.com\x01port=143\x01"
        b"auth=Bearer vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==\x01\x01"
    )
    assert base64.b64decode(oauthbearer_response("a,b=c@x.test", "t")).startswith(
        b"n,a=a=2Cb=3Dc@x.test,"
    )


def test_control_characters_cannot_smuggle_fields() -> None:
    for user, token in (
        ("a@x.test\x01auth=Bearer evil", "t"),
        ("a@x.test", "t\x01\x01"),
        ("a@x.test", ""),
    ):
        with pytest.raises(ValueError, match="SASL cannot carry") as caught:
            xoauth2_response(user, token)
        assert "evil" not in str(caught.value)


def test_error_challenges_are_parsed_and_anything_else_is_not() -> None:
    google = base64.b64encode(
        b'{"status":"401","schemes":"bearer","scope":"https://mail.google.com/"}'
    ).decode()
    error = parse_error_challenge(google)
    assert error is not None and error.status == "401" and error.token_problem
    rfc = base64.b64encode(b'{"status":"invalid_token","scope":"example_scope"}').decode()
    assert parse_error_challenge(rfc).token_problem  # type: ignore[union-attr]
    assert parse_error_challenge("not base64!") is None
    assert parse_error_challenge(base64.b64encode(b"[1,2]").decode()) is None
    hostile = base64.b64encode(b'{"status":"\\u001b[31m401\\u0007"}').decode()
    assert parse_error_challenge(hostile).status == "401"  # type: ignore[union-attr]


def test_the_standard_mechanism_is_preferred_where_offered() -> None:
    assert choose_oauth_mechanism(["PLAIN", "XOAUTH2", "OAUTHBEARER"]) == "OAUTHBEARER"
    assert choose_oauth_mechanism(["xoauth2"]) == "XOAUTH2"
    assert choose_oauth_mechanism(["PLAIN", "LOGIN"]) is None


def test_credentials_never_show_the_token() -> None:
    creds = OAuthCredentials("a@x.test", "Secret-Token-123")
    assert "Secret-Token-123" not in repr(creds) and "Secret-Token-123" not in str(creds)


@contextmanager
def _connected(port: int, loopback: Loopback, greeting: bytes) -> Iterator[tuple[Wire, list[str]]]:
    """A verified TLS wire to a scripted loopback server, past its greeting."""
    raw = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock = loopback.pki.client_context().wrap_socket(raw, server_hostname=MAIL_HOST)
    transcript: list[str] = []
    stopper = Stopper(5.0)
    stopper.register(sock)
    wire = Wire(sock, stopper, transcript)
    try:
        assert wire.read_line().startswith(greeting)
        yield wire, transcript
    finally:
        stopper.finish()
        sock.close()


def _imap(port: int, loopback: Loopback) -> AbstractContextManager[tuple[Wire, list[str]]]:
    return _connected(port, loopback, b"* OK")


def _pop3(port: int, loopback: Loopback) -> AbstractContextManager[tuple[Wire, list[str]]]:
    return _connected(port, loopback, b"+OK")


def _token(loopback: Loopback, client: OAuthClient, browser: ScriptedBrowser) -> OAuthCredentials:
    result = run_oauth_sign_in(
        client, TEST_USER, open_browser=browser, tls_context=loopback.pki.client_context
    )
    return result.credentials(TEST_USER)


@pytest.mark.parametrize("sasl_ir", [True, False])
@pytest.mark.parametrize("mechanism", ["XOAUTH2", "OAUTHBEARER"])
def test_imap_authenticate_accepts_a_token_from_the_authorization_server(
    loopback: Loopback,
    client: OAuthClient,
    browser: ScriptedBrowser,
    imap: MailFactory,
    sasl_ir: bool,
    mechanism: str,
) -> None:
    creds = _token(loopback, client, browser)
    server = imap(sasl_ir=sasl_ir)
    with _imap(server.port, loopback) as (wire, transcript):
        result = authenticate_imap(
            wire, "a1", mechanism, creds, sasl_ir=sasl_ir, host=MAIL_HOST, port=server.port
        )
    assert result.accepted and result.outcome is AuthOutcome.ACCEPTED
    assert result.capabilities == ("IMAP4rev1", "IDLE")  # the ones after sign-in replace the rest
    assert all(creds.token not in line for line in transcript)
    assert any("<hidden: sign-in data>" in line for line in transcript)
    assert "S: a1 OK AUTHENTICATE completed" in transcript  # the server's side, recorded


@pytest.mark.parametrize("mechanism", ["XOAUTH2", "OAUTHBEARER"])
def test_imap_refuses_an_expired_token_and_the_error_challenge_is_answered(
    loopback: Loopback,
    auth: AuthServer,
    client: OAuthClient,
    browser: ScriptedBrowser,
    imap: MailFactory,
    mechanism: str,
) -> None:
    creds = _token(loopback, client, browser)
    auth.expire_all()
    server = imap()
    with _imap(server.port, loopback) as (wire, _):
        result = authenticate_imap(wire, "a1", mechanism, creds, sasl_ir=True)
        # the connection is still in step: the next command gets its own answer
        wire.send("a2 LOGOUT")
        assert wire.read_line() == b"* BYE"
    assert result.status == "NO" and result.code == "AUTHENTICATIONFAILED"
    assert result.error is not None and result.error.status == "401"
    assert result.outcome is AuthOutcome.TOKEN_REFUSED


def test_imap_with_a_token_for_another_user_is_refused(
    loopback: Loopback, client: OAuthClient, browser: ScriptedBrowser, imap: MailFactory
) -> None:
    creds = _token(loopback, client, browser)
    server = imap()
    other = OAuthCredentials("mallory@example.test", creds.token)
    with _imap(server.port, loopback) as (wire, _):
        result = authenticate_imap(wire, "a1", "XOAUTH2", other, sasl_ir=True)
    assert not result.accepted and result.error is not None and result.error.status == "400"


@pytest.mark.parametrize("initial", [True, False])
@pytest.mark.parametrize("expired", [False, True])
def test_pop3_auth_with_a_token(
    loopback: Loopback,
    auth: AuthServer,
    client: OAuthClient,
    browser: ScriptedBrowser,
    pop3: MailFactory,
    initial: bool,
    expired: bool,
) -> None:
    from assistant.core.pop3_oauth import authenticate_pop3

    creds = _token(loopback, client, browser)
    if expired:
        auth.expire_all()
    server = pop3(mechanisms=("XOAUTH2",))
    with _pop3(server.port, loopback) as (wire, transcript):
        result = authenticate_pop3(wire, "XOAUTH2", creds, initial=initial)
        wire.send("QUIT")
        assert wire.read_line() == b"+OK bye"  # still in step after the exchange
    assert all(creds.token not in line for line in transcript)
    if expired:
        assert not result.accepted and result.code == "AUTH" and result.error is not None
        assert result.outcome is AuthOutcome.TOKEN_REFUSED
    else:
        assert result.accepted and result.outcome is AuthOutcome.ACCEPTED


@pytest.mark.parametrize("protocol", ["imap", "pop3"])
@pytest.mark.parametrize("expired", [False, True])
def test_the_incoming_probe_signs_in_with_the_token(
    loopback: Loopback,
    auth: AuthServer,
    client: OAuthClient,
    browser: ScriptedBrowser,
    imap: MailFactory,
    pop3: MailFactory,
    protocol: str,
    expired: bool,
) -> None:
    """The receiving half of a run: the engine's IMAP and POP3 conversations use the token."""
    from assistant.core.models import Protocol, Security
    from assistant.core.probe import probe
    from assistant.core.report import candidate_document

    creds = _token(loopback, client, browser)
    if expired:
        auth.expire_all()
    server = (imap if protocol == "imap" else pop3)(mechanisms=("XOAUTH2",))
    settings = loopback.settings()
    settings.credentials = creds
    candidate = server.candidate(Security.IMPLICIT_TLS, protocol=Protocol(protocol))
    tested = probe(candidate, settings)
    assert tested.verdict.is_safe, tested.evidence.error
    document = candidate_document(tested, 5.0)
    assert document["sign_in_method"] == "oauth2"
    if expired:
        assert tested.auth is AuthOutcome.TOKEN_REFUSED and tested.evidence.oauth_status == "401"
        assert "did not accept the sign-in" in document["explanation"]
    else:
        assert tested.auth is AuthOutcome.ACCEPTED
    assert all(creds.token not in line for line in tested.evidence.transcript)


@pytest.mark.parametrize(
    ("protocol", "final", "outcome"),
    [
        ("imap", b"a1 NO [UNAVAILABLE] Try again later", AuthOutcome.TEMPORARY),
        ("imap", b"a1 NO [AUTHENTICATIONFAILED] Invalid credentials", AuthOutcome.TOKEN_REFUSED),
        ("imap", b"a1 BAD [CLIENTBUG] nonsense", AuthOutcome.TOKEN_REFUSED),
        ("pop3", b"-ERR [SYS/TEMP] Try again later", AuthOutcome.TEMPORARY),
        ("pop3", b"-ERR [IN-USE] Mailbox locked", AuthOutcome.TEMPORARY),
        ("pop3", b"-ERR [AUTH] Invalid credentials", AuthOutcome.TOKEN_REFUSED),
        ("pop3", b"+OK Logged in", AuthOutcome.ACCEPTED),
    ],
)
def test_each_protocol_decides_which_refusal_is_for_now_only(
    protocol: str, final: bytes, outcome: AuthOutcome
) -> None:
    """One answer type for both protocols, but each keeps its own codes for "try later": IMAP's
    [UNAVAILABLE] (RFC 5530), POP3's [SYS/TEMP] and [IN-USE] (RFC 3206)."""
    from assistant.core.pop3_oauth import authenticate_pop3

    ours, theirs = socket.socketpair()
    stopper = Stopper(5.0)
    stopper.register(ours)
    wire = Wire(ours, stopper, [])
    try:
        theirs.sendall(final + b"\r\n")
        creds = OAuthCredentials(TEST_USER, "a-token")
        if protocol == "imap":
            answer = authenticate_imap(wire, "a1", "XOAUTH2", creds, sasl_ir=True)
        else:
            answer = authenticate_pop3(wire, "XOAUTH2", creds)
    finally:
        stopper.finish()
        ours.close()
        theirs.close()
    assert answer.outcome is outcome
    assert answer.status == final.split()[1 if protocol == "imap" else 0].decode()
