"""Hostile-certificate helpers: servers whose certificate names whatever the test wants.

`CertPicker` builds a server TLS context that chooses the certificate per connection from the name
the client asked for (SNI): a chain of new names, a tree of three new names per certificate, or
hundreds of names that do not resolve. `CountingResolver` counts every look-up the engine makes and
resolves the odd spellings of 127.0.0.1 ("127.0.1", "127.00.1") as the system resolver does.
"""

from __future__ import annotations

import base64
import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.servers.certs import TestPKI
from tests.servers.farm import CANARY_PASSWORD, TEST_USER, Loopback
from tests.servers.scripted import Received

Names = Callable[[str], tuple[str, ...]]
"""From the name the client asked for (SNI) to the names the certificate should carry."""


class CertPicker:
    """A server context whose certificate is issued on the fly for `names(requested)`.

    `hold` (optional): names for which the handshake blocks until `release` is set, like a server
    that stalls forever for the rescue name."""

    def __init__(
        self, pki: TestPKI, names: Names, hold: Callable[[str], bool] | None = None
    ) -> None:
        self.pki = pki
        self.names = names
        self.hold = hold
        self.release = threading.Event()
        self.requested: list[str] = []
        self._contexts: dict[str, ssl.SSLContext] = {}
        self._lock = threading.Lock()
        self.context = pki.server_context("default.invalid")
        self.context.sni_callback = self._pick

    def _pick(self, sslobj: ssl.SSLObject, name: str | None, _ctx: ssl.SSLContext) -> None:
        requested = (name or "").lower()
        with self._lock:
            self.requested.append(requested)
            ctx = self._contexts.get(requested)
            if ctx is None:
                ctx = self.pki.server_context(*self.names(requested))
                self._contexts[requested] = ctx
        if self.hold is not None and self.hold(requested):
            self.release.wait(30)
        sslobj.context = ctx


@dataclass
class CountingResolver:
    """The farm's resolver, counting look-ups; inet_aton spellings of 127.0.0.1 resolve to it."""

    loopback: Loopback
    calls: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, host: str, port: int) -> list[tuple[int, tuple[object, ...]]]:
        with self._lock:
            self.calls.append(host)
        try:
            if socket.inet_aton(host) == socket.inet_aton("127.0.0.1"):
                return [(socket.AF_INET, ("127.0.0.1", port))]
        except OSError:
            pass
        return self.loopback.resolve(host, port)

    def count(self, name: str) -> int:
        return sum(1 for c in self.calls if c == name)


def canary_forms(user: str = TEST_USER, password: str = CANARY_PASSWORD) -> list[bytes]:
    """Every form in which the canary could travel: as is, and base64 as AUTH PLAIN/LOGIN send it."""
    local = user.split("@", 1)[0]
    return [
        password.encode(),
        base64.b64encode(password.encode()),
        base64.b64encode(f"\0{user}\0{password}".encode()),
        base64.b64encode(f"\0{local}\0{password}".encode()),
    ]


def canary_arrived(received: Received) -> bool:
    """Did anything of the password reach this server, in plain text or inside TLS?"""
    data = bytes(received.plain) + bytes(received.tls)
    return any(form in data for form in canary_forms())


def auth_commands(received: Received) -> list[str]:
    return [
        c for c in received.commands_plain + received.commands_tls if c.upper().startswith("AUTH")
    ]
