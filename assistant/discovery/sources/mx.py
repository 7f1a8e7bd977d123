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
from assistant.discovery.sources.ispdb import ispdb_url
from assistant.i18n import N_, Worded

MAX_MX_HOSTS = 3


class MxSource(ConfigFileSource):
    title = N_("Mail server records (MX) → known provider")
    origin = Origin.MX

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
            return self.not_found(
                Worded(
                    N_("{domain} says it receives no mail (null MX)"), domain=address.display_domain
                )
            )
        try:
            database = self._database or bundled()
        except DatabaseError:
            database = ProviderDatabase(())
        for host in hosts:
            entry = database.by_mx(host, address)
            if entry is not None:
                return self._found(
                    address, host, entry.config, _to_provider(host, entry.config), database=True
                )
        misses: list[str | Worded] = []
        for host in hosts:
            base = psl.base_domain(host)
            if base is None:
                continue
            entry = database.by_domain(base)
            if entry is not None:
                return self._found(
                    address, host, entry.config, _to_provider(host, entry.config), database=True
                )
            if self.ispdb_url and base != address.domain and not stop.is_set():
                url = ispdb_url(self.ispdb_url, base)
                result = self.fetch_config(url, address, deadline, stop)
                if isinstance(result, Found):
                    where = Worded(
                        N_("MX {host} → ISPDB entry for {domain}"), host=host, domain=base
                    )
                    return self._found(address, host, result.config, where)
                misses.append(result.why)
        if misses:
            return self.not_found(
                Worded(
                    N_(
                        "mail for {domain} goes to {host}, which is not a known provider "
                        "({problem})"
                    ),
                    domain=address.display_domain,
                    host=hosts[0],
                    problem=misses[0],
                )
            )
        return self.not_found(
            Worded(
                N_("mail for {domain} goes to {host}, which is not a known provider"),
                domain=address.display_domain,
                host=hosts[0],
            )
        )

    def _found(
        self,
        address: ParsedAddress,
        host: str,
        config: ProviderConfig,
        where: Worded,
        database: bool = False,
    ) -> Found:
        """`database`: the server names come from the bundled provider list (the MX only picked
        the provider), so they are as trustworthy as the list; otherwise from DNS and ISPDB for
        another domain, which the trust rule does not vouch for."""
        return self.found(
            config.for_address(address),
            where,
            trusted=False,
            notes=(
                Worded(
                    N_("found through the domain's MX record ({host}), which DNS does not protect"),
                    host=host,
                ),
            ),
            names_from=NameSource.DATABASE if database else NameSource.DNS,
        )


def _to_provider(host: str, config: ProviderConfig) -> Worded:
    return Worded(N_("MX {host} → {provider}"), host=host, provider=config.name)
