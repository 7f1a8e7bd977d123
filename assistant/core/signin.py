"""Signing in over a verified TLS connection, with exactly one mechanism and success only on 235.

smtplib's `login()` is not used: it accepts 503 as success and walks through every advertised
mechanism, sending the password again for each (security-and-faults.md rows 5 and 6).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass, field

from assistant.core.models import AuthOutcome, Reply
from assistant.core.wire import REDACTED, Wire

PREFERRED_MECHANISMS = ("PLAIN", "LOGIN", "CRAM-MD5")
OAUTH_MECHANISMS = ("XOAUTH2", "OAUTHBEARER")
MAX_USERNAMES = 2


@dataclass(frozen=True)
class Credentials:
    """A sign-in to try. The password never appears in repr, str or comparisons' output."""

    usernames: tuple[str, ...]
    password: str = field(repr=False)

    def __repr__(self) -> str:
        return f"Credentials(usernames={self.usernames!r}, password=<hidden>)"

    @classmethod
    def for_address(cls, address: str, password: str) -> Credentials:
        """Full address first, then the part before the @ (some hosts want only that)."""
        local = address.split("@", 1)[0]
        names = (address,) if local == address else (address, local)
        return cls(names[:MAX_USERNAMES], password)


def choose_mechanism(offered: list[str]) -> str | None:
    for mech in PREFERRED_MECHANISMS:
        if mech in offered:
            return mech
    return None


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def authenticate(wire: Wire, mechanism: str, username: str, password: str) -> Reply:
    """Run one AUTH exchange; returns the server's final reply. Secrets never reach the transcript."""
    if mechanism == "PLAIN":
        token = _b64(f"\0{username}\0{password}")
        return wire.command(f"AUTH PLAIN {token}", shown=f"AUTH PLAIN {REDACTED}")
    if mechanism == "LOGIN":
        reply = wire.command("AUTH LOGIN")
        if reply.code != 334:
            return reply
        reply = wire.command(_b64(username), shown=REDACTED)
        if reply.code != 334:
            return reply
        return wire.command(_b64(password), shown=REDACTED)
    if mechanism == "CRAM-MD5":
        reply = wire.command("AUTH CRAM-MD5")
        if reply.code != 334:
            return reply
        try:
            challenge = base64.b64decode(reply.lines[0].encode("ascii"), validate=True)
        except (ValueError, IndexError):
            wire.send("*")
            return wire.read_reply()
        digest = hmac.new(password.encode("utf-8"), challenge, hashlib.md5).hexdigest()
        return wire.command(_b64(f"{username} {digest}"), shown=REDACTED)
    raise ValueError(f"unsupported mechanism {mechanism}")


def classify_auth_reply(reply: Reply) -> AuthOutcome:
    """Map a final AUTH reply to what it means for the person (providers-and-replies.md)."""
    if reply.code == 235:
        return AuthOutcome.ACCEPTED
    enhanced = reply.enhanced
    text = reply.text.lower()
    if enhanced == "5.7.9" or "application-specific password" in text:
        return AuthOutcome.APP_PASSWORD_REQUIRED
    if enhanced == "5.7.14" or "web browser" in text:
        return AuthOutcome.WEB_LOGIN_REQUIRED
    if enhanced == "5.7.139" or "smtpclientauthentication is disabled" in text:
        return AuthOutcome.DISABLED_BY_ORGANISATION
    if enhanced == "5.7.30" or "basic authentication is not supported" in text:
        return AuthOutcome.OAUTH_ONLY
    if reply.code in (421, 454) or 400 <= reply.code < 500:
        return AuthOutcome.TEMPORARY
    if reply.code == 535 or enhanced in ("5.7.8", "5.7.3"):
        return AuthOutcome.WRONG_PASSWORD
    return AuthOutcome.REFUSED_OTHER
