"""DNS look-ups for discovery (MX and SRV), through dnspython with a configurable name server.

A name server given as `IP[:PORT]` lets IT point the assistant at a company resolver, and lets the
tests use a DNS server on loopback instead of the system's. Every dnspython failure is translated
into "nothing there" (`NotFound`) or "could not ask" (`NetworkError`): the two mean different things
to the person (the domain has no such record vs. the network is broken).
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.core.ports import InputError, quoted
from assistant.discovery.result import ErrorKind, NetworkError, NotFound, Origin
from assistant.i18n import N_, Worded

if TYPE_CHECKING:  # dnspython costs ~40 ms to import: only paid when DNS is really asked
    import dns.name
    import dns.resolver


@dataclass(frozen=True, slots=True)
class Nameserver:
    ip: str
    port: int = 53

    def __str__(self) -> str:
        host = f"[{self.ip}]" if ":" in self.ip else self.ip
        return f"{host}:{self.port}"


def parse_nameserver(text: str) -> Nameserver:
    """`1.2.3.4`, `1.2.3.4:5353`, `::1`, `[::1]:5353` → Nameserver; InputError otherwise."""
    spec = text.strip()
    port_text = ""
    if spec.startswith("["):
        host, _, rest = spec[1:].partition("]")
        if rest:
            if not rest.startswith(":"):
                raise InputError(
                    N_("“{text}” is not a name server: write it like 192.0.2.53:53."),
                    text=quoted(text),
                )
            port_text = rest[1:]
    elif spec.count(":") == 1:
        host, _, port_text = spec.partition(":")
    else:
        host = spec
    try:
        ip = str(ipaddress.ip_address(host))
    except ValueError:
        raise InputError(
            N_(
                "“{text}” is not a name server address: write an IP, like 192.0.2.53 or "
                "[2001:db8::53]:53."
            ),
            text=quoted(text),
        ) from None
    port = 53
    if port_text:
        if (
            not (port_text.isascii() and port_text.isdigit())
            or len(port_text) > 5
            or not 0 < int(port_text) < 65536
        ):
            raise InputError(
                N_("“{port}” is not a port number (use 1 to 65535)."), port=quoted(port_text)
            )
        port = int(port_text)
    return Nameserver(ip, port)


@dataclass(frozen=True, slots=True)
class Record:
    """An MX or SRV answer: `priority` is the MX preference or SRV priority."""

    target: str
    priority: int
    weight: int = 0
    port: int = 0


def lookup(
    name: str,
    rdtype: str,
    nameserver: Nameserver | None,
    deadline: float,
    origin: Origin,
) -> list[Record] | NotFound | NetworkError:
    """Ask for `rdtype` records of `name` before `deadline` (monotonic)."""
    import dns.exception
    import dns.resolver

    remaining = deadline - time.monotonic()
    if remaining <= 0:
        return NetworkError(origin, ErrorKind.TIMEOUT, Worded(N_("no time was left to ask DNS")))
    try:
        resolver = _resolver(nameserver, remaining)
        answer = resolver.resolve(name, rdtype, search=False, raise_on_no_answer=True)
    except dns.resolver.NXDOMAIN:
        return NotFound(origin, Worded(N_("{name} does not exist in DNS"), name=name))
    except dns.resolver.NoAnswer:
        return NotFound(origin, Worded(N_("{name} has no {type} records"), name=name, type=rdtype))
    except dns.resolver.NoNameservers:
        why = Worded(N_("the name server could not answer (SERVFAIL)"))
        return NetworkError(origin, ErrorKind.DNS, why)
    except dns.exception.Timeout:
        why = Worded(N_("the name server did not answer in time"))
        return NetworkError(origin, ErrorKind.TIMEOUT, why)
    except dns.resolver.NoResolverConfiguration:
        why = Worded(N_("this computer has no name server configured"))
        return NetworkError(origin, ErrorKind.DNS, why)
    except (dns.exception.DNSException, OSError, ValueError) as exc:
        why = Worded(N_("DNS look-up failed ({error})"), error=type(exc).__name__)
        return NetworkError(origin, ErrorKind.DNS, why)
    return _records(answer, rdtype)


def _resolver(nameserver: Nameserver | None, lifetime: float) -> dns.resolver.Resolver:
    import dns.resolver

    if nameserver is None:
        resolver = dns.resolver.Resolver(configure=True)
    else:
        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers = [nameserver.ip]
        resolver.port = nameserver.port
    resolver.lifetime = lifetime
    resolver.timeout = lifetime
    resolver.cache = None
    return resolver


def _records(answer: dns.resolver.Answer, rdtype: str) -> list[Record]:
    records: list[Record] = []
    for rdata in answer:
        if rdtype == "MX":
            records.append(Record(_host(rdata.exchange), int(rdata.preference)))
        else:
            records.append(
                Record(_host(rdata.target), int(rdata.priority), int(rdata.weight), int(rdata.port))
            )
    return sorted(records, key=lambda r: (r.priority, -r.weight, r.target))


def _host(name: dns.name.Name) -> str:
    """The record's target as lower-case text without the final dot; "." stays "."."""
    text = name.to_text(omit_final_dot=True).lower()
    return text or "."


def within(host: str, domain: str) -> bool:
    """Is `host` the domain itself or a name under it?"""
    return host == domain or host.endswith("." + domain)


def sorted_unique(records: Sequence[Record]) -> list[Record]:
    seen: set[tuple[str, int]] = set()
    unique = []
    for record in records:
        if (record.target, record.port) not in seen:
            seen.add((record.target, record.port))
            unique.append(record)
    return unique
