"""Provider autoconfig and ISPDB against local HTTPS / HTTP servers (trustme CA)."""

from __future__ import annotations

import threading
import time

from assistant.core.address import parse
from assistant.discovery.http import HttpSettings
from assistant.discovery.result import ErrorKind, Found, NetworkError, NotFound, SourceResult
from assistant.discovery.sources.autoconfig import PLAIN_HTTP, WELL_KNOWN, AutoconfigSource
from assistant.discovery.sources.base import Source
from assistant.discovery.sources.ispdb import IspdbSource, ispdb_url

from .conftest import LoopbackWeb, Route, config_xml

ACME = config_xml(
    "acme.test", [("smtp.acme.test", 465, "SSL"), ("smtp.acme.test", 587, "STARTTLS")]
)
SUBDOMAIN_URL = "https://autoconfig.acme.test/mail/config-v1.1.xml?emailaddress=bob@acme.test"
WELL_KNOWN_URL = "https://acme.test/.well-known/autoconfig/mail/config-v1.1.xml"


def _ask(source: Source, address: str = "bob@acme.test", seconds: float = 3.0) -> SourceResult:
    return source.lookup(parse(address), time.monotonic() + seconds, threading.Event())


def test_autoconfig_https_is_trusted(web: LoopbackWeb) -> None:
    web.route(SUBDOMAIN_URL, body=ACME)
    result = _ask(AutoconfigSource(3, web.http_settings()))
    assert isinstance(result, Found), result
    assert result.trusted is True
    assert result.where == SUBDOMAIN_URL
    assert [(s.host, s.port) for s in result.config.outgoing] == [
        ("smtp.acme.test", 465),
        ("smtp.acme.test", 587),
    ]


def test_placeholders_are_filled_for_the_address(web: LoopbackWeb) -> None:
    web.route(SUBDOMAIN_URL, body=config_xml("acme.test", [("mail.%EMAILDOMAIN%", 465, "SSL")]))
    result = _ask(AutoconfigSource(3, web.http_settings()))
    assert isinstance(result, Found) and result.config.outgoing[0].host == "mail.acme.test"


def test_well_known(web: LoopbackWeb) -> None:
    web.route(WELL_KNOWN_URL, body=ACME)
    result = _ask(AutoconfigSource(3, web.http_settings(), WELL_KNOWN))
    assert isinstance(result, Found) and result.trusted


def test_plain_http_is_untrusted_and_keeps_the_address_private(web: LoopbackWeb) -> None:
    web.add_host("autoconfig.acme.test")
    web.route("http://acme.test/.well-known/autoconfig/mail/config-v1.1.xml", body=ACME)
    result = _ask(AutoconfigSource(3, web.http_settings(), PLAIN_HTTP))
    assert isinstance(result, Found), result
    assert result.trusted is False
    assert any("without encryption" in n for n in result.notes)
    assert web.seen("http") == [
        "http://autoconfig.acme.test/mail/config-v1.1.xml",  # no ?emailaddress= over plain http
        "http://acme.test/.well-known/autoconfig/mail/config-v1.1.xml",
    ]


def test_https_redirected_to_http_is_untrusted(web: LoopbackWeb) -> None:
    web.route(
        SUBDOMAIN_URL,
        status=302,
        location="http://autoconfig.acme.test/mail/plain.xml",
    )
    web.route("http://autoconfig.acme.test/mail/plain.xml", body=ACME)
    result = _ask(AutoconfigSource(3, web.http_settings()))
    assert isinstance(result, Found) and result.trusted is False


def test_missing_file_and_missing_host(web: LoopbackWeb) -> None:
    web.add_host("autoconfig.acme.test")
    result = _ask(AutoconfigSource(3, web.http_settings()))
    assert isinstance(result, NotFound) and "404" in result.reason
    result = _ask(AutoconfigSource(3, web.http_settings()), "bob@nowhere.test")
    assert isinstance(result, NotFound) and "does not exist" in result.reason


def test_malformed_file(web: LoopbackWeb) -> None:
    web.route(SUBDOMAIN_URL, body=b"<clientConfig><emailProvider>")
    result = _ask(AutoconfigSource(3, web.http_settings()))
    assert isinstance(result, NetworkError) and result.kind is ErrorKind.INVALID
    assert "not valid XML" in result.reason


def test_entity_expansion_attack(web: LoopbackWeb) -> None:
    from .test_autoconfig_xml import BILLION_LAUGHS

    web.route(SUBDOMAIN_URL, body=BILLION_LAUGHS)
    result = _ask(AutoconfigSource(3, web.http_settings()))
    assert isinstance(result, NetworkError) and "refused for safety" in result.reason


def test_huge_file_is_refused(web: LoopbackWeb) -> None:
    huge = b"<clientConfig>" + b" " * (2 * 1024 * 1024) + b"</clientConfig>"
    web.route(SUBDOMAIN_URL, body=huge)
    result = _ask(AutoconfigSource(3, web.http_settings()))
    assert isinstance(result, NetworkError) and "larger than" in result.reason


def test_huge_file_without_length_is_cut_off(web: LoopbackWeb) -> None:
    huge = b"<clientConfig>" + b" " * (2 * 1024 * 1024) + b"</clientConfig>"
    web.route(SUBDOMAIN_URL, Route(body=huge, content_length=False))
    result = _ask(AutoconfigSource(3, web.http_settings()))
    assert isinstance(result, NetworkError) and "larger than" in result.reason


def test_slow_server_ends_at_the_deadline(web: LoopbackWeb) -> None:
    web.route(SUBDOMAIN_URL, Route(body=ACME, hang=True))
    start = time.monotonic()
    result = _ask(AutoconfigSource(3, web.http_settings()), seconds=0.5)
    assert isinstance(result, NetworkError) and result.kind is ErrorKind.TIMEOUT
    assert time.monotonic() - start < 2.0


def test_certificate_for_another_name_is_refused(web: LoopbackWeb) -> None:
    web.route("https://autoconfig.other.invalid/mail/config-v1.1.xml", body=ACME)
    result = _ask(AutoconfigSource(3, web.http_settings()), "bob@other.invalid")
    assert isinstance(result, NetworkError) and result.kind is ErrorKind.TLS
    assert "certificate" in result.reason


def test_untrusted_ca_is_refused(web: LoopbackWeb) -> None:
    import ssl

    web.route(SUBDOMAIN_URL, body=ACME)
    settings = HttpSettings(
        tls_context=lambda: ssl.create_default_context(
            cafile=None, cadata=None, capath="/nonexistent"
        ),
        connect_to=web.connect_to,
        proxies={},
    )
    result = _ask(AutoconfigSource(3, settings))
    assert isinstance(result, NetworkError) and result.kind is ErrorKind.TLS


def test_ispdb(web: LoopbackWeb) -> None:
    web.route("https://127.0.0.1/v1.1/acme.test", body=ACME)
    result = _ask(IspdbSource(3, web.ispdb_url, web.http_settings()))
    assert isinstance(result, Found) and result.trusted
    assert web.seen() == ["https://127.0.0.1/v1.1/acme.test"]


def test_ispdb_over_plain_http_is_untrusted(web: LoopbackWeb) -> None:
    port = web.http.server_address[1]
    web.route("http://127.0.0.1/v1.1/acme.test", body=ACME)
    result = _ask(IspdbSource(3, f"http://127.0.0.1:{port}/v1.1/", web.http_settings()))
    assert isinstance(result, Found) and result.trusted is False


def test_ispdb_url_forms() -> None:
    assert ispdb_url("https://autoconfig.thunderbird.net/v1.1/", "a.test") == (
        "https://autoconfig.thunderbird.net/v1.1/a.test"
    )
    assert ispdb_url("https://mirror.corp/ispdb", "a.test") == "https://mirror.corp/ispdb/a.test"
    assert (
        ispdb_url("https://mirror.corp/q?domain=", "a.test")
        == "https://mirror.corp/q?domain=a.test"
    )


def test_only_http_urls_are_fetched(web: LoopbackWeb) -> None:
    result = _ask(IspdbSource(3, "file:///etc/", web.http_settings()))
    assert isinstance(result, NetworkError) and "only http and https" in result.reason
