"""The IT profile's provider comes first (DESIGN §6), before the built-in list and the network."""

from __future__ import annotations

from assistant.discovery import DiscoveryOptions, Origin, discover, to_candidates
from assistant.discovery.sources.profile import ProfileSource


def test_profile_provider_wins_for_a_custom_domain() -> None:
    result = discover(
        "bob@smile-dental.example",
        DiscoveryOptions(offline=True, extra_sources=(ProfileSource("gmail"),)),
    )
    found = result.found
    assert found is not None and found.origin is Origin.PROFILE and found.trusted
    assert [(c.host, c.port) for c in to_candidates(result)] == [
        ("smtp.gmail.com", 465),
        ("smtp.gmail.com", 587),
    ]


def test_unknown_profile_provider_falls_through() -> None:
    result = discover(
        "someone@gmail.com",
        DiscoveryOptions(offline=True, extra_sources=(ProfileSource("no-such-provider"),)),
    )
    assert result.found is not None and result.found.origin is Origin.DATABASE
