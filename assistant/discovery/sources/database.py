"""Source: the bundled provider database, by the address's domain. Trusted, instant, offline."""

from __future__ import annotations

import threading

from assistant.core.address import ParsedAddress
from assistant.discovery.database import DatabaseError, ProviderDatabase, bundled
from assistant.discovery.result import ErrorKind, Origin, SourceResult
from assistant.discovery.sources.base import Source
from assistant.i18n import N_, Worded


class DatabaseSource(Source):
    title = N_("Built-in provider list")
    origin = Origin.DATABASE

    def __init__(self, deadline_s: float, database: ProviderDatabase | None = None) -> None:
        super().__init__(deadline_s)
        self._database = database

    def lookup(
        self, address: ParsedAddress, deadline: float, stop: threading.Event
    ) -> SourceResult:
        try:
            database = self._database or bundled()
        except DatabaseError as exc:
            return self.failed(ErrorKind.INVALID, str(exc))
        entry = database.by_domain(address.domain)
        if entry is None:
            return self.not_found(
                Worded(N_("{domain} is not in the built-in list"), domain=address.display_domain)
            )
        return self.found(
            entry.config.for_address(address),
            Worded(N_("built-in list: {provider}"), provider=entry.config.name),
            trusted=True,
        )
