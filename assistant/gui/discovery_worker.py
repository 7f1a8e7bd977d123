"""Finding the provider's settings while the person types, without the window ever waiting.

`DiscoveryLookup.lookup(address)` runs `assistant.discovery.discover` on a short-lived daemon thread
(it may wait on DNS and HTTPS for a few seconds; importing it alone costs ~0.2 s). The answer crosses
back through a signal connected with `Qt.QueuedConnection`, so the slot runs in the GUI thread, where
an answer for an address that is no longer the current one is dropped (the same rule as `RunBridge`).
"""

from __future__ import annotations

import contextlib
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal

if TYPE_CHECKING:
    from assistant.discovery import DiscoveryResult
    from assistant.discovery.sources.base import Source
    from assistant.gui.state import DiscoveryOptionsFactory
    from assistant.profile import Profile


class DiscoveryLookup(QObject):
    """One lookup at a time; a newer address supersedes the older one, whose answer is ignored."""

    finished = Signal(object)  # DiscoveryResult for `address` (current lookups only)
    _from_worker = Signal(int, object)

    def __init__(self, options: DiscoveryOptionsFactory, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._options = options
        self._generation = 0
        self.address: str | None = None
        self.result: DiscoveryResult | None = None
        self.pending = False
        self.completed = False  # the lookup for `address` has answered (result may still be None)
        self.dropped = 0  # stale answers ignored (for tests)
        self._from_worker.connect(self._on_done, Qt.ConnectionType.QueuedConnection)

    def lookup(self, address: str, profile: Profile | None = None) -> None:
        """Start finding settings for `address` (nothing to do if that is already under way/done)."""
        if address == self.address and (self.pending or self.completed):
            return
        self._generation += 1
        self.address, self.result, self.pending, self.completed = address, None, True, False
        worker = threading.Thread(
            target=self._work,
            args=(self._generation, address, profile),
            name=f"discovery {self._generation}",
            daemon=True,  # a slow DNS server must not keep the closed app alive
        )
        worker.start()

    def clear(self) -> None:
        """Forget the current lookup (the address became invalid, or a server was typed)."""
        self._generation += 1
        self.address, self.result, self.pending, self.completed = None, None, False, False

    def result_for(self, address: str) -> DiscoveryResult | None:
        return self.result if address == self.address else None

    def pending_for(self, address: str) -> bool:
        return self.pending and address == self.address

    def done_for(self, address: str) -> bool:
        return self.completed and address == self.address

    # -- worker thread ----------------------------------------------------------------------------

    def _work(self, generation: int, address: str, profile: Profile | None) -> None:
        result: DiscoveryResult | None
        try:
            options = self._options()
            if profile is not None:
                options.ispdb = options.ispdb and profile.online_lookup
                if profile.provider:
                    options.extra_sources = (*options.extra_sources, profile_source(profile))
            from assistant.discovery import discover

            result = discover(address, options)
        except (
            Exception
        ):  # an address the page accepted cannot fail; if it does, fall back to guesses
            result = None
        with contextlib.suppress(RuntimeError):  # window closed meanwhile
            self._from_worker.emit(generation, result)

    # -- GUI thread -------------------------------------------------------------------------------

    def _on_done(self, generation: int, result: DiscoveryResult | None) -> None:
        if generation != self._generation:
            self.dropped += 1
            return
        self.pending, self.completed = False, True
        self.result = result
        self.finished.emit(result)


def profile_source(profile: Profile) -> Source:
    """The provider named in the IT profile wins over every other source (priority 10)."""
    from assistant.discovery.sources.profile import ProfileSource

    return ProfileSource(profile.provider or "")
