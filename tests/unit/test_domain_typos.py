"""Defect (e): a mistyped provider domain is caught before anything is tested."""

from __future__ import annotations

import pytest

from assistant.core.domain_typos import suggest_domain


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("gmial.com", "gmail.com"),  # two letters swapped
        ("gmal.com", "gmail.com"),  # one left out
        ("gmaill.com", "gmail.com"),  # one doubled
        ("gnail.com", "gmail.com"),  # the key next to it
        ("GMIAL.COM", "gmail.com"),
        ("gmail.con", "gmail.com"),  # the TLD slips
        ("gmail.cmo", "gmail.com"),
        ("gmail.co", "gmail.com"),
        ("gmial.con", "gmail.com"),  # both at once
        ("hotmial.com", "hotmail.com"),
        ("hotmaill.co.uk", "hotmail.co.uk"),
        ("yahooo.com", "yahoo.com"),
        ("outlok.com", "outlook.com"),
        ("icloud.cmo", "icloud.com"),
        ("hotmal.con", "hotmail.com"),
        ("comcats.net", "comcast.net"),
        ("acme-widgets.con", "acme-widgets.com"),  # a TLD that does not exist, on any domain
        ("example.ogr", "example.org"),
        ("example.nte", "example.net"),
    ],
)
def test_near_misses_get_the_domain_they_almost_are(typed: str, meant: str) -> None:
    assert suggest_domain(typed) == meant


@pytest.mark.parametrize(
    "domain",
    [
        "gmail.com",  # known
        "googlemail.com",
        "yahoo.co.uk",
        "example.com",  # no provider near it
        "small-office.example",
        "mail.com",  # real providers that are one letter from a known one
        "email.com",
        "acme.com",  # short names are too close to too many: aim.com, aol.com …
        "max.com",
        "outlook.be",  # one country's domain is not a typo of another's
        "gmail.de",
        "internet.com",  # far from btinternet.com at the start
        "",
    ],
)
def test_real_or_unknown_domains_get_no_suggestion(domain: str) -> None:
    assert suggest_domain(domain) is None
