"""Hostile certificates cannot stretch a run: the chain, the tree, 500 names, a stalling rescue.

Before: a chain of respellings dragged a `--timeout 3` run to 19.5 s through 10 probes, three new
names per certificate gave 449 probes and 897 connections, and 500 names gave 500 look-ups. Each
test here asserts no canary at any untrusted server, the wall time within the deadline plus one
second, and a bounded count of connections and look-ups.
"""

from __future__ import annotations

import itertools
import time

from assistant.core.models import AuthOutcome, Candidate, Security, Verdict
from assistant.core.probe_run import ProbeRun, RunOutcome
from assistant.core.rescue import (
    LOOKUPS_PER_CANDIDATE,
    LOOKUPS_PER_RUN,
    NAMES_PER_CANDIDATE,
    PROBES_PER_RUN,
    usable_name,
)
from assistant.core.trust import policy_for
from tests.servers import Loopback
from tests.servers.farm import CANARY_PASSWORD
from tests.servers.hostile import CertPicker, CountingResolver, auth_commands, canary_arrived
from tests.servers.scripted import Script, ScriptedServer, smtp_handler

TIMEOUT = 3.0
START = "mail.customer.test"


def _run(
    loopback: Loopback, candidates: list[Candidate], resolver: CountingResolver
) -> tuple[RunOutcome, float, ProbeRun]:
    settings = loopback.settings(timeout=TIMEOUT, password=CANARY_PASSWORD)
    settings.resolver = resolver
    settings.trust = policy_for("customer.test")
    run = ProbeRun(candidates, settings)
    start = time.monotonic()
    run.start()
    outcome = run.wait(TIMEOUT + 5)
    elapsed = time.monotonic() - start
    assert outcome is not None, "the run did not end"
    return outcome, elapsed, run


def _server(loopback: Loopback, picker: CertPicker) -> ScriptedServer:
    server = loopback.scripted(smtp_handler(Script(tls_context=picker.context))).scripted
    assert server is not None
    return server


def _untrusted_saw_no_password(server: ScriptedServer, outcome: RunOutcome) -> None:
    untrusted = [r for r in outcome.results if not r.candidate.trusted]
    assert all(r.auth in (AuthOutcome.UNTRUSTED_SERVER, AuthOutcome.NOT_TRIED) for r in untrusted)
    if all(not r.candidate.trusted or not r.verdict.is_safe for r in outcome.results):
        assert not canary_arrived(server.received)
        assert auth_commands(server.received) == []


def test_odd_spellings_of_the_address_are_not_names(loopback: Loopback) -> None:
    """Every certificate names a new spelling of 127.0.0.1: none is looked up or probed."""
    spellings = ["127.0.1", "127.00.1", "127.000.1", "0x7f.1", "2130706433", "127.1"]
    picker = CertPicker(loopback.pki, lambda _requested: tuple(spellings))
    server = _server(loopback, picker)
    loopback.map_name(START)
    resolver = CountingResolver(loopback)
    outcome, elapsed, run = _run(
        loopback, [Candidate(START, server.port, Security.STARTTLS)], resolver
    )
    assert [r.candidate.host for r in outcome.results] == [START]
    assert resolver.calls == [START]
    assert run.rescue.lookups == 0 and run.rescue.probes == 0
    assert elapsed < TIMEOUT + 1
    _untrusted_saw_no_password(server, outcome)


def test_a_chain_of_new_names_stops_after_one_step(loopback: Loopback) -> None:
    """n0's certificate names n1, n1's names n2, … (all resolving): only n1 is tested."""
    chain = [f"n{i}.chain.test" for i in range(12)]
    loopback.map_name(START)
    for name in chain:
        loopback.map_name(name)
    following = {START: chain[0], **{a: b for a, b in itertools.pairwise(chain)}}
    picker = CertPicker(loopback.pki, lambda requested: (following.get(requested, "end.test"),))
    server = _server(loopback, picker)
    resolver = CountingResolver(loopback)
    outcome, elapsed, run = _run(
        loopback, [Candidate(START, server.port, Security.STARTTLS)], resolver
    )
    assert [r.candidate.host for r in outcome.results] == [START, chain[0]]
    rescue = outcome.results[1]
    assert rescue.verdict is Verdict.CERT_NAME_MISMATCH  # n0 names n1 …
    assert rescue.evidence.rescue_names == []  # … but a rescue's certificate is never followed
    assert run.rescue.probes == 1 and run.rescue.lookups == 1
    assert server.connections <= 4  # two probes, each with one second look at the certificate
    assert elapsed < TIMEOUT + 1
    _untrusted_saw_no_password(server, outcome)


def test_a_tree_of_three_new_names_per_certificate_stays_small(loopback: Loopback) -> None:
    """Every certificate names three new names that resolve to the same server."""
    loopback.map_name(START)
    issued: set[str] = set()

    def three_new(requested: str) -> tuple[str, ...]:
        names = tuple(f"{c}.{requested}" for c in "abc")
        for name in names:
            loopback.map_name(name)
            issued.add(name)
        return names

    picker = CertPicker(loopback.pki, three_new)
    server = _server(loopback, picker)
    resolver = CountingResolver(loopback)
    outcome, elapsed, run = _run(
        loopback, [Candidate(START, server.port, Security.STARTTLS)], resolver
    )
    assert len(outcome.results) == 1 + NAMES_PER_CANDIDATE
    assert run.rescue.probes == NAMES_PER_CANDIDATE
    assert all(r.evidence.rescue_names == [] for r in outcome.results[1:])
    assert len(resolver.calls) == 1 + NAMES_PER_CANDIDATE * 2  # the start, 3 checks, 3 probes
    assert server.connections <= 2 * (1 + NAMES_PER_CANDIDATE)
    assert elapsed < TIMEOUT + 1
    _untrusted_saw_no_password(server, outcome)


def test_five_hundred_names_that_do_not_resolve_cost_a_few_look_ups(loopback: Loopback) -> None:
    names = tuple(f"nx{i}.nowhere.test" for i in range(500))
    picker = CertPicker(loopback.pki, lambda _requested: names)
    server = _server(loopback, picker)
    loopback.map_name(START)
    resolver = CountingResolver(loopback)
    outcome, elapsed, run = _run(
        loopback, [Candidate(START, server.port, Security.STARTTLS)], resolver
    )
    assert [r.candidate.host for r in outcome.results] == [START]
    assert len(resolver.calls) - 1 == LOOKUPS_PER_CANDIDATE
    assert run.rescue.lookups == LOOKUPS_PER_CANDIDATE
    assert elapsed < TIMEOUT + 1
    _untrusted_saw_no_password(server, outcome)


def test_the_whole_run_has_one_allowance_for_rescues(loopback: Loopback) -> None:
    """Ten mismatching servers, each naming three resolving names: the run caps the total."""
    candidates = []
    servers = []
    for i in range(10):
        host = f"mail{i}.customer.test"
        loopback.map_name(host)
        names = tuple(f"{c}{i}.hosting-{i}.test" for c in "xyz")
        for name in names:
            loopback.map_name(name)
        server = _server(loopback, CertPicker(loopback.pki, lambda _r, names=names: names))
        servers.append(server)
        candidates.append(Candidate(host, server.port, Security.STARTTLS))
    resolver = CountingResolver(loopback)
    outcome, elapsed, run = _run(loopback, candidates, resolver)
    assert run.rescue.lookups <= LOOKUPS_PER_RUN
    assert run.rescue.probes <= PROBES_PER_RUN
    assert len(outcome.results) <= len(candidates) + PROBES_PER_RUN
    assert len(resolver.calls) <= len(candidates) + LOOKUPS_PER_RUN + PROBES_PER_RUN
    assert sum(s.connections for s in servers) <= 2 * (len(candidates) + PROBES_PER_RUN)
    assert elapsed < TIMEOUT + 1
    for server in servers:
        assert not canary_arrived(server.received)


def test_a_stalling_rescue_ends_with_its_parents_deadline(loopback: Loopback) -> None:
    """The rescue name's handshake never completes: the run still ends within the time limit."""
    rescue_name = "server1.hosting.test"
    loopback.map_name(START)
    loopback.map_name(rescue_name)
    picker = CertPicker(
        loopback.pki, lambda _requested: (rescue_name,), hold=lambda r: r == rescue_name
    )
    server = _server(loopback, picker)
    resolver = CountingResolver(loopback)
    try:
        outcome, elapsed, _ = _run(
            loopback, [Candidate(START, server.port, Security.STARTTLS)], resolver
        )
    finally:
        picker.release.set()
    assert [r.candidate.host for r in outcome.results] == [START, rescue_name]
    assert outcome.results[1].verdict is Verdict.TLS_FAILED
    assert elapsed < TIMEOUT + 1
    assert not canary_arrived(server.received)


def test_usable_names() -> None:
    assert usable_name("Server1.Hosting.Test.", "mail.customer.test") == "server1.hosting.test"
    for bad in ("*.hosting.test", "127.0.1", "127.0.0.1", "::1", "mail.customer.test", "a..b", "x"):
        assert usable_name(bad, "mail.customer.test") is None, bad
