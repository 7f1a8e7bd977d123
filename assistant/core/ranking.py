"""Choosing the one setting to recommend (DESIGN §5, after RFC 8314).

A server whose name the person has reason to trust (`assistant.core.trust`) comes before one whose
name could have been planted (a certificate name, DNS outside the domain, plain http). Then verified
implicit TLS beats verified STARTTLS on 587, which beats verified STARTTLS on other ports. Among
equals: a setting where sign-in succeeded, then the provider's documented setting, then the fastest
answer. Nothing unencrypted or unverified is ever recommended, and neither is a port that offers no
sign-in (a relay port, such as a provider's port 25) when a sign-in will be needed: a mail program
could not send through it.
"""

from __future__ import annotations

from assistant.core.explanation import is_relay_only
from assistant.core.models import AuthOutcome, ProbeResult, Verdict

SUBMISSION_PORT = 587


def tier(result: ProbeResult) -> int | None:
    """Lower is better; None means "never recommend"."""
    if result.verdict is Verdict.ENCRYPTED_IMPLICIT:
        return 0
    if result.verdict is Verdict.ENCRYPTED_STARTTLS:
        return 1 if result.candidate.port == SUBMISSION_PORT else 2
    return None


def sort_key(result: ProbeResult) -> tuple[int, int, int, int, float]:
    level = tier(result)
    signed_in = 0 if result.auth is AuthOutcome.ACCEPTED else 1
    trusted = 0 if result.candidate.trusted or signed_in == 0 else 1
    documented = 0 if result.candidate.documented else 1
    return (trusted, level if level is not None else 99, signed_in, documented, result.total_ms)


def rank(results: list[ProbeResult], sign_in_needed: bool = False) -> ProbeResult | None:
    """The result to recommend. `sign_in_needed`: a password was given, so the mail program will
    sign in; without one, a port with sign-in still beats one without."""
    safe = [r for r in results if tier(r) is not None and not r.cancelled]
    with_sign_in = [r for r in safe if not is_relay_only(r)]
    if sign_in_needed or with_sign_in:
        safe = with_sign_in
    if not safe:
        return None
    # A setting where sign-in was refused is not a recommendation when another one accepted it.
    if any(r.auth is AuthOutcome.ACCEPTED for r in safe):
        safe = [r for r in safe if r.auth in (AuthOutcome.ACCEPTED, AuthOutcome.NOT_TRIED)]
    return min(safe, key=sort_key)
