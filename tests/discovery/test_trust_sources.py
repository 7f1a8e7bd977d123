"""Untrusted discovery answers get no password, are never called secure, and cannot hold a thread.

Hostile cases: a plain-HTTP autoconfig file naming a server elsewhere, an https autoconfig
redirected to http, an SRV record pointing outside the domain, and a web server that drips its
headers for ever. Each full `mailsetup check --password-stdin` run asserts that the canary never
reaches the untrusted server, that the result says sign-in was not tried and why, and that the run
ends in time; `--trust-host` then signs in.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from assistant import cli
from assistant.core.models import AuthOutcome
from assistant.core.trust import NameSource, policy_for
from assistant.discovery import DiscoveryOptions, discover, to_candidates
from assistant.discovery.database import ProviderDatabase
from assistant.discovery.server_candidates import trust_policy
from assistant.plan import found_in_sentence
from tests.discovery.conftest import LoopbackDns, LoopbackWeb, Route, config_xml
from tests.servers import Loopback
from tests.servers.farm import CANARY_PASSWORD, Server
from tests.servers.hostile import auth_commands, canary_arrived

ADDRESS = "bob@acme.test"
ELSEWHERE = "smtp.elsewhere.test"
TIMEOUT = 4.0
HTTP_AUTOCONFIG = "http://autoconfig.acme.test/mail/config-v1.1.xml"
HTTPS_AUTOCONFIG = "https://autoconfig.acme.test/mail/config-v1.1.xml?emailaddress=bob@acme.test"


def _elsewhere(loopback: Loopback) -> Server:
    """A perfectly valid STARTTLS server for smtp.elsewhere.test (the attacker's own name)."""
    loopback.map_name(ELSEWHERE)
    return loopback.smtp_script(
        tls_context=loopback.pki.server_context(ELSEWHERE),
        auth_reply=b"235 2.7.0 Authentication successful\r\n",
    )


def _check(
    loopback: Loopback,
    make_options: Callable[..., DiscoveryOptions],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    port: int,
    *extra: str,
) -> tuple[int, str]:
    """`mailsetup check ADDRESS --ports PORT/starttls --password-stdin`, discovery on loopback."""
    monkeypatch.setattr(
        cli, "discover", lambda address, _options: discover(address, make_options())
    )
    monkeypatch.setattr("sys.stdin", io.StringIO(CANARY_PASSWORD + "\n"))
    argv = ["check", ADDRESS, "--ports", f"{port}/starttls", "--timeout", str(TIMEOUT)]
    argv += ["--password-stdin", *extra]
    start = time.monotonic()
    code = cli._check(cli.build_parser().parse_args(argv), loopback.settings())
    elapsed = time.monotonic() - start
    out = capsys.readouterr().out
    assert CANARY_PASSWORD not in out
    assert elapsed < 3.0 + TIMEOUT + 1  # discovery's 3 s source deadline, then the probes
    return code, out


def _not_signed_in(server: Server, out: str) -> None:
    assert server.scripted is not None
    assert not canary_arrived(server.scripted.received)
    assert auth_commands(server.scripted.received) == []
    assert "Your sign-in was accepted" not in out
    assert f"Sign-in was not tried at {ELSEWHERE}" in out
    assert f"--trust-host {ELSEWHERE}" in out


# -- plain-HTTP autoconfig -----------------------------------------------------------------------


def _plain_http_autoconfig(web: LoopbackWeb, port: int) -> None:
    web.add_host("autoconfig.acme.test")
    web.route(HTTP_AUTOCONFIG, body=config_xml("acme.test", [(ELSEWHERE, port, "STARTTLS")]))


def test_plain_http_autoconfig_names_a_server_that_gets_no_password(
    loopback: Loopback,
    web: LoopbackWeb,
    make_options: Callable[..., DiscoveryOptions],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server = _elsewhere(loopback)
    _plain_http_autoconfig(web, server.port)
    _code, out = _check(loopback, make_options, monkeypatch, capsys, server.port)
    _not_signed_in(server, out)
    assert "insecure connection" in out
    assert "secure connection)" not in out
    assert "not sent without encryption" not in out


def test_trust_host_signs_in_where_the_plain_http_file_pointed(
    loopback: Loopback,
    web: LoopbackWeb,
    make_options: Callable[..., DiscoveryOptions],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server = _elsewhere(loopback)
    _plain_http_autoconfig(web, server.port)
    code, out = _check(
        loopback, make_options, monkeypatch, capsys, server.port, "--trust-host", ELSEWHERE
    )
    assert code == 0
    assert "Your sign-in was accepted" in out
    assert server.scripted is not None and canary_arrived(server.scripted.received)


def test_https_redirected_to_http_is_never_called_secure(
    web: LoopbackWeb, make_options: Callable[..., DiscoveryOptions]
) -> None:
    web.route(HTTPS_AUTOCONFIG, status=302, location="http://autoconfig.acme.test/mail/plain.xml")
    web.route(
        "http://autoconfig.acme.test/mail/plain.xml",
        body=config_xml("acme.test", [(ELSEWHERE, 587, "STARTTLS")]),
    )
    result = discover(ADDRESS, make_options())
    found = result.found
    assert found is not None and not found.trusted
    assert found.name_source is NameSource.PLAIN_HTTP
    assert "secure connection)" not in found.description
    assert "insecure" in found.description
    assert "secure connection)" not in found_in_sentence(result)
    candidates = to_candidates(result)
    assert candidates and all(not c.trusted for c in candidates)


def test_https_autoconfig_for_the_own_domain_is_trusted(
    web: LoopbackWeb, make_options: Callable[..., DiscoveryOptions]
) -> None:
    web.route(HTTPS_AUTOCONFIG, body=config_xml("acme.test", [(ELSEWHERE, 587, "STARTTLS")]))
    candidates = to_candidates(discover(ADDRESS, make_options()))
    assert candidates and all(c.trusted for c in candidates)
    assert {c.source for c in candidates} == {NameSource.HTTPS_AUTOCONFIG}


# -- SRV outside the domain ---------------------------------------------------------------------


def test_srv_outside_the_domain_gets_no_password(
    loopback: Loopback,
    dns_server: LoopbackDns,
    make_options: Callable[..., DiscoveryOptions],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server = _elsewhere(loopback)
    dns_server.zone.add("_submission._tcp.acme.test", "SRV", f"0 0 {server.port} {ELSEWHERE}.")
    _code, out = _check(loopback, make_options, monkeypatch, capsys, server.port)
    _not_signed_in(server, out)
    assert "DNS records" in out


def test_srv_inside_the_domain_is_trusted(
    dns_server: LoopbackDns, make_options: Callable[..., DiscoveryOptions]
) -> None:
    dns_server.zone.add("_submission._tcp.acme.test", "SRV", "0 0 587 mail.acme.test.")
    dns_server.zone.add("_submissions._tcp.acme.test", "SRV", f"0 0 465 {ELSEWHERE}.")
    result = discover(ADDRESS, make_options())
    trust = {c.host: c.trusted for c in to_candidates(result)}
    assert trust == {"mail.acme.test": True, ELSEWHERE: False}


def test_mx_to_a_provider_of_the_list_uses_the_lists_names(
    dns_server: LoopbackDns, make_options: Callable[..., DiscoveryOptions]
) -> None:
    """The MX only picks the provider; the server names come from the bundled list."""
    dns_server.zone.add("acme.test", "MX", "10 acme-test.mail.protection.outlook.com.")
    result = discover(ADDRESS, make_options())
    candidates = to_candidates(result)
    assert candidates and all(c.trusted for c in candidates)
    assert {c.source for c in candidates} == {NameSource.DATABASE}


def test_hosting_server_domains_come_from_the_provider_list() -> None:
    document: dict[str, Any] = {
        "providers": [
            {
                "id": "example-hosting",
                "name": "Example Hosting",
                "kind": "hosting",
                "smtp": [{"host": "mail.%EMAILDOMAIN%", "port": 465, "security": "tls"}],
                "server_domains": ["hosting.test"],
            }
        ]
    }
    database = ProviderDatabase.from_document(document)
    assert database.hosting_domains() == ("hosting.test",)
    policy = trust_policy("acme.test", database=database)
    assert policy == policy_for("acme.test", hosting_domains=["hosting.test"])
    assert policy.trusts("server1.hosting.test", NameSource.CERTIFICATE)
    assert not policy.trusts("server1.other.test", NameSource.CERTIFICATE)


# -- a web server that drips its headers ----------------------------------------------------------


def test_dripping_web_server_cannot_keep_discovery_threads(
    web: LoopbackWeb, make_options: Callable[..., DiscoveryOptions]
) -> None:
    """Three runs against headers that never end: each run ends by its deadline, and every
    thread it started (sources, watchdogs, and the server's side) has ended by then too."""
    deadline = 1.0
    web.route(HTTPS_AUTOCONFIG, Route(drip=True))
    web.route("https://acme.test/.well-known/autoconfig/mail/config-v1.1.xml", Route(drip=True))
    web.route(HTTP_AUTOCONFIG, Route(drip=True))
    baseline = set(threading.enumerate())
    deadlines = {n: deadline for n in ("autoconfig", "well-known", "ispdb", "mx", "srv")}
    deadlines["autoconfig-http"] = deadline
    for _ in range(3):
        start = time.monotonic()
        result = discover(ADDRESS, make_options(deadlines=dict(deadlines)))
        assert time.monotonic() - start < deadline + 1
        autoconfig = next(a for a in result.answers if a.name == "autoconfig")
        assert autoconfig.result is not None and autoconfig.found is None
    ends_by = time.monotonic() + deadline + 1
    started = [t for t in threading.enumerate() if t not in baseline]
    for thread in started:
        thread.join(max(0.0, ends_by - time.monotonic()))
    alive = [t.name for t in started if t.is_alive()]
    assert alive == [], f"threads still running after the deadline: {alive}"
    assert len(web.requests) <= 3 * 4  # each run: autoconfig, well-known, two plain-http files


def test_untrusted_candidates_are_marked_in_the_plan_for_the_wizard(
    web: LoopbackWeb, make_options: Callable[..., DiscoveryOptions]
) -> None:
    """The wizard gets the same decision as data: source and trust on every candidate."""
    _plain_http_autoconfig(web, 2525)
    candidates = to_candidates(discover(ADDRESS, make_options()))
    assert {(c.host, c.source, c.trusted) for c in candidates} == {
        (ELSEWHERE, NameSource.PLAIN_HTTP, False)
    }
    assert AuthOutcome.UNTRUSTED_SERVER.value == "untrusted_server"
