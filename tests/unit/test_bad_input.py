"""Bad input gives one sentence and exit 2, at once: bad flags, /dev/zero, a FIFO, broken keychains.

The command line is run as a real process (`python -m assistant.cli`), so a hang, a traceback or a
memory blow-up would show as what the person sees. Keychain failures run in-process with backends
that fail the ways real ones do (missing, not recommended, raising their own exception types).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from assistant import cli
from assistant.credentials import KeyringStore, open_store
from tests.keyrings import InMemoryKeyring, installed

ROOT = Path(__file__).resolve().parents[2]
QUICK_S = 10.0  # a generous bound for starting Python; a hang or a 12 GB read never meets it
MAX_QUOTED = 40


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *argv],
        capture_output=True,
        text=True,
        timeout=QUICK_S,
        env=env,
        cwd=ROOT,
        check=False,
    )


def _one_sentence(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 2, proc
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("mailsetup: ")
    assert "Traceback" not in proc.stderr
    return lines[0]


LONG = "5" * 5000


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--host", "127.0.0.1:25999"], "--host takes only a server name: put the port in --ports"),
        (["--host", "mail.example.com:587"], "--ports 587"),
        (["--host", "[::1]:2525"], "--ports 2525"),
        (["--host", "999.1.1.1"], "--host: “999.1.1.1” is not a valid IP address"),
        (["--host", "1.2.3"], "--host: “1.2.3” is not a valid IP address"),
        (["--trust-host", "1.2.3"], "--trust-host: “1.2.3”"),
        (["--trust-host", "evil.test:25"], "--trust-host takes only a server name"),
        (["--ports", LONG], "argument --ports: “5555"),
        (["--ports", "465,abc"], "argument --ports: “abc” is not a port number"),
        (["--ports", "70000"], "argument --ports: “70000” is not a port number"),
        (["--ports", "465/quic"], "after the slash write tls or starttls"),
        (["--timeout", LONG + "x"], "argument --timeout: “5555"),
        (["--timeout", "nan"], "argument --timeout: give a number of seconds from 0.5 to 120"),
    ],
)
def test_bad_check_values(argv: list[str], says: str) -> None:
    start = time.monotonic()
    line = _one_sentence(_run("check", "bob@example.com", *argv))
    assert says in line
    assert "_ports" not in line and "_timeout" not in line
    assert len(line) < 260  # the input is quoted shortened, never whole
    assert time.monotonic() - start < QUICK_S


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (
            ["--ispdb-url", "http://[::1"],
            "argument --ispdb-url: “http://[::1” is not a web address",
        ),
        (["--ispdb-url", "ftp://" + "x" * 4000], "argument --ispdb-url: “ftp://xxx"),
        (["--nameserver", "1.2.3.4:" + LONG], "argument --nameserver: “5555"),
        (["--nameserver", "not-an-ip"], "argument --nameserver: “not-an-ip”"),
    ],
)
def test_bad_discover_values(argv: list[str], says: str) -> None:
    line = _one_sentence(_run("discover", "bob@example.com", *argv))
    assert says in line
    assert "_base_url" not in line and "_nameserver" not in line
    assert len(line) < 260


def test_unknown_option_is_quoted_short() -> None:
    line = _one_sentence(_run("check", "bob@example.com", "--" + "z" * 3000))
    assert "I don't know the option" in line and len(line) < 200


@pytest.mark.parametrize("where", ["check", "before-the-command"])
def test_profile_dev_zero_is_refused_at_once(where: str) -> None:
    """Before: `--profile /dev/zero` grew to 12.8 GB. Now it is not even opened."""
    argv = (
        ["--profile", "/dev/zero", "check", "bob@example.com"]
        if where == "before-the-command"
        else None
    )
    argv = argv or ["check", "bob@example.com", "--profile", "/dev/zero"]
    start = time.monotonic()
    line = _one_sentence(_run(*argv))
    assert "/dev/zero is not a file" in line
    assert time.monotonic() - start < QUICK_S


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX thing")
def test_profile_fifo_is_refused_at_once(tmp_path: Path) -> None:
    """Before: reading a FIFO with no writer hung for ever."""
    fifo = tmp_path / "profile.json"
    os.mkfifo(fifo)
    line = _one_sentence(_run("check", "bob@example.com", "--profile", str(fifo)))
    assert "is not a file" in line


def test_profile_folder_and_huge_file_are_refused(tmp_path: Path) -> None:
    assert "is not a file" in _one_sentence(_run("check", "a@example.com", "--profile", "/"))
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:
        handle.truncate(64 * 1024 * 1024)  # sparse: costs no disk
    line = _one_sentence(_run("check", "a@example.com", "--profile", str(huge)))
    assert "far too large" in line


def test_installed_profile_is_read_size_capped(tmp_path: Path) -> None:
    from assistant.profile import ProfileError, load_profile

    huge = tmp_path / "profile.json"
    with huge.open("wb") as handle:
        handle.truncate(64 * 1024 * 1024)
    with pytest.raises(ProfileError, match="far too large"):
        load_profile(huge)
    with pytest.raises(ProfileError, match="is not a file"):
        load_profile(Path("/dev/zero"))


# -- keychain failures --------------------------------------------------------------------------


class _BackendError(Exception):
    """Not a KeyringError: what D-Bus, SecretStorage or ctypes raise from real backends."""


class _Broken(InMemoryKeyring):
    def __init__(self, fail: str) -> None:
        super().__init__()
        self.fail = fail

    def get_password(self, service: str, username: str) -> str | None:
        if self.fail == "get":
            raise _BackendError("org.freedesktop.DBus.Error.ServiceUnknown secret-123")
        if self.fail == "wrong":
            return "something else"
        return super().get_password(service, username)

    def set_password(self, service: str, username: str, password: str) -> None:
        if self.fail == "set":
            raise RuntimeError(f"backend exploded while storing {password}")
        super().set_password(service, username, password)

    def delete_password(self, service: str, username: str) -> None:
        if self.fail == "delete":
            raise OSError("ctypes: access denied")
        super().delete_password(service, username)


class _NotRecommended(InMemoryKeyring):
    priority = 0.5  # type: ignore[assignment]


def _selftest(capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = cli.main(["keychain-selftest"])
    captured = capsys.readouterr()
    return code, captured.err


def _one_keychain_sentence(code: int, err: str) -> None:
    assert code == 1
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("mailsetup: "), err
    assert "Traceback" not in err and "secret-123" not in err and "exploded" not in err


@pytest.mark.parametrize("fail", ["get", "set", "delete", "wrong"])
def test_keychain_selftest_broken_backend(fail: str, capsys: pytest.CaptureFixture[str]) -> None:
    with installed(_Broken(fail)):
        code, err = _selftest(capsys)
    _one_keychain_sentence(code, err)


def test_keychain_selftest_backend_not_recommended(capsys: pytest.CaptureFixture[str]) -> None:
    with installed(_NotRecommended()):
        code, err = _selftest(capsys)
    _one_keychain_sentence(code, err)
    assert "no password store we can use safely" in err


def test_keychain_selftest_choosing_a_backend_fails(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def explode() -> KeyringBackend:
        raise _BackendError("no session bus secret-123")

    monkeypatch.setattr(keyring, "get_keyring", explode)
    code, err = _selftest(capsys)
    _one_keychain_sentence(code, err)


def test_keychain_selftest_keyring_missing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "keyring", None)  # import keyring → ImportError
    code, err = _selftest(capsys)
    _one_keychain_sentence(code, err)
    assert "not installed" in err


def test_keychain_selftest_works_with_a_good_backend(capsys: pytest.CaptureFixture[str]) -> None:
    with installed(InMemoryKeyring()):
        code = cli.main(["keychain-selftest"])
    assert code == 0
    assert "The password store works" in capsys.readouterr().out


@pytest.mark.parametrize("fail", ["get", "set", "delete"])
def test_store_turns_every_backend_failure_into_its_sentence(fail: str) -> None:
    from assistant.credentials import KeychainUnavailable

    store = KeyringStore(_Broken(fail))
    with pytest.raises(KeychainUnavailable) as caught:
        if fail == "get":
            store.get("a")
        elif fail == "set":
            store.remember("a", "pw-secret")
        else:
            store.forget("a")
    assert "pw-secret" not in str(caught.value) and "secret-123" not in str(caught.value)


def test_open_store_without_a_recommended_backend_keeps_memory_only() -> None:
    with installed(_NotRecommended()):
        store, problem = open_store()
    assert not store.persistent and problem
