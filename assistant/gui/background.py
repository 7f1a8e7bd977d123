"""The one way the window runs work in the background: probe runs, discovery, the keychain.

Work that may wait (on the network, on a keychain's "unlock" prompt) never runs in the GUI thread.
`Background` is the base of every such helper. It hands out a *job id* for each piece of work, runs
the work on a worker thread, and brings every answer back with `deliver(job_id, ...)`: a signal
connected with `Qt.QueuedConnection`, so the answer runs in the GUI thread. An answer whose job is no
longer live (cancelled, superseded, or already ended) is dropped there and counted in `dropped`, so a
late answer can never show on screen. Each helper declares its own public signals (`finished`,
`found`, `saved` …) and emits them from its GUI-thread handlers; `cancelled(job_id)` is common to all.

Two ways to run the work, chosen per helper:
- `serial=False` (discovery, starting a probe run): one short-lived *daemon* thread per job, so a slow
  DNS server cannot keep a closed window's process alive;
- `serial=True` (the keychain): one worker thread doing the jobs in the order they were asked, joined
  at exit, so a password being saved as the window closes is saved completely.
"""

from __future__ import annotations

import contextlib
import itertools
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

# One counter for the whole process: a job id never repeats, whichever helper issued it.
_job_ids = itertools.count(1)


def new_job_id() -> int:
    return next(_job_ids)


class Background(QObject):
    """Base for a helper that runs work off the GUI thread and answers in the GUI thread."""

    cancelled = Signal(int)  # job id, when a live job is cancelled

    _hop = Signal(int, object)  # job id, a function to call in the GUI thread

    def __init__(
        self, parent: QObject | None = None, *, serial: bool = False, name: str = "background"
    ) -> None:
        super().__init__(parent)
        self._serial = serial
        self._name = name
        self._executor: ThreadPoolExecutor | None = None
        self._live: set[int] = set()
        self.dropped = 0  # answers of jobs no longer live, ignored (for tests and the benchmark)
        self._hop.connect(self._arrive, Qt.ConnectionType.QueuedConnection)

    # -- GUI thread: jobs -------------------------------------------------------------------------

    def open_job(self, job_id: int | None = None) -> int:
        """Make a job live (a new id unless one is given, e.g. a probe run's own id)."""
        job = new_job_id() if job_id is None else job_id
        self._live.add(job)
        return job

    def submit(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None] | None,
        *,
        job_id: int | None = None,
        keep_open: bool = False,
    ) -> int:
        """Run `work()` off the GUI thread, then `done(answer)` in the GUI thread if the job is still
        live; the job ends there unless `keep_open` (its worker threads will deliver more).

        With `done=None` and `keep_open` nothing is delivered when `work` returns: the work only
        starts something whose own threads `deliver` (a probe run), and a "started" notice could
        reach the GUI thread after the run's last answer.

        `work` must turn its own failures into an answer (a fixed sentence, None …): an exception's
        text is never shown, since it could carry what was being stored. One that escapes anyway
        still ends the job, without calling `done`."""
        job = self.open_job(job_id)

        def run() -> None:
            try:
                answer = work()
            except Exception:
                self.deliver(job, self.end_job, job)
                return
            if done is not None or not keep_open:
                self.deliver(job, self._done, job, done, answer, keep_open)

        if self._serial:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=self._name)
            self._executor.submit(run)
        else:
            threading.Thread(target=run, name=f"{self._name} {job}", daemon=True).start()
        return job

    def _done(
        self, job: int, done: Callable[[Any], None] | None, answer: object, keep_open: bool
    ) -> None:
        if not keep_open:
            self.end_job(job)
        if done is not None:
            done(answer)

    def is_live(self, job_id: int | None) -> bool:
        return job_id is not None and job_id in self._live

    @property
    def busy(self) -> int:
        """Jobs asked for and not yet answered."""
        return len(self._live)

    def end_job(self, job_id: int) -> None:
        """The job has said all it will say: anything later from it is dropped."""
        self._live.discard(job_id)

    def cancel_job(self, job_id: int) -> bool:
        """Stop listening to a job (its late answers are dropped); True if it was live."""
        if job_id not in self._live:
            return False
        self._live.discard(job_id)
        self.cancelled.emit(job_id)
        return True

    def cancel_all(self) -> bool:
        """Cancel every live job; True if there was one."""
        jobs = sorted(self._live)
        for job in jobs:
            self.cancel_job(job)
        return bool(jobs)

    def shutdown(self) -> None:
        """The window is closing: nothing more is asked. A serial worker finishes what it was
        given (a password being saved is saved) and is joined at exit."""
        if self._executor is not None:
            self._executor.shutdown(wait=False)

    # -- any thread: answers ----------------------------------------------------------------------

    def deliver(self, job_id: int, function: Callable[..., None], *args: object) -> None:
        """Call `function(*args)` in the GUI thread, unless the job is no longer live by then.
        Safe from any thread, and after the window is gone (then nobody is told)."""
        with contextlib.suppress(RuntimeError):  # the helper was deleted with the window
            self._hop.emit(job_id, (function, args))

    # -- GUI thread: the one place stale answers are dropped --------------------------------------

    def _arrive(self, job_id: int, call: tuple[Callable[..., None], tuple[object, ...]]) -> None:
        if job_id not in self._live:
            self.dropped += 1
            return
        function, args = call
        function(*args)
