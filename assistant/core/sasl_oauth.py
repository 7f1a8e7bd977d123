"""SASL for OAuth2 bearer tokens, for any mail protocol: XOAUTH2 (Google's and Microsoft's) and
OAUTHBEARER (RFC 7628).

Protocol-neutral: the SMTP sign-in (`assistant.core.oauth_signin`) and the IMAP exchange
(`assistant.core.imap_oauth`) use the same builders and the same parser of the server's error
challenge. The token never appears in a repr, a transcript or an exception text.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field

from assistant.core.wire import clean_text

XOAUTH2 = "XOAUTH2"
OAUTHBEARER = "OAUTHBEARER"
OAUTH_MECHANISMS = (OAUTHBEARER, XOAUTH2)
"""In order of preference: the standard one where a server offers it, else Google's/Microsoft's."""

XOAUTH2_ABORT = ""
"""After an XOAUTH2 error challenge the client sends an empty line; the server then refuses."""
OAUTHBEARER_ABORT = base64.b64encode(b"\x01").decode("ascii")
"""RFC 7628 §3.2.3: after an error challenge the client sends a single %x01 (base64 "AQ==")."""


@dataclass(frozen=True)
class OAuthCredentials:
    """A sign-in with a bearer token from the provider's sign-in window. The token never shows."""

    username: str
    token: str = field(repr=False)

    def __repr__(self) -> str:
        return f"OAuthCredentials(username={self.username!r}, token=<hidden>)"

    @property
    def usernames(self) -> tuple[str, ...]:
        return (self.username,)


@dataclass(frozen=True, slots=True)
class SaslError:
    """What a server's error challenge said (RFC 7628 §3.2.2; Google's XOAUTH2 uses "400"/"401")."""

    status: str
    scope: str = ""
    schemes: str = ""

    @property
    def token_problem(self) -> bool:
        """The token itself was refused (expired, revoked, for another service)."""
        return self.status in ("401", "invalid_token")


def choose_oauth_mechanism(offered: list[str] | tuple[str, ...]) -> str | None:
    upper = {m.upper() for m in offered}
    for mechanism in OAUTH_MECHANISMS:
        if mechanism in upper:
            return mechanism
    return None


def xoauth2_response(username: str, token: str) -> str:
    """base64 of `user=<address>^Aauth=Bearer <token>^A^A` (Google's and Microsoft's XOAUTH2)."""
    _check(username, token)
    raw = f"user={username}\x01auth=Bearer {token}\x01\x01"
    return base64.b64encode(raw.encode("utf-8")).decode("ascii")


def oauthbearer_response(username: str, token: str, host: str = "", port: int = 0) -> str:
    """base64 of the RFC 7628 initial client response: GS2 header, host, port, auth, end."""
    _check(username, token)
    authzid = username.replace("=", "=3D").replace(",", "=2C")
    parts = [f"n,a={authzid},"]
    if host:
        parts.append(f"host={host}")
    if port:
        parts.append(f"port={port}")
    parts.append(f"auth=Bearer {token}")
    raw = "\x01".join(parts) + "\x01\x01"
    return base64.b64encode(raw.encode("utf-8")).decode("ascii")


def initial_response(mechanism: str, creds: OAuthCredentials, host: str = "", port: int = 0) -> str:
    if mechanism == XOAUTH2:
        return xoauth2_response(creds.username, creds.token)
    if mechanism == OAUTHBEARER:
        return oauthbearer_response(creds.username, creds.token, host, port)
    raise ValueError(f"not an OAuth mechanism: {mechanism}")


def abort_response(mechanism: str) -> str:
    """What the client sends after an error challenge, to let the server finish with a refusal."""
    return OAUTHBEARER_ABORT if mechanism == OAUTHBEARER else XOAUTH2_ABORT


def parse_error_challenge(challenge: str) -> SaslError | None:
    """The base64 JSON error a server sends instead of accepting a token; None if it is not one.

    Only a status, a scope and schemes are kept, each cleaned and capped: the challenge is server
    text and is shown to the person only as "the server said"."""
    try:
        raw = base64.b64decode(challenge.strip().encode("ascii"), validate=True)
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeError, binascii.Error):
        return None
    if not isinstance(data, dict) or "status" not in data:
        return None
    return SaslError(
        status=clean_text(str(data.get("status", "")), 40),
        scope=clean_text(str(data.get("scope", "")), 200),
        schemes=clean_text(str(data.get("schemes", "")), 40),
    )


def _check(username: str, token: str) -> None:
    # A control character would end the SASL fields early and let a value smuggle others in.
    if any(c in username or c in token for c in "\x00\x01\r\n") or not token:
        raise ValueError("the user name or token contains characters SASL cannot carry")
