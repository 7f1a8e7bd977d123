"""The part of a token sign-in (SASL XOAUTH2 / OAUTHBEARER) that IMAP and POP3 share.

Both protocols carry the same exchange in their own line grammar: the command with the initial
response (or an empty `+` asking for it), possibly the server's `+ <base64 JSON>` error challenge,
which is answered with the abort response, and a final status line. What differs (the command, the
tags, the status words, which response codes mean "try later") stays in `imap_oauth` and
`pop3_oauth`; the continuation rule, the transcript and the answer's shape live here once.

The channel is anything with the engine's `Wire` interface (`send(line, shown)`, `read_line()`):
deadlines, cancel and the line-length bound stay the caller's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from assistant.core.models import AuthOutcome
from assistant.core.sasl_oauth import SaslError, abort_response, parse_error_challenge
from assistant.core.wire import REDACTED, ProtocolError, clean_text
from assistant.i18n import N_, Worded


class Channel(Protocol):
    def send(self, line: str, shown: str | None = None) -> None: ...

    def read_line(self, wait: float | None = None) -> bytes: ...


@dataclass(frozen=True, slots=True)
class TokenAnswer:
    """The server's last word on a token sign-in, in IMAP and POP3 alike."""

    status: str
    """The status word as the server sent it: "OK", "NO" or "BAD" in IMAP, "+OK" or "-ERR" in POP3."""
    accepted: bool
    text: str
    """The rest of the final line, cleaned (e.g. "[AUTHENTICATIONFAILED] Invalid credentials")."""
    code: str = ""
    """Its bracketed response code: IMAP's AUTHENTICATIONFAILED or UNAVAILABLE (RFC 5530), POP3's
    AUTH, SYS/TEMP or IN-USE (RFC 3206)."""
    temporary: bool = False
    """The code says the refusal is for now only (the protocol's own rule decides)."""
    error: SaslError | None = None
    """The server's error challenge, when it sent one before refusing."""
    capabilities: tuple[str, ...] = ()
    """IMAP only: capabilities announced with the OK (they replace the earlier ones)."""

    @property
    def outcome(self) -> AuthOutcome:
        if self.accepted:
            return AuthOutcome.ACCEPTED
        if self.temporary:
            return AuthOutcome.TEMPORARY
        return AuthOutcome.TOKEN_REFUSED


def answer_challenge(
    channel: Channel,
    line: str,
    mechanism: str,
    response: str,
    sent: bool,
    error: SaslError | None,
) -> tuple[bool, SaslError | None]:
    """A `+` continuation, in IMAP and POP3 alike: the first asks for the initial response (when
    it was not sent with the command); after that, it is the server's error challenge, which is
    noted and answered with the abort response. A second error challenge is not mail-server talk."""
    if not sent:
        channel.send(response, shown=REDACTED)
        return True, error
    if error is not None:
        raise ProtocolError(Worded(N_("a second challenge after the error")), clean_text(line, 80))
    error = parse_error_challenge(line[1:].strip()) or SaslError(status="unknown")
    channel.send(abort_response(mechanism), shown="")
    return sent, error


def record_server_line(channel: Channel, line: str) -> None:
    """The server's line in the channel's transcript, cleaned, when it keeps one (the engine's
    `Wire` does; its `read_line` leaves recording to the protocol above it)."""
    transcript = getattr(channel, "transcript", None)
    if isinstance(transcript, list):
        transcript.append(f"S: {clean_text(line)}")
