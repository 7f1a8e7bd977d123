"""The provider's own sign-in window (Microsoft, Google) as a `Background` job.

The browser flow (`assistant.oauth.run_oauth_sign_in`) waits for the person in their web browser for
up to a few minutes, so it runs off the GUI thread; its answers come back as queued signals. Cancel
(the button, Back, closing the window) wakes it at once. The token it brings is kept in the wizard's
memory only (`WizardState.oauth`, whose repr hides it) and forgotten when the window closes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from assistant.gui.background import Background

if TYPE_CHECKING:
    from assistant.i18n import Translate
    from assistant.oauth.flow import Cancel, Opener
    from assistant.oauth.providers import OAuthClient

OpenerFactory = Callable[[], "Opener | None"]


class OAuthSignIn(Background):
    """One sign-in at a time; `url` says where the browser was sent, `finished` brings the
    `SignInResult` (with the token, or the problem)."""

    url = Signal(str)
    finished = Signal(object)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        opener: OpenerFactory | None = None,
        tls_context: Any = None,
    ) -> None:
        super().__init__(parent, name="oauth sign-in")
        self._opener = opener
        self._tls_context = tls_context
        self._cancel: Cancel | None = None
        self._job: int | None = None

    @property
    def running(self) -> bool:
        return self.is_live(self._job)

    def start(self, client: OAuthClient, address: str, tr: Translate) -> None:
        from assistant.oauth.flow import Cancel
        from assistant.oauth.sign_in import run_oauth_sign_in

        self.stop()
        cancel = Cancel()
        self._cancel = cancel
        opener = self._opener() if self._opener is not None else None
        tls = {"tls_context": self._tls_context} if self._tls_context is not None else {}
        job = self.open_job()
        self._job = job

        def work() -> object:
            return run_oauth_sign_in(
                client,
                address,
                cancel=cancel,
                open_browser=opener,
                on_url=lambda link: self.deliver(job, self.url.emit, link),
                tr=tr,
                **tls,
            )

        self.submit(work, self.finished.emit, job_id=job)

    def stop(self) -> None:
        """Cancel: the flow's listener and browser wait end within a second; its answer is dropped."""
        if self._cancel is not None:
            self._cancel.cancel()
            self._cancel = None
        if self._job is not None:
            self.cancel_job(self._job)
            self._job = None
