"""Every discovery source proposes the receiving half too: IMAP and POP3 candidates with the same
origin and trust marks as the sending ones (DESIGN §6; issue "Receiving mail too")."""

from __future__ import annotations

from collections.abc import Callable

from assistant.core.address import parse
from assistant.core.models import Protocol, Security
from assistant.core.ports import PortSpec
from assistant.discovery import DiscoveryOptions, discover, to_candidates
from assistant.discovery.database import bundled
from assistant.discovery.result import Origin
from assistant.discovery.server_candidates import incoming_candidates

from .conftest import LoopbackDns, LoopbackWeb, config_xml

TLS, STARTTLS = Security.IMPLICIT_TLS, Security.STARTTLS
IMAP, POP3, SMTP = Protocol.IMAP, Protocol.POP3, Protocol.SMTP


def _rows(candidates: list) -> list[tuple[str, str, int, Security, bool]]:  # type: ignore[type-arg]
    return [(c.protocol.value, c.host, c.port, c.security, c.documented) for c in candidates]


def test_database_gives_both_halves_documented_first() -> None:
    result = discover("ana@gmail.com", DiscoveryOptions(offline=True))
    assert _rows(to_candidates(result, incoming=True)) == [
        ("smtp", "smtp.gmail.com", 465, TLS, True),
        ("smtp", "smtp.gmail.com", 587, STARTTLS, True),
        ("imap", "imap.gmail.com", 993, TLS, True),
        ("pop3", "pop.gmail.com", 995, TLS, True),
    ]


def test_hosting_provider_adds_the_other_standard_port() -> None:
    """Hosting (cPanel and the like): mail.<domain> with STARTTLS on 143/110 as well."""
    cpanel = bundled().by_id("cpanel")
    assert cpanel is not None
    config = cpanel.config.for_address(parse("office@smile-dental.test"))
    rows = _rows(incoming_candidates(config))
    assert rows == [
        ("imap", "mail.smile-dental.test", 993, TLS, True),
        ("pop3", "mail.smile-dental.test", 995, TLS, True),
        ("imap", "mail.smile-dental.test", 143, STARTTLS, False),
        ("pop3", "mail.smile-dental.test", 110, STARTTLS, False),
    ]


def test_sending_only_unless_asked() -> None:
    """The wizard's list stays the sending half until its pages show receiving."""
    result = discover("ana@gmail.com", DiscoveryOptions(offline=True))
    assert {c.protocol for c in to_candidates(result)} == {SMTP}


def test_ports_override_per_protocol_on_that_protocols_hosts() -> None:
    result = discover("ana@gmail.com", DiscoveryOptions(offline=True))
    ports = [PortSpec(465, TLS), PortSpec(993, TLS, IMAP), PortSpec(110, STARTTLS, POP3)]
    assert _rows(to_candidates(result, ports=ports, incoming=True)) == [
        ("smtp", "smtp.gmail.com", 465, TLS, False),
        ("imap", "imap.gmail.com", 993, TLS, False),
        ("pop3", "pop.gmail.com", 110, STARTTLS, False),
    ]


def test_guesses_use_each_protocols_usual_names(
    dns_server: LoopbackDns, make_options: Callable[..., DiscoveryOptions]
) -> None:
    dns_server.zone.add("acme.test", "A", "192.0.2.1")
    result = discover("bob@acme.test", make_options())
    assert result.found is not None and result.found.origin is Origin.GUESS
    assert result.found.trusted is False
    candidates = to_candidates(result, incoming=True)
    hosts = {
        p: [c.host for c in candidates if c.protocol is p and c.port in (993, 995)]
        for p in (IMAP, POP3)
    }
    assert hosts[IMAP] == ["imap.acme.test", "mail.acme.test", "acme.test"]
    assert hosts[POP3] == ["pop.acme.test", "pop3.acme.test", "mail.acme.test", "acme.test"]
    assert {(c.protocol, c.port) for c in candidates if c.protocol.incoming} == {
        (IMAP, 993),
        (IMAP, 143),
        (POP3, 995),
        (POP3, 110),
    }
    guessed = {(s.protocol, s.host) for s in result.found.config.incoming}
    assert (POP3, "pop3.acme.test") in guessed and (IMAP, "imap.acme.test") in guessed


def test_srv_records_propose_incoming_servers(
    dns_server: LoopbackDns, make_options: Callable[..., DiscoveryOptions]
) -> None:
    zone = dns_server.zone
    zone.add("_submissions._tcp.srv-mail.test", "SRV", "0 1 465 smtp.srv-mail.test.")
    zone.add("_imaps._tcp.srv-mail.test", "SRV", "0 1 993 imap.srv-mail.test.")
    zone.add("_pop3._tcp.srv-mail.test", "SRV", "0 1 110 pop.srv-mail.test.")
    result = discover("eve@srv-mail.test", make_options())
    assert result.found is not None and result.found.origin is Origin.SRV
    assert result.found.trusted is False  # DNS without DNSSEC
    rows = _rows(to_candidates(result, incoming=True))
    assert ("imap", "imap.srv-mail.test", 993, TLS, True) in rows
    assert ("pop3", "pop.srv-mail.test", 110, STARTTLS, True) in rows


def test_autoconfig_incoming_server_becomes_a_trusted_candidate(
    dns_server: LoopbackDns, web: LoopbackWeb, make_options: Callable[..., DiscoveryOptions]
) -> None:
    dns_server.zone.add("smile-dental.test", "MX", "0 smile-dental.test.")
    web.route(
        "https://autoconfig.smile-dental.test/mail/config-v1.1.xml"
        "?emailaddress=office@smile-dental.test",
        body=config_xml(
            "smile-dental.test",
            [("mail.smile-dental.test", 465, "SSL")],
            imap=("mail.smile-dental.test", 993, "SSL"),
        ),
    )
    result = discover("office@smile-dental.test", make_options())
    assert result.found is not None and result.found.origin is Origin.AUTOCONFIG
    assert result.trusted
    incoming = [c for c in to_candidates(result, incoming=True) if c.protocol.incoming]
    assert _rows(incoming)[0] == ("imap", "mail.smile-dental.test", 993, TLS, True)
    assert ("imap", "mail.smile-dental.test", 143, STARTTLS, False) in _rows(incoming)
