"""Turning what the person typed into candidates to test.

Well-known ports imply their mode (465 implicit TLS; 587, 25, 26, 2525 STARTTLS-if-offered); any
other port is detected from what the server does first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.core.address import InputError, normalise_domain, parse_address
from assistant.core.models import Candidate, Security
from assistant.i18n import N_

__all__ = [
    "InputError",
    "PortSpec",
    "build_candidates",
    "default_ports",
    "guess_hosts",
    "normalise_domain",
    "normalise_host",
    "parse_address",
    "parse_ports",
]

DEFAULT_PORTS = (465, 587, 25, 26, 2525)

WELL_KNOWN: dict[int, Security] = {
    465: Security.IMPLICIT_TLS,
    587: Security.STARTTLS,
    25: Security.STARTTLS,
    26: Security.STARTTLS,
    2525: Security.STARTTLS,
}

PORT_LABELS: dict[int, str] = {  # translated where shown
    465: N_("encrypted submission"),
    587: N_("submission"),
    25: N_("classic mail port"),
    26: N_("hosting alternative to port 25"),
    2525: N_("hosting alternative to port 25"),
}

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


@dataclass(frozen=True, slots=True)
class PortSpec:
    port: int
    security: Security


def parse_ports(spec: str) -> list[PortSpec]:
    """Parse "465,587/starttls,2526/tls,8025" into port specs."""
    specs: list[PortSpec] = []
    for raw in spec.split(","):
        item = raw.strip().lower()
        if not item:
            continue
        port_text, _, mode = item.partition("/")
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise InputError(
                N_("“{port}” is not a port number (use numbers from 1 to 65535)."), port=raw.strip()
            )
        port = int(port_text)
        if mode in ("", "auto"):
            security = WELL_KNOWN.get(port, Security.AUTO)
        elif mode in ("tls", "ssl"):
            security = Security.IMPLICIT_TLS
        elif mode == "starttls":
            security = Security.STARTTLS
        else:
            raise InputError(
                N_("“{port}”: after the slash write tls or starttls."), port=raw.strip()
            )
        if all(s.port != port for s in specs):
            specs.append(PortSpec(port, security))
    if not specs:
        raise InputError(N_("No ports given: write them like 465,587,25."))
    return specs


def guess_hosts(domain: str) -> list[str]:
    return [f"smtp.{domain}", f"mail.{domain}", domain]


def normalise_host(host: str) -> str:
    host = host.strip().rstrip(".").lower()
    if host.startswith("[") and host.endswith("]"):
        return host[1:-1]
    if not host:
        raise InputError(N_("The server name is empty."))
    if all(c.isdigit() or c in ".:" for c in host):
        return host
    return normalise_domain(host) if "." in host else _single_label(host)


def _single_label(host: str) -> str:
    if not _LABEL.match(host):
        raise InputError(N_("“{host}” is not a valid server name."), host=host)
    return host


def build_candidates(hosts: list[str], ports: list[PortSpec]) -> list[Candidate]:
    return [
        Candidate(host, spec.port, spec.security, PORT_LABELS.get(spec.port, ""))
        for host in hosts
        for spec in ports
    ]


def default_ports() -> list[PortSpec]:
    return [PortSpec(p, WELL_KNOWN[p]) for p in DEFAULT_PORTS]
