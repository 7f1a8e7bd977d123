"""The wizard's keychain answers every backend failure in one fixed sentence, never a traceback.

Backends fail with their own exception types (D-Bus, SecretStorage, ctypes …), not only
KeyringError; choosing a backend can fail too. Whatever happens, the window hears one plain
sentence (or "nothing remembered") on the GUI thread, and no exception's text reaches it.
"""

from __future__ import annotations

from collections.abc import Callable

import keyring
import pytest
from keyring.backend import KeyringBackend
from pytestqt.qtbot import QtBot

from assistant.gui.keychain import KEYCHAIN_FAILED, Keychain
from tests.keyrings import InMemoryKeyring, installed


class _BackendError(Exception):
    pass


class _Broken(InMemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise _BackendError("dbus said secret-123")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError(f"exploded storing {password}")

    def delete_password(self, service: str, username: str) -> None:
        raise OSError("ctypes access denied")


def _one_sentence(text: object) -> None:
    assert isinstance(text, str) and text
    assert "\n" not in text and "Traceback" not in text
    assert "secret-123" not in text and "exploded" not in text and "pw-9" not in text


def test_a_broken_backend_gives_one_sentence_for_each_operation(qtbot: QtBot) -> None:
    with installed(_Broken()):
        chain = Keychain()
        with qtbot.waitSignal(chain.opened, timeout=5_000):
            chain.open()
        assert chain.persistent and chain.problem is None
        with qtbot.waitSignal(chain.found, timeout=5_000) as found:
            chain.lookup("a@example.test")
        assert found.args == ["a@example.test", None]  # as if nothing were remembered
        with qtbot.waitSignal(chain.saved, timeout=5_000) as saved:
            chain.remember("a@example.test", "pw-9")
        _one_sentence(saved.args[1])
        with qtbot.waitSignal(chain.forgotten, timeout=5_000) as forgotten:
            chain.forget("a@example.test")
        _one_sentence(forgotten.args[1])
        chain.shutdown()


class _NotRecommended(InMemoryKeyring):
    priority = 0.5  # type: ignore[assignment]


def _explode() -> KeyringBackend:
    raise _BackendError("no session bus secret-123")


@pytest.mark.parametrize("setup", ["not_recommended", "choosing_fails", "factory_raises"])
def test_no_usable_keychain_is_one_sentence_and_nothing_is_saved(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, setup: str
) -> None:
    factory: Callable[[], object] | None = None
    if setup == "factory_raises":

        def factory() -> object:
            raise _BackendError("secret-123")

    with installed(_NotRecommended()):
        if setup == "choosing_fails":
            monkeypatch.setattr(keyring, "get_keyring", _explode)
        chain = Keychain(factory)  # type: ignore[arg-type]
        with qtbot.waitSignal(chain.opened, timeout=5_000):
            chain.open()
        assert not chain.persistent
        _one_sentence(chain.problem)
        with qtbot.waitSignal(chain.saved, timeout=5_000) as saved:
            chain.remember("a@example.test", "pw-9")
        assert saved.args[1] == KEYCHAIN_FAILED
        chain.shutdown()
