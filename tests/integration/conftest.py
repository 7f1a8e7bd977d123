"""Fixtures for tests against real MTAs installed on this machine (marker `realmta`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.postfix_mta import PostfixMTA, Unavailable, ensure_installed


@pytest.fixture(scope="module")
def postfix_mta() -> Iterator[PostfixMTA]:
    """A running loopback-only Postfix + Dovecot SASL instance, stopped after the module.

    Installs the Debian packages when missing (as root with apt-get); skips with the reason when
    that is impossible here (not root, no apt-get). Once installable, any failure is an error.
    """
    try:
        ensure_installed()
    except Unavailable as exc:
        pytest.skip(f"real Postfix unavailable: {exc}")
    with PostfixMTA.started() as mta:
        yield mta
