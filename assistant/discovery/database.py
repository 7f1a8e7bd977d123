"""The bundled provider database (`resources/providers/providers.json`).

Loaded once and indexed by domain and by MX pattern, so that a lookup for a big provider is a dict
access: the answer for gmail.com must be instant and must not need the network. The file's shape is
documented in `resources/providers/providers.schema.json` and checked by `tools/validate_providers.py`;
this loader still refuses entries it cannot use, with the entry named, rather than failing later.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.core.address import ParsedAddress
from assistant.core.small_file import SmallFileError, read_small_file
from assistant.discovery.model import (
    PortPolicy,
    Protocol,
    ProviderConfig,
    ProviderKind,
    Requirement,
    ServerSetting,
    fill,
)
from assistant.resources import resources_dir

DATABASE_ENV = "MAILSETUP_PROVIDERS"
MAX_DATABASE_BYTES = 8 * 1024 * 1024


class DatabaseError(ValueError):
    """The provider file is unusable; the message names the entry and the field."""


def default_path() -> Path:
    override = os.environ.get(DATABASE_ENV)
    return Path(override) if override else resources_dir() / "providers" / "providers.json"


@dataclass(frozen=True, slots=True)
class Entry:
    """One provider of the file, with the MX patterns that identify it."""

    config: ProviderConfig
    mx: tuple[str, ...]
    server_domains: tuple[str, ...] = ()
    """A hosting company's own server domains: a certificate name under one of these is trusted
    for the shared-hosting rescue (assistant.core.trust)."""

    def matches_mx(self, mx_host: str, address: ParsedAddress) -> bool:
        host = mx_host.rstrip(".").lower()
        for pattern in self.mx:
            pattern = fill(pattern, address).lower()
            if pattern.startswith("*."):
                if host.endswith(pattern[1:]):
                    return True
            elif host == pattern:
                return True
        return False


class ProviderDatabase:
    """Index over the entries: exact domains, and MX patterns in file order."""

    def __init__(self, entries: Iterable[Entry], version: str = "") -> None:
        self.entries: tuple[Entry, ...] = tuple(entries)
        self.version = version
        self._by_domain: dict[str, Entry] = {}
        self._by_id: dict[str, Entry] = {}
        for entry in self.entries:
            self._by_id[entry.config.provider_id] = entry
            for domain in entry.config.domains:
                self._by_domain.setdefault(domain, entry)

    def __len__(self) -> int:
        return len(self.entries)

    def by_domain(self, domain: str) -> Entry | None:
        return self._by_domain.get(domain.rstrip(".").lower())

    def by_id(self, provider_id: str) -> Entry | None:
        return self._by_id.get(provider_id)

    def hosting_domains(self) -> tuple[str, ...]:
        """Every provider's own server domains, for the trust rule."""
        return tuple(dict.fromkeys(d for e in self.entries for d in e.server_domains))

    def by_mx(self, mx_host: str, address: ParsedAddress) -> Entry | None:
        """The first entry whose MX patterns match; specific providers come before catch-alls
        in the file (e.g. Outlook.com before Microsoft 365, every company before cPanel)."""
        for entry in self.entries:
            if entry.mx and entry.matches_mx(mx_host, address):
                return entry
        return None

    @classmethod
    def from_document(cls, document: Mapping[str, Any]) -> ProviderDatabase:
        providers = document.get("providers")
        if not isinstance(providers, list):
            raise DatabaseError("the file has no “providers” list")
        return cls(
            (_entry(p, i) for i, p in enumerate(providers)), str(document.get("version", ""))
        )

    @classmethod
    def load(cls, path: Path | None = None) -> ProviderDatabase:
        path = path or default_path()
        try:
            document = json.loads(read_small_file(path, MAX_DATABASE_BYTES).decode("utf-8"))
        except SmallFileError as exc:
            raise DatabaseError(f"cannot read the provider list {path}: {exc.problem}") from None
        except ValueError as exc:
            raise DatabaseError(f"cannot read the provider list {path}: {exc}") from None
        if not isinstance(document, dict):
            raise DatabaseError(f"{path}: the top level must be an object")
        return cls.from_document(document)


# A mailbox provider is tested on what it documents (its other ports would only show as "blocked"
# and mislead); a hosting company's server also on 25, 26 and 2525, which hosts open as alternatives.
_DEFAULT_POLICY = {ProviderKind.MAILBOX: "documented", ProviderKind.HOSTING: "all"}

_lock = threading.Lock()
_cached: ProviderDatabase | None = None


def bundled() -> ProviderDatabase:
    """The bundled database, loaded on first use and shared (lookups are read-only)."""
    global _cached
    if _cached is None:
        with _lock:
            if _cached is None:
                _cached = ProviderDatabase.load()
    return _cached


def _entry(raw: Any, index: int) -> Entry:
    if not isinstance(raw, dict):
        raise DatabaseError(f"provider #{index + 1} is not an object")
    ident = str(raw.get("id", f"#{index + 1}"))
    try:
        requirements = tuple(Requirement.from_dict(r) for r in raw.get("requirements", []))
        kind = ProviderKind(raw.get("kind", "mailbox"))
        config = ProviderConfig(
            provider_id=ident,
            name=str(raw["name"]),
            outgoing=tuple(ServerSetting.from_dict(s, Protocol.SMTP) for s in raw["smtp"]),
            incoming=tuple(ServerSetting.from_dict(s) for s in raw.get("incoming", [])),
            kind=kind,
            port_policy=PortPolicy(raw.get("test_ports", _DEFAULT_POLICY[kind])),
            requirements=requirements,
            help_url=str(raw.get("help", "")),
            domains=tuple(str(d).lower() for d in raw.get("domains", [])),
            oauth=str(raw.get("oauth", "")),
        )
        mx = tuple(str(m) for m in raw.get("mx", []))
        server_domains = tuple(_server_domain(d) for d in raw.get("server_domains", []))
    except (KeyError, TypeError, ValueError) as exc:
        raise DatabaseError(f"provider “{ident}”: bad or missing field {exc}") from None
    return Entry(config=config, mx=mx, server_domains=server_domains)


def _server_domain(raw: Any) -> str:
    """A hosting server domain must be a real registrable-looking name: never "com" or "*"."""
    domain = str(raw).strip().rstrip(".").lower()
    if "." not in domain or "*" in domain or "%" in domain:
        raise ValueError(f"server_domains entry {domain!r}")
    return domain
