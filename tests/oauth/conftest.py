"""Fixtures for the OAuth2 tests: the loopback authorization server, the scripted browser, and
mail servers that accept only tokens that server issued."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from assistant.oauth.providers import OAuthClient
from tests.servers import Loopback, Server
from tests.servers.browser import ScriptedBrowser
from tests.servers.farm import MAIL_HOST
from tests.servers.oauth_mail import (
    MailBehaviour,
    imap_oauth_handler,
    pop3_oauth_handler,
    smtp_oauth_handler,
)
from tests.servers.oauth_server import CLIENT_ID, AuthServer

SCOPES = (
    "https://outlook.office.com/SMTP.Send",
    "https://outlook.office.com/IMAP.AccessAsUser.All",
    "offline_access",
    "openid",
    "email",
)


@pytest.fixture
def auth(loopback: Loopback) -> Iterator[AuthServer]:
    server = AuthServer(loopback.pki)
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def browser(loopback: Loopback) -> ScriptedBrowser:
    return ScriptedBrowser(loopback.pki.client_context())


@pytest.fixture
def client(auth: AuthServer) -> OAuthClient:
    return OAuthClient(
        provider="Microsoft",
        authorization_endpoint=auth.authorization_endpoint,
        token_endpoint=auth.token_endpoint,
        client_id=CLIENT_ID,
        scopes=SCOPES,
    )


MailFactory = Callable[..., Server]


@pytest.fixture
def smtp(loopback: Loopback, auth: AuthServer) -> MailFactory:
    def start(**behaviour: object) -> Server:
        rules = MailBehaviour(auth.token_status, **behaviour)  # type: ignore[arg-type]
        handler = smtp_oauth_handler(rules, loopback.pki.server_context(MAIL_HOST))
        return loopback.scripted(handler)

    return start


@pytest.fixture
def imap(loopback: Loopback, auth: AuthServer) -> MailFactory:
    def start(sasl_ir: bool = True, **behaviour: object) -> Server:
        rules = MailBehaviour(auth.token_status, **behaviour)  # type: ignore[arg-type]
        handler = imap_oauth_handler(rules, loopback.pki.server_context(MAIL_HOST), sasl_ir)
        return loopback.scripted(handler)

    return start


@pytest.fixture
def pop3(loopback: Loopback, auth: AuthServer) -> MailFactory:
    def start(**behaviour: object) -> Server:
        rules = MailBehaviour(auth.token_status, **behaviour)  # type: ignore[arg-type]
        return loopback.scripted(pop3_oauth_handler(rules, loopback.pki.server_context(MAIL_HOST)))

    return start
