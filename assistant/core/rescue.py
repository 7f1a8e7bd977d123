"""The shared-hosting rescue, bounded: which certificate names are worth a look, and how many.

When mail.<domain> presents a certificate for server55.somehost.com, the secure setting is often
that server name (providers-and-replies.md, cPanel row). But the certificate is the server's word,
and a hostile server can fill it with anything: a new spelling of its own address in every
certificate (a chain), several new names per certificate (a tree), or hundreds of names that do not
resolve (one DNS look-up each). So, per run:

- names come only from the certificates of candidates the person or a trusted source named, never
  from a rescue's own certificate (no chains, no trees);
- per candidate at most `NAMES_PER_CANDIDATE` names are kept and at most `LOOKUPS_PER_CANDIDATE`
  looked up; wildcards, IP literals and malformed names are skipped without a look-up;
- over the whole run at most `LOOKUPS_PER_RUN` look-ups and `PROBES_PER_RUN` rescue probes;
- a rescue probe shares its parent's deadline (see `ProbeRun`), so the run ends within its time
  limit whatever the servers do.
"""

from __future__ import annotations

import ipaddress
import threading
from dataclasses import dataclass, field
from typing import Literal

from assistant.core.address import is_dns_name

NAMES_PER_CANDIDATE = 3
LOOKUPS_PER_CANDIDATE = 5
LOOKUPS_PER_RUN = 16
PROBES_PER_RUN = 6
MIN_RESCUE_TIME_S = 0.5
"""A rescue needs at least this much of its parent's time left to be worth starting."""


def usable_name(name: str, own_host: str) -> str | None:
    """The name in canonical form if it could be a different server's DNS name, else None."""
    name = name.strip().rstrip(".").lower()
    if not name or "*" in name or name == own_host.rstrip(".").lower():
        return None
    try:
        ipaddress.ip_address(name)
        return None  # an address, not a name: nothing to rescue to
    except ValueError:
        pass
    return name if is_dns_name(name) else None


@dataclass
class RescueBudget:
    """One run's allowance of rescue look-ups and probes, shared by its probe threads."""

    lookups_left: int = LOOKUPS_PER_RUN
    probes_left: int = PROBES_PER_RUN
    lookups: int = 0
    probes: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def take_lookup(self) -> bool:
        return self._take("lookups")

    def take_probe(self) -> bool:
        return self._take("probes")

    def _take(self, kind: Literal["lookups", "probes"]) -> bool:
        """One more of `kind` if any is left (threads share the budget: under its lock)."""
        with self._lock:
            left: int = getattr(self, f"{kind}_left")
            if left <= 0:
                return False
            setattr(self, f"{kind}_left", left - 1)
            setattr(self, kind, getattr(self, kind) + 1)
            return True
