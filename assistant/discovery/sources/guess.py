"""Source: the usual server names, `smtp.<domain>`, `mail.<domain>`, `<domain>` for sending and
`imap.`, `pop.`, `pop3.`, `mail.` and the domain for receiving.

The last resort, used only when nothing better answered. It costs nothing (no network): the probe
engine finds out which of the guesses really answer. Never trusted, always labelled as a guess.
"""

from __future__ import annotations

import threading

from assistant.core.address import ParsedAddress
from assistant.core.ports import guess_hosts, guess_incoming_hosts
from assistant.discovery.model import (
    PortPolicy,
    Protocol,
    ProviderConfig,
    ProviderKind,
    Security,
    ServerSetting,
)
from assistant.discovery.result import Origin, SourceResult
from assistant.discovery.sources.base import Source
from assistant.i18n import N_, Worded


def guess_config(address: ParsedAddress) -> ProviderConfig:
    outgoing = tuple(
        ServerSetting(Protocol.SMTP, host, port, socket)
        for host in guess_hosts(address.domain)
        for port, socket in ((465, Security.IMPLICIT_TLS), (587, Security.STARTTLS))
    )
    incoming = tuple(
        ServerSetting(protocol, host, port, Security.IMPLICIT_TLS)
        for protocol, port in ((Protocol.IMAP, 993), (Protocol.POP3, 995))
        for host in guess_incoming_hosts(address.domain, protocol)
    )
    return ProviderConfig(
        provider_id=f"guess:{address.domain}",
        name=address.display_domain,
        outgoing=outgoing,
        incoming=incoming,
        kind=ProviderKind.HOSTING,
        port_policy=PortPolicy.ALL,
    )


class GuessSource(Source):
    title = N_("Usual server names (guess)")
    origin = Origin.GUESS

    def lookup(
        self, address: ParsedAddress, deadline: float, stop: threading.Event
    ) -> SourceResult:
        return self.found(
            guess_config(address),
            Worded(N_("usual names: {names}"), names=", ".join(guess_hosts(address.domain))),
            trusted=False,
            notes=(Worded(N_("a guess: the tests will show which of these servers exist")),),
        )
