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

from assistant.core.sasl_oauth import OAuthCredentials, SaslError, initial_response
from assistant.core.token_exchange import Channel, TokenAnswer, answer_challenge, record_server_line
from assistant.core.wire import REDACTED, ProtocolError, clean_text
from assistant.i18n import N_, Worded

MAX_LINES = 100
"""Untagged responses can be endless; more than this before the tagged answer is not IMAP."""

_CODE = re.compile(r"^\[([A-Z-]+)(?: ([^\]]*))?\]")


def authenticate_imap(
    channel: Channel,
    tag: str,
    mechanism: str,
    creds: OAuthCredentials,
    *,
    sasl_ir: bool,
    host: str = "",
    port: int = 0,
) -> TokenAnswer:
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
            raise ProtocolError(Worded(N_("an answer with another tag")), clean_text(line, 80))
        status, _, text = rest.partition(" ")
        status = status.upper()
        if status not in ("OK", "NO", "BAD"):
            raise ProtocolError(Worded(N_("not an IMAP status")), clean_text(line, 80))
        text = clean_text(text)
        code, arguments = "", ""
        match = _CODE.match(text)
        if match:
            code, arguments = match.group(1), match.group(2) or ""
            if code == "CAPABILITY":
                capabilities = tuple(arguments.split())
        return TokenAnswer(
            status,
            status == "OK",
            text,
            code,
            temporary=code == "UNAVAILABLE",  # RFC 5530: try again later
            error=error,
            capabilities=capabilities,
        )
    raise ProtocolError(Worded(N_("no answer to AUTHENTICATE among the server's lines")))
