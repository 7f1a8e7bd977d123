"""The OS keychain, used only off the GUI thread: a keychain can be slow, or pop up its own
"unlock" prompt and wait for the person, and the window must not freeze meanwhile.

One worker thread does every keychain call in order (open, find, remember, forget): a serial
`Background` helper, whose answers come back in the GUI thread. Problems become one fixed plain sentence —
never an exception's own text, which could in principle carry what was being stored.

When the keychain is written (decided here, documented in docs/GUI.md): only when the person ticks
"Remember this password" and presses Finish, or presses "Forget this password". Cancel or closing the
window writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from assistant.gui.background import Background
from assistant.i18n import N_

if TYPE_CHECKING:
    from assistant.credentials import PasswordStore

StoreFactory = Callable[[], "tuple[PasswordStore, str | None]"]

# Problems travel untranslated (with {store}) and are worded where shown: `problem_text()`.
KEYCHAIN_FAILED = N_("The password could not be saved in {store}.")


def default_store() -> tuple[PasswordStore, str | None]:
    from assistant.credentials import open_store

    return open_store()


class Keychain(Background):
    """Each keychain call is one `Background` job on one serial worker, so they happen in order."""

    opened = Signal()  # `persistent` and `problem` are known
    found = Signal(str, object)  # account, the remembered password or None
    saved = Signal(str, object)  # account, None or the sentence saying why it was not saved
    forgotten = Signal(str, object)  # account, None or the sentence saying why it failed

    def __init__(self, factory: StoreFactory | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent, serial=True, name="keychain")
        self._factory = factory or default_store
        self._store: PasswordStore | None = None  # touched only on the worker thread
        self._opening = False
        self.is_open = False
        self.persistent = False
        self.problem: str | None = None

    # -- GUI thread -------------------------------------------------------------------------------

    def open(self) -> None:
        if not self._opening:
            self._opening = True
            self.submit(self._open_store, self._on_opened)

    def lookup(self, account: str) -> None:
        self.open()
        self.submit(lambda: self._get(account), lambda password: self.found.emit(account, password))

    def remember(self, account: str, password: str) -> None:
        self.open()
        self.submit(
            lambda: _sentence(self._store, lambda store: store.remember(account, password)),
            lambda problem: self.saved.emit(account, problem),
        )

    def forget(self, account: str) -> None:
        self.open()
        self.submit(
            lambda: _sentence(self._store, lambda store: store.forget(account)),
            lambda problem: self.forgotten.emit(account, problem),
        )

    def _on_opened(self, answer: tuple[bool, str | None]) -> None:
        self.is_open = True
        self.persistent, self.problem = answer
        self.opened.emit()

    # -- worker thread ----------------------------------------------------------------------------

    def _open_store(self) -> tuple[bool, str | None]:
        try:
            store, problem = self._factory()
        except Exception:
            from assistant.credentials import MemoryStore

            store, problem = MemoryStore(), KEYCHAIN_FAILED
        self._store = store
        return bool(store.persistent), problem

    def _get(self, account: str) -> str | None:
        if self._store is None or not self._store.persistent:
            return None
        try:
            return self._store.get(account)
        except Exception:
            return None  # a locked keychain: as if nothing were remembered


def _sentence(store: PasswordStore | None, action: Callable[[PasswordStore], None]) -> str | None:
    """None when `action` worked, else a fixed sentence (never the exception's own text)."""
    if store is None or not store.persistent:
        return KEYCHAIN_FAILED
    from assistant.credentials import KeychainUnavailable

    try:
        action(store)
    except KeychainUnavailable as exc:  # the store's own fixed, plain sentences
        return exc.message
    except Exception:
        return KEYCHAIN_FAILED
    return None
