"""The runner: parallel probes, live phase events, cancel within a second, rescue, ranking."""

from __future__ import annotations

import threading
import time

from assistant.core.models import Candidate, Phase, PhaseStatus, ProbeEvent, Security, Verdict
from assistant.core.probe_run import ProbeRun, run_and_wait
from tests.servers import Loopback
from tests.servers import scripted as s


def test_cancel_stops_ten_candidates_within_a_second(loopback: Loopback) -> None:
    tarpit = loopback.scripted(s.tarpit)
    candidates = []
    for i in range(10):
        name = f"host{i}.example.test"
        loopback.map_name(name)
        candidates.append(Candidate(name, tarpit.port, Security.STARTTLS))
    waiting: set[str] = set()
    all_waiting = threading.Event()
    lock = threading.Lock()

    def on_event(event: ProbeEvent) -> None:
        if event.phase is Phase.GREETING and event.status is PhaseStatus.STARTED:
            with lock:
                waiting.add(event.candidate.key)
                if len(waiting) == 10:
                    all_waiting.set()

    finished: list[object] = []
    run = ProbeRun(
        candidates, loopback.settings(timeout=30), on_event=on_event, on_finished=finished.append
    )
    run.start()
    assert all_waiting.wait(10), "all ten probes should be waiting for a greeting"
    started = time.monotonic()
    run.cancel()
    assert run.join_workers(timeout=1.0)
    assert time.monotonic() - started < 1.0
    outcome = run.wait(1.0)
    assert outcome is not None and outcome.cancelled
    assert outcome.results == [] and outcome.recommendation is None
    assert finished == [], "a cancelled run reports nothing to the front end"


def test_a_run_cancelled_before_it_began_contacts_no_server(loopback: Loopback) -> None:
    """The wizard starts a run's probes once the page is painted; a Back in between cancels it
    first. Nothing may then be contacted, and nothing reported."""
    server = loopback.scripted(s.tarpit)
    candidate = server.candidate()
    events: list[ProbeEvent] = []
    finished: list[object] = []
    run = ProbeRun(
        [candidate], loopback.settings(), on_event=events.append, on_finished=finished.append
    )
    run.cancel()
    run.start()
    outcome = run.wait(1.0)
    assert outcome is not None and outcome.cancelled and outcome.results == []
    assert run.join_workers(timeout=1.0)
    assert events == [] and finished == []
    assert server.scripted is not None and server.scripted.connections == 0


def test_events_arrive_in_phase_order_with_the_run_id(loopback: Loopback) -> None:
    server = loopback.implicit_tls()
    events: list[ProbeEvent] = []
    run = ProbeRun([server.candidate()], loopback.settings(), on_event=events.append)
    run.start()
    outcome = run.wait(10)
    assert outcome is not None
    assert {e.run_id for e in events} == {run.run_id}
    started = [e.phase for e in events if e.status is PhaseStatus.STARTED]
    assert started[:4] == [Phase.RESOLVE, Phase.CONNECT, Phase.TLS, Phase.CERTIFICATE]
    assert Phase.EHLO_TLS in started


def test_run_ids_differ_between_runs(loopback: Loopback) -> None:
    first = ProbeRun([], loopback.settings())
    second = ProbeRun([], loopback.settings())
    assert first.run_id != second.run_id


def test_all_ports_in_parallel_and_ranked(loopback: Loopback) -> None:
    implicit = loopback.implicit_tls()
    starttls = loopback.starttls()
    plain = loopback.plain()
    closed = loopback.closed()
    candidates = [
        implicit.candidate(),
        starttls.candidate(),
        plain.candidate(),
        closed.candidate(),
    ]
    outcome = run_and_wait(candidates, loopback.settings())
    verdicts = [r.verdict for r in outcome.results]
    assert verdicts == [
        Verdict.ENCRYPTED_IMPLICIT,
        Verdict.ENCRYPTED_STARTTLS,
        Verdict.PLAINTEXT_ONLY,
        Verdict.REFUSED,
    ]
    assert outcome.recommendation is not None
    assert outcome.recommendation.candidate == implicit.candidate()


def test_plain_text_is_never_recommended(loopback: Loopback) -> None:
    plain = loopback.plain()
    outcome = run_and_wait([plain.candidate()], loopback.settings())
    assert outcome.results[0].verdict is Verdict.PLAINTEXT_ONLY
    assert outcome.recommendation is None


def test_shared_hosting_rescue_tests_and_recommends_the_certificate_name(
    loopback: Loopback,
) -> None:
    """mail.customer.test has a certificate for server1.hosting.test on the same address."""
    loopback.map_name("mail.customer.test")
    loopback.map_name("server1.hosting.test")
    server = loopback.starttls(name="server1.hosting.test")
    candidate = Candidate("mail.customer.test", server.port, Security.STARTTLS)
    outcome = run_and_wait([candidate], loopback.settings())
    first, rescue = outcome.results
    assert first.verdict is Verdict.CERT_NAME_MISMATCH
    assert first.evidence.rescue_names == ["server1.hosting.test"]
    assert rescue.candidate.host == "server1.hosting.test"
    assert rescue.candidate.rescue_of == candidate.key
    assert rescue.verdict is Verdict.ENCRYPTED_STARTTLS
    assert outcome.recommendation is rescue


def test_no_rescue_when_the_certificate_name_is_elsewhere(loopback: Loopback) -> None:
    loopback.map_name("mail.customer.test")
    server = loopback.starttls(name="server9.elsewhere.test")  # not resolvable: not the same server
    candidate = Candidate("mail.customer.test", server.port, Security.STARTTLS)
    outcome = run_and_wait([candidate], loopback.settings())
    assert [r.verdict for r in outcome.results] == [Verdict.CERT_NAME_MISMATCH]
    assert outcome.recommendation is None


def test_finished_never_overtakes_a_result(loopback: Loopback) -> None:
    """Every result is delivered before the run reports it has finished (many fast probes)."""
    closed = loopback.closed()
    candidates = []
    for i in range(12):
        name = f"fast{i}.example.test"
        loopback.map_name(name)
        candidates.append(Candidate(name, closed.port, Security.STARTTLS))
    for _ in range(20):
        log: list[str] = []
        lock = threading.Lock()
        done = threading.Event()

        def on_result(
            _run_id: int, _result: object, log: list[str] = log, lock: threading.Lock = lock
        ) -> None:
            with lock:
                log.append("result")

        def on_finished(
            _outcome: object,
            log: list[str] = log,
            done: threading.Event = done,
            lock: threading.Lock = lock,
        ) -> None:
            with lock:
                log.append("finished")
            done.set()

        ProbeRun(
            candidates, loopback.settings(), on_result=on_result, on_finished=on_finished
        ).start()
        assert done.wait(10)
        assert log == ["result"] * 12 + ["finished"]
