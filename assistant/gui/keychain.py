"""The OS keychain, used only off the GUI thread: a keychain can be slow, or pop up its own
"unlock" prompt and wait for the person, and the window must not freeze meanwhile.

One worker thread does every keychain call in order (open, find, remember, forget); the answers cross
back through a queued signal and run in the GUI thread. Problems become one fixed plain sentence —
never an exception's own text, which could in principle carry what was being stored.

When the keychain is written (decided here, documented in docs/GUI.md): only when the person ticks
"Remember this password" and presses Finish, or presses "Forget this password". Cancel or closing the
window writes nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal

from assistant.i18n import N_

if TYPE_CHECKING:
    from assistant.credentials import PasswordStore

StoreFactory = Callable[[], "tuple[PasswordStore, str | None]"]

# Problems travel untranslated (with {store}) and are worded where shown: `problem_text()`.
KEYCHAIN_FAILED = N_("The password could not be saved in {store}.")


def default_store() -> tuple[PasswordStore, str | None]:
    from assistant.credentials import open_store

    return open_store()


class Keychain(QObject):
    opened = Signal()  # `persistent` and `problem` are known
    found = Signal(str, object)  # account, the remembered password or None
    saved = Signal(str, object)  # account, None or the sentence saying why it was not saved
    forgotten = Signal(str, object)  # account, None or the sentence saying why it failed

    _deliver = Signal(object)  # a function to run in the GUI thread

    def __init__(self, factory: StoreFactory | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._factory = factory or default_store
        self._store: PasswordStore | None = None  # touched only on the worker thread
        self._executor: ThreadPoolExecutor | None = None
        self.is_open = False
        self.persistent = False
        self.problem: str | None = None
        self.busy = 0  # operations not yet answered
        self._deliver.connect(self._run, Qt.ConnectionType.QueuedConnection)

    # -- GUI thread -------------------------------------------------------------------------------

    def open(self) -> None:
        if self._executor is None:
            # Worker threads of an executor are joined at exit, so a password being saved as the
            # window closes is saved completely.
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="keychain")
            self._submit(self._open_store)

    def lookup(self, account: str) -> None:
        self.open()
        self._submit(lambda: self._get(account))

    def remember(self, account: str, password: str) -> None:
        self.open()
        self._submit(lambda: self._remember(account, password))

    def forget(self, account: str) -> None:
        self.open()
        self._submit(lambda: self._forget(account))

    def _submit(self, work: Callable[[], None]) -> None:
        assert self._executor is not None
        self.busy += 1
        self._executor.submit(work)

    def _run(self, function: Callable[[], None]) -> None:
        self.busy -= 1
        function()

    # -- worker thread ----------------------------------------------------------------------------

    def _send(self, function: Callable[[], None]) -> None:
        with contextlib.suppress(RuntimeError):  # the window is gone: nobody to tell
            self._deliver.emit(function)

    def _open_store(self) -> None:
        try:
            store, problem = self._factory()
        except Exception:
            from assistant.credentials import MemoryStore

            store, problem = MemoryStore(), KEYCHAIN_FAILED
        self._store = store
        persistent = bool(store.persistent)

        def done() -> None:
            self.is_open, self.persistent, self.problem = True, persistent, problem
            self.opened.emit()

        self._send(done)

    def _get(self, account: str) -> None:
        password: str | None = None
        if self._store is not None and self._store.persistent:
            try:
                password = self._store.get(account)
            except Exception:
                password = None  # a locked keychain: as if nothing were remembered
        self._send(lambda: self.found.emit(account, password))

    def _remember(self, account: str, password: str) -> None:
        problem = _sentence(self._store, lambda store: store.remember(account, password))
        self._send(lambda: self.saved.emit(account, problem))

    def _forget(self, account: str) -> None:
        problem = _sentence(self._store, lambda store: store.forget(account))
        self._send(lambda: self.forgotten.emit(account, problem))

    def shutdown(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False)


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
