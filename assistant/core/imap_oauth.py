"""IMAP `AUTHENTICATE XOAUTH2` / `AUTHENTICATE OAUTHBEARER` with a bearer token (RFC 9051 §6.2.2).

For the IMAP conversation (`assistant.core.imap`): call `authenticate_imap` on a verified TLS
connection, after CAPABILITY showed `AUTH=XOAUTH2` or `AUTH=OAUTHBEARER`. The channel is anything
with the engine's `Wire` interface (`send(line, shown)`, `read_line()`): deadlines, cancel and the
line-length bound stay the caller's. With SASL-IR the token goes in the command itself; without it
the server's empty `+` continuation is awaited first. On failure the server sends a `+ <base64 JSON>`
error challenge; we answer as the mechanism says and read the tagged NO.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from assistant.core.models import AuthOutcome
from assistant.core.sasl_oauth import (
    OAuthCredentials,
    SaslError,
    abort_response,
    initial_response,
    parse_error_challenge,
)
from assistant.core.wire import REDACTED, ProtocolError, clean_text

MAX_LINES = 100
"""Untagged responses can be endless; more than this before the tagged answer is not IMAP."""

_CODE = re.compile(r"^\[([A-Z-]+)(?: ([^\]]*))?\]")


class Channel(Protocol):
    def send(self, line: str, shown: str | None = None) -> None: ...

    def read_line(self, wait: float | None = None) -> bytes: ...


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
        raise ProtocolError("a second challenge after the error", clean_text(line, 80))
    error = parse_error_challenge(line[1:].strip()) or SaslError(status="unknown")
    channel.send(abort_response(mechanism), shown="")
    return sent, error


@dataclass(frozen=True, slots=True)
class ImapAuthResult:
    status: str
    """The tagged status: "OK", "NO" or "BAD"."""
    text: str
    """The rest of the tagged line, cleaned (e.g. "[AUTHENTICATIONFAILED] Invalid credentials")."""
    code: str = ""
    """The response code, e.g. AUTHENTICATIONFAILED, UNAVAILABLE, CAPABILITY."""
    error: SaslError | None = None
    capabilities: tuple[str, ...] = ()
    """Capabilities announced with the OK (a server may send them; they replace the earlier ones)."""

    @property
    def accepted(self) -> bool:
        return self.status == "OK"


def authenticate_imap(
    channel: Channel,
    tag: str,
    mechanism: str,
    creds: OAuthCredentials,
    *,
    sasl_ir: bool,
    host: str = "",
    port: int = 0,
) -> ImapAuthResult:
    """One AUTHENTICATE exchange. Raises ProtocolError when the server does not answer as IMAP."""
    response = initial_response(mechanism, creds, host, port)
    if sasl_ir:
        channel.send(
            f"{tag} AUTHENTICATE {mechanism} {response}",
            shown=f"{tag} AUTHENTICATE {mechanism} {REDACTED}",
        )
    else:
        channel.send(f"{tag} AUTHENTICATE {mechanism}")
    sent = sasl_ir
    error: SaslError | None = None
    capabilities: tuple[str, ...] = ()
    for _ in range(MAX_LINES):
        line = channel.read_line().decode("utf-8", "replace")
        record_server_line(channel, line)
        if line.startswith("+"):
            sent, error = answer_challenge(channel, line, mechanism, response, sent, error)
            continue
        if line.startswith("* "):
            if line[2:].upper().startswith("CAPABILITY "):
                capabilities = tuple(line[13:].split())
            continue
        head, _, rest = line.partition(" ")
        if head != tag:
            raise ProtocolError("an answer with another tag", clean_text(line, 80))
        status, _, text = rest.partition(" ")
        status = status.upper()
        if status not in ("OK", "NO", "BAD"):
            raise ProtocolError("not an IMAP status", clean_text(line, 80))
        text = clean_text(text)
        code, arguments = "", ""
        match = _CODE.match(text)
        if match:
            code, arguments = match.group(1), match.group(2) or ""
            if code == "CAPABILITY":
                capabilities = tuple(arguments.split())
        return ImapAuthResult(status, text, code, error, capabilities)
    raise ProtocolError("no answer to AUTHENTICATE among the server's lines")


def classify_imap_oauth(result: ImapAuthResult) -> AuthOutcome:
    """Tagged OK: accepted; [UNAVAILABLE] (RFC 5530): try later; any other NO/BAD: token refused."""
    if result.accepted:
        return AuthOutcome.ACCEPTED
    if result.code == "UNAVAILABLE":
        return AuthOutcome.TEMPORARY
    return AuthOutcome.TOKEN_REFUSED


def record_server_line(channel: Channel, line: str) -> None:
    """The server's line in the channel's transcript, cleaned, when it keeps one (the engine's
    `Wire` does; its `read_line` leaves recording to the protocol above it)."""
    transcript = getattr(channel, "transcript", None)
    if isinstance(transcript, list):
        transcript.append(f"S: {clean_text(line)}")
