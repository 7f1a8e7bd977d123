"""Turning what the person typed into candidates to test.

Well-known ports imply their mode (465, 993, 995 implicit TLS; 587, 25, 26, 2525, 143, 110
STARTTLS-if-offered); any other port is detected from what the server does first. A port spec may
name its protocol (`imap:993`, `pop3:110/starttls`, `smtp:2525`); a bare port is SMTP.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from assistant.core.address import InputError, is_host_label, normalise_domain
from assistant.core.models import Candidate, Protocol, Security
from assistant.i18n import N_

__all__ = [
    "HostHasPort",
    "InputError",
    "PortSpec",
    "TypedServer",
    "all_default_ports",
    "build_candidates",
    "build_guess_candidates",
    "default_incoming_ports",
    "default_ports",
    "guess_hosts",
    "guess_incoming_hosts",
    "normalise_domain",
    "normalise_host",
    "parse_ports",
    "parse_server",
    "parse_servers",
    "port_label",
    "split_host_port",
    "typed_candidates",
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
    (Protocol.IMAP, 993): N_("keeps mail on the server"),
    (Protocol.IMAP, 143): N_("keeps mail on the server"),
    (Protocol.POP3, 995): N_("downloads mail to this computer"),
    (Protocol.POP3, 110): N_("downloads mail to this computer"),
}
"""Why a receiving port is in the list: what that way of receiving does with the mail."""

PROTOCOL_PREFIXES: dict[str, Protocol] = {
    "smtp": Protocol.SMTP,
    "imap": Protocol.IMAP,
    "pop3": Protocol.POP3,
    "pop": Protocol.POP3,
}


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


MAX_QUOTED = 40
"""What the person typed is quoted back at most this long in a message."""


def quoted(text: str, limit: int = MAX_QUOTED) -> str:
    """Typed text safe to quote in a sentence: unprintable characters replaced, shortened."""
    text = "".join(c if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF else "�" for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class HostHasPort(InputError):
    """A server name was typed with a port ("mail.example.com:587"); front ends say where the
    port goes instead (the CLI's --ports, the wizard's port field)."""

    def __init__(self, host: str, port: int) -> None:
        super().__init__(
            N_("“{host}” is a server name with a port ({port}) after it."),
            host=quoted(host),
            port=port,
        )
        self.host = host
        self.port = port


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
                    N_("“{port}”: before the colon write smtp, imap or pop3 (like imap:993)."),
                    port=quoted(raw.strip()),
                )
            protocol = PROTOCOL_PREFIXES[prefix]
        port_text, _, mode = item.partition("/")
        if not (port_text.isascii() and port_text.isdigit()) or len(port_text) > 5:
            raise InputError(
                N_("“{port}” is not a port number (use numbers from 1 to 65535)."),
                port=quoted(raw.strip()),
            )
        if not 0 < int(port_text) < 65536:
            raise InputError(
                N_("“{port}” is not a port number (use numbers from 1 to 65535)."),
                port=quoted(raw.strip()),
            )
        port = int(port_text)
        if mode in ("", "auto"):
            security = well_known(protocol, port)
        elif mode in ("tls", "ssl"):
            security = Security.IMPLICIT_TLS
        elif mode == "starttls":
            security = Security.STARTTLS
        else:
            raise InputError(
                N_("“{port}”: after the slash write tls or starttls."), port=quoted(raw.strip())
            )
        if all((s.protocol, s.port) != (protocol, port) for s in specs):
            specs.append(PortSpec(port, security, protocol))
    if not specs:
        raise InputError(N_("No ports given: write them like 465,587,25."))
    return specs


@dataclass(frozen=True, slots=True)
class TypedServer:
    """One server the person typed: its name, and the port when they wrote one (`host:port`).
    With a port, only that port is tested on that host; without, the usual ones."""

    host: str
    port: PortSpec | None = None

    @property
    def label(self) -> str:
        """As the person would write it: `smtp.example.com:587`, `[::1]:587`."""
        if self.port is None:
            return self.host
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port.port}"


def parse_server(text: str) -> TypedServer:
    """Read `host`, `host:port`, `host:port/tls`, `[IPv6]:port` or a bare IPv6 address."""
    text = text.strip()
    port_text: str | None = None
    if text.startswith("["):
        close = text.find("]")
        if close < 0:
            raise InputError(
                N_("The bracket around the server's number is not closed, like [::1]:587.")
            )
        host_text, rest = text[1:close], text[close + 1 :]
        if rest and not rest.startswith(":"):
            raise InputError(
                N_("After the closing bracket, write a colon and the port, like [::1]:587.")
            )
        port_text = rest[1:] if rest else None
    elif text.count(":") == 1:
        host_text, port_text = text.split(":")
    else:  # a name, or a bare IPv6 address (its colons are not a port)
        host_text = text
    host = normalise_host(host_text)
    if port_text is None:
        return TypedServer(host)
    if not port_text.strip():
        raise InputError(N_("After the colon, write the port number, like smtp.example.com:587."))
    return TypedServer(host, _typed_port(parse_ports(port_text)[0], port_text))


def _typed_port(spec: PortSpec, text: str) -> PortSpec:
    """A bare receiving port in the server field means that protocol: `imap.example.com:993` is
    IMAP with SSL/TLS, `:995` POP3, not a sending port of unknown mode (`--ports` keeps bare
    ports for sending, as documented; a prefix like `imap:` says it outright)."""
    if ":" in text or spec.protocol is not Protocol.SMTP or spec.port in WELL_KNOWN:
        return spec
    for protocol in (Protocol.IMAP, Protocol.POP3):
        known = WELL_KNOWN_INCOMING[protocol].get(spec.port)
        if known is not None:
            mode = spec.security if spec.security is not Security.AUTO else known
            return PortSpec(spec.port, mode, protocol)
    return spec


def parse_servers(text: str) -> list[TypedServer]:
    """The comma-separated servers of the server field, each once (empty: none typed)."""
    servers: list[TypedServer] = []
    for part in text.split(","):
        if part.strip():
            server = parse_server(part)
            if server not in servers:
                servers.append(server)
    return servers


def typed_candidates(servers: list[TypedServer], ports: list[PortSpec]) -> list[Candidate]:
    """The candidates for typed servers: a server's own port, else each of `ports`."""
    candidates: dict[str, Candidate] = {}
    for server in servers:
        for candidate in build_candidates([server.host], [server.port] if server.port else ports):
            candidates.setdefault(candidate.key, candidate)
    return list(candidates.values())


def guess_hosts(domain: str) -> list[str]:
    return [f"smtp.{domain}", f"mail.{domain}", domain]


def guess_incoming_hosts(domain: str, protocol: Protocol) -> list[str]:
    """The usual names of a domain's incoming servers (imap., pop., pop3., mail., the domain)."""
    if protocol is Protocol.IMAP:
        return [f"imap.{domain}", f"mail.{domain}", domain]
    if protocol is Protocol.POP3:
        return [f"pop.{domain}", f"pop3.{domain}", f"mail.{domain}", domain]
    return guess_hosts(domain)


def split_host_port(text: str) -> tuple[str, int | None]:
    """("mail.example.com", 587) for "mail.example.com:587" or "[::1]:587"; (text, None) when no
    port was typed. A bare IPv6 address ("::1") has no port. InputError for a port that is no
    number from 1 to 65535."""
    text = text.strip()
    if text.startswith("["):
        inside, bracket, rest = text[1:].partition("]")
        if bracket and rest.startswith(":"):
            return inside, _port_number(rest[1:], text)
        return text, None
    if text.count(":") != 1:
        return text, None  # no colon, or an IPv6 address
    host, _, port = text.partition(":")
    return host, _port_number(port, text)


def _port_number(text: str, whole: str) -> int:
    if text.isascii() and text.isdigit() and len(text) <= 5 and 0 < int(text) < 65536:
        return int(text)
    raise InputError(
        N_("“{text}” is not a server name (a port is a number up to 65535)."), text=quoted(whole)
    )


def normalise_host(host: str) -> str:
    """A server name or IP address in canonical form; InputError (a sentence for the person)
    otherwise. "name:port" raises HostHasPort; malformed IPv4 ("999.1.1.1", "1.2.3") is refused
    rather than looked up in DNS."""
    host = host.strip().rstrip(".").lower()
    if not host:
        raise InputError(N_("The server name is empty."))
    name, port = split_host_port(host)
    if port is not None:
        raise HostHasPort(name, port)
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if ":" in host:
        try:
            return str(ipaddress.IPv6Address(host))
        except ValueError:
            raise InputError(
                N_("“{host}” is not a valid server address."), host=quoted(host)
            ) from None
    if all(c.isdigit() or c == "." for c in host):
        try:
            return str(ipaddress.IPv4Address(host))
        except ValueError:
            raise InputError(
                N_(
                    "“{host}” is not a valid IP address (four numbers from 0 to 255, "
                    "like 192.0.2.10)."
                ),
                host=quoted(host),
            ) from None
    return normalise_domain(host) if "." in host else _single_label(host)


def _single_label(host: str) -> str:
    if not is_host_label(host):
        raise InputError(N_("“{host}” is not a valid server name."), host=quoted(host))
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


def usual_port_numbers(*, receiving: bool) -> str:
    """The ports one half tests when none are chosen, as words say them ("993, 143, 995, 110"):
    for texts that describe what is contacted, so they can never drift from what is tested."""
    specs = default_incoming_ports() if receiving else default_ports()
    return ", ".join(str(spec.port) for spec in specs)


def all_default_ports() -> list[PortSpec]:
    """Both halves: what `check` tests without `--ports`."""
    return default_ports() + default_incoming_ports()
