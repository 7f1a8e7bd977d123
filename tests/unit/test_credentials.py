"""Where a password may live: a recommended keychain, or memory. Never a file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.credentials import SERVICE_NAME, KeyringStore, MemoryStore, open_store
from tests.keyrings import InMemoryKeyring, installed
from tests.servers.farm import CANARY_PASSWORD


class PlainFileKeyring(InMemoryKeyring):
    """Like keyrings.alt's PlaintextKeyring: writes secrets to a file. keyring does not
    recommend it (priority below 1), and neither do we."""

    priority = 0.5  # type: ignore[assignment]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def set_password(self, service: str, username: str, password: str) -> None:
        self.path.write_text(f"{service} {username} {password}")


@pytest.fixture
def memory_keyring() -> Iterator[InMemoryKeyring]:
    with installed(InMemoryKeyring()) as backend:
        assert isinstance(backend, InMemoryKeyring)
        yield backend


def test_remember_find_and_forget(memory_keyring: InMemoryKeyring) -> None:
    store, problem = open_store()
    assert problem is None and isinstance(store, KeyringStore) and store.persistent
    store.remember("alice@example.test", CANARY_PASSWORD)
    assert memory_keyring.secrets == {(SERVICE_NAME, "alice@example.test"): CANARY_PASSWORD}
    again, _ = open_store()  # "next time": a new store finds it
    assert again.get("alice@example.test") == CANARY_PASSWORD
    again.forget("alice@example.test")
    assert again.get("alice@example.test") is None
    again.forget("alice@example.test")  # forgetting twice is fine


def test_no_keychain_keeps_the_password_in_memory_and_says_so() -> None:
    from keyring.backends import fail

    with installed(fail.Keyring()):
        store, problem = open_store()
    assert isinstance(store, MemoryStore) and not store.persistent
    assert problem is not None and "kept only until you close the assistant" in problem
    store.remember("alice@example.test", CANARY_PASSWORD)
    assert store.get("alice@example.test") == CANARY_PASSWORD


def test_a_plain_file_keyring_is_never_used(tmp_path: Path) -> None:
    secret_file = tmp_path / "keyring_pass.cfg"
    with installed(PlainFileKeyring(secret_file)):
        store, problem = open_store()
        store.remember("alice@example.test", CANARY_PASSWORD)
    assert isinstance(store, MemoryStore)
    assert problem is not None
    assert not secret_file.exists()
