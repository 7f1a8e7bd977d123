"""Everything a discovery run can be told: which sources, where they ask, how long they may take."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from assistant.discovery.database import ProviderDatabase
from assistant.discovery.dns import Nameserver
from assistant.discovery.http import HttpSettings
from assistant.discovery.result import SourceAnswer
from assistant.discovery.sources.base import Source
from assistant.discovery.sources.ispdb import DEFAULT_ISPDB_URL

# Per-source deadlines in seconds. Network sources get a few seconds each: they run in parallel,
# so the slowest one bounds the wait only when every better source has failed.
DEFAULT_DEADLINES: dict[str, float] = {
    "database": 1.0,
    "autoconfig": 6.0,
    "well-known": 6.0,
    "ispdb": 6.0,
    "mx": 6.0,
    "autoconfig-http": 6.0,
    "srv": 4.0,
    "guess": 1.0,
}


@dataclass(slots=True)
class DiscoveryOptions:
    """`offline` keeps to what needs no network (bundled database, then guesses).
    `exhaustive` waits for every source instead of stopping at the winner (the `discover` command
    shows all answers). `extra_sources` lets a front end add e.g. the IT profile (priority 10)."""

    offline: bool = False
    ispdb: bool = True
    ispdb_url: str = DEFAULT_ISPDB_URL
    nameserver: Nameserver | None = None
    http: HttpSettings = field(default_factory=HttpSettings)
    deadlines: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_DEADLINES))
    exhaustive: bool = False
    database: ProviderDatabase | None = None
    extra_sources: Sequence[Source] = ()
    on_answer: Callable[[SourceAnswer], None] | None = None

    def deadline(self, source: str) -> float:
        return self.deadlines.get(source, DEFAULT_DEADLINES.get(source, 5.0))
