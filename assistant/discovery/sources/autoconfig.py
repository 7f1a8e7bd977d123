"""Source: the provider's own autoconfig file (Thunderbird's config-v1.1.xml).

Three places, as Thunderbird asks them: https `autoconfig.<domain>` (with `?emailaddress=`), https
`<domain>/.well-known/autoconfig/`, and both again over plain http. The http answers are kept but
marked untrusted (anyone on the path could have changed them), and the address is not sent over
plain http at all: it would travel readable by anyone on the way.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
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


@dataclass(frozen=True, slots=True)
class Place:
    """One of the places Thunderbird looks for a domain's own settings file: how the runner names
    the source that asks there, and the files it asks for, in order. The three places differ only
    in these facts, so they are data and one `AutoconfigSource` asks any of them."""

    name: str
    title: str
    origin: Origin
    priority: int
    scheme: str
    files: tuple[Callable[[ParsedAddress, str], str], ...]

    def urls(self, address: ParsedAddress) -> list[str]:
        return [file(address, self.scheme) for file in self.files]


SUBDOMAIN = Place(
    "autoconfig",
    "Provider settings file (autoconfig.<domain>)",
    Origin.AUTOCONFIG,
    PRIORITY_AUTOCONFIG,
    "https",
    (subdomain_url,),
)
WELL_KNOWN = Place(
    "well-known",
    "Domain settings file (/.well-known/autoconfig)",
    Origin.WELL_KNOWN,
    PRIORITY_WELL_KNOWN,
    "https",
    (well_known_url,),
)
PLAIN_HTTP = Place(
    "autoconfig-http",
    "Provider settings file over plain http (untrusted)",
    Origin.AUTOCONFIG_HTTP,
    PRIORITY_AUTOCONFIG_HTTP,
    "http",
    (subdomain_url, well_known_url),
)
PLACES = (SUBDOMAIN, WELL_KNOWN, PLAIN_HTTP)


class AutoconfigSource(Source):
    """Asks one `Place` for the settings file; the first file found there wins."""

    def __init__(self, deadline_s: float, http: HttpSettings, place: Place = SUBDOMAIN) -> None:
        super().__init__(deadline_s)
        self.http = http
        self.place = place
        self.name = place.name
        self.title = place.title
        self.origin = place.origin
        self.priority = place.priority

    def lookup(
        self, address: ParsedAddress, deadline: float, stop: threading.Event
    ) -> SourceResult:
        result: SourceResult = NotFound(self.origin, "no address to ask")
        misses: list[str] = []
        for url in self.place.urls(address):
            if stop.is_set() or time.monotonic() >= deadline:
                break
            result = fetch_config(url, self.origin, address, self.http, deadline, stop)
            if isinstance(result, Found):
                return result
            misses.append(result.reason)
        if len(misses) > 1 and isinstance(result, NotFound):
            return NotFound(self.origin, "; ".join(misses))
        return result
