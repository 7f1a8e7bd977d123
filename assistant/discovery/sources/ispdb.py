"""Source: Thunderbird's public provider database (ISPDB), `<base URL><domain>`.

Asking it tells a third party which domain you use, so it can be switched off, and its base URL
can point to a company mirror. Trusted when fetched over https.
"""

from __future__ import annotations

import threading
from urllib.parse import urlsplit

from assistant.core.address import ParsedAddress
from assistant.core.ports import InputError, quoted
from assistant.discovery.http import HttpSettings
from assistant.discovery.result import Origin, SourceResult
from assistant.discovery.sources.autoconfig import ConfigFileSource
from assistant.i18n import N_

DEFAULT_ISPDB_URL = "https://autoconfig.thunderbird.net/v1.1/"


def check_base_url(text: str) -> str:
    """Validate an ISPDB base URL given by a person; InputError with a plain sentence otherwise."""
    url = text.strip()
    try:
        parts = urlsplit(url)
        usable = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # "http://[::1" and other broken addresses
        usable = False
    if not usable:
        raise InputError(
            N_(
                "“{text}” is not a web address for the provider database "
                "(write it like https://autoconfig.example.com/v1.1/)."
            ),
            text=quoted(text),
        )
    return url


def ispdb_url(base: str, domain: str) -> str:
    """The domain is appended to the base; a slash is added unless the base ends a query."""
    if not base.endswith(("/", "=")):
        base += "/"
    return base + domain


class IspdbSource(ConfigFileSource):
    title = N_("Thunderbird's provider database (ISPDB)")
    origin = Origin.ISPDB

    def __init__(self, deadline_s: float, base_url: str, http: HttpSettings) -> None:
        super().__init__(deadline_s, http)
        self.base_url = base_url

    def lookup(
        self, address: ParsedAddress, deadline: float, stop: threading.Event
    ) -> SourceResult:
        url = ispdb_url(self.base_url, address.domain)
        return self.fetch_config(url, address, deadline, stop)
