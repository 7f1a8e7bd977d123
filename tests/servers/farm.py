"""`Loopback`: starts the test servers and gives the engine settings that point at them."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from assistant.core.models import Candidate, Security
from assistant.core.network import Address, NameNotFound
from assistant.core.probe import ProbeSettings
from assistant.core.signin import Credentials
from tests.servers import scripted
from tests.servers.certs import TestPKI, self_signed_context

MAIL_HOST = "mail.example.test"
CANARY_PASSWORD = "Canary-Pa55word-7f3a9c"
TEST_USER = "alice@example.test"


class _Sink:
    """Keeps accepted messages in memory (the only place a test message ever goes)."""

    def __init__(self, messages: list[Any], refuse_rcpt: str | None = None) -> None:
        self.messages = messages
        self.refuse_rcpt = refuse_rcpt

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.refuse_rcpt:
            return self.refuse_rcpt
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 OK"


def password_authenticator(
    password: str = CANARY_PASSWORD, failure: str = "535 5.7.8 Username and Password not accepted."
) -> Callable[..., AuthResult]:
    def authenticate(
        server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        if isinstance(data, LoginPassword) and data.password.decode() == password:
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False, message=failure)

    return authenticate


def local_part_authenticator(
    local: str = TEST_USER.split("@")[0], password: str = CANARY_PASSWORD
) -> Callable[..., AuthResult]:
    """A host that wants only the part before the @ as the user name (some hosting does)."""

    def authenticate(
        server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        if isinstance(data, LoginPassword):
            login = data.login.decode() if isinstance(data.login, bytes) else data.login
            if login == local and data.password.decode() == password:
                return AuthResult(success=True)
        return AuthResult(success=False, handled=False, message="535 5.7.8 Authentication failed")

    return authenticate


@dataclass
class Server:
    """A running test server: where it is and how the engine should approach it."""

    host: str
    port: int
    security: Security
    stop: Callable[[], None]
    scripted: scripted.ScriptedServer | None = None

    def candidate(self, security: Security | None = None, **kw: Any) -> Candidate:
        return Candidate(self.host, self.port, security or self.security, **kw)


@dataclass
class Loopback:
    pki: TestPKI = field(default_factory=TestPKI.create)
    names: dict[str, list[str]] = field(default_factory=dict)
    servers: list[Server] = field(default_factory=list)
    messages: list[Any] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.map_name(MAIL_HOST)

    # -- names and settings -------------------------------------------------------------------------

    def map_name(self, name: str, *addresses: str) -> None:
        """Make the engine's resolver answer `name` with loopback addresses (127.0.0.1 by default)."""
        for address in addresses or ("127.0.0.1",):
            assert address in ("127.0.0.1", "::1"), "test servers are on loopback only"
        self.names[name.lower()] = list(addresses or ("127.0.0.1",))

    def resolve(self, host: str, port: int) -> list[Address]:
        if host in ("127.0.0.1", "::1"):
            addresses = [host]
        elif host.lower() in self.names:
            addresses = self.names[host.lower()]
        else:
            raise NameNotFound(f"{host} is not a test name")
        return [
            (socket.AF_INET6, (a, port, 0, 0)) if ":" in a else (socket.AF_INET, (a, port))
            for a in addresses
        ]

    def settings(
        self, timeout: float = 5.0, password: str | None = None, user: str = TEST_USER
    ) -> ProbeSettings:
        return ProbeSettings(
            timeout=timeout,
            resolver=self.resolve,
            tls_context=self.pki.client_context,
            credentials=Credentials.for_address(user, password) if password else None,
        )

    # -- aiosmtpd servers ---------------------------------------------------------------------------

    def _controller(
        self,
        security: Security,
        host: str = "127.0.0.1",
        refuse_rcpt: str | None = None,
        **kw: Any,
    ) -> Server:
        port = _free_port(host)
        sink = _Sink(self.messages, refuse_rcpt)
        controller = Controller(sink, hostname=host, port=port, server_hostname=MAIL_HOST, **kw)
        controller.start()
        server = Server(MAIL_HOST, port, security, controller.stop)
        self.servers.append(server)
        return server

    def implicit_tls(
        self, name: str = MAIL_HOST, expired: bool = False, sign_in: bool = True, **kw: Any
    ) -> Server:
        """Encrypted from the first byte, with AUTH like any submission port; `sign_in=False`
        is a relay port (encrypted, no AUTH), such as a provider's port 25."""
        ctx = self.pki.server_context(name, expired=expired)
        if sign_in:
            kw.setdefault("authenticator", password_authenticator())
            kw.setdefault("auth_require_tls", False)  # the whole connection is TLS already
        return self._controller(Security.IMPLICIT_TLS, ssl_context=ctx, **kw)

    def starttls(
        self,
        name: str = MAIL_HOST,
        expired: bool = False,
        context: ssl.SSLContext | None = None,
        authenticator: Callable[..., AuthResult] | None = None,
        host: str = "127.0.0.1",
        refuse_rcpt: str | None = None,
    ) -> Server:
        """STARTTLS required before mail and sign-in; AUTH offered only after TLS."""
        ctx = context or self.pki.server_context(name, expired=expired)
        return self._controller(
            Security.STARTTLS,
            host=host,
            refuse_rcpt=refuse_rcpt,
            tls_context=ctx,
            require_starttls=True,
            auth_require_tls=True,
            authenticator=authenticator or password_authenticator(),
        )

    def self_signed(self, implicit: bool = False) -> Server:
        ctx = self_signed_context(MAIL_HOST)
        if implicit:
            return self._controller(Security.IMPLICIT_TLS, ssl_context=ctx)
        return self.starttls(context=ctx)

    def plain(self, **kw: Any) -> Server:
        """No TLS at all (and AUTH offered in plain text, which the engine must never use)."""
        return self._controller(
            Security.STARTTLS,
            auth_require_tls=False,
            authenticator=password_authenticator(),
            **kw,
        )

    # -- scripted and fault servers -----------------------------------------------------------------

    def scripted(self, handler: scripted.Handler, security: Security = Security.STARTTLS) -> Server:
        srv = scripted.ScriptedServer(handler)
        server = Server(MAIL_HOST, srv.port, security, srv.close, scripted=srv)
        self.servers.append(server)
        return server

    def smtp_script(self, security: Security = Security.STARTTLS, **script: Any) -> Server:
        if "tls_context" not in script:
            script["tls_context"] = self.pki.server_context(MAIL_HOST)
        return self.scripted(scripted.smtp_handler(scripted.Script(**script)), security)

    def closed(self) -> Server:
        return Server(MAIL_HOST, scripted.closed_port(), Security.STARTTLS, lambda: None)

    def full_backlog(self) -> Server:
        backlog = scripted.FullBacklog()
        server = Server(MAIL_HOST, backlog.port, Security.STARTTLS, backlog.close)
        self.servers.append(server)
        return server

    def close(self) -> None:
        for server in reversed(self.servers):
            server.stop()
        self.servers.clear()


def _free_port(host: str) -> int:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])
