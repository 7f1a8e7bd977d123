"""Choosing the one setting to recommend (DESIGN §5, after RFC 8314).

A server whose name the person has reason to trust (`assistant.core.trust`) comes before one whose
name could have been planted (a certificate name, DNS outside the domain, plain http). Then verified
implicit TLS beats verified STARTTLS on 587, which beats verified STARTTLS on other ports. Among
equals: a setting where sign-in succeeded, then the provider's documented setting, then the fastest
answer. Nothing unencrypted or unverified is ever recommended.
"""

from __future__ import annotations

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


def rank(results: list[ProbeResult]) -> ProbeResult | None:
    safe = [r for r in results if tier(r) is not None and not r.cancelled]
    if not safe:
        return None
    # A setting where sign-in was refused is not a recommendation when another one accepted it.
    if any(r.auth is AuthOutcome.ACCEPTED for r in safe):
        safe = [r for r in safe if r.auth in (AuthOutcome.ACCEPTED, AuthOutcome.NOT_TRIED)]
    return min(safe, key=sort_key)
