"""Packaging tests: they build (or reuse) the .deb and install it into this machine (root only)."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    # Also listed in pyproject.toml; registered here too so `--strict-markers` accepts it either way.
    config.addinivalue_line(
        "markers",
        "packaging: builds and installs the Linux package into this machine (root, dpkg); "
        "deselect with -m 'not packaging'",
    )
