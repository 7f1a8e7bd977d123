"""The seam between one probe's plumbing and the protocol it speaks.

`probe.py` owns what every mail protocol shares: resolve, happy-eyeballs connect, the TLS handshake
against the OS trust store, the certificate diagnosis and shared-hosting rescue, the hard deadline.
What is said on the connection (SMTP's EHLO, IMAP's tagged commands, POP3's +OK lines) lives in a
`Conversation`; SMTP's stays in `probe.py`, IMAP's and POP3's are `imap.py` and `pop3.py` on the
common incoming steps of `incoming.py`. A conversation reaches the probe only through `ProbeSession`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Protocol

from assistant.core.models import Candidate, Detail, Evidence, Phase, ProbeResult, Security, Verdict
from assistant.core.stopper import Stopped, Stopper
from assistant.core.wire import LineTooLong, PeerClosed, ProtocolError, ResponseTooLarge, Wire
from assistant.i18n import Worded, kept

if TYPE_CHECKING:
    from assistant.core.probe import ProbeSettings


class Moment(enum.StrEnum):
    """Where in a conversation a server sent lines it was not asked for (kept as evidence, never
    acted on): the same points in SMTP, IMAP and POP3."""

    AFTER_GREETING = "right after the greeting, before we said anything"
    AFTER_FEATURES = "after the server's list of features"
    BEFORE_TLS = "before the encrypted connection started"


class Outcome(Exception):
    """Ends the probe with a verdict; raised from deep inside the conversation."""

    def __init__(
        self, verdict: Verdict, detail: Detail = Detail.NONE, error: str | Worded = ""
    ) -> None:
        super().__init__(verdict.value)
        self.verdict = verdict
        self.detail = detail
        self.error = error


class ProbeSession(Protocol):
    """What a conversation may use of the probe that runs it."""

    candidate: Candidate
    settings: ProbeSettings
    stopper: Stopper
    result: ProbeResult
    ev: Evidence
    greeting_partial: bool

    def phase(self, phase: Phase) -> AbstractContextManager[None]: ...

    def start_tls(self, wire: Wire, implicit: bool) -> Wire:
        """Handshake on the probe's socket; raises `Outcome` with the certificate diagnosis."""
        ...

    def discard_unexpected(self, wire: Wire, where: Moment) -> None: ...

    def password_allowed(self) -> bool:
        """The trust rule (assistant.core.trust): may this server's name have the password?"""
        ...


class Conversation(Protocol):
    """One protocol's side of a probe."""

    def converse(self, session: ProbeSession, wire: Wire, mode: Security) -> None:
        """Everything after connecting; sets the verdict on `session.result` or raises `Outcome`."""
        ...

    def greets_in_plain(self, first_line: bytes) -> bool:
        """After a failed implicit-TLS handshake: is this the protocol's plain-text hello?"""
        ...

    def open_starttls(self, wire: Wire) -> None:
        """On a fresh connection: greeting, then the STARTTLS/STLS go-ahead (for reading the
        certificate only; nothing private is ever sent on it). Raises on anything else."""
        ...


@contextmanager
def greeting_failures(session: ProbeSession, wire: Wire) -> Iterator[None]:
    """Reading a server's greeting, in every protocol alike: what went wrong becomes the verdict
    (not a mail server, or it refused us), and a stop notes whether part of a greeting had come."""
    try:
        yield
    except ResponseTooLarge as exc:
        raise Outcome(Verdict.NOT_MAIL_SERVER, Detail.RESPONSE_TOO_LARGE, kept(exc)) from None
    except LineTooLong as exc:
        raise Outcome(Verdict.NOT_MAIL_SERVER, Detail.LINE_TOO_LONG, kept(exc)) from None
    except ProtocolError as exc:
        raise Outcome(Verdict.NOT_MAIL_SERVER, Detail.GARBAGE_GREETING, exc.raw) from None
    except PeerClosed as exc:
        detail = Detail.CONNECTION_RESET if exc.reset else Detail.CLOSED_EARLY
        raise Outcome(Verdict.SERVER_REFUSED_US, detail, kept(exc)) from None
    except Stopped:
        session.greeting_partial = wire.has_partial_data
        raise
