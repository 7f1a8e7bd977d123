"""Turning a discovery result into the candidates the probe engine tests.

The winning source's outgoing servers come first, marked `documented` (they are what the provider
publishes, and ranking prefers them among equally safe results). Then, on the same hosts, the other
ports worth testing — because the documented port may be blocked on this network while another one
works: 465 and 587 for a mailbox provider, every default port (25, 26, 2525 too) for hosting and
guesses, nothing more for a local bridge.

Receiving works the same way (`incoming_candidates`): the provider's documented IMAP and POP3
servers first, then that protocol's other standard port on the same host (993 with 143, 995 with
110) unless the provider documents only its own ports. `to_candidates(..., incoming=True)` gives
both halves in one list, for one run.

Each candidate also says where its name came from and whether the trust rule
(`assistant.core.trust`) lets it have the password; untrusted ones are tested without it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from assistant.core.models import Candidate, Protocol, Security
from assistant.core.ports import (
    DEFAULT_INCOMING_PORTS,
    DEFAULT_PORTS,
    PORT_LABELS,
    WELL_KNOWN,
    PortSpec,
    build_candidates,
    build_guess_candidates,
    default_incoming_ports,
    default_ports,
    port_label,
    well_known,
)
from assistant.core.trust import NameSource, TrustPolicy, policy_for
from assistant.discovery.database import DatabaseError, ProviderDatabase, bundled
from assistant.discovery.model import PortPolicy, ProviderConfig, ServerSetting
from assistant.discovery.result import DiscoveryResult, Origin

_EXTRA_PORTS: dict[PortPolicy, tuple[int, ...]] = {
    PortPolicy.DOCUMENTED: (),
    PortPolicy.SUBMISSION: (465, 587),
    PortPolicy.ALL: DEFAULT_PORTS,
}


def security_of(setting: ServerSetting) -> Security:
    """A documented plain setting is tested as "STARTTLS if offered" (or detected on an unusual
    port): the engine reports honestly when a server offers no encryption at all."""
    if setting.security is not Security.PLAIN:
        return setting.security
    return well_known(setting.protocol, setting.port)


def trust_policy(
    domain: str | None,
    confirmed: Iterable[str] = (),
    database: ProviderDatabase | None = None,
) -> TrustPolicy:
    """The trust rule's facts for an address: its domain, the names the person confirmed
    (`--trust-host`), and the hosting companies' own server domains from the provider list."""
    try:
        hosting = (database or bundled()).hosting_domains()
    except DatabaseError:
        hosting = ()
    return policy_for(domain, confirmed, hosting)


def with_trust(
    candidates: Iterable[Candidate], source: NameSource, policy: TrustPolicy
) -> list[Candidate]:
    """The candidates marked with where their names came from and what the trust rule says."""
    return [replace(c, source=source, trusted=policy.trusts(c.host, source)) for c in candidates]


def _documented(setting: ServerSetting, protocol: Protocol, documented: bool) -> Candidate:
    """The candidate for one server the provider publishes, sending or receiving alike."""
    return Candidate(
        host=setting.host,
        port=setting.port,
        security=security_of(setting),
        label=port_label(protocol, setting.port),
        documented=documented,
        protocol=protocol,
    )


def _config_candidates(
    config: ProviderConfig, documented: bool, ports: Sequence[PortSpec] | None
) -> list[Candidate]:
    """Sending candidates for one provider's settings, unmarked for trust; `ports` (from
    `--ports`) replaces the port choice."""
    hosts = _unique(s.host for s in config.outgoing)
    if ports is not None:
        return build_candidates(hosts, [p for p in ports if p.protocol is Protocol.SMTP])
    candidates: list[Candidate] = []
    seen: set[tuple[str, int]] = set()
    for setting in config.outgoing:
        if (setting.host, setting.port) in seen:
            continue
        seen.add((setting.host, setting.port))
        candidates.append(_documented(setting, Protocol.SMTP, documented))
    for host in hosts:
        for port in _EXTRA_PORTS[config.port_policy]:
            if (host, port) not in seen:
                seen.add((host, port))
                candidates.append(Candidate(host, port, WELL_KNOWN[port], PORT_LABELS[port]))
    return candidates


def incoming_candidates(
    config: ProviderConfig,
    documented: bool = True,
    ports: Sequence[PortSpec] | None = None,
    source: NameSource = NameSource.DATABASE,
    policy: TrustPolicy | None = None,
) -> list[Candidate]:
    """Receiving candidates for one provider's settings (IMAP and POP3, as documented), marked for
    trust like the sending ones. `source` says where the names came from; `policy` decides trust
    (default: no domain, so only a vouching source is trusted)."""
    policy = policy or TrustPolicy()
    return with_trust(_incoming_candidates(config, documented, ports), source, policy)


def _incoming_candidates(
    config: ProviderConfig, documented: bool, ports: Sequence[PortSpec] | None
) -> list[Candidate]:
    candidates: list[Candidate] = []
    if ports is not None:
        for protocol in (Protocol.IMAP, Protocol.POP3):
            names = _unique(s.host for s in config.incoming if s.protocol is protocol)
            candidates += build_candidates(names, [p for p in ports if p.protocol is protocol])
        return candidates
    seen: set[tuple[Protocol, str, int]] = set()
    hosts: list[tuple[Protocol, str]] = []
    for setting in config.incoming:
        where = (setting.protocol, setting.host, setting.port)
        if where in seen or setting.protocol is Protocol.SMTP:
            continue
        seen.add(where)
        if (setting.protocol, setting.host) not in hosts:
            hosts.append((setting.protocol, setting.host))
        candidates.append(_documented(setting, setting.protocol, documented))
    if config.port_policy is PortPolicy.DOCUMENTED:
        return candidates
    for protocol, host in hosts:
        for port in DEFAULT_INCOMING_PORTS[protocol]:
            if (protocol, host, port) not in seen:
                seen.add((protocol, host, port))
                label = port_label(protocol, port)
                candidates.append(
                    Candidate(host, port, well_known(protocol, port), label, protocol=protocol)
                )
    return candidates


def to_candidates(
    result: DiscoveryResult,
    ports: Sequence[PortSpec] | None = None,
    policy: TrustPolicy | None = None,
    incoming: bool = False,
) -> list[Candidate]:
    """The engine's candidate list for a discovery result; guesses when nothing was found.
    `policy` defaults to the rule for the address's domain with nothing confirmed.

    Sending only, unless `incoming` (then both halves: sending first, then receiving). With `ports`
    given, each protocol's ports are tested on that protocol's hosts."""
    policy = policy or trust_policy(result.address.domain)
    found = result.found
    if found is None or found.origin is Origin.GUESS:
        if ports is None:
            specs = default_ports() + (default_incoming_ports() if incoming else [])
        else:
            specs = [p for p in ports if incoming or p.protocol is Protocol.SMTP]
        guessed = build_guess_candidates(result.address.domain, specs)
        return with_trust(guessed, NameSource.GUESS, policy)
    candidates = _config_candidates(found.config, True, ports)
    if incoming:
        candidates += _incoming_candidates(found.config, True, ports)
    return with_trust(candidates, found.name_source, policy)


def _unique(items: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen
