"""Running every candidate at once, reporting each phase as it happens, and cancelling cleanly.

Each candidate gets its own thread and `Stopper`; `cancel()` fires all stoppers, which shut every
socket down, so each worker ends within a second whatever the server is doing. A run has an id:
front ends compare it with the run they currently show and drop anything older, so late results of a
cancelled or superseded run are never displayed.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from assistant.core.models import (
    Candidate,
    Phase,
    PhaseStatus,
    ProbeEvent,
    ProbeResult,
    Protocol,
    Verdict,
)
from assistant.core.probe import ProbeSettings, probe
from assistant.core.ranking import rank, rank_incoming
from assistant.core.rescue import MIN_RESCUE_TIME_S, RescueBudget
from assistant.core.stopper import Stopper, StopReason
from assistant.core.trust import NameSource
from assistant.i18n import N_, Worded

_run_ids = itertools.count(1)

EventCallback = Callable[[ProbeEvent], None]
ResultCallback = Callable[[int, ProbeResult], None]


@dataclass
class RunOutcome:
    run_id: int
    results: list[ProbeResult]
    recommendation: ProbeResult | None
    """For sending (SMTP)."""
    cancelled: bool = False
    incoming_recommendation: ProbeResult | None = None
    """For receiving (IMAP or POP3), when incoming candidates were tested."""


FinishedCallback = Callable[[RunOutcome], None]


@dataclass
class ProbeRun:
    candidates: list[Candidate]
    settings: ProbeSettings
    on_event: EventCallback | None = None
    on_result: ResultCallback | None = None
    on_finished: FinishedCallback | None = None
    run_id: int = field(default_factory=lambda: next(_run_ids))
    prefer_incoming: Protocol = Protocol.IMAP
    """IMAP unless the person chose POP3 (ranking of the receiving half)."""

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._stoppers: list[Stopper] = []
        self._threads: list[threading.Thread] = []
        self._results: list[ProbeResult] = []
        self._outstanding = 0
        self._cancelled = False
        self._done = threading.Event()
        self._outcome: RunOutcome | None = None
        self._tried: set[str] = set()
        # Every run gets its own rescue allowance, shared by its probes (assistant.core.rescue).
        self.rescue = RescueBudget()
        self.settings = replace(self.settings, rescue=self.rescue)

    # -- control ----------------------------------------------------------------------------------

    def start(self) -> ProbeRun:
        with self._lock:
            if self._cancelled:  # cancelled before it began (a front end may start it late)
                self._finish_locked()
                return self
            for candidate in self.candidates:
                self._spawn_locked(candidate)
            if self._outstanding == 0:
                self._finish_locked()
        return self

    def cancel(self) -> None:
        with self._lock:
            if self._done.is_set():
                return
            self._cancelled = True
            stoppers = list(self._stoppers)
        for stopper in stoppers:
            stopper.stop(StopReason.CANCELLED)

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def wait(self, timeout: float | None = None) -> RunOutcome | None:
        self._done.wait(timeout)
        return self._outcome

    def join_workers(self, timeout: float) -> bool:
        """True when every worker thread has ended (used to prove cancel really stops them)."""
        for thread in list(self._threads):
            thread.join(timeout)
        return not any(t.is_alive() for t in self._threads)

    # -- workers ----------------------------------------------------------------------------------

    def _spawn_locked(self, candidate: Candidate, timeout: float | None = None) -> None:
        if candidate.key in self._tried:
            return
        self._tried.add(candidate.key)
        stopper = Stopper(self.settings.timeout if timeout is None else timeout)
        self._stoppers.append(stopper)
        self._outstanding += 1
        thread = threading.Thread(
            target=self._work, args=(candidate, stopper), name=f"probe {candidate.key}", daemon=True
        )
        self._threads.append(thread)
        thread.start()

    def _work(self, candidate: Candidate, stopper: Stopper) -> None:
        yield_cpu_to_the_window()

        def on_phase(phase: Phase, status: PhaseStatus, elapsed: float) -> None:
            if self.on_event is not None and not self._cancelled:
                self.on_event(ProbeEvent(self.run_id, candidate, phase, status, elapsed))

        try:
            result = probe(candidate, self.settings, on_phase, stopper)
        except Exception as exc:  # a bug must not hang the run: report it as "could not tell"
            result = ProbeResult(candidate, Verdict.NOT_MAIL_SERVER)
            result.evidence.error = Worded(
                N_("internal error: {name}"), name=exc.__class__.__name__
            )
        with self._lock:
            if not self._cancelled:
                self._results.append(result)
                if result.verdict is Verdict.CERT_NAME_MISMATCH and candidate.rescue_of is None:
                    self._spawn_rescues_locked(candidate, result, stopper)
        if self.on_result is not None and not self._cancelled:
            self.on_result(self.run_id, result)
        # Count this probe as done only after its result was delivered: the run's "finished"
        # must never overtake a result (front ends would drop the late result).
        with self._lock:
            self._outstanding -= 1
            if self._outstanding == 0:
                self._finish_locked()

    def _spawn_rescues_locked(
        self, parent: Candidate, result: ProbeResult, parent_stopper: Stopper
    ) -> None:
        """Test the certificate's names for the same server, within the parent's deadline and the
        run's allowance. Whether such a name gets the password is the trust rule's decision."""
        left = parent_stopper.deadline - time.monotonic()
        if left < MIN_RESCUE_TIME_S:
            return
        trust = self.settings.trust
        for name in result.evidence.rescue_names:
            rescue = replace(
                parent,
                host=name,
                rescue_of=parent.key,
                label="",
                documented=False,
                source=NameSource.CERTIFICATE,
                trusted=trust.trusts(name, NameSource.CERTIFICATE),
            )
            if rescue.key in self._tried or not self.rescue.take_probe():
                continue
            self._spawn_locked(rescue, timeout=left)

    def _finish_locked(self) -> None:
        if self._done.is_set():
            return
        results = sorted(self._results, key=lambda r: _order(self.candidates, r))
        outcome = RunOutcome(
            self.run_id,
            results,
            None if self._cancelled else rank(results, self.settings.credentials is not None),
            cancelled=self._cancelled,
            incoming_recommendation=None
            if self._cancelled
            else rank_incoming(results, self.prefer_incoming),
        )
        self._outcome = outcome
        self._done.set()
        if self.on_finished is not None and not self._cancelled:
            # Called with the lock held is avoided: hand off on a short-lived thread.
            threading.Thread(target=self.on_finished, args=(outcome,), daemon=True).start()


def yield_cpu_to_the_window() -> None:
    """Probes wait on the network, but TLS handshakes are CPU work: ten at once on a two-core
    laptop would take the CPU from the window's thread, which then paints late. Probe threads
    therefore run at a lower scheduling priority (best effort; a thread can always lower its own).
    """
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    elif sys.platform == "win32":
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        below_normal = -1
        kernel32.SetThreadPriority(kernel32.GetCurrentThread(), below_normal)


def _order(candidates: list[Candidate], result: ProbeResult) -> tuple[int, str]:
    keys = [c.key for c in candidates]
    anchor = result.candidate.rescue_of or result.candidate.key
    position = keys.index(anchor) if anchor in keys else len(keys)
    return (position, "1" if result.candidate.rescue_of else "0")


def run_and_wait(
    candidates: list[Candidate], settings: ProbeSettings, **callbacks: object
) -> RunOutcome:
    """Convenience for the CLI and tests: start a run and block until it ends."""
    run = ProbeRun(candidates, settings, **callbacks)  # type: ignore[arg-type]
    run.start()
    outcome = run.wait()
    assert outcome is not None
    return outcome
