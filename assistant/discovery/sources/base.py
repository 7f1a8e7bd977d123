"""What every discovery source provides to the runner.

A source answers one question — "what are the settings for this address?" — before its own
deadline, and must return a value (`Found` / `NotFound` / `NetworkError`) rather than raise. It
watches `stop` where it can (between requests, while reading a body): once a higher-priority
source has won, its answer no longer matters.
"""

from __future__ import annotations

import abc
import threading

from assistant.core.address import ParsedAddress
from assistant.core.trust import NameSource
from assistant.discovery.model import ProviderConfig
from assistant.discovery.result import (
    ErrorKind,
    Found,
    NetworkError,
    NotFound,
    Origin,
    SourceResult,
)
from assistant.i18n import Worded


class Source(abc.ABC):
    """One way of finding settings. Subclasses set `title`, `origin` and `lookup`, and answer
    with `found`, `not_found` and `failed`, which stamp every answer with the source's own origin.
    The origin also gives the source its name and its place in the merge, so the three can never
    disagree.
    `title` is marked with `N_` (translated where it is shown); reasons and notes are `Worded`
    sentences (`Worded(N_("{name} …"), name=…)`), worded in the person's language when shown."""

    title: str
    origin: Origin

    @property
    def name(self) -> str:
        """The source's name in the report (`source` in the JSON): its origin's."""
        return self.origin.value

    @property
    def priority(self) -> int:
        """Lower is asked first in the merge (DESIGN §6): its origin's place."""
        return self.origin.priority

    @property
    def local(self) -> bool:
        """True when the source needs no network (its origin says so): the runner then asks it
        inline, before starting any thread, so a bundled answer costs microseconds."""
        return self.origin.local

    def __init__(self, deadline_s: float) -> None:
        self.deadline_s = deadline_s

    @abc.abstractmethod
    def lookup(
        self, address: ParsedAddress, deadline: float, stop: threading.Event
    ) -> SourceResult:
        """Answer for `address` before `deadline` (a `time.monotonic()` value)."""

    def found(
        self,
        config: ProviderConfig,
        where: str | Worded,
        *,
        trusted: bool,
        notes: tuple[str | Worded, ...] = (),
        outside_domain: tuple[str, ...] = (),
        names_from: NameSource | None = None,
    ) -> Found:
        return Found(self.origin, trusted, config, where, notes, outside_domain, names_from)

    def not_found(self, reason: str | Worded) -> NotFound:
        return NotFound(self.origin, reason)

    def failed(self, kind: ErrorKind, reason: str | Worded) -> NetworkError:
        return NetworkError(self.origin, kind, reason)
