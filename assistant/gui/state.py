"""What the wizard knows so far. Plain Python; the pages read and write it, nothing is saved to disk.

The password lives only here, in memory, and is forgotten when the wizard closes (`forget_secrets`).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assistant.core.candidates import PortSpec, build_candidates, default_ports
from assistant.core.models import Candidate, ProbeResult, Verdict

if TYPE_CHECKING:
    from assistant.core.probe import ProbeSettings
    from assistant.core.runner import RunOutcome

SettingsFactory = Callable[[], "ProbeSettings"]


class PageId(enum.IntEnum):
    WELCOME = 0
    ADDRESS = 1
    SIGN_IN = 2
    TESTING = 3
    RESULTS = 4
    SETTINGS = 5


def default_settings() -> ProbeSettings:
    from assistant.core.probe import ProbeSettings  # loads ssl/cryptography: only when a run starts

    return ProbeSettings()


@dataclass
class WizardState:
    settings_factory: SettingsFactory = default_settings
    ports: list[PortSpec] = field(default_factory=default_ports)
    preset_hosts: list[str] = field(default_factory=list)
    timeout: float | None = None

    address: str = ""
    domain: str = ""
    hosts: list[str] = field(default_factory=list)
    hosts_typed: bool = False
    password: str = field(default="", repr=False)
    outcome: RunOutcome | None = None
    accept_plaintext: bool = False

    def candidates(self) -> list[Candidate]:
        return build_candidates(self.hosts, self.ports)

    def probe_settings(self) -> ProbeSettings:
        settings = self.settings_factory()
        if self.timeout is not None:
            settings.timeout = self.timeout
        if self.password:
            from assistant.core.signin import Credentials

            settings.credentials = Credentials.for_address(self.address, self.password)
        return settings

    @property
    def recommendation(self) -> ProbeResult | None:
        return self.outcome.recommendation if self.outcome is not None else None

    def plaintext_result(self) -> ProbeResult | None:
        """The best unencrypted server, offered only behind "I understand the risks"."""
        if self.outcome is None:
            return None
        plain = [r for r in self.outcome.results if r.verdict is Verdict.PLAINTEXT_ONLY]
        return min(plain, key=lambda r: r.total_ms) if plain else None

    def chosen(self) -> ProbeResult | None:
        """The setting the "Your settings" page shows."""
        if self.recommendation is not None:
            return self.recommendation
        return self.plaintext_result() if self.accept_plaintext else None

    def forget_secrets(self) -> None:
        self.password = ""
