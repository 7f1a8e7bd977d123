"""Source: the provider's own autoconfig file (Thunderbird's config-v1.1.xml).

Three places, as Thunderbird asks them: https `autoconfig.<domain>` (with `?emailaddress=`), https
`<domain>/.well-known/autoconfig/`, and both again over plain http. The http answers are kept but
marked untrusted (anyone on the path could have changed them), and the address is not sent over
plain http at all: it would travel readable by anyone on the way.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from urllib.parse import quote

from assistant.core.address import ParsedAddress
from assistant.discovery.autoconfig_xml import ConfigError, parse_config
from assistant.discovery.dns import within
from assistant.discovery.http import FetchError, FetchFailure, HttpSettings, fetch
from assistant.discovery.model import PortPolicy, ProviderKind
from assistant.discovery.result import (
    ErrorKind,
    Found,
    NetworkError,
    NotFound,
    Origin,
    SourceResult,
)
from assistant.discovery.sources.base import (
    PRIORITY_AUTOCONFIG,
    PRIORITY_AUTOCONFIG_HTTP,
    PRIORITY_WELL_KNOWN,
    Source,
)

_ERROR_KINDS = {
    FetchFailure.TIMEOUT: ErrorKind.TIMEOUT,
    FetchFailure.TLS: ErrorKind.TLS,
    FetchFailure.HTTP: ErrorKind.HTTP,
    FetchFailure.TOO_LARGE: ErrorKind.INVALID,
    FetchFailure.NETWORK: ErrorKind.NETWORK,
    FetchFailure.CANCELLED: ErrorKind.TIMEOUT,
}


def subdomain_url(address: ParsedAddress, scheme: str = "https") -> str:
    url = f"{scheme}://autoconfig.{address.domain}/mail/config-v1.1.xml"
    if scheme == "https":
        url += "?emailaddress=" + quote(address.ascii_address, safe="@")
    return url


def well_known_url(address: ParsedAddress, scheme: str = "https") -> str:
    return f"{scheme}://{address.domain}/.well-known/autoconfig/mail/config-v1.1.xml"


def fetch_config(
    url: str,
    origin: Origin,
    address: ParsedAddress,
    http: HttpSettings,
    deadline: float,
    stop: threading.Event,
) -> SourceResult:
    """Fetch and parse one config-v1.1.xml; trusted only if every hop was https."""
    try:
        fetched = fetch(url, http, deadline, stop)
    except FetchError as exc:
        if exc.failure is FetchFailure.NOT_FOUND:
            return NotFound(origin, f"{url}: {exc.message}")
        return NetworkError(origin, _ERROR_KINDS[exc.failure], f"{url}: {exc.message}")
    try:
        config = parse_config(fetched.body)
    except ConfigError as exc:
        return NetworkError(origin, ErrorKind.INVALID, f"{url}: {exc}")
    notes: tuple[str, ...] = ()
    if not fetched.all_https:
        notes = ("fetched without encryption: it could have been changed on the way",)
    if fetched.final_url != url:
        notes += (f"redirected to {fetched.final_url}",)
    config = config.for_address(address)
    if origin is not Origin.ISPDB and all(within(s.host, address.domain) for s in config.outgoing):
        # A file the domain serves about servers under its own name: shared hosting or an own
        # server, where ports 25, 26 and 2525 are worth testing too.
        config = replace(config, kind=ProviderKind.HOSTING, port_policy=PortPolicy.ALL)
    return Found(
        origin=origin,
        trusted=fetched.all_https,
        config=config,
        where=fetched.final_url,
        notes=notes,
    )


class _AutoconfigBase(Source):
    def __init__(self, deadline_s: float, http: HttpSettings) -> None:
        super().__init__(deadline_s)
        self.http = http

    def urls(self, address: ParsedAddress) -> list[str]:
        raise NotImplementedError

    def lookup(
        self, address: ParsedAddress, deadline: float, stop: threading.Event
    ) -> SourceResult:
        result: SourceResult = NotFound(self.origin, "no address to ask")
        misses: list[str] = []
        for url in self.urls(address):
            if stop.is_set() or time.monotonic() >= deadline:
                break
            result = fetch_config(url, self.origin, address, self.http, deadline, stop)
            if isinstance(result, Found):
                return result
            misses.append(result.reason)
        if len(misses) > 1 and isinstance(result, NotFound):
            return NotFound(self.origin, "; ".join(misses))
        return result


class AutoconfigSource(_AutoconfigBase):
    name = "autoconfig"
    title = "Provider settings file (autoconfig.<domain>)"
    origin = Origin.AUTOCONFIG
    priority = PRIORITY_AUTOCONFIG

    def urls(self, address: ParsedAddress) -> list[str]:
        return [subdomain_url(address)]


class WellKnownSource(_AutoconfigBase):
    name = "well-known"
    title = "Domain settings file (/.well-known/autoconfig)"
    origin = Origin.WELL_KNOWN
    priority = PRIORITY_WELL_KNOWN

    def urls(self, address: ParsedAddress) -> list[str]:
        return [well_known_url(address)]


class PlainHttpAutoconfigSource(_AutoconfigBase):
    name = "autoconfig-http"
    title = "Provider settings file over plain http (untrusted)"
    origin = Origin.AUTOCONFIG_HTTP
    priority = PRIORITY_AUTOCONFIG_HTTP

    def urls(self, address: ParsedAddress) -> list[str]:
        return [subdomain_url(address, "http"), well_known_url(address, "http")]
