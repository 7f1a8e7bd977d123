"""The whole receiving probe with a token: IMAP and POP3 sign in through XOAUTH2/OAUTHBEARER over
verified TLS, exactly as the sending probe does, against scripted loopback servers that accept only
tokens the loopback authorization server issued."""

from __future__ import annotations

import pytest

from assistant.core.models import AuthOutcome, Candidate, Protocol, Security, Verdict
from assistant.core.probe import probe
from assistant.oauth.providers import OAuthClient
from tests.oauth.conftest import MailFactory
from tests.oauth.test_imap_and_sasl import _token
from tests.servers import Loopback
from tests.servers.browser import ScriptedBrowser
from tests.servers.farm import MAIL_HOST
from tests.servers.oauth_server import AuthServer


@pytest.mark.parametrize("protocol", [Protocol.IMAP, Protocol.POP3])
def test_a_token_signs_in_on_the_receiving_half(
    loopback: Loopback,
    client: OAuthClient,
    browser: ScriptedBrowser,
    imap: MailFactory,
    pop3: MailFactory,
    protocol: Protocol,
) -> None:
    creds = _token(loopback, client, browser)
    server = imap() if protocol is Protocol.IMAP else pop3()
    settings = loopback.settings(timeout=4)
    settings.credentials = creds
    result = probe(
        Candidate(MAIL_HOST, server.port, Security.IMPLICIT_TLS, protocol=protocol), settings
    )
    assert result.verdict is Verdict.ENCRYPTED_IMPLICIT
    assert result.auth is AuthOutcome.ACCEPTED
    assert result.evidence.auth_mechanism in ("XOAUTH2", "OAUTHBEARER")
    assert all(creds.token not in line for line in result.evidence.transcript)


@pytest.mark.parametrize("protocol", [Protocol.IMAP, Protocol.POP3])
def test_an_expired_token_is_refused_and_explained(
    loopback: Loopback,
    auth: AuthServer,
    client: OAuthClient,
    browser: ScriptedBrowser,
    imap: MailFactory,
    pop3: MailFactory,
    protocol: Protocol,
) -> None:
    creds = _token(loopback, client, browser)
    auth.expire_all()
    server = imap() if protocol is Protocol.IMAP else pop3()
    settings = loopback.settings(timeout=4)
    settings.credentials = creds
    result = probe(
        Candidate(MAIL_HOST, server.port, Security.IMPLICIT_TLS, protocol=protocol), settings
    )
    assert result.verdict is Verdict.ENCRYPTED_IMPLICIT
    assert result.auth is AuthOutcome.TOKEN_REFUSED
    assert result.evidence.oauth_status == "401"
