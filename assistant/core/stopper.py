"""Stopping a probe from outside its thread.

Socket time-outs apply to one read, not to a whole conversation: a server that drips one byte every
half second would never trip them. So each probe gets a `Stopper`; a watchdog timer (the deadline) or
the user's Cancel calls `stop()`, which shuts down every socket the probe has open. A blocked `recv`,
`connect` or TLS handshake then returns at once in the probe thread, which raises `Stopped`; whoever
catches it reads why from the stopper's `reason`, the one place that records it.
"""

from __future__ import annotations

import contextlib
import enum
import socket
import threading
import time


class StopReason(enum.Enum):
    DEADLINE = "deadline"
    CANCELLED = "cancelled"


class Stopped(Exception):
    """Raised inside a probe when its stopper fired. It says nothing of why: `Stopper.reason` does."""


class Stopper:
    def __init__(self, timeout: float) -> None:
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._reason: StopReason | None = None
        self.started = time.monotonic()
        self.deadline = self.started + timeout
        self._timer = threading.Timer(timeout, self.stop, args=(StopReason.DEADLINE,))
        self._timer.daemon = True
        self._timer.start()

    @property
    def reason(self) -> StopReason | None:
        return self._reason

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def check(self) -> None:
        """Raise `Stopped` if the probe must end (deadline passed or cancelled)."""
        if self._reason is None and self.remaining() <= 0:
            self.stop(StopReason.DEADLINE)
        if self._reason is not None:
            raise Stopped()

    def stopped_by(self, exc: BaseException) -> Stopped | None:
        """`Stopped` if this stopper explains the socket error `exc`, None if the error is the peer's.

        Once the stopper fired, any error is its doing: shutting the sockets down is what broke the
        call. A `TimeoutError` is the deadline even before the watchdog fires: every socket time-out
        is set to the time left (`op_timeout`), so it may fire a moment before the timer does; the
        deadline is then recorded here (`stop` keeps the first reason, so a Cancel that came first
        stays a Cancel)."""
        if isinstance(exc, TimeoutError):
            self.stop(StopReason.DEADLINE)
        return Stopped() if self._reason is not None else None

    def op_timeout(self) -> float:
        """Time-out for the next blocking socket call: never beyond the deadline."""
        self.check()
        return max(0.01, self.remaining())

    def register(self, sock: socket.socket) -> None:
        with self._lock:
            if self._reason is not None:
                _hard_shutdown(sock)
            self._sockets.add(sock)

    def unregister(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.discard(sock)

    def stop(self, reason: StopReason) -> None:
        with self._lock:
            if self._reason is None:
                self._reason = reason
            sockets = list(self._sockets)
        for sock in sockets:
            _hard_shutdown(sock)

    def finish(self) -> None:
        """The probe ended by itself: the watchdog is no longer needed."""
        self._timer.cancel()


def _hard_shutdown(sock: socket.socket) -> None:
    # socket.socket.shutdown, not SSLSocket.shutdown: the latter drops the TLS object under a
    # thread that may still be reading; the plain call only shuts the file descriptor down.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
