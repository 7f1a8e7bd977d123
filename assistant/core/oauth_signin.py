"""SMTP sign-in with a bearer token: `AUTH XOAUTH2` or `AUTH OAUTHBEARER`, success only on 235.

Called by the probe, only on a connection whose certificate verified (the same rule as a password).
The token is sent once, on one mechanism; the transcript shows a placeholder instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.core.models import AuthOutcome, Reply
from assistant.core.sasl_oauth import (
    OAuthCredentials,
    SaslError,
    abort_response,
    initial_response,
    parse_error_challenge,
)
from assistant.core.signin import reply_entry
from assistant.core.wire import REDACTED, Wire


@dataclass(frozen=True, slots=True)
class OAuthAttempt:
    reply: Reply
    error: SaslError | None


def authenticate_smtp(
    wire: Wire, mechanism: str, creds: OAuthCredentials, host: str, port: int
) -> OAuthAttempt:
    """One AUTH exchange with the token as the initial response (RFC 4954)."""
    response = initial_response(mechanism, creds, host, port)
    reply = wire.command(f"AUTH {mechanism} {response}", shown=f"AUTH {mechanism} {REDACTED}")
    error = None
    if reply.code == 334:
        # An error challenge: remember what it said, then let the server finish with its refusal.
        error = parse_error_challenge(reply.lines[0] if reply.lines else "")
        reply = wire.command(abort_response(mechanism), shown="")
    return OAuthAttempt(reply, error)


def classify_oauth_reply(attempt: OAuthAttempt) -> AuthOutcome:
    """235 accepted; 5.7.139 is the organisation's switch (also with OAuth); 4xx try later; any
    other refusal means the token was not accepted."""
    reply = attempt.reply
    if reply.code == 235:
        return AuthOutcome.ACCEPTED
    entry = reply_entry(reply)
    if entry is not None and entry["outcome"] == AuthOutcome.DISABLED_BY_ORGANISATION.value:
        return AuthOutcome.DISABLED_BY_ORGANISATION
    if 400 <= reply.code < 500:
        return AuthOutcome.TEMPORARY
    return AuthOutcome.TOKEN_REFUSED
