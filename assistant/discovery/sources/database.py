"""Source: the bundled provider database, by the address's domain. Trusted, instant, offline."""

from __future__ import annotations

import threading

from assistant.core.address import ParsedAddress
from assistant.discovery.database import DatabaseError, ProviderDatabase, bundled
from assistant.discovery.result import (
    ErrorKind,
    Found,
    NetworkError,
    NotFound,
    Origin,
    SourceResult,
)
from assistant.discovery.sources.base import PRIORITY_DATABASE, Source


class DatabaseSource(Source):
    name = "database"
    title = "Built-in provider list"
    origin = Origin.DATABASE
    priority = PRIORITY_DATABASE
    local = True

    def __init__(self, deadline_s: float, database: ProviderDatabase | None = None) -> None:
        super().__init__(deadline_s)
        self._database = database

    def lookup(
        self, address: ParsedAddress, deadline: float, stop: threading.Event
    ) -> SourceResult:
        try:
            database = self._database or bundled()
        except DatabaseError as exc:
            return NetworkError(self.origin, ErrorKind.INVALID, str(exc))
        entry = database.by_domain(address.domain)
        if entry is None:
            return NotFound(self.origin, f"{address.display_domain} is not in the built-in list")
        return Found(
            origin=self.origin,
            trusted=True,
            config=entry.config.for_address(address),
            where=f"built-in list: {entry.config.name}",
        )
