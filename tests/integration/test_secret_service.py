"""The real Secret Service (gnome-keyring under its own D-Bus session) stores, finds and forgets."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGES = ["gnome-keyring", "dbus", "dbus-daemon", "libsecret-1-0"]

SCRIPT = """
import sys
from assistant.credentials import KeyringStore, open_store
store, problem = open_store()
assert problem is None, problem
assert isinstance(store, KeyringStore), store
print("backend:", store.description)
store.remember("alice@example.test", sys.argv[1])
again, _ = open_store()
assert again.get("alice@example.test") == sys.argv[1]
again.forget("alice@example.test")
assert again.get("alice@example.test") is None
print("ok")
"""


def _ensure_packages() -> None:
    if shutil.which("gnome-keyring-daemon") and shutil.which("dbus-run-session"):
        return
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        pytest.skip("gnome-keyring and dbus are not installed, and this is not root with apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *PACKAGES]
    if subprocess.run(install, env=env, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=True, capture_output=True)
        subprocess.run(install, env=env, check=True, capture_output=True)


@pytest.mark.timeout(900)
def test_password_round_trip_through_secret_service(tmp_path: Path) -> None:
    _ensure_packages()
    home = tmp_path / "home"
    home.mkdir()
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_RUNTIME_DIR": str(tmp_path),
        "PYTHONPATH": str(Path(__file__).parents[2]),
    }
    os.chmod(tmp_path, 0o700)
    inner = (
        "echo -n unlock-pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; "
        f'exec "{sys.executable}" -c "$0" "$1"'
    )
    proc = subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", inner, SCRIPT, "Canary-Pa55word-7f3a9c"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "backend: your desktop's password store (Secret Service)" in proc.stdout
    assert proc.stdout.strip().endswith("ok")
