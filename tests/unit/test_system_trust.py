"""The production trust path: the OS trust store, not the test CA hook.

A subprocess runs the real `mailsetup check` with SSL_CERT_FILE pointing at the test CA (that is how
OpenSSL's default paths, i.e. "the OS store", are redirected without touching the system), against a
server whose certificate is for 127.0.0.1. Without that variable, the same server is untrusted.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.core.tls import system_trust_context
from tests.servers import Loopback


def _check(loopback: Loopback, port: int, ca: Path | None) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k not in ("SSL_CERT_FILE", "SSL_CERT_DIR")}
    if ca is not None:
        env["SSL_CERT_FILE"] = str(ca)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "assistant.cli",
            "check",
            "a@example.test",
            "--host",
            "127.0.0.1",
            "--ports",
            f"{port}/tls",
            "--json",
            "--timeout",
            "5",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert proc.returncode in (0, 1), proc.stderr
    document: dict[str, object] = json.loads(proc.stdout)
    return document


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="SSL_CERT_FILE steers OpenSSL only")
def test_os_trust_store_decides(loopback: Loopback) -> None:
    server = loopback.implicit_tls(name="127.0.0.1")
    ca = loopback.pki.ca_pem_file()
    try:
        trusted = _check(loopback, server.port, ca)
        untrusted = _check(loopback, server.port, None)
    finally:
        ca.unlink()
    assert trusted["candidates"][0]["verdict"] == "ENCRYPTED_IMPLICIT"  # type: ignore[index]
    assert untrusted["candidates"][0]["verdict"] == "CERT_UNTRUSTED"  # type: ignore[index]


def test_system_context_verifies_and_is_shared() -> None:
    import ssl

    first, second = system_trust_context(), system_trust_context()
    assert first.verify_mode == ssl.CERT_REQUIRED and first.check_hostname
    if sys.platform not in ("win32", "darwin"):
        assert first is second, "the CA bundle is loaded once per process, not per probe"
