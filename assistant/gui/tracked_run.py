"""`TrackedRun`: one run a page started on the shared `RunBridge` and waits to hear back from.

The bridge's `finished` and `cancelled` signals are heard by every page that ever starts a run, so
each one-candidate run (a test message, a sign-in after "Sign in there?") keeps the id of its own
run and claims only the news carrying that id; everything else belongs to someone else. The page
is told only of its own run's news: its `finished` and `cancelled` are called for nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.core.models import Candidate
    from assistant.core.probe import ProbeSettings
    from assistant.core.probe_run import RunOutcome
    from assistant.gui.workers import RunBridge


class TrackedRun:
    """The id of the one run started through `start`, until its news is claimed or forgotten."""

    def __init__(
        self,
        bridge: RunBridge,
        finished: Callable[[RunOutcome], None],
        cancelled: Callable[[], None] | None = None,
    ) -> None:
        self._bridge = bridge
        self._run_id: int | None = None
        self._finished = finished
        self._cancelled = cancelled
        bridge.finished.connect(self._heard_finished)
        bridge.cancelled.connect(self._heard_cancelled)

    def start(self, candidates: list[Candidate], settings: ProbeSettings) -> None:
        """Start the run on the bridge (cancelling whatever ran there) and remember its id."""
        self._run_id = self._bridge.start(candidates, settings)

    @property
    def active(self) -> bool:
        """Started and not yet claimed or forgotten: its answer is still awaited."""
        return self._run_id is not None

    def owns(self, run_id: int) -> bool:
        """Is `run_id` the run this one waits for?"""
        return self._run_id is not None and run_id == self._run_id

    def _claim(self, run_id: int) -> bool:
        """True, and the run is no longer awaited, only when `run_id` is this one's run."""
        if not self.owns(run_id):
            return False
        self._run_id = None
        return True

    def forget(self) -> None:
        """Stop waiting (the page was left): a late answer is then no longer claimed."""
        self._run_id = None

    def _heard_finished(self, outcome: RunOutcome) -> None:
        if self._claim(outcome.run_id):
            self._finished(outcome)

    def _heard_cancelled(self, run_id: int) -> None:
        if self._claim(run_id) and self._cancelled is not None:
            self._cancelled()
