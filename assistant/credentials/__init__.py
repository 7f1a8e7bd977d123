"""Where a password may live: in memory, or in the OS keychain when the person asks.

Never in a file. `keyring` is used only when its active backend is one it *recommends* (Windows
Credential Locker, macOS Keychain, Secret Service, KWallet): with `keyrings.alt` installed the default
can silently become a plain-text file, and a "fail" or "null" backend would lose the password quietly.
"""

from assistant.credentials.store import (
    SERVICE_NAME,
    KeychainUnavailable,
    KeyringStore,
    MemoryStore,
    PasswordStore,
    open_store,
    problem_text,
    store_name,
)

__all__ = [
    "SERVICE_NAME",
    "KeychainUnavailable",
    "KeyringStore",
    "MemoryStore",
    "PasswordStore",
    "open_store",
    "problem_text",
    "store_name",
]
