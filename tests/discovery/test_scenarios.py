"""End to end without the internet: an address in, the engine's candidates out.

Gmail and Outlook.com come from the bundled database (offline); Microsoft 365 and GoDaddy custom
domains from their MX on the loopback DNS server; a cPanel-hosted domain from its own autoconfig
file on the local HTTPS server, and from its MX when it publishes none.
"""

from __future__ import annotations

from collections.abc import Callable

from assistant.core.models import Security
from assistant.core.ports import PortSpec
from assistant.discovery import DiscoveryOptions, discover, to_candidates
from assistant.discovery.model import RequirementKind
from assistant.discovery.result import Origin

from .conftest import LoopbackDns, LoopbackWeb, config_xml

TLS, STARTTLS = Security.IMPLICIT_TLS, Security.STARTTLS


def _rows(candidates: list) -> list[tuple[str, int, Security, bool]]:  # type: ignore[type-arg]
    return [(c.host, c.port, c.security, c.documented) for c in candidates]


def test_gmail_offline() -> None:
    result = discover("Ana.Lopez@GMail.com", DiscoveryOptions(offline=True))
    assert result.found is not None and result.found.origin is Origin.DATABASE
    assert result.trusted
    assert _rows(to_candidates(result)) == [
        ("smtp.gmail.com", 465, TLS, True),
        ("smtp.gmail.com", 587, STARTTLS, True),
    ]
    assert result.config is not None
    assert result.config.requirements[0].kind is RequirementKind.APP_PASSWORD


def test_outlook_com_offline() -> None:
    result = discover("someone@hotmail.co.uk", DiscoveryOptions(offline=True))
    assert result.config is not None and result.config.provider_id == "outlook-com"
    assert _rows(to_candidates(result)) == [("smtp-mail.outlook.com", 587, STARTTLS, True)]
    assert result.config.requirements[0].kind is RequirementKind.OAUTH_ONLY


def test_microsoft_365_custom_domain_by_mx(
    dns_server: LoopbackDns, make_options: Callable[..., DiscoveryOptions]
) -> None:
    dns_server.zone.add(
        "smile-dental.test", "MX", "0 smile-dental-test.mail.protection.outlook.com."
    )
    result = discover("reception@smile-dental.test", make_options())
    assert result.found is not None and result.found.origin is Origin.MX
    assert result.found.trusted is False
    assert result.config is not None and result.config.provider_id == "microsoft365"
    assert _rows(to_candidates(result)) == [("smtp.office365.com", 587, STARTTLS, True)]
    kinds = [r.kind for r in result.config.requirements]
    assert RequirementKind.ADMIN_MUST_ENABLE in kinds


def test_godaddy_by_mx(
    dns_server: LoopbackDns, make_options: Callable[..., DiscoveryOptions]
) -> None:
    dns_server.zone.add(
        "acme.test", "MX", "0 smtp.secureserver.net.", "10 mailstore1.secureserver.net."
    )
    result = discover("owner@acme.test", make_options())
    assert result.config is not None and result.config.provider_id == "godaddy"
    assert _rows(to_candidates(result)) == [
        ("smtpout.secureserver.net", 465, TLS, True),
        ("smtpout.secureserver.net", 587, STARTTLS, True),
        ("smtpout.secureserver.net", 25, STARTTLS, False),
        ("smtpout.secureserver.net", 26, STARTTLS, False),
        ("smtpout.secureserver.net", 2525, STARTTLS, False),
    ]


CPANEL_HOSTING = [
    ("mail.smile-dental.test", 465, TLS, True),
    ("mail.smile-dental.test", 587, STARTTLS, True),
    ("mail.smile-dental.test", 25, STARTTLS, False),
    ("mail.smile-dental.test", 26, STARTTLS, False),
    ("mail.smile-dental.test", 2525, STARTTLS, False),
]


def test_cpanel_by_its_own_autoconfig(
    dns_server: LoopbackDns, web: LoopbackWeb, make_options: Callable[..., DiscoveryOptions]
) -> None:
    # cPanel publishes autoconfig.<domain>; the answer is trusted (https, verified certificate).
    dns_server.zone.add("smile-dental.test", "MX", "0 smile-dental.test.")
    web.route(
        "https://autoconfig.smile-dental.test/mail/config-v1.1.xml"
        "?emailaddress=office@smile-dental.test",
        body=config_xml(
            "smile-dental.test",
            [("mail.smile-dental.test", 465, "SSL"), ("mail.smile-dental.test", 587, "STARTTLS")],
        ),
    )
    result = discover("office@smile-dental.test", make_options())
    assert result.found is not None and result.found.origin is Origin.AUTOCONFIG
    assert result.trusted
    assert _rows(to_candidates(result)) == CPANEL_HOSTING


def test_cpanel_by_mx_when_no_autoconfig(
    dns_server: LoopbackDns, make_options: Callable[..., DiscoveryOptions]
) -> None:
    dns_server.zone.add("smile-dental.test", "MX", "0 mail.smile-dental.test.")
    result = discover("office@smile-dental.test", make_options())
    assert result.config is not None and result.config.provider_id == "cpanel"
    assert _rows(to_candidates(result)) == CPANEL_HOSTING


def test_unknown_domain_falls_back_to_guesses(
    dns_server: LoopbackDns, make_options: Callable[..., DiscoveryOptions]
) -> None:
    dns_server.zone.add("acme.test", "A", "192.0.2.1")
    result = discover("bob@acme.test", make_options())
    assert result.found is not None and result.found.origin is Origin.GUESS
    hosts = {c.host for c in to_candidates(result)}
    assert hosts == {"smtp.acme.test", "mail.acme.test", "acme.test"}


def test_ports_override_keeps_discovered_hosts() -> None:
    result = discover("ana@gmail.com", DiscoveryOptions(offline=True))
    candidates = to_candidates(result, ports=[PortSpec(2525, STARTTLS)])
    assert _rows(candidates) == [("smtp.gmail.com", 2525, STARTTLS, False)]


def test_idn_domain_is_asked_in_ascii(
    dns_server: LoopbackDns, make_options: Callable[..., DiscoveryOptions]
) -> None:
    dns_server.zone.add(
        "xn--bcher-kva.test", "MX", "0 xn--bcher-kva-test.mail.protection.outlook.com."
    )
    result = discover("Anna@BÜCHER.test.", make_options())
    assert result.config is not None and result.config.provider_id == "microsoft365"
    assert ("xn--bcher-kva.test", "MX") in dns_server.zone.queries
