"""Source: RFC 6186 / RFC 8314 service records (`_submissions._tcp`, `_submission._tcp`, …).

A domain can publish where its mail services live. A target of "." says the service is deliberately
not offered; a target outside the email domain (say `mail.bigisp.net` for `anna@example.com`) is
legitimate but is exactly what a forged DNS answer would look like, so it is flagged for the person
to confirm. DNS answers without DNSSEC are never trusted.
"""

from __future__ import annotations

import threading

from assistant.core.address import ParsedAddress
from assistant.discovery.dns import Nameserver, Record, lookup, sorted_unique, within
from assistant.discovery.model import (
    PortPolicy,
    Protocol,
    ProviderConfig,
    Security,
    ServerSetting,
)
from assistant.discovery.result import NetworkError, NotFound, Origin, SourceResult
from assistant.discovery.sources.base import Source
from assistant.i18n import N_, Worded

# (service label, protocol, socket type), best first within each protocol (RFC 8314 §5.1).
SERVICES: tuple[tuple[str, Protocol, Security], ...] = (
    ("_submissions._tcp", Protocol.SMTP, Security.IMPLICIT_TLS),
    ("_submission._tcp", Protocol.SMTP, Security.STARTTLS),
    ("_imaps._tcp", Protocol.IMAP, Security.IMPLICIT_TLS),
    ("_imap._tcp", Protocol.IMAP, Security.STARTTLS),
    ("_pop3s._tcp", Protocol.POP3, Security.IMPLICIT_TLS),
    ("_pop3._tcp", Protocol.POP3, Security.STARTTLS),
)


class SrvSource(Source):
    title = N_("Service records (SRV, RFC 6186)")
    origin = Origin.SRV

    def __init__(self, deadline_s: float, nameserver: Nameserver | None) -> None:
        super().__init__(deadline_s)
        self.nameserver = nameserver

    def lookup(
        self, address: ParsedAddress, deadline: float, stop: threading.Event
    ) -> SourceResult:
        outgoing: list[ServerSetting] = []
        incoming: list[ServerSetting] = []
        declined: list[str] = []
        errors: list[NetworkError] = []
        for label, protocol, security in SERVICES:
            if stop.is_set():
                break
            if protocol is not Protocol.SMTP and not outgoing:
                break  # incoming servers only matter once there is an outgoing one
            answer = lookup(
                f"{label}.{address.domain}", "SRV", self.nameserver, deadline, self.origin
            )
            if isinstance(answer, NetworkError):
                errors.append(answer)
                continue
            if isinstance(answer, NotFound):
                continue
            records = _usable(answer)
            if not records:
                declined.append(label)
                continue
            target = outgoing if protocol is Protocol.SMTP else incoming
            for record in records:
                target.append(ServerSetting(protocol, record.target, record.port, security))
        if outgoing:
            outside = tuple(
                sorted({s.host for s in outgoing if not within(s.host, address.domain)})
            )
            notes = tuple(
                Worded(
                    N_("{host} is outside {domain}: confirm it is your provider"),
                    host=host,
                    domain=address.display_domain,
                )
                for host in outside
            )
            config = ProviderConfig(
                provider_id=f"srv:{address.domain}",
                name=address.display_domain,
                outgoing=tuple(outgoing),
                incoming=tuple(incoming),
                port_policy=PortPolicy.SUBMISSION,
            )
            return self.found(
                config,
                Worded(N_("SRV records of {domain}"), domain=address.domain),
                trusted=False,
                notes=notes,
                outside_domain=outside,
            )
        if errors:
            return errors[0]
        if declined:
            return self.not_found(
                Worded(
                    N_("{domain} says it offers no mail submission service ({records} → .)"),
                    domain=address.display_domain,
                    records=", ".join(declined),
                )
            )
        return self.not_found(
            Worded(N_("{domain} publishes no mail service records"), domain=address.display_domain)
        )


def _usable(records: list[Record]) -> list[Record]:
    """RFC 2782: a single record with target "." means "not offered"; ports must be real."""
    return sorted_unique([r for r in records if r.target != "." and 0 < r.port < 65536])
