"""Signing in over a verified TLS connection, with exactly one mechanism and success only on 235.

smtplib's `login()` is not used: it accepts 503 as success and walks through every advertised
mechanism, sending the password again for each (security-and-faults.md rows 5 and 6).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass, field
from typing import Any

from assistant.core.models import AuthOutcome, Reply
from assistant.core.wire import REDACTED, Wire
from assistant.resources import load_json

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
    """Map a final AUTH reply to what it means for the person (resources/signin.json)."""
    if reply.status:
        return _classify_incoming(reply)
    if reply.code == 235:
        return AuthOutcome.ACCEPTED
    entry = reply_entry(reply)
    if entry is not None:
        return AuthOutcome(entry["outcome"])
    if 400 <= reply.code < 500:
        return AuthOutcome.TEMPORARY
    if reply.code == 535:
        return AuthOutcome.WRONG_PASSWORD
    return AuthOutcome.REFUSED_OTHER


def _classify_incoming(reply: Reply) -> AuthOutcome:
    """IMAP and POP3: success only on a tagged OK / +OK; the words and RFC 5530 / RFC 3206 codes
    say what a refusal means; a bare NO / -ERR is most often a wrong user name or password."""
    if reply.status in ("OK", "+OK"):
        return AuthOutcome.ACCEPTED
    entry = reply_entry(reply)
    if entry is not None:
        return AuthOutcome(entry["outcome"])
    if reply.status in ("NO", "-ERR"):
        return AuthOutcome.WRONG_PASSWORD
    return AuthOutcome.REFUSED_OTHER


def _incoming_entry(reply: Reply) -> dict[str, Any] | None:
    text = reply.text.lower()
    entries: list[dict[str, Any]] = load_json("signin.json")["incoming_replies"]
    for entry in entries:
        if any(word in text for word in entry["words"]):
            return entry
    return None


def reply_entry(reply: Reply) -> dict[str, Any] | None:
    """The best known match: code and enhanced code, the code alone, enhanced code, words.
    IMAP and POP3 replies (no codes) are matched by their words and bracketed response codes."""
    if reply.status:
        return _incoming_entry(reply)
    entries: list[dict[str, Any]] = load_json("signin.json")["replies"]
    enhanced = reply.enhanced
    text = reply.text.lower()
    passes = (
        lambda e: bool(enhanced) and e["enhanced"] == enhanced and e["code"] == reply.code,
        lambda e: not e["enhanced"] and e["code"] == reply.code,
        lambda e: bool(enhanced) and e["enhanced"] == enhanced,
        lambda e: any(word in text for word in e["words"]),
    )
    for matches in passes:
        for entry in entries:
            if matches(entry):
                return entry
    return None


def provider_step(host: str, outcome: AuthOutcome) -> str | None:
    """The provider's own next step for this outcome (where to make an app password, …)."""
    host = host.lower().rstrip(".")
    for provider in load_json("signin.json")["providers"]:
        if host in provider["smtp_hosts"]:
            step = provider["steps"].get(outcome.value)
            return str(step) if step else None
        if host in provider.get("incoming_hosts", ()):
            step = provider.get("incoming_steps", {}).get(outcome.value)
            return str(step) if step else None
    return None
