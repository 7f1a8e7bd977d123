"""The priority-parallel merge, with scripted sources (events, never sleeps)."""

from __future__ import annotations

import threading
import time

from assistant.core.address import ParsedAddress, parse
from assistant.discovery.model import Protocol, ProviderConfig, Security, ServerSetting
from assistant.discovery.options import DiscoveryOptions
from assistant.discovery.parallel_search import _Run, build_sources, discover
from assistant.discovery.result import (
    AnswerState,
    ErrorKind,
    Found,
    NetworkError,
    NotFound,
    Origin,
    SourceAnswer,
    SourceResult,
)
from assistant.discovery.sources.base import Source


def _config(host: str) -> ProviderConfig:
    return ProviderConfig(
        host, host, (ServerSetting(Protocol.SMTP, host, 465, Security.IMPLICIT_TLS),)
    )


class Scripted(Source):
    """Answers when its `go` event is set (or at once), records whether it was asked. Several
    share one origin here, so each is given its own name and priority (a real source takes both
    from its origin)."""

    origin = Origin.AUTOCONFIG
    name = ""
    priority = 0

    def __init__(
        self,
        name: str,
        priority: int,
        result: str = "found",
        wait: bool = False,
        local: bool = False,
        deadline_s: float = 3.0,
    ) -> None:
        super().__init__(deadline_s)
        self.name = self.title = name
        self.priority = priority
        if local:  # a source is local by where its answers come from
            self.origin = Origin.DATABASE
        self.result = result
        self.go = threading.Event()
        if not wait:
            self.go.set()
        self.asked = threading.Event()
        self.saw_stop = threading.Event()

    def lookup(
        self, address: ParsedAddress, deadline: float, stop: threading.Event
    ) -> SourceResult:
        self.asked.set()
        while not self.go.wait(0.01):
            if stop.is_set():
                self.saw_stop.set()
                return NotFound(self.origin, "stopped")
            if time.monotonic() > deadline + 5:
                break
        if self.result == "found":
            return Found(self.origin, True, _config(f"{self.name}.test"), self.name)
        if self.result == "raise":
            raise RuntimeError("bug")
        return NotFound(self.origin, "nothing")


def _run(*sources: Source, **options: object) -> tuple[_Run, object]:
    opts = DiscoveryOptions(**options)  # type: ignore[arg-type]
    run = _Run(parse("bob@acme.test"), sorted(sources, key=lambda s: s.priority), opts)
    return run, run.run()


def test_better_source_wins_even_when_it_answers_later() -> None:
    best = Scripted("best", 10, wait=True)
    worse = Scripted("worse", 20)

    def release_best(answer: SourceAnswer) -> None:
        if answer.name == "worse":
            best.go.set()  # the worse source has answered; only now may the better one answer

    _, result = _run(best, worse, on_answer=release_best)
    assert result.winner.name == "best"  # type: ignore[attr-defined]


def test_first_success_cancels_lower_sources() -> None:
    best = Scripted("best", 10)
    slow = Scripted("slow", 20, wait=True)
    run, result = _run(best, slow)
    assert result.winner.name == "best"  # type: ignore[attr-defined]
    answers = {a.name: a for a in result.answers}  # type: ignore[attr-defined]
    assert answers["slow"].state is AnswerState.CANCELLED
    assert run.stop.is_set()
    assert slow.saw_stop.wait(2)  # the cancelled source was told to stop


def test_failed_better_sources_fall_through() -> None:
    first = Scripted("first", 10, result="none")
    broken = Scripted("broken", 15, result="raise")
    third = Scripted("third", 20)
    _, result = _run(first, broken, third)
    answers = {a.name: a for a in result.answers}  # type: ignore[attr-defined]
    assert result.winner.name == "third"  # type: ignore[attr-defined]
    assert isinstance(answers["broken"].result, NetworkError)
    assert answers["broken"].result.kind is ErrorKind.INVALID


def test_source_past_its_deadline_is_abandoned() -> None:
    stuck = Scripted("stuck", 10, wait=True, deadline_s=0.2)
    fallback = Scripted("fallback", 20)
    start = time.monotonic()
    _, result = _run(stuck, fallback)
    assert time.monotonic() - start < 1.5
    answers = {a.name: a for a in result.answers}  # type: ignore[attr-defined]
    assert isinstance(answers["stuck"].result, NetworkError)
    assert answers["stuck"].result.kind is ErrorKind.TIMEOUT
    assert result.winner.name == "fallback"  # type: ignore[attr-defined]
    stuck.go.set()


def test_local_hit_starts_no_network_source() -> None:
    local = Scripted("local", 10, local=True)
    network = Scripted("network", 20)
    _, result = _run(local, network)
    assert result.winner.name == "local"  # type: ignore[attr-defined]
    assert not network.asked.is_set()
    answers = {a.name: a for a in result.answers}  # type: ignore[attr-defined]
    assert answers["network"].state is AnswerState.NOT_RUN


def test_exhaustive_waits_for_everyone() -> None:
    best = Scripted("best", 10)
    other = Scripted("other", 20, wait=True)

    def release(answer: SourceAnswer) -> None:
        if answer.name == "best":
            other.go.set()

    _, result = _run(best, other, exhaustive=True, on_answer=release)
    answers = {a.name: a for a in result.answers}  # type: ignore[attr-defined]
    assert answers["other"].state is AnswerState.ANSWERED
    assert result.winner.name == "best"  # type: ignore[attr-defined]


def test_nothing_found() -> None:
    _, result = _run(Scripted("a", 10, result="none"))
    assert result.winner is None  # type: ignore[attr-defined]


def test_offline_uses_only_local_sources() -> None:
    names = [s.name for s in build_sources(DiscoveryOptions(offline=True))]
    assert names == ["database", "guess"]


def test_ispdb_off_switch() -> None:
    names = [s.name for s in build_sources(DiscoveryOptions(ispdb=False))]
    assert "ispdb" not in names and "mx" in names
    mx = next(s for s in build_sources(DiscoveryOptions(ispdb=False)) if s.name == "mx")
    assert mx.ispdb_url is None  # type: ignore[attr-defined]


def test_priority_order() -> None:
    """The report names a source, and the merge ranks it, by where its answers come from (its
    origin): so the order of DESIGN §6 holds, and no two sources share a name or a place."""
    sources = build_sources(DiscoveryOptions())
    names = [s.name for s in sources]
    assert names == [
        "database",
        "autoconfig",
        "well-known",
        "ispdb",
        "mx",
        "autoconfig-http",
        "srv",
        "guess",
    ]
    assert all(s.name == s.origin.value for s in sources)
    priorities = [s.priority for s in sources]
    assert priorities == sorted(priorities) and len(set(priorities)) == len(priorities)
    assert Origin.PROFILE.priority < Origin.DATABASE.priority  # the company's word comes first


def test_bundled_provider_answers_without_network() -> None:
    result = discover("ana@gmail.com", DiscoveryOptions(nameserver=None))
    assert result.winner is not None and result.winner.name == "database"
    assert result.trusted
    states = {a.name: a.state for a in result.answers}
    assert all(
        state is not AnswerState.ANSWERED
        for name, state in states.items()
        if name not in ("database", "guess")
    )
