"""“Did you mean gmail.com?”: near misses of the provider domains, caught before anything is tested.

`bob@gmial.com` is a valid address, so the address check alone says it looks fine, and a run would
start against a domain that is almost certainly not the person's. `suggest_domain` compares the typed
domain with the domains in the provider database (resources/providers/providers.json) and fixes top-
level domains that do not exist (`.con`, `.cmo` …, from resources/domain_typos.json). It only
suggests: the person may still go on with what they typed.

The rules keep suggestions rare and likely (a wrong suggestion teaches people to ignore them):
- the name part (before the first dot) may differ by one edit (a letter added, left out, changed, or
  two neighbours swapped), or by two for names of seven letters or more that start with the same
  letter; names under five letters are never “corrected” (`acme.com` is not a typo of `aim.com`);
- the ending may differ by one edit, but never from one two-letter country to another
  (`outlook.be` is not `outlook.de`);
- real mail domains close to a provider (`mail.com`, `email.com`) are listed as not typos.

This lives in `core` rather than `discovery` because the address page calls it on every change:
importing the discovery package costs ~0.2 s, this module reads just the domain lists.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from assistant.resources import load_json, resources_dir

PROVIDERS_ENV = "MAILSETUP_PROVIDERS"  # the same override as assistant.discovery.database
MIN_NAME = 5  # shorter provider names are too close to too many real domains
LONG_NAME = 7  # from this length, two edits in the name still count as a near miss


@dataclass(frozen=True, slots=True)
class _Known:
    domains: tuple[str, ...]  # provider domains in file order (the better known come first)
    exact: frozenset[str]  # every domain that is fine as typed
    tld_slips: dict[str, str]


@cache
def _known() -> _Known:
    override = os.environ.get(PROVIDERS_ENV)
    path = Path(override) if override else resources_dir() / "providers" / "providers.json"
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        providers = document.get("providers", [])
        domains = [d.lower() for p in providers for d in p.get("domains", []) if isinstance(d, str)]
    except (OSError, ValueError, AttributeError):
        domains = []  # no provider list: no suggestions (discovery reports the broken file)
    data = load_json("domain_typos.json")
    exact = frozenset(domains) | {d.lower() for d in data["not_typos"]}
    return _Known(tuple(dict.fromkeys(domains)), exact, dict(data["tld_slips"]))


def suggest_domain(domain: str) -> str | None:
    """The domain the person most likely meant, or None when `domain` looks right as it is."""
    domain = domain.strip().rstrip(".").lower()
    known = _known()
    if "." not in domain or domain in known.exact:
        return None
    name, _, ending = domain.partition(".")
    last = ending.rsplit(".", 1)[-1]
    if last in known.tld_slips:
        fixed_ending = ending[: len(ending) - len(last)] + known.tld_slips[last]
        fixed = f"{name}.{fixed_ending}"
        return _nearest(fixed, known) or fixed
    return _nearest(domain, known)


def _nearest(domain: str, known: _Known) -> str | None:
    if domain in known.exact:
        return domain
    name, _, ending = domain.partition(".")
    best: tuple[int, str] | None = None
    for candidate in known.domains:
        cand_name, _, cand_ending = candidate.partition(".")
        if len(cand_name) < MIN_NAME:
            continue
        name_edits = _distance(name, cand_name, 3)
        allowed = 2 if len(cand_name) >= LONG_NAME and name[:1] == cand_name[:1] else 1
        if name_edits > allowed:
            continue
        ending_edits = _distance(ending, cand_ending, 2)
        if ending_edits > 1 or (ending_edits and _two_countries(ending, cand_ending)):
            continue
        total = name_edits + ending_edits
        if 0 < total <= 2 and (best is None or total < best[0]):
            best = (total, candidate)
    return best[1] if best is not None else None


def _two_countries(ending: str, other: str) -> bool:
    """Both end in a two-letter country code: each may well be real."""
    return len(ending.rsplit(".", 1)[-1]) == 2 and len(other.rsplit(".", 1)[-1]) == 2


def _distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (optimal string alignment: neighbours swapped count once),
    capped at `limit` (anything further is just "too far")."""
    if abs(len(a) - len(b)) >= limit:
        return limit
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) >= limit:
            return limit
        previous2, previous = previous, current
    return min(previous[-1], limit)
