"""What to test for one address: the one plan that the command line and the wizard both follow.

Inputs are what the person (or IT) gave: the parsed address, any server names typed, ports given by
the caller, the company profile; plus what discovery found. The plan decides which servers and ports
are tested, and says in one sentence when nothing can be. Each candidate also says where its name
came from and whether the trust rule (`assistant.core.trust`) lets it have the password; the plan's
`trust` policy goes to the probe (`ProbeSettings.trust`), so rescues are judged the same way. Neither front end chooses candidates
itself, so the same inputs give the same test everywhere (tests/unit/test_plan.py compares them).

Plain Python, no Qt, no network: discovery itself runs wherever the front end runs it (a worker
thread in the wizard), and its result is handed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assistant.core.address import ParsedAddress
from assistant.core.explanation import sentence
from assistant.core.models import Candidate, Protocol
from assistant.core.ports import (
    PortSpec,
    TypedServer,
    all_default_ports,
    build_candidates,
    build_guess_candidates,
    default_incoming_ports,
    default_ports,
    typed_candidates,
)
from assistant.core.trust import NameSource, TrustPolicy
from assistant.i18n import Translate, gettext

if TYPE_CHECKING:
    from assistant.discovery import DiscoveryOptions, DiscoveryResult
    from assistant.profile import Profile


@dataclass(frozen=True, slots=True)
class PlanInputs:
    """What the plan is made from. `ports` given by the caller (`--ports`, tests) replace the
    ports that discovery or the profile would choose."""

    address: ParsedAddress
    typed_hosts: tuple[TypedServer, ...] = ()
    """The servers the person typed, each with its port when written `host:port`."""
    ports: tuple[PortSpec, ...] | None = None
    profile: Profile | None = field(default=None, compare=False)
    confirmed: tuple[str, ...] = ()
    """Server names the person said to trust (`--trust-host`, "yes" to the wizard's question)."""
    receiving: bool = False
    """Test the receiving half (IMAP, POP3) as well as sending. Both front ends do (`check`,
    `export` and the window); a plan for one half is for tests of that half."""

    @property
    def default_ports(self) -> list[PortSpec]:
        """The ports tested when none were given: sending's, and receiving's when asked for."""
        return all_default_ports() if self.receiving else default_ports()

    @property
    def active_profile(self) -> Profile | None:
        """The IT profile, if it covers this address's domain."""
        profile = self.profile
        if profile is None or not profile.applies_to(self.address.domain):
            return None
        return profile

    @property
    def profile_hosts(self) -> tuple[str, ...]:
        profile = self.active_profile
        return profile.hosts if profile else ()

    @property
    def needs_discovery(self) -> bool:
        """No server typed and none preset by IT: the servers have to be found."""
        return not self.typed_hosts and not self.profile_hosts


@dataclass(frozen=True, slots=True)
class Plan:
    """The candidates to test, in order, or the one sentence saying why nothing can be tested."""

    inputs: PlanInputs
    candidates: tuple[Candidate, ...]
    problem: str | None = None
    found_in: str | None = None
    """Where the servers came from, in one sentence (when discovery chose them)."""
    username: str = ""
    """The user name the provider documents for this address (its `%EMAILLOCALPART%` form, say)."""
    trust: TrustPolicy = field(default_factory=TrustPolicy)
    """The trust rule's facts for this address; hand it to `ProbeSettings.trust`."""

    @property
    def hosts(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.host for c in self.candidates))

    def hosts_for(self, *, receiving: bool) -> tuple[str, ...]:
        """The names one half tests (receiving: IMAP and POP3; else SMTP), in the plan's order."""
        return tuple(
            dict.fromkeys(c.host for c in self.candidates if c.protocol.incoming is receiving)
        )


def discovery_options(inputs: PlanInputs, base: DiscoveryOptions | None = None) -> DiscoveryOptions:
    """The discovery run for these inputs: the profile may forbid the online database and name
    the provider (its own source, which outranks every other)."""
    from assistant.discovery import DiscoveryOptions

    options = base if base is not None else DiscoveryOptions()
    profile = inputs.active_profile
    if profile is not None:
        options.ispdb = options.ispdb and profile.online_lookup
        if profile.provider:
            from assistant.discovery.sources.profile import ProfileSource

            options.extra_sources = (*options.extra_sources, ProfileSource(profile.provider))
    return options


def preset_candidates(profile: Profile, ports: list[PortSpec] | None) -> list[Candidate]:
    """The IT profile's servers: each protocol's ports on that protocol's preset names (sending,
    and receiving where the profile names IMAP or POP3 servers). Ports given by the caller are
    tried on the names of their protocol, or on every preset name when it has none of its own."""
    specs = ports or profile.port_specs()
    candidates: list[Candidate] = []
    for protocol in Protocol:
        mine = [s for s in specs if s.protocol is protocol]
        hosts = profile.hosts_for(protocol) or (profile.hosts if ports else ())
        candidates += build_candidates(list(hosts), mine)
    return candidates


def _receiving_beside_typed(
    address: ParsedAddress, trust: TrustPolicy, typed: Sequence[Candidate]
) -> list[Candidate]:
    """The name typed is the outgoing server (the field says so), yet it is tried for receiving
    too. Beside it, what a helpdesk person would try next, offline (nothing is looked up for it):

    - when the bundled provider list knows the domain, its documented IMAP and POP3 servers, so
      typing `smtp.gmail.com` still finds `imap.gmail.com`;
    - otherwise, when a typed name is under the address's own domain (`smtp.mycompany.com` for
      `me@mycompany.com`), the domain's usual receiving names (`imap.`, `pop.`, `mail.` …), as
      discovery guesses them: the domain names its servers that way. A typed server elsewhere (a
      hosting company's, an IP address) says nothing about the domain's names, so nothing is
      guessed for it.
    """
    from assistant.core.trust import within
    from assistant.discovery.database import DatabaseError, bundled
    from assistant.discovery.server_candidates import incoming_candidates, with_trust

    try:
        entry = bundled().by_domain(address.domain)
    except DatabaseError:
        entry = None
    if entry is not None:
        found = incoming_candidates(entry.config, True, None, NameSource.DATABASE, trust)
    elif any(within(c.host, address.domain) for c in typed):
        guessed = build_guess_candidates(address.domain, default_incoming_ports())
        found = with_trust(guessed, NameSource.GUESS, trust)
    else:
        return []
    known = {c.key for c in typed}
    return [c for c in found if c.key not in known]


def make_plan(
    inputs: PlanInputs, discovery: DiscoveryResult | None = None, tr: Translate = gettext
) -> Plan:
    """Choose what to test. Typed servers win, then the IT profile's servers, then discovery's
    answer; the profile's allowed ports apply to all of them."""
    from assistant.discovery.server_candidates import to_candidates, trust_policy, with_trust

    ports = list(inputs.ports) if inputs.ports is not None else None
    profile = inputs.active_profile
    found_in = None
    username = inputs.address.address
    trust = trust_policy(inputs.address.domain, inputs.confirmed)
    if inputs.typed_hosts:
        typed = typed_candidates(list(inputs.typed_hosts), ports or inputs.default_ports)
        candidates = with_trust(typed, NameSource.TYPED, trust)
        if inputs.receiving and ports is None:
            candidates += _receiving_beside_typed(inputs.address, trust, candidates)
    elif profile is not None and profile.servers:
        candidates = with_trust(preset_candidates(profile, ports), NameSource.PROFILE, trust)
    elif discovery is not None:
        candidates = to_candidates(discovery, ports=ports, policy=trust, incoming=inputs.receiving)
        found_in = found_in_sentence(discovery, tr)
        username = _documented_username(discovery) or username
    else:
        guessed = build_guess_candidates(inputs.address.domain, ports or inputs.default_ports)
        candidates = with_trust(guessed, NameSource.GUESS, trust)
    if profile is not None:
        candidates = [c for c in candidates if profile.allows(c.port)]
        if not candidates:
            problem = sentence("profile_allows_none", tr)
            return Plan(inputs, (), problem, found_in, username, trust)
    return Plan(inputs, tuple(candidates), None, found_in, username, trust)


def found_in_sentence(result: DiscoveryResult, tr: Translate = gettext) -> str:
    """Where the servers came from, with how far that source can be trusted, said plainly."""
    found = result.found
    if found is None or found.origin.value == "guess":
        return sentence("found_nothing", tr)
    name = found.config.name or found.config.provider_id
    key = "found_in" if found.trusted else "found_in_untrusted"
    return sentence(key, tr, name=name, origin=tr(found.description))


def _documented_username(result: DiscoveryResult) -> str:
    """The provider's own user name form for the outgoing server, filled for this address."""
    found = result.found
    if found is None or found.origin.value == "guess":
        return ""
    for setting in found.config.outgoing:
        return setting.username_for(result.address)
    return ""


def typed_hosts(values: Sequence[str]) -> tuple[TypedServer, ...]:
    """Servers as typed (`host`, `host:port`, `[IPv6]:port`), normalised; InputError (a sentence
    for the person) if one is bad. A server with its own port is tested on that port only."""
    from assistant.core.ports import parse_server

    return tuple(dict.fromkeys(parse_server(v) for v in values if v.strip()))
