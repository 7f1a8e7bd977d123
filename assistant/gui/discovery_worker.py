"""Finding the provider's settings while the person types, without the window ever waiting.

`DiscoveryLookup.lookup(address)` runs `assistant.discovery.discover` as a `Background` job on a
short-lived daemon thread (it may wait on DNS and HTTPS for a few seconds; importing it alone costs
~0.2 s). The answer comes back in the GUI thread, where an answer for an address that is no longer the
current one is dropped (a newer lookup cancels the older job: the same rule as `RunBridge`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from assistant.gui.background import Background

if TYPE_CHECKING:
    from assistant.discovery import DiscoveryResult
    from assistant.discovery.sources.base import Source
    from assistant.gui.state import DiscoveryOptionsFactory
    from assistant.profile import Profile


class DiscoveryLookup(Background):
    """One lookup at a time; a newer address supersedes the older one, whose answer is ignored."""

    finished = Signal(object)  # DiscoveryResult for `address` (current lookups only)

    def __init__(self, options: DiscoveryOptionsFactory, parent: QObject | None = None) -> None:
        super().__init__(parent, name="discovery")
        self._options = options
        self._job: int | None = None
        self.address: str | None = None
        self.result: DiscoveryResult | None = None
        self.completed = False  # the lookup for `address` has answered (result may still be None)

    @property
    def pending(self) -> bool:
        return self.is_live(self._job)

    def lookup(self, address: str, profile: Profile | None = None) -> None:
        """Start finding settings for `address` (nothing to do if that is already under way/done)."""
        if address == self.address and (self.pending or self.completed):
            return
        self.cancel_all()
        self.address, self.result, self.completed = address, None, False
        self._job = self.submit(lambda: self._work(address, profile), self._on_done)

    def clear(self) -> None:
        """Forget the current lookup (the address became invalid, or a server was typed)."""
        self.cancel_all()
        self._job = None
        self.address, self.result, self.completed = None, None, False

    def result_for(self, address: str) -> DiscoveryResult | None:
        return self.result if address == self.address else None

    def pending_for(self, address: str) -> bool:
        return self.pending and address == self.address

    def done_for(self, address: str) -> bool:
        return self.completed and address == self.address

    # -- worker thread ----------------------------------------------------------------------------

    def _work(self, address: str, profile: Profile | None) -> DiscoveryResult | None:
        try:
            options = self._options()
            if profile is not None:
                options.ispdb = options.ispdb and profile.online_lookup
                if profile.provider:
                    options.extra_sources = (*options.extra_sources, profile_source(profile))
            from assistant.discovery import discover

            return discover(address, options)
        except (
            Exception
        ):  # an address the page accepted cannot fail; if it does, fall back to guesses
            return None

    # -- GUI thread (current lookup only) ---------------------------------------------------------

    def _on_done(self, result: DiscoveryResult | None) -> None:
        self.completed = True
        self.result = result
        self.finished.emit(result)


def profile_source(profile: Profile) -> Source:
    """The provider named in the IT profile wins over every other source (priority 10)."""
    from assistant.discovery.sources.profile import ProfileSource

    return ProfileSource(profile.provider or "")
