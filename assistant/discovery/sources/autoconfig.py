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
from assistant.discovery.result import ErrorKind, Found, NotFound, Origin, SourceResult
from assistant.discovery.sources.base import Source
from assistant.i18n import N_, Worded

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


class ConfigFileSource(Source):
    """A source that reads config-v1.1.xml files from the web: the provider's own (below), the
    ISPDB (sources/ispdb.py), and the ISPDB entry for the domain an MX record points to
    (sources/mx.py)."""

    def __init__(self, deadline_s: float, http: HttpSettings) -> None:
        super().__init__(deadline_s)
        self.http = http

    def fetch_config(
        self, url: str, address: ParsedAddress, deadline: float, stop: threading.Event
    ) -> SourceResult:
        """Fetch and parse one config-v1.1.xml; trusted only if every hop was https."""
        try:
            fetched = fetch(url, self.http, deadline, stop)
        except FetchError as exc:
            if exc.failure is FetchFailure.NOT_FOUND:
                return self.not_found(_at(url, exc.message))
            return self.failed(_ERROR_KINDS[exc.failure], _at(url, exc.message))
        try:
            config = parse_config(fetched.body)
        except ConfigError as exc:
            return self.failed(ErrorKind.INVALID, _at(url, exc.worded))
        notes: tuple[str | Worded, ...] = ()
        if not fetched.all_https:
            notes = (
                Worded(N_("fetched without encryption: it could have been changed on the way")),
            )
        if fetched.final_url != url:
            notes += (Worded(N_("redirected to {url}"), url=fetched.final_url),)
        config = config.for_address(address)
        if self.origin is not Origin.ISPDB and all(
            within(s.host, address.domain) for s in config.outgoing
        ):
            # A file the domain serves about servers under its own name: shared hosting or an own
            # server, where ports 25, 26 and 2525 are worth testing too.
            config = replace(config, kind=ProviderKind.HOSTING, port_policy=PortPolicy.ALL)
        return self.found(config, fetched.final_url, trusted=fetched.all_https, notes=notes)


@dataclass(frozen=True, slots=True)
class Place:
    """One of the places Thunderbird looks for a domain's own settings file: how the runner names
    the source that asks there (its origin gives its name and priority), and the files it asks
    for, in order. The three places differ only in these facts, so they are data and one
    `AutoconfigSource` asks any of them."""

    title: str
    origin: Origin
    scheme: str
    files: tuple[Callable[[ParsedAddress, str], str], ...]

    def urls(self, address: ParsedAddress) -> list[str]:
        return [file(address, self.scheme) for file in self.files]


SUBDOMAIN = Place(
    N_("Provider settings file (autoconfig.<domain>)"),
    Origin.AUTOCONFIG,
    "https",
    (subdomain_url,),
)
WELL_KNOWN = Place(
    N_("Domain settings file (/.well-known/autoconfig)"),
    Origin.WELL_KNOWN,
    "https",
    (well_known_url,),
)
PLAIN_HTTP = Place(
    N_("Provider settings file over plain http (untrusted)"),
    Origin.AUTOCONFIG_HTTP,
    "http",
    (subdomain_url, well_known_url),
)
PLACES = (SUBDOMAIN, WELL_KNOWN, PLAIN_HTTP)


class AutoconfigSource(ConfigFileSource):
    """Asks one `Place` for the settings file; the first file found there wins."""

    def __init__(self, deadline_s: float, http: HttpSettings, place: Place = SUBDOMAIN) -> None:
        super().__init__(deadline_s, http)
        self.place = place
        self.title = place.title
        self.origin = place.origin

    def lookup(
        self, address: ParsedAddress, deadline: float, stop: threading.Event
    ) -> SourceResult:
        result: SourceResult = self.not_found(Worded(N_("no address to ask")))
        misses: list[str | Worded] = []
        for url in self.place.urls(address):
            if stop.is_set() or time.monotonic() >= deadline:
                break
            result = self.fetch_config(url, address, deadline, stop)
            if isinstance(result, Found):
                return result
            misses.append(result.why)
        if len(misses) > 1 and isinstance(result, NotFound):
            why = misses[0]
            for miss in misses[1:]:  # a layout without words: each reason is worded itself
                why = Worded("{before}; {then}", before=why, then=miss)
            return self.not_found(why)
        return result


def _at(url: str, problem: str | Worded) -> Worded:
    """ "<url>: <what went wrong there>", the problem worded in the person's language."""
    return Worded("{url}: {problem}", url=url, problem=problem)
