"""Choosing the one setting to recommend for each half (DESIGN §5, after RFC 8314).

Sending and receiving are ranked apart: `rank` takes the SMTP results, `rank_incoming` the IMAP and
POP3 ones; for receiving, IMAP comes before POP3 unless the person chose POP3. Within a half, a
server whose name the person has reason to trust (`assistant.core.trust`) comes before one whose
name could have been planted (a certificate name, DNS outside the domain, plain http). Then verified
implicit TLS beats verified STARTTLS on the protocol's own STARTTLS port (587, 143, 110), which beats
verified STARTTLS on other ports. Among equals: a setting where sign-in succeeded, then the
provider's documented setting, then the fastest answer. Nothing unencrypted or unverified is ever
recommended, and neither is a port that offers no sign-in (a relay port, such as a provider's port
25) when a sign-in will be needed: a mail program could not send through it.
"""

from __future__ import annotations

from assistant.core.explanation import is_relay_only
from assistant.core.models import AuthOutcome, ProbeResult, Protocol, Verdict

SUBMISSION_PORT = 587
STARTTLS_PORTS: dict[Protocol, int] = {Protocol.SMTP: 587, Protocol.IMAP: 143, Protocol.POP3: 110}


def tier(result: ProbeResult) -> int | None:
    """Lower is better; None means "never recommend"."""
    if result.verdict is Verdict.ENCRYPTED_IMPLICIT:
        return 0
    if result.verdict is Verdict.ENCRYPTED_STARTTLS:
        return 1 if result.candidate.port == STARTTLS_PORTS[result.candidate.protocol] else 2
    return None


def sort_key(result: ProbeResult) -> tuple[int, int, int, int, float]:
    level = tier(result)
    signed_in = 0 if result.auth is AuthOutcome.ACCEPTED else 1
    trusted = 0 if result.candidate.trusted or signed_in == 0 else 1
    documented = 0 if result.candidate.documented else 1
    return (trusted, level if level is not None else 99, signed_in, documented, result.total_ms)


def rank(results: list[ProbeResult], sign_in_needed: bool = False) -> ProbeResult | None:
    """The sending recommendation (SMTP results only; any others are ignored). `sign_in_needed`:
    a password was given, so the mail program will sign in; without one, a port with sign-in still
    beats one without."""
    return _best([r for r in results if r.candidate.protocol is Protocol.SMTP], sign_in_needed)


def rank_incoming(
    results: list[ProbeResult], prefer: Protocol = Protocol.IMAP
) -> ProbeResult | None:
    """The receiving recommendation: the preferred protocol's best safe setting, else the other's."""
    incoming = [r for r in results if r.candidate.protocol.incoming]
    preferred = _best([r for r in incoming if r.candidate.protocol is prefer])
    return preferred or _best([r for r in incoming if r.candidate.protocol is not prefer])


def _best(results: list[ProbeResult], sign_in_needed: bool = False) -> ProbeResult | None:
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
