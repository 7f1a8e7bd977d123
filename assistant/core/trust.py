"""Who may receive the password: the trust rule, written once for the wizard and the command line.

A password (later a token) only ever goes over verified TLS. But verified TLS only proves that the
server owns the *name* we connected to; it says nothing about whether that name is the person's
provider. So the name itself must come from somewhere the person has reason to trust:

- typed by the person (the wizard's server field, `--host`) or confirmed by them (`--trust-host`,
  the wizard's "Sign in there?" question);
- the IT profile, the bundled provider database, or an HTTPS autoconfig / ISPDB answer for the
  address's own domain;
- any name under the address's own domain (a certificate for it is issued to the domain's owner);
- a name under a hosting company's own server domain listed in the provider database (the shared-
  hosting rescue of a known host needs no question).

Everything else is tested without the password: MX- or SRV-derived names outside the domain,
plain-HTTP (or downgraded) answers, and names read from a certificate. An on-path attacker can
forge all of those and then hold a perfectly valid certificate for the name they chose.

This module is pure (no network, no Qt): it decides from facts the caller already has.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from assistant.i18n import Translate, gettext

if TYPE_CHECKING:
    from assistant.core.models import ProbeResult


class NameSource(enum.StrEnum):
    """Where a server's name came from; decides (with the host) whether it gets the password."""

    TYPED = "typed"
    """Typed by the person (wizard field, `--host`)."""
    CONFIRMED = "confirmed"
    """Named by the person as trusted (`--trust-host`, or "yes" to the wizard's question)."""
    PROFILE = "profile"
    DATABASE = "database"
    HTTPS_AUTOCONFIG = "https-autoconfig"
    """An autoconfig, well-known or ISPDB answer for the address's own domain, https all the way."""
    GUESS = "guess"
    """The usual names under the address's own domain (smtp.<domain>, mail.<domain>, <domain>)."""
    DNS = "dns"
    """MX or SRV records: DNS without DNSSEC can be forged on the way."""
    PLAIN_HTTP = "plain-http"
    """A settings file fetched (or redirected) without encryption."""
    CERTIFICATE = "certificate"
    """Read from another server's certificate (the shared-hosting rescue)."""

    @property
    def vouches(self) -> bool:
        """True when the source alone is reason enough to trust the name, wherever it points."""
        return self in _VOUCHING

    def description(self, tr: Translate = gettext) -> str:
        """Where the name came from, in words for the person (resources/explanations.json)."""
        from assistant.core.explanation import sentence

        return sentence(f"name_source_{self.value}", tr)


_VOUCHING = frozenset(
    {
        NameSource.TYPED,
        NameSource.CONFIRMED,
        NameSource.PROFILE,
        NameSource.DATABASE,
        NameSource.HTTPS_AUTOCONFIG,
    }
)


class TrustReason(enum.StrEnum):
    """Why a name was trusted or not: for the report and for wording the question."""

    SOURCE = "source"  # the source vouches for it
    OWN_DOMAIN = "own_domain"  # under the address's own domain
    HOSTING_DOMAIN = "hosting_domain"  # under a known hosting company's server domain
    CONFIRMED = "confirmed"  # the person named it (--trust-host, wizard "yes")
    UNTRUSTED = "untrusted"


def within(host: str, domain: str) -> bool:
    """`host` is `domain` or a name under it (case and a trailing dot do not matter)."""
    host = host.rstrip(".").lower()
    domain = domain.rstrip(".").lower()
    return bool(domain) and (host == domain or host.endswith("." + domain))


@dataclass(frozen=True, slots=True)
class TrustPolicy:
    """The facts the rule needs for one run: the address's domain, the names the person confirmed,
    and the hosting server domains of the provider database."""

    domain: str | None = None
    confirmed: frozenset[str] = field(default_factory=frozenset)
    hosting_domains: tuple[str, ...] = ()

    def reason(self, host: str, source: NameSource) -> TrustReason:
        name = host.rstrip(".").lower()
        if name in self.confirmed:
            return TrustReason.CONFIRMED
        if source.vouches:
            return TrustReason.SOURCE
        if self.domain and within(name, self.domain):
            return TrustReason.OWN_DOMAIN
        if any(within(name, d) for d in self.hosting_domains):
            return TrustReason.HOSTING_DOMAIN
        return TrustReason.UNTRUSTED

    def trusts(self, host: str, source: NameSource) -> bool:
        """The rule: may a password be offered to `host`, whose name came from `source`?"""
        return self.reason(host, source) is not TrustReason.UNTRUSTED

    def confirming(self, *hosts: str) -> TrustPolicy:
        """This policy with `hosts` confirmed by the person (the answer "yes, sign in there")."""
        names = {h.rstrip(".").lower() for h in hosts}
        return replace(self, confirmed=self.confirmed | names)


def policy_for(
    domain: str | None, confirmed: Iterable[str] = (), hosting_domains: Sequence[str] = ()
) -> TrustPolicy:
    return TrustPolicy(
        domain=domain.lower() if domain else None,
        confirmed=frozenset(h.rstrip(".").lower() for h in confirmed),
        hosting_domains=tuple(d.lower() for d in hosting_domains),
    )


@dataclass(frozen=True, slots=True)
class TrustQuestion:
    """What the person must be asked before the password may go to `host`.

    For a certificate name (shared hosting) `other_host` is the server the person's settings named
    and `other_source` where that name came from; the wizard words it as "Your provider's server
    calls itself {host}. Is this your hosting company? Sign in there?" and shows both names, where
    each came from, and the risk. `candidate_key` finds the result to test again once confirmed.
    """

    host: str
    source: NameSource
    candidate_key: str
    other_host: str | None = None
    other_source: NameSource | None = None

    @property
    def is_rescue(self) -> bool:
        return self.source is NameSource.CERTIFICATE and self.other_host is not None


def question_text(question: TrustQuestion, tr: Translate = gettext) -> str:
    """The wizard's question in plain words (translated before the names are filled in); the
    risk to show beside it is `risk_text`."""
    from assistant.core.explanation import sentence

    if question.is_rescue:
        return sentence("trust_note_window_rescue", tr, host=question.host)
    return sentence(
        "trust_note_window_other", tr, host=question.host, source=question.source.description(tr)
    )


def risk_text(tr: Translate = gettext) -> str:
    from assistant.core.explanation import sentence

    return sentence("trust_risk", tr)


def questions(results: Sequence[ProbeResult]) -> list[TrustQuestion]:
    """One question per untrusted server that encrypted correctly and so could have taken the
    password: these are the only ones worth asking about. Best results first, one per host."""
    from assistant.core.models import AuthOutcome

    by_key = {r.candidate.key: r for r in results}
    asked: list[TrustQuestion] = []
    seen: set[str] = set()
    for result in results:
        cand = result.candidate
        if cand.trusted or not result.verdict.is_safe or cand.host in seen:
            continue
        if result.auth not in (AuthOutcome.UNTRUSTED_SERVER, AuthOutcome.NOT_TRIED):
            continue
        seen.add(cand.host)
        parent = by_key.get(cand.rescue_of) if cand.rescue_of else None
        asked.append(
            TrustQuestion(
                host=cand.host,
                source=cand.source,
                candidate_key=cand.key,
                other_host=parent.candidate.host if parent else None,
                other_source=parent.candidate.source if parent else None,
            )
        )
    return asked
