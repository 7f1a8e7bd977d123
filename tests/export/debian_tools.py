"""Debian tools some export tests need (pdftoppm, pdftotext, chromium, openssl).

.ci/run installs them; on a developer's machine a test installs the missing package itself with
apt-get when it runs as root, and otherwise skips saying which package to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest


def tool(binary: str, package: str) -> str:
    found = shutil.which(binary)
    if found:
        return found
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        pytest.skip(f"{binary} is missing: apt-get install {package}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    command = [apt, "install", "-y", "-qq", "--no-install-recommends", package]
    if subprocess.run(command, env=env, capture_output=True, check=False).returncode != 0:
        subprocess.run([apt, "update", "-qq"], env=env, capture_output=True, check=False)
        subprocess.run(command, env=env, capture_output=True, check=True)
    found = shutil.which(binary)
    assert found, f"{package} was installed but {binary} is not on PATH"
    return found
