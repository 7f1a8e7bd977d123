"""Turning what the person typed into candidates to test.

Well-known ports imply their mode (465, 993, 995 implicit TLS; 587, 25, 26, 2525, 143, 110
STARTTLS-if-offered); any other port is detected from what the server does first. A port spec may
name its protocol (`imap:993`, `pop3:110/starttls`, `smtp:2525`); a bare port is SMTP.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.core.address import InputError, normalise_domain, parse_address
from assistant.core.models import Candidate, Protocol, Security

__all__ = [
    "InputError",
    "PortSpec",
    "all_default_ports",
    "build_candidates",
    "build_guess_candidates",
    "default_incoming_ports",
    "default_ports",
    "guess_hosts",
    "guess_incoming_hosts",
    "normalise_domain",
    "normalise_host",
    "parse_address",
    "parse_ports",
    "port_label",
]

DEFAULT_PORTS = (465, 587, 25, 26, 2525)

WELL_KNOWN: dict[int, Security] = {
    465: Security.IMPLICIT_TLS,
    587: Security.STARTTLS,
    25: Security.STARTTLS,
    26: Security.STARTTLS,
    2525: Security.STARTTLS,
}

PORT_LABELS: dict[int, str] = {
    465: "encrypted submission",
    587: "submission",
    25: "classic mail port",
    26: "hosting alternative to port 25",
    2525: "hosting alternative to port 25",
}

DEFAULT_INCOMING_PORTS: dict[Protocol, tuple[int, ...]] = {
    Protocol.IMAP: (993, 143),
    Protocol.POP3: (995, 110),
}
"""RFC 8314: implicit TLS first, STARTTLS/STLS as the fallback."""

WELL_KNOWN_INCOMING: dict[Protocol, dict[int, Security]] = {
    Protocol.IMAP: {993: Security.IMPLICIT_TLS, 143: Security.STARTTLS},
    Protocol.POP3: {995: Security.IMPLICIT_TLS, 110: Security.STARTTLS},
}

INCOMING_LABELS: dict[tuple[Protocol, int], str] = {
    (Protocol.IMAP, 993): "keeps mail on the server",
    (Protocol.IMAP, 143): "keeps mail on the server",
    (Protocol.POP3, 995): "downloads mail to this computer",
    (Protocol.POP3, 110): "downloads mail to this computer",
}
"""Why a receiving port is in the list: what that way of receiving does with the mail."""

PROTOCOL_PREFIXES: dict[str, Protocol] = {
    "smtp": Protocol.SMTP,
    "imap": Protocol.IMAP,
    "pop3": Protocol.POP3,
    "pop": Protocol.POP3,
}

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


@dataclass(frozen=True, slots=True)
class PortSpec:
    port: int
    security: Security
    protocol: Protocol = Protocol.SMTP


def well_known(protocol: Protocol, port: int) -> Security:
    """The mode a well-known port implies, or AUTO (detected) for any other port."""
    if protocol is Protocol.SMTP:
        return WELL_KNOWN.get(port, Security.AUTO)
    return WELL_KNOWN_INCOMING[protocol].get(port, Security.AUTO)


def port_label(protocol: Protocol, port: int) -> str:
    if protocol is Protocol.SMTP:
        return PORT_LABELS.get(port, "")
    return INCOMING_LABELS.get((protocol, port), "")


def parse_ports(spec: str) -> list[PortSpec]:
    """Parse "465,587/starttls,2526/tls,8025,imap:993,pop3:110/starttls" into port specs."""
    specs: list[PortSpec] = []
    for raw in spec.split(","):
        item = raw.strip().lower()
        if not item:
            continue
        protocol = Protocol.SMTP
        if ":" in item:
            prefix, _, item = item.partition(":")
            if prefix not in PROTOCOL_PREFIXES:
                raise InputError(
                    f"“{raw.strip()}”: before the colon write smtp, imap or pop3 (like imap:993)."
                )
            protocol = PROTOCOL_PREFIXES[prefix]
        port_text, _, mode = item.partition("/")
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise InputError(f"“{raw.strip()}” is not a port number (use numbers from 1 to 65535).")
        port = int(port_text)
        if mode in ("", "auto"):
            security = well_known(protocol, port)
        elif mode in ("tls", "ssl"):
            security = Security.IMPLICIT_TLS
        elif mode == "starttls":
            security = Security.STARTTLS
        else:
            raise InputError(f"“{raw.strip()}”: after the slash write tls or starttls.")
        if all((s.protocol, s.port) != (protocol, port) for s in specs):
            specs.append(PortSpec(port, security, protocol))
    if not specs:
        raise InputError("No ports given: write them like 465,587,25.")
    return specs


def guess_hosts(domain: str) -> list[str]:
    return [f"smtp.{domain}", f"mail.{domain}", domain]


def guess_incoming_hosts(domain: str, protocol: Protocol) -> list[str]:
    """The usual names of a domain's incoming servers (imap., pop., pop3., mail., the domain)."""
    if protocol is Protocol.IMAP:
        return [f"imap.{domain}", f"mail.{domain}", domain]
    if protocol is Protocol.POP3:
        return [f"pop.{domain}", f"pop3.{domain}", f"mail.{domain}", domain]
    return guess_hosts(domain)


def normalise_host(host: str) -> str:
    host = host.strip().rstrip(".").lower()
    if host.startswith("[") and host.endswith("]"):
        return host[1:-1]
    if not host:
        raise InputError("The server name is empty.")
    if all(c.isdigit() or c in ".:" for c in host):
        return host
    return normalise_domain(host) if "." in host else _single_label(host)


def _single_label(host: str) -> str:
    if not _LABEL.match(host):
        raise InputError(f"“{host}” is not a valid server name.")
    return host


def build_candidates(hosts: list[str], ports: list[PortSpec]) -> list[Candidate]:
    """Every port on every host (the names the person gave serve sending and receiving alike)."""
    return [
        Candidate(
            host,
            spec.port,
            spec.security,
            port_label(spec.protocol, spec.port),
            protocol=spec.protocol,
        )
        for host in hosts
        for spec in ports
    ]


def build_guess_candidates(domain: str, ports: list[PortSpec]) -> list[Candidate]:
    """Each protocol's ports on that protocol's usual names (smtp./imap./pop./mail./domain)."""
    candidates: list[Candidate] = []
    for protocol in Protocol:
        specs = [s for s in ports if s.protocol is protocol]
        if specs:
            hosts = guess_incoming_hosts(domain, protocol)
            candidates += build_candidates(hosts, specs)
    return candidates


def default_ports() -> list[PortSpec]:
    """The sending half's ports."""
    return [PortSpec(p, WELL_KNOWN[p]) for p in DEFAULT_PORTS]


def default_incoming_ports() -> list[PortSpec]:
    """The receiving half's ports: IMAP 993, 143 and POP3 995, 110."""
    return [
        PortSpec(port, WELL_KNOWN_INCOMING[protocol][port], protocol)
        for protocol, ports in DEFAULT_INCOMING_PORTS.items()
        for port in ports
    ]


def all_default_ports() -> list[PortSpec]:
    """Both halves: what `check` tests without `--ports`."""
    return default_ports() + default_incoming_ports()
