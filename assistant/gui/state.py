"""What the wizard knows so far. Plain Python; the pages read and write it, nothing is saved to disk.

The password lives only here, in memory, and is forgotten when the wizard closes (`forget_secrets`).
It reaches the OS keychain only when the person ticks "Remember" and presses Finish, or presses
"Forget" (see `assistant/gui/keychain.py` and docs/GUI.md).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

# The engine's modules are imported where they are used, not here: this module is needed for the
# first page, which should paint without loading them (see docs/PERFORMANCE.md, start-up).
if TYPE_CHECKING:
    from assistant.core.models import Candidate, ProbeResult
    from assistant.core.ports import PortSpec, TypedServer
    from assistant.core.probe import ProbeSettings
    from assistant.core.probe_run import RunOutcome
    from assistant.discovery import DiscoveryOptions, DiscoveryResult
    from assistant.profile import Profile

SettingsFactory = Callable[[], "ProbeSettings"]
DiscoveryOptionsFactory = Callable[[], "DiscoveryOptions"]


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


def default_discovery_options() -> DiscoveryOptions:
    from assistant.discovery import DiscoveryOptions  # called on the discovery thread

    return DiscoveryOptions()


def _default_ports() -> list[PortSpec]:
    from assistant.core.ports import default_ports

    return default_ports()


@dataclass
class WizardState:
    settings_factory: SettingsFactory = default_settings
    discovery_options: DiscoveryOptionsFactory = default_discovery_options
    ports: list[PortSpec] = field(default_factory=list)  # empty: the default ports
    ports_given: bool = (
        False  # ports chosen by the caller (tests, --ports): they replace discovery's
    )
    preset_hosts: list[str] = field(default_factory=list)
    timeout: float | None = None
    profile: Profile | None = None
    profile_problem: str | None = None

    address: str = ""
    domain: str = ""
    hosts: list[str] = field(default_factory=list)
    hosts_typed: bool = False
    typed_servers: list[TypedServer] = field(default_factory=list)  # as typed, with any `:port`
    discovery: DiscoveryResult | None = None  # for `address`, when it has arrived
    password: str = field(default="", repr=False)
    remember_password: bool = False
    remembered_for: str | None = None  # the address whose password came from the keychain
    outcome: RunOutcome | None = None
    test_message: ProbeResult | None = None
    accept_plaintext: bool = False

    # -- where the servers come from --------------------------------------------------------------

    @property
    def active_profile(self) -> Profile | None:
        """The IT profile, if it covers this address's domain."""
        profile = self.profile
        if profile is None or (self.domain and not profile.applies_to(self.domain)):
            return None
        return profile

    def profile_hosts(self) -> list[str]:
        profile = self.active_profile
        return list(dict.fromkeys(s.host for s in profile.servers)) if profile is not None else []

    def needs_discovery(self) -> bool:
        """No server typed and none preset by IT: the servers have to be found."""
        return bool(self.address) and not self.hosts_typed and not self.profile_hosts()

    def found(self) -> bool:
        """Discovery found real settings (not just the usual guesses)."""
        found = self.discovery.found if self.discovery is not None else None
        return found is not None and found.origin.value != "guess"

    def candidates(self) -> list[Candidate]:
        from assistant.core.ports import build_candidates, guess_hosts, typed_candidates

        profile = self.active_profile
        if self.hosts_typed:
            candidates = typed_candidates(self.typed_servers, self.ports or _default_ports())
        elif profile is not None and profile.servers:
            ports = self.ports if self.ports_given else profile.port_specs()
            candidates = build_candidates(self.profile_hosts(), ports)
        elif self.discovery is not None:
            from assistant.discovery import to_candidates

            candidates = to_candidates(
                self.discovery, ports=self.ports if self.ports_given else None
            )
        else:
            ports = self.ports or _default_ports()
            candidates = build_candidates(self.hosts or guess_hosts(self.domain), ports)
        if profile is not None:
            allowed = [c for c in candidates if profile.allows(c.port)]
            candidates = allowed or candidates  # a profile that allows none of them: test anyway
        return candidates

    def probe_settings(self) -> ProbeSettings:
        settings = self.settings_factory()
        if self.timeout is not None:
            settings.timeout = self.timeout
        if self.password:
            from assistant.core.signin import Credentials

            settings.credentials = Credentials.for_address(self.address, self.password)
        return settings

    # -- what was found ---------------------------------------------------------------------------

    @property
    def recommendation(self) -> ProbeResult | None:
        return self.outcome.recommendation if self.outcome is not None else None

    def sign_in_tried(self) -> list[ProbeResult]:
        """Results where the password was tried (or sign-in turned out to be impossible)."""
        if self.outcome is None:
            return []
        from assistant.core.models import AuthOutcome

        return [r for r in self.outcome.results if r.auth is not AuthOutcome.NOT_TRIED]

    def password_accepted(self) -> bool:
        from assistant.core.models import AuthOutcome

        return any(r.auth is AuthOutcome.ACCEPTED for r in self.sign_in_tried())

    def password_refused(self) -> bool:
        """The server said the password itself is not the right one (and nowhere accepted it)."""
        from assistant.core.models import AuthOutcome

        # Wrong password or "needs an app password": the password itself is not worth remembering.
        refused = (AuthOutcome.WRONG_PASSWORD, AuthOutcome.APP_PASSWORD_REQUIRED)
        tried = self.sign_in_tried()
        return not self.password_accepted() and any(r.auth in refused for r in tried)

    def plaintext_result(self) -> ProbeResult | None:
        """The best unencrypted server, offered only behind "I understand the risks"."""
        from assistant.core.models import Verdict

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
