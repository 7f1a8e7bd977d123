"""Source: the domain's MX records → a known provider, or ISPDB for the MX's base domain.

A business address like anna@smile-dental.com tells nothing by itself, but its MX record does:
`smile-dental-com.mail.protection.outlook.com` means Microsoft 365, `*.secureserver.net` GoDaddy,
`mail.smile-dental.com` an own server or cPanel-style hosting. DNS without DNSSEC can be forged, so
the answer is marked untrusted and names the MX it was derived from.
"""

from __future__ import annotations

import threading

from assistant.core.address import ParsedAddress
from assistant.core.trust import NameSource
from assistant.discovery import psl
from assistant.discovery.database import DatabaseError, ProviderDatabase, bundled
from assistant.discovery.dns import Nameserver, lookup
from assistant.discovery.http import HttpSettings
from assistant.discovery.model import ProviderConfig
from assistant.discovery.result import Found, Origin, SourceResult
from assistant.discovery.sources.autoconfig import ConfigFileSource
from assistant.discovery.sources.base import PRIORITY_MX
from assistant.discovery.sources.ispdb import ispdb_url

MAX_MX_HOSTS = 3


class MxSource(ConfigFileSource):
    name = "mx"
    title = "Mail server records (MX) → known provider"
    origin = Origin.MX
    priority = PRIORITY_MX

    def __init__(
        self,
        deadline_s: float,
        nameserver: Nameserver | None,
        http: HttpSettings,
        ispdb_url: str | None,
        database: ProviderDatabase | None = None,
    ) -> None:
        super().__init__(deadline_s, http)
        self.nameserver = nameserver
        self.ispdb_url = ispdb_url
        self._database = database

    def lookup(
        self, address: ParsedAddress, deadline: float, stop: threading.Event
    ) -> SourceResult:
        records = lookup(address.domain, "MX", self.nameserver, deadline, self.origin)
        if not isinstance(records, list):
            return records
        hosts = [r.target for r in records if r.target != "."][:MAX_MX_HOSTS]
        if not hosts:
            return self.not_found(f"{address.display_domain} says it receives no mail (null MX)")
        try:
            database = self._database or bundled()
        except DatabaseError:
            database = ProviderDatabase(())
        for host in hosts:
            entry = database.by_mx(host, address)
            if entry is not None:
                return self._found(
                    address, host, entry.config, f"MX {host} → {entry.config.name}", database=True
                )
        misses: list[str] = []
        for host in hosts:
            base = psl.base_domain(host)
            if base is None:
                continue
            entry = database.by_domain(base)
            if entry is not None:
                return self._found(
                    address, host, entry.config, f"MX {host} → {entry.config.name}", database=True
                )
            if self.ispdb_url and base != address.domain and not stop.is_set():
                url = ispdb_url(self.ispdb_url, base)
                result = self.fetch_config(url, address, deadline, stop)
                if isinstance(result, Found):
                    return self._found(
                        address, host, result.config, f"MX {host} → ISPDB entry for {base}"
                    )
                misses.append(result.reason)
        reason = (
            f"mail for {address.display_domain} goes to {hosts[0]}, which is not a known provider"
        )
        if misses:
            reason += f" ({misses[0]})"
        return self.not_found(reason)

    def _found(
        self,
        address: ParsedAddress,
        host: str,
        config: ProviderConfig,
        where: str,
        database: bool = False,
    ) -> Found:
        """`database`: the server names come from the bundled provider list (the MX only picked
        the provider), so they are as trustworthy as the list; otherwise from DNS and ISPDB for
        another domain, which the trust rule does not vouch for."""
        return self.found(
            config.for_address(address),
            where,
            trusted=False,
            notes=(f"found through the domain's MX record ({host}), which DNS does not protect",),
            names_from=NameSource.DATABASE if database else NameSource.DNS,
        )
