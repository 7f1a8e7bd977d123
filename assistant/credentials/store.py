"""Password stores: the OS keychain through `keyring`, or this process's memory."""

from __future__ import annotations

import sys
from typing import Any, Protocol

from assistant.i18n import N_, gettext

SERVICE_NAME = "Mail Setup Assistant"


def store_name(platform: str | None = None) -> str:
    """The password store in the words the person's own system uses for it."""
    platform = platform or sys.platform
    if platform == "win32":
        return gettext("Windows Credential Manager")
    if platform == "darwin":
        return gettext("the macOS Keychain")
    return gettext("your desktop's password store")


def problem_text(template: str) -> str:
    """A password-store problem (an untranslated sentence with {store}) in the current language."""
    return gettext(template).format(store=store_name())


class KeychainUnavailable(Exception):
    """No trustworthy password store on this computer; the message says so in plain words.

    `message` is the sentence untranslated (with {store}); `str()` words it in the current language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return problem_text(self.message)


class PasswordStore(Protocol):
    @property
    def persistent(self) -> bool:
        """True when a remembered password survives closing the app."""
        ...

    @property
    def description(self) -> str: ...

    def get(self, account: str) -> str | None: ...

    def remember(self, account: str, password: str) -> None: ...

    def forget(self, account: str) -> None: ...


class MemoryStore:
    """Keeps passwords only for as long as the app runs."""

    persistent = False
    description = N_("this session only (not saved)")

    def __init__(self) -> None:
        self._passwords: dict[str, str] = {}

    def get(self, account: str) -> str | None:
        return self._passwords.get(account)

    def remember(self, account: str, password: str) -> None:
        self._passwords[account] = password

    def forget(self, account: str) -> None:
        self._passwords.pop(account, None)


class KeyringStore:
    """The OS keychain. Raises `KeychainUnavailable` at creation if there is no recommended one.

    Every failure of a backend becomes `KeychainUnavailable` with a fixed sentence, whatever the
    backend raised: backends raise their own types (D-Bus, SecretStorage, ctypes, RuntimeError …),
    not only `KeyringError`, and their text could carry what was being stored."""

    persistent = True

    def __init__(self, backend: Any | None = None) -> None:
        try:
            import keyring
            import keyring.core
        except Exception as exc:  # a broken install: behave as if there were no keychain
            raise KeychainUnavailable(N_("Support for {store} is not installed.")) from exc
        self._errors: tuple[type[BaseException], ...] = (Exception,)
        try:
            backend = backend or keyring.get_keyring()
            usable = keyring.core.recommended(backend)
        except Exception as exc:
            raise KeychainUnavailable(_NO_KEYCHAIN) from exc
        if not usable:
            raise KeychainUnavailable(_NO_KEYCHAIN)
        self._backend = backend
        self.description = f"{store_name()} ({_backend_name(backend)})"

    def get(self, account: str) -> str | None:
        try:
            value = self._backend.get_password(SERVICE_NAME, account)
        except self._errors as exc:
            raise KeychainUnavailable(_LOCKED) from exc
        return value if isinstance(value, str) else None

    def remember(self, account: str, password: str) -> None:
        try:
            self._backend.set_password(SERVICE_NAME, account, password)
        except self._errors as exc:
            raise KeychainUnavailable(_LOCKED) from exc

    def forget(self, account: str) -> None:
        from keyring.errors import PasswordDeleteError

        try:
            self._backend.delete_password(SERVICE_NAME, account)
        except PasswordDeleteError:
            pass  # nothing was stored: forgetting is already done
        except self._errors as exc:
            raise KeychainUnavailable(_LOCKED) from exc


_NO_KEYCHAIN = N_(
    "This computer has no password store we can use safely, so the password is kept only until "
    "you close the assistant."
)
_LOCKED = N_("The password could not be saved in {store} (it may be locked).")


def _backend_name(backend: Any) -> str:
    names = {
        "WinVaultKeyring": "Windows Credential Manager",
        "Keyring": "macOS Keychain" if "macOS" in type(backend).__module__ else "Secret Service",
        "KWallet": "KWallet",
    }
    cls = type(backend).__name__
    if cls == "Keyring" and "SecretService" in type(backend).__module__:
        return "Secret Service"
    if cls == "DBusKeyring":
        return "KWallet"
    return names.get(cls, cls)


def open_store() -> tuple[PasswordStore, str | None]:
    """The keychain if there is a safe one, else memory plus the sentence that explains why
    (untranslated, with {store}: show it with `problem_text`)."""
    try:
        return KeyringStore(), None
    except KeychainUnavailable as exc:
        return MemoryStore(), exc.message
    except Exception:  # anything else a backend did while being chosen: still one sentence
        return MemoryStore(), _NO_KEYCHAIN
