"""The registrable ("base") domain of a host name, from the Public Suffix List.

`mx1.example.co.uk` → `example.co.uk`, not `co.uk`: only the PSL knows where the public part ends,
so no string tricks. The `publicsuffixlist` package ships the list inside the wheel and never
fetches it; it is loaded on first use (about 50 ms), so a bundled answer never pays for it.
"""

from __future__ import annotations

import threading
from typing import Any

_lock = threading.Lock()
_psl: Any = None


def _list() -> Any:
    global _psl
    if _psl is None:
        with _lock:
            if _psl is None:
                from publicsuffixlist import PublicSuffixList

                _psl = PublicSuffixList()
    return _psl


def base_domain(host: str) -> str | None:
    """The registrable domain of `host`, or None when the host is itself a public suffix."""
    host = host.rstrip(".").lower()
    if not host:
        return None
    result = _list().privatesuffix(host)
    return str(result) if result else None


def snapshot_version() -> str:
    """The version of the bundled list (the package version carries its date)."""
    try:
        from importlib.metadata import version

        return version("publicsuffixlist")
    except Exception:  # metadata missing in a frozen bundle: not worth failing over
        return "unknown"
