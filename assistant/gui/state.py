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
    from assistant.core.address import ParsedAddress
    from assistant.core.models import Candidate, ProbeResult
    from assistant.core.ports import PortSpec, TypedServer
    from assistant.core.probe import ProbeSettings
    from assistant.core.sasl_oauth import OAuthCredentials
    from assistant.discovery import DiscoveryOptions, DiscoveryResult
    from assistant.outcome import Halves, Outcome
    from assistant.plan import Plan, PlanInputs
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


@dataclass
class WizardState:
    settings_factory: SettingsFactory = default_settings
    discovery_options: DiscoveryOptionsFactory = default_discovery_options
    ports: list[PortSpec] = field(default_factory=list)
    """Ports chosen by the caller (tests, --ports): they replace the plan's; empty: the plan's."""
    preset_hosts: list[str] = field(default_factory=list)
    timeout: float | None = None
    profile: Profile | None = None
    profile_problem: str | None = None

    parsed: ParsedAddress | None = None
    typed_servers: list[TypedServer] = field(default_factory=list)
    """The servers typed in the address page's server field, with any `:port` (none: find them)."""
    discovery: DiscoveryResult | None = None  # for `address`, when it has arrived
    password: str = field(default="", repr=False)
    oauth: OAuthCredentials | None = field(default=None, repr=False)
    """The token from the provider's sign-in window (memory only; used instead of the password)."""
    remember_password: bool = False
    remembered_for: str | None = None  # the address whose password came from the keychain
    halves: Halves | None = None
    """What the last run means, half by half (assistant.outcome): every page renders this, none
    decides. None before a run has results."""
    test_message: ProbeResult | None = None
    accept_plaintext: bool = False
    _concluded_from: tuple[list[ProbeResult], bool] | None = field(default=None, repr=False)
    trust_hosts: list[str] = field(default_factory=list)
    """Servers the person said yes to ("Sign in there?"): the plan trusts them with the password."""

    @property
    def address(self) -> str:
        return self.parsed.address if self.parsed is not None else ""

    @property
    def domain(self) -> str:
        return self.parsed.domain if self.parsed is not None else ""

    # -- where the servers come from: the shared plan ---------------------------------------------

    def plan_inputs(self) -> PlanInputs:
        from assistant.core.address import parse
        from assistant.plan import PlanInputs

        return PlanInputs(
            self.parsed if self.parsed is not None else parse("you@example.invalid"),
            tuple(self.typed_servers),
            tuple(self.ports) if self.ports else None,
            self.profile,
            tuple(self.trust_hosts),
            receiving=True,  # one run tests both halves, in parallel, like `mailsetup check`
        )

    @property
    def active_profile(self) -> Profile | None:
        """The plan's rule (the IT profile, if it covers this address's domain); before an address
        is typed, the profile itself, so the first pages can already name the company."""
        if self.parsed is None:
            return self.profile
        return self.plan_inputs().active_profile

    def profile_hosts(self) -> tuple[str, ...]:
        profile = self.active_profile
        return profile.hosts if profile is not None else ()

    def needs_discovery(self) -> bool:
        """No server typed and none preset by IT: the servers have to be found."""
        return self.parsed is not None and self.plan_inputs().needs_discovery

    def found(self) -> bool:
        """Discovery found real settings (not just the usual guesses)."""
        found = self.discovery.found if self.discovery is not None else None
        return found is not None and found.origin.value != "guess"

    def plan(self) -> Plan:
        from assistant.plan import make_plan

        inputs = self.plan_inputs()
        return make_plan(inputs, self.discovery if inputs.needs_discovery else None)

    def candidates(self) -> list[Candidate]:
        return list(self.plan().candidates)

    @property
    def time_limit(self) -> float:
        """Each test's time limit as the probes use it: the caller's, else the settings' own. The
        sentences about time-outs ("no answer within 10 seconds") read it, so they say the limit
        that really applied (a factory's own limit used to be worded as 10 seconds)."""
        return self.timeout if self.timeout is not None else self.settings_factory().timeout

    def probe_settings(self) -> ProbeSettings:
        settings = self.settings_factory()
        if self.timeout is not None:
            settings.timeout = self.timeout
        settings.trust = self.plan().trust  # the same trust rule as `mailsetup check`
        if self.oauth is not None:
            settings.credentials = self.oauth
        elif self.password:
            from assistant.core.signin import Credentials

            settings.credentials = Credentials.for_address(self.address, self.password)
        return settings

    # -- what was found ---------------------------------------------------------------------------

    def conclude(self, results: list[ProbeResult], stopped: bool = False) -> Outcome:
        """Turn a run's results into the outcomes every later page shows (and keep them): the
        sending half's, returned, and the receiving half's in `incoming` when it was tested."""
        from assistant.gui.i18n import ENGINE_CONTEXT, translator
        from assistant.outcome import conclude_halves

        given, timeout = bool(self.password) or self.oauth is not None, self.time_limit
        halves = conclude_halves(
            self.plan(),
            results,
            password_given=given,
            stopped=stopped,
            tr=translator(ENGINE_CONTEXT),
            timeout=timeout,
        )
        self.halves = halves
        self._concluded_from = (list(results), stopped)
        return halves.sending

    @property
    def outcome(self) -> Outcome | None:
        """What the last run means for sending."""
        return self.halves.sending if self.halves is not None else None

    @property
    def incoming(self) -> Outcome | None:
        """The same for receiving (IMAP, POP3), when the run tested that half (None otherwise)."""
        return self.halves.receiving if self.halves is not None else None

    def outcomes(self) -> list[Outcome]:
        """Receiving first, then sending: the order mail programs ask for them."""
        return self.halves.outcomes() if self.halves is not None else []

    def all_results(self) -> list[ProbeResult]:
        """Every result of the last run, both halves."""
        return [r for o in self.outcomes() for r in o.results]

    @property
    def incoming_recommendation(self) -> ProbeResult | None:
        return self.incoming.recommendation if self.incoming is not None else None

    def reword(self) -> None:
        """The language changed: the same results, concluded again in the new words (nothing is
        tested again)."""
        if self.outcome is not None and self._concluded_from is not None:
            results, stopped = self._concluded_from
            self.conclude(results, stopped)

    @property
    def recommendation(self) -> ProbeResult | None:
        return self.outcome.recommendation if self.outcome is not None else None

    def password_refused(self) -> bool:
        return self.outcome is not None and self.outcome.password_refused

    def plaintext_result(self) -> ProbeResult | None:
        return self.outcome.plaintext if self.outcome is not None else None

    def chosen(self) -> ProbeResult | None:
        """The setting the "Your settings" page shows."""
        if self.recommendation is not None:
            return self.recommendation
        return self.plaintext_result() if self.accept_plaintext else None

    def forget_secrets(self) -> None:
        self.password = ""
        self.oauth = None
