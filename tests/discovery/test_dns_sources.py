"""MX and SRV sources against a DNS server on 127.0.0.1."""

from __future__ import annotations

import threading
import time

import pytest

from assistant.core.address import parse
from assistant.core.ports import InputError
from assistant.discovery.dns import Nameserver, parse_nameserver
from assistant.discovery.result import ErrorKind, Found, NetworkError, NotFound
from assistant.discovery.sources.mx import MxSource
from assistant.discovery.sources.srv import SrvSource

from .conftest import LoopbackDns, LoopbackWeb, config_xml


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("127.0.0.1", Nameserver("127.0.0.1", 53)),
        ("127.0.0.1:5353", Nameserver("127.0.0.1", 5353)),
        (" ::1 ", Nameserver("::1", 53)),
        ("[::1]:5353", Nameserver("::1", 5353)),
    ],
)
def test_parse_nameserver(text: str, expected: Nameserver) -> None:
    assert parse_nameserver(text) == expected


@pytest.mark.parametrize(
    "text", ["dns.example.com", "1.2.3.4:0", "1.2.3.4:x", "[::1]x", "", "1.2.3"]
)
def test_parse_nameserver_refuses(text: str) -> None:
    with pytest.raises(InputError):
        parse_nameserver(text)


def _mx(dns_server: LoopbackDns, web: LoopbackWeb, ispdb: bool = True) -> MxSource:
    return MxSource(
        3.0, dns_server.nameserver, web.http_settings(), web.ispdb_url if ispdb else None
    )


def _ask(source: MxSource | SrvSource, address: str, seconds: float = 3.0):  # type: ignore[no-untyped-def]
    return source.lookup(parse(address), time.monotonic() + seconds, threading.Event())


@pytest.mark.parametrize(
    ("mx", "provider", "smtp_host"),
    [
        ("smile-dental-test.mail.protection.outlook.com", "microsoft365", "smtp.office365.com"),
        ("smtp.secureserver.net", "godaddy", "smtpout.secureserver.net"),
        ("aspmx.l.google.com", "google-workspace", "smtp.gmail.com"),
        ("alt2.aspmx.l.google.com", "google-workspace", "smtp.gmail.com"),
        ("mx.zoho.eu", "zoho-workplace-eu", "smtppro.zoho.eu"),
        ("mail.smile-dental.test", "cpanel", "mail.smile-dental.test"),
        ("smile-dental.test", "cpanel", "mail.smile-dental.test"),
    ],
)
def test_mx_maps_to_known_provider(
    dns_server: LoopbackDns, web: LoopbackWeb, mx: str, provider: str, smtp_host: str
) -> None:
    dns_server.zone.add("smile-dental.test", "MX", f"10 {mx}.")
    result = _ask(_mx(dns_server, web), "anna@smile-dental.test")
    assert isinstance(result, Found), result
    assert result.config.provider_id == provider
    assert result.config.outgoing[0].host == smtp_host
    assert result.trusted is False
    assert mx in result.where
    assert web.requests == []  # a known provider needs no web request


def test_mx_lowest_preference_wins(dns_server: LoopbackDns, web: LoopbackWeb) -> None:
    dns_server.zone.add(
        "acme.test", "MX", "20 smtp.secureserver.net.", "5 acme-test.mail.protection.outlook.com."
    )
    result = _ask(_mx(dns_server, web), "bob@acme.test")
    assert isinstance(result, Found) and result.config.provider_id == "microsoft365"


def test_mx_unknown_provider_asks_ispdb_for_base_domain(
    dns_server: LoopbackDns, web: LoopbackWeb
) -> None:
    # The PSL, not string tricks: the base domain of mx1.eu.bigmail.co.uk is bigmail.co.uk.
    dns_server.zone.add("acme.test", "MX", "10 mx1.eu.bigmail.co.uk.")
    web.route(
        "https://127.0.0.1/v1.1/bigmail.co.uk",
        body=config_xml("bigmail.co.uk", [("smtp.bigmail.co.uk", 465, "SSL")], name="BigMail"),
    )
    result = _ask(_mx(dns_server, web), "bob@acme.test")
    assert isinstance(result, Found), result
    assert result.config.name == "BigMail"
    assert result.trusted is False  # derived from DNS, even though ISPDB came over https
    assert web.seen() == ["https://127.0.0.1/v1.1/bigmail.co.uk"]


def test_mx_unknown_provider_without_ispdb(dns_server: LoopbackDns, web: LoopbackWeb) -> None:
    dns_server.zone.add("acme.test", "MX", "10 mx1.bigmail.co.uk.")
    result = _ask(_mx(dns_server, web, ispdb=False), "bob@acme.test")
    assert isinstance(result, NotFound)
    assert "mx1.bigmail.co.uk" in result.reason
    assert web.requests == []


def test_null_mx(dns_server: LoopbackDns, web: LoopbackWeb) -> None:
    dns_server.zone.add("acme.test", "MX", "0 .")
    result = _ask(_mx(dns_server, web), "bob@acme.test")
    assert isinstance(result, NotFound) and "no mail" in result.reason


def test_missing_domain_and_missing_mx(dns_server: LoopbackDns, web: LoopbackWeb) -> None:
    result = _ask(_mx(dns_server, web), "bob@nowhere.test")
    assert isinstance(result, NotFound) and "does not exist" in result.reason
    dns_server.zone.add("acme.test", "A", "192.0.2.1")
    result = _ask(_mx(dns_server, web), "bob@acme.test")
    assert isinstance(result, NotFound) and "no MX records" in result.reason


def test_mx_timeout_within_deadline(dns_server: LoopbackDns, web: LoopbackWeb) -> None:
    dns_server.zone.drop.add("acme.test")
    start = time.monotonic()
    result = _ask(_mx(dns_server, web), "bob@acme.test", seconds=0.4)
    assert isinstance(result, NetworkError) and result.kind is ErrorKind.TIMEOUT
    assert time.monotonic() - start < 1.5


def test_mx_servfail(dns_server: LoopbackDns, web: LoopbackWeb) -> None:
    dns_server.zone.servfail.add("acme.test")
    result = _ask(_mx(dns_server, web), "bob@acme.test")
    assert isinstance(result, NetworkError) and result.kind is ErrorKind.DNS


def _srv(dns_server: LoopbackDns) -> SrvSource:
    return SrvSource(3.0, dns_server.nameserver)


def test_srv_submission_services(dns_server: LoopbackDns) -> None:
    zone = dns_server.zone
    zone.add("_submissions._tcp.acme.test", "SRV", "0 1 465 mail.acme.test.")
    zone.add("_submission._tcp.acme.test", "SRV", "10 1 587 mail.acme.test.")
    zone.add("_imaps._tcp.acme.test", "SRV", "0 1 993 imap.acme.test.")
    result = _ask(_srv(dns_server), "bob@acme.test")
    assert isinstance(result, Found), result
    assert [(s.host, s.port, s.security.value) for s in result.config.outgoing] == [
        ("mail.acme.test", 465, "tls"),
        ("mail.acme.test", 587, "starttls"),
    ]
    assert result.config.incoming[0].host == "imap.acme.test"
    assert result.trusted is False and result.outside_domain == ()


def test_srv_dot_target_means_not_offered(dns_server: LoopbackDns) -> None:
    dns_server.zone.add("_submissions._tcp.acme.test", "SRV", "0 0 0 .")
    dns_server.zone.add("_submission._tcp.acme.test", "SRV", "0 0 0 .")
    result = _ask(_srv(dns_server), "bob@acme.test")
    assert isinstance(result, NotFound) and "offers no mail submission" in result.reason


def test_srv_dot_on_one_service_keeps_the_other(dns_server: LoopbackDns) -> None:
    dns_server.zone.add("_submissions._tcp.acme.test", "SRV", "0 0 0 .")
    dns_server.zone.add("_submission._tcp.acme.test", "SRV", "0 1 587 smtp.acme.test.")
    result = _ask(_srv(dns_server), "bob@acme.test")
    assert isinstance(result, Found)
    assert [(s.host, s.port) for s in result.config.outgoing] == [("smtp.acme.test", 587)]


def test_srv_target_outside_domain_is_flagged(dns_server: LoopbackDns) -> None:
    dns_server.zone.add("_submissions._tcp.acme.test", "SRV", "0 1 465 smtp.bigisp.example.")
    result = _ask(_srv(dns_server), "bob@acme.test")
    assert isinstance(result, Found)
    assert result.outside_domain == ("smtp.bigisp.example",)
    assert any("outside acme.test" in note for note in result.notes)


def test_srv_missing_and_timeout(dns_server: LoopbackDns) -> None:
    dns_server.zone.add("acme.test", "A", "192.0.2.1")
    result = _ask(_srv(dns_server), "bob@acme.test")
    assert isinstance(result, NotFound) and "no mail service records" in result.reason
    dns_server.zone.drop.add("_submissions._tcp.slow.test")
    dns_server.zone.drop.add("_submission._tcp.slow.test")
    result = _ask(_srv(dns_server), "bob@slow.test", seconds=0.3)
    assert isinstance(result, NetworkError) and result.kind is ErrorKind.TIMEOUT


def test_unreachable_nameserver_is_a_network_error() -> None:
    # A closed UDP port on loopback: the query gets ICMP port unreachable or nothing at all.
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    source = SrvSource(0.5, Nameserver("127.0.0.1", port))
    result = _ask(source, "bob@acme.test", seconds=0.5)
    assert isinstance(result, NetworkError)
