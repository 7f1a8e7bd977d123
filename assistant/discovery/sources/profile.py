"""Source: the provider named in the company's IT profile (`"provider": "gmail"`).

DESIGN §6 puts the IT profile first: when IT says "we use Gmail", that beats anything the network
says. The settings come from the built-in provider list; the origin shown is the IT profile.
"""

from __future__ import annotations

import threading

from assistant.core.address import ParsedAddress
from assistant.discovery.database import bundled
from assistant.discovery.result import Origin, SourceResult
from assistant.discovery.sources.base import Source
from assistant.i18n import N_, Worded


class ProfileSource(Source):
    title = N_("Company profile")
    origin = Origin.PROFILE

    def __init__(self, provider_id: str, deadline: float = 1.0) -> None:
        super().__init__(deadline)
        self.provider_id = provider_id

    def lookup(
        self, address: ParsedAddress, deadline: float, stop: threading.Event
    ) -> SourceResult:
        entry = bundled().by_id(self.provider_id)
        if entry is None:
            return self.not_found(
                Worded(N_("the company profile names a provider that is not in the list"))
            )
        return self.found(
            entry.config.for_address(address),
            Worded(N_("company profile: {provider}"), provider=entry.config.name),
            trusted=True,
        )
