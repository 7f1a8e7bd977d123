"""Running the sources in parallel and merging them by priority.

Rule (DESIGN §6, as Thunderbird does it): the winner is the best-priority source that found
something, decided as soon as every better source has failed or run out of time. Then the others are
told to stop and their late answers are ignored. Sources that need no network (bundled database,
guesses) are asked inline first: when the database knows the domain, no thread is started and no
packet is sent, which is what makes a known provider instant and private.

Each network source runs in its own daemon thread with its own deadline. A thread stuck in a
system call cannot be killed in Python, so a source that overruns is *abandoned*: it is reported as
timed out, its later answer is dropped, and its sockets' own time-outs end it soon after.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Sequence

from assistant.core.address import ParsedAddress, parse
from assistant.discovery.options import DiscoveryOptions
from assistant.discovery.result import (
    AnswerState,
    DiscoveryResult,
    ErrorKind,
    Found,
    NetworkError,
    SourceAnswer,
    SourceResult,
)
from assistant.discovery.sources.autoconfig import PLACES, AutoconfigSource
from assistant.discovery.sources.base import Source
from assistant.discovery.sources.database import DatabaseSource
from assistant.discovery.sources.guess import GuessSource
from assistant.discovery.sources.ispdb import IspdbSource
from assistant.discovery.sources.mx import MxSource
from assistant.discovery.sources.srv import SrvSource
from assistant.i18n import N_, Worded


def build_sources(options: DiscoveryOptions) -> list[Source]:
    """The sources this run uses, best priority first."""
    d = options.deadline
    sources: list[Source] = [
        *options.extra_sources,
        DatabaseSource(d("database"), options.database),
        GuessSource(d("guess")),
    ]
    if not options.offline:
        ispdb_url = options.ispdb_url if options.ispdb else None
        sources += [
            *(AutoconfigSource(d(place.origin.value), options.http, place) for place in PLACES),
            MxSource(d("mx"), options.nameserver, options.http, ispdb_url, options.database),
            SrvSource(d("srv"), options.nameserver),
        ]
        if ispdb_url:
            sources.append(IspdbSource(d("ispdb"), ispdb_url, options.http))
    return sorted(sources, key=lambda s: s.priority)


def discover(
    address: str | ParsedAddress, options: DiscoveryOptions | None = None
) -> DiscoveryResult:
    """Find settings for `address`. Raises InputError (a friendly sentence) for a bad address;
    never raises for anything the network or a server does."""
    options = options or DiscoveryOptions()
    parsed = address if isinstance(address, ParsedAddress) else parse(address)
    return _Run(parsed, build_sources(options), options).run()


def _answer(
    source: Source,
    state: AnswerState,
    result: SourceResult | None = None,
    elapsed_ms: float = 0.0,
    note: str = "",
) -> SourceAnswer:
    """A source's line in the report, named as the source names itself: answered, or skipped."""
    return SourceAnswer(
        name=source.name,
        title=source.title,
        priority=source.priority,
        origin=source.origin,
        state=state,
        result=result,
        elapsed_ms=elapsed_ms,
        note=note,
    )


class _Run:
    def __init__(
        self, address: ParsedAddress, sources: Sequence[Source], options: DiscoveryOptions
    ):
        self.address = address
        self.sources = list(sources)
        self.options = options
        self.answers: dict[str, SourceAnswer] = {}
        self.stop = threading.Event()
        self.inbox: queue.Queue[tuple[str, SourceResult, float]] = queue.Queue()
        self.started = time.monotonic()

    def run(self) -> DiscoveryResult:
        for source in self.sources:
            if source.local:
                self._record(source, *self._ask(source))
        winner = self._winner()
        if winner is None or self.options.exhaustive:
            self._run_network(winner)
        else:
            self._skip_rest(AnswerState.NOT_RUN, N_("not needed: a better source already answered"))
        winner_source = self._winner()
        self.stop.set()
        result = DiscoveryResult(
            address=self.address,
            answers=[self.answers[s.name] for s in self.sources],
            elapsed_ms=(time.monotonic() - self.started) * 1000,
        )
        if winner_source is not None:
            result.winner = self.answers[winner_source.name]
        return result

    # -- network phase -------------------------------------------------------------------------

    def _run_network(self, local_winner: Source | None) -> None:
        deadlines: dict[str, float] = {}
        for source in self.sources:
            if source.name in self.answers:
                continue
            if (
                local_winner is not None
                and source.priority > local_winner.priority
                and not self.options.exhaustive
            ):
                continue
            deadlines[source.name] = time.monotonic() + source.deadline_s
            thread = threading.Thread(
                target=self._worker,
                args=(source, deadlines[source.name]),
                name=f"discovery-{source.name}",
                daemon=True,
            )
            thread.start()
        pending = dict(deadlines)
        while pending:
            if not self.options.exhaustive and self._decided():
                break
            timeout = max(0.0, min(pending.values()) - time.monotonic())
            try:
                name, result, elapsed = self.inbox.get(timeout=timeout)
            except queue.Empty:
                now = time.monotonic()
                for name in [n for n, t in pending.items() if t <= now]:
                    del pending[name]
                    source = self._source(name)
                    self._record(
                        source,
                        NetworkError(
                            source.origin,
                            ErrorKind.TIMEOUT,
                            Worded(N_("no answer before its deadline")),
                        ),
                        source.deadline_s * 1000,
                    )
                continue
            if name in pending:
                del pending[name]
                self._record(self._source(name), result, elapsed)
        self.stop.set()
        self._skip_rest(AnswerState.CANCELLED, N_("stopped: a better source already answered"))

    def _worker(self, source: Source, deadline: float) -> None:
        result, elapsed = self._ask(source, deadline)
        self.inbox.put((source.name, result, elapsed))

    def _ask(self, source: Source, deadline: float | None = None) -> tuple[SourceResult, float]:
        start = time.monotonic()
        if deadline is None:
            deadline = start + source.deadline_s
        try:
            result = source.lookup(self.address, deadline, self.stop)
        except Exception as exc:  # a source bug must not end the run; report it as that source's
            why = Worded(N_("internal error ({error})"), error=type(exc).__name__)
            result = NetworkError(source.origin, ErrorKind.INVALID, why)
        return result, (time.monotonic() - start) * 1000

    # -- merging ---------------------------------------------------------------------------------

    def _winner(self) -> Source | None:
        """The best source that found something, if every better source has finished."""
        for source in self.sources:
            answer = self.answers.get(source.name)
            if answer is None or answer.state is not AnswerState.ANSWERED:
                return None
            if isinstance(answer.result, Found):
                return source
        return None

    def _decided(self) -> bool:
        return self._winner() is not None

    def _record(self, source: Source, result: SourceResult, elapsed_ms: float) -> None:
        answer = _answer(source, AnswerState.ANSWERED, result=result, elapsed_ms=elapsed_ms)
        self.answers[source.name] = answer
        if self.options.on_answer is not None:
            self.options.on_answer(answer)

    def _skip_rest(self, state: AnswerState, note: str) -> None:
        for source in self.sources:
            if source.name not in self.answers:
                self.answers[source.name] = _answer(source, state, note=note)

    def _source(self, name: str) -> Source:
        return next(s for s in self.sources if s.name == name)
