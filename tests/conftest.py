"""Shared fixtures: the loopback server farm, and a guard that no test reaches another address.

Tests read English unless they choose a language: the machine's own LANG must not change what they
see (LANGUAGE=en is inherited by the subprocesses they start, too). The Spanish catalog is compiled
once, as `make` would, so the Spanish tests find it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.servers import Loopback

os.environ["LANGUAGE"] = "en"


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogs() -> None:
    from tools.translations import compile_catalogs

    compile_catalogs(quiet=True)


@pytest.fixture(autouse=True)
def english_by_default() -> Iterator[None]:
    from assistant import i18n

    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture
def loopback() -> Iterator[Loopback]:
    farm = Loopback()
    try:
        yield farm
    finally:
        farm.close()
