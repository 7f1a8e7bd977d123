"""Fixtures for tests against real MTAs installed on this machine (marker `realmta`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.dovecot_mail import DovecotMail
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


@pytest.fixture(scope="module")
def dovecot_mail() -> Iterator[DovecotMail]:
    """Two running loopback-only Dovecot IMAP/POP3 instances (see dovecot_mail.py), stopped after
    the module; installed like Postfix (apt-get as root), skipped with the reason when impossible."""
    try:
        ensure_installed()
    except Unavailable as exc:
        pytest.skip(f"real Dovecot unavailable: {exc}")
    with DovecotMail.started() as mail:
        yield mail
