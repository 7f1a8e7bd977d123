"""Loopback servers for the discovery tests: a DNS server, an HTTPS and a plain-HTTP web server.

Nothing here touches the internet. An autouse guard makes any connection or datagram to an address
outside 127.0.0.0/8 and ::1 fail the test, so a source that forgot its loopback settings is caught.
Servers never sleep: a "slow" route blocks on an event that is released when the test ends.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import socketserver
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import dns.flags
import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset
import pytest
import trustme

from assistant.discovery.dns import Nameserver
from assistant.discovery.http import HttpSettings
from assistant.discovery.options import DiscoveryOptions

# Names the test certificate covers; anything else over https fails verification.
CERT_NAMES = (
    "example.com",
    "*.example.com",
    "acme.test",
    "*.acme.test",
    "smile-dental.test",
    "*.smile-dental.test",
    "127.0.0.1",
)


# -- the no-internet guard -------------------------------------------------------------------


def _is_loopback(address: Any) -> bool:
    host = address[0] if isinstance(address, tuple) else address
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_sendto = socket.socket.sendto

    def connect(self: socket.socket, address: Any) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address):
            raise AssertionError(f"test tried to reach {address!r}, which is not loopback")
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address):
            raise AssertionError(f"test tried to reach {address!r}, which is not loopback")
        return real_connect_ex(self, address)

    def sendto(self: socket.socket, data: bytes, *args: Any) -> int:
        address = args[-1]
        if not _is_loopback(address):
            raise AssertionError(f"test tried to send to {address!r}, which is not loopback")
        return real_sendto(self, data, *args)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket.socket, "sendto", sendto)


# -- DNS on loopback ---------------------------------------------------------------------------


@dataclass
class Zone:
    """Records by (name, type) as zone-file text; `drop` names get no answer (time-out)."""

    records: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    drop: set[str] = field(default_factory=set)
    servfail: set[str] = field(default_factory=set)
    existing: set[str] = field(default_factory=set)  # names that exist without that record type
    queries: list[tuple[str, str]] = field(default_factory=list)

    def add(self, name: str, rdtype: str, *values: str) -> None:
        self.records.setdefault((name.rstrip(".").lower(), rdtype), []).extend(values)


class LoopbackDns:
    """A UDP DNS server on 127.0.0.1 answering from a `Zone` with dnspython's message code."""

    def __init__(self) -> None:
        self.zone = Zone()
        zone = self.zone

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                data, sock = self.request
                try:
                    query = dns.message.from_wire(data)
                except Exception:
                    return
                question = query.question[0]
                name = question.name.to_text(omit_final_dot=True).lower()
                rdtype = dns.rdatatype.to_text(question.rdtype)
                zone.queries.append((name, rdtype))
                if name in zone.drop:
                    return
                response = dns.message.make_response(query)
                response.flags |= dns.flags.AA
                if name in zone.servfail:
                    response.set_rcode(dns.rcode.SERVFAIL)
                elif (name, rdtype) in zone.records:
                    response.answer.append(
                        dns.rrset.from_text_list(
                            question.name, 300, "IN", rdtype, zone.records[(name, rdtype)]
                        )
                    )
                elif name not in zone.existing and not any(n == name for n, _ in zone.records):
                    response.set_rcode(dns.rcode.NXDOMAIN)
                sock.sendto(response.to_wire(), self.client_address)

        self.server = socketserver.ThreadingUDPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    @property
    def nameserver(self) -> Nameserver:
        return Nameserver("127.0.0.1", self.server.server_address[1])

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def dns_server() -> Iterator[LoopbackDns]:
    server = LoopbackDns()
    try:
        yield server
    finally:
        server.close()


# -- web servers on loopback -------------------------------------------------------------------


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    hang: bool = False  # send headers and part of the body, then block until the test ends
    content_length: bool = True
    location: str = ""
    drip: bool = False  # send the status line, then headers one byte every 0.1 s, for ever


@dataclass
class Request:
    scheme: str
    host: str
    path: str


class LoopbackWeb:
    """One HTTPS and one plain-HTTP server; routes keyed by (scheme, Host header, path)."""

    def __init__(self, ca: trustme.CA) -> None:
        self.routes: dict[tuple[str, str, str], Route] = {}
        self.requests: list[Request] = []
        self.release = threading.Event()
        self.known_hosts: set[str] = {"127.0.0.1"}
        self.ca = ca
        server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ca.issue_cert(*CERT_NAMES).configure_cert(server_ctx)
        self.https = self._serve("https", server_ctx)
        self.http = self._serve("http", None)

    def route(self, url: str, route: Route | None = None, **kwargs: Any) -> None:
        scheme, _, rest = url.partition("://")
        host, _, path = rest.partition("/")
        host = host.split(":")[0] if not host.startswith("[") else host
        self.known_hosts.add(host)
        self.routes[(scheme, host, "/" + path)] = route or Route(**kwargs)

    def add_host(self, host: str) -> None:
        """A name that exists (answers with 404 where no route is set)."""
        self.known_hosts.add(host)

    @property
    def https_port(self) -> int:
        return int(self.https.server_address[1])

    @property
    def ispdb_url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}/v1.1/"

    def connect_to(self, host: str, port: int) -> tuple[str, int]:
        """Where a URL's host:port really goes; unknown names do not exist."""
        if host not in self.known_hosts:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        if port in (443, self.https_port):
            return ("127.0.0.1", self.https_port)
        return ("127.0.0.1", int(self.http.server_address[1]))

    def tls_context(self) -> ssl.SSLContext:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        self.ca.configure_trust(ctx)
        return ctx

    def http_settings(self) -> HttpSettings:
        return HttpSettings(tls_context=self.tls_context, connect_to=self.connect_to, proxies={})

    def seen(self, scheme: str | None = None) -> list[str]:
        return [
            f"{r.scheme}://{r.host}{r.path}" for r in self.requests if scheme in (None, r.scheme)
        ]

    def close(self) -> None:
        self.release.set()
        for server in (self.https, self.http):
            server.shutdown()
            server.server_close()

    def _serve(self, scheme: str, ctx: ssl.SSLContext | None) -> ThreadingHTTPServer:
        web = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _drip(self) -> None:
                """Headers that never end: one byte at a time until the client hangs up."""
                data = b"HTTP/1.1 200 OK\r\n" + b"X-Slow: yes\r\n" * 10_000
                for i in range(len(data)):
                    if web.release.wait(0.1):
                        return
                    try:
                        self.wfile.write(data[i : i + 1])
                        self.wfile.flush()
                    except OSError:
                        return

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                host = (self.headers.get("Host") or "").split(":")[0]
                web.requests.append(Request(scheme, host, self.path))
                route = web.routes.get((scheme, host, self.path))
                if route is None:
                    route = Route(b"not here", status=404)
                if route.drip:
                    self._drip()
                    return
                self.send_response(route.status)
                if route.location:
                    self.send_header("Location", route.location)
                self.send_header("Content-Type", "text/xml")
                if route.content_length:
                    self.send_header("Content-Length", str(len(route.body)))
                self.send_header("Connection", "close")
                self.end_headers()
                if route.hang:
                    self.wfile.write(route.body[:10])
                    self.wfile.flush()
                    web.release.wait()
                    return
                with contextlib.suppress(OSError):  # the client gave up (size cap): expected
                    self.wfile.write(route.body)

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a client hanging up early (size cap, deadline) is what some tests do

        server = Server(("127.0.0.1", 0), Handler)
        if ctx is not None:
            server.socket = ctx.wrap_socket(
                server.socket, server_side=True, do_handshake_on_connect=False
            )
        threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()
        return server


@pytest.fixture(scope="session")
def test_ca() -> trustme.CA:
    return trustme.CA(organization_name="Mail Setup Assistant discovery test CA")


@pytest.fixture
def web(test_ca: trustme.CA) -> Iterator[LoopbackWeb]:
    server = LoopbackWeb(test_ca)
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def make_options(dns_server: LoopbackDns, web: LoopbackWeb) -> Callable[..., DiscoveryOptions]:
    """DiscoveryOptions that reach only the loopback DNS and web servers."""

    def make(**overrides: Any) -> DiscoveryOptions:
        options = DiscoveryOptions(
            nameserver=dns_server.nameserver,
            ispdb_url=web.ispdb_url,
            http=web.http_settings(),
            deadlines={
                name: 3.0
                for name in ("autoconfig", "well-known", "ispdb", "mx", "autoconfig-http", "srv")
            },
        )
        for key, value in overrides.items():
            setattr(options, key, value)
        return options

    return make


def config_xml(
    domain: str,
    smtp: list[tuple[str, int, str]],
    *,
    name: str = "Test Provider",
    auth: str = "password-cleartext",
    username: str = "%EMAILADDRESS%",
    imap: tuple[str, int, str] | None = None,
) -> bytes:
    """A config-v1.1.xml document for the tests."""
    servers = "".join(
        f'<outgoingServer type="smtp"><hostname>{h}</hostname><port>{p}</port>'
        f"<socketType>{s}</socketType><username>{username}</username>"
        f"<authentication>{auth}</authentication></outgoingServer>"
        for h, p, s in smtp
    )
    incoming = ""
    if imap:
        incoming = (
            f'<incomingServer type="imap"><hostname>{imap[0]}</hostname><port>{imap[1]}</port>'
            f"<socketType>{imap[2]}</socketType><username>{username}</username></incomingServer>"
        )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><clientConfig version="1.1">'
        f'<emailProvider id="{domain}"><domain>{domain}</domain><displayName>{name}</displayName>'
        f"{incoming}{servers}</emailProvider></clientConfig>"
    ).encode()
