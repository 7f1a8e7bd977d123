"""Probe runs in the background: the `Background` helper for the engine's runs.

The engine (`assistant.core.probe_run.ProbeRun`) calls back from its own worker threads. Each callback
only hands its news to `Background.deliver`, keyed by the run's id (which is the job id), so the slots
run in the GUI thread, where anything belonging to a run that is no longer current (cancelled, or
superseded by a new run) is dropped. The GUI thread itself never touches a socket.
"""

from __future__ import annotations

import threading
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from assistant.gui.background import Background

if TYPE_CHECKING:
    from assistant.core.models import Candidate, ProbeEvent, ProbeResult
    from assistant.core.probe import ProbeSettings
    from assistant.core.probe_run import ProbeRun, RunOutcome


PROGRESS_INTERVAL_MS = 40


SCREEN_WAIT_S = 0.25
"""How long a run's start waits for the page to be on screen (a hidden window never paints)."""


def _start_below_the_window(run: ProbeRun, on_screen: threading.Event | None) -> ProbeRun:
    """Spawn the run's threads once the page is on screen, from a thread already below the
    window's priority: they are born there (Linux threads inherit it) instead of competing with
    the window, until each lowers its own, in the very moment the page is laid out and painted."""
    from assistant.core.probe_run import yield_cpu_to_the_window

    yield_cpu_to_the_window()
    if on_screen is not None:
        on_screen.wait(SCREEN_WAIT_S)
    return run.start()


class RunBridge(Background):
    """Starts and cancels probe runs; re-emits the current run's progress in the GUI thread.

    One run at a time: starting a run cancels the current one. `cancelled(run_id)` comes from
    `Background`."""

    progress = Signal(object)  # ProbeEvent of the current run
    result = Signal(object)  # ProbeResult of the current run
    finished = Signal(object)  # RunOutcome of the current run (not emitted for a cancelled run)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent, name="start run")
        self._run: ProbeRun | None = None
        self._current: int | None = None
        self._pending: dict[str, ProbeEvent] = {}
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(PROGRESS_INTERVAL_MS)
        self._flush_timer.timeout.connect(self._flush_progress)

    # -- control (GUI thread) ---------------------------------------------------------------------

    @property
    def current_run_id(self) -> int | None:
        return self._current if self.is_live(self._current) else None

    @property
    def run(self) -> ProbeRun | None:
        """The most recent run, current or cancelled (tests use it to check its workers ended)."""
        return self._run

    def start(
        self,
        candidates: list[Candidate],
        settings: ProbeSettings,
        on_screen: threading.Event | None = None,
    ) -> int:
        """Cancel any current run and start a new one; returns its id. With `on_screen`, its
        probes begin once that flag is up (the page showing them is painted), or after
        `SCREEN_WAIT_S`; the run is current, and can be cancelled, from this call on."""
        self.cancel()
        from assistant.core.probe_run import (
            ProbeRun,  # the engine (ssl, cryptography) loads on first use
        )

        run = ProbeRun(
            candidates,
            settings,
            on_event=self._worker_event,
            on_result=self._worker_result,
            on_finished=self._worker_finished,
        )
        self._run = run
        self._current = run.run_id
        # Starting spawns a worker (and a watchdog) per candidate; each thread start waits for the
        # new thread, which then competes for the GIL. Do it off the GUI thread so the window stays
        # responsive; cancel() is safe meanwhile (the runner serialises start and cancel). The job
        # stays open after the start: the run's own threads deliver everything it has to say.
        work = partial(_start_below_the_window, run, on_screen)
        self.submit(work, None, job_id=run.run_id, keep_open=True)
        return run.run_id

    def cancel(self) -> bool:
        """Stop the current run (sockets are shut, workers end within a second). True if one ran."""
        run, current = self._run, self._current
        self._current = None
        if run is None or current is None or not self.is_live(current):
            return False
        self._pending.clear()
        run.cancel()
        self.cancel_job(current)
        return True

    # -- worker threads: only deliver -------------------------------------------------------------

    def _worker_event(self, event: ProbeEvent) -> None:
        self.deliver(event.run_id, self._on_event, event)

    def _worker_result(self, run_id: int, result: ProbeResult) -> None:
        self.deliver(run_id, self._on_result, result)

    def _worker_finished(self, outcome: RunOutcome) -> None:
        self.deliver(outcome.run_id, self._on_finished, outcome)

    # -- GUI thread: the current run's news only (Background dropped the rest) ---------------------

    def _on_event(self, event: ProbeEvent) -> None:
        # Phases can change faster than anyone can read: keep only each row's latest and show
        # them together at most every PROGRESS_INTERVAL_MS, so ten probes answering at once
        # cost the window one repaint, not thirty.
        self._pending[event.candidate.key] = event
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    def _flush_progress(self, key: str | None = None) -> None:
        if key is not None:
            event = self._pending.pop(key, None)
            events = [event] if event is not None else []
        else:
            events, self._pending = list(self._pending.values()), {}
        for event in events:
            if event.run_id == self.current_run_id:
                self.progress.emit(event)

    def _on_result(self, result: ProbeResult) -> None:
        self._flush_progress(result.candidate.key)  # a row's last phase, then its result
        self.result.emit(result)

    def _on_finished(self, outcome: RunOutcome) -> None:
        if outcome.cancelled:
            self.dropped += 1
            return
        self._flush_progress()
        self.end_job(outcome.run_id)
        self._current = None
        self.finished.emit(outcome)
