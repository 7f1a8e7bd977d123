"""`mailsetup discover`: readable and JSON output, exit codes, friendly errors."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable

import pytest

from assistant.discovery import command
from assistant.discovery.options import DiscoveryOptions

from .conftest import LoopbackDns, LoopbackWeb


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mailsetup")
    command.add_parser(parser.add_subparsers(dest="command"))
    return parser


def test_offline_gmail_text(capsys: pytest.CaptureFixture[str]) -> None:
    args = _parser().parse_args(["discover", "Ana@Gmail.com", "--offline"])
    assert command.run(args) == command.EXIT_FOUND
    out = capsys.readouterr().out
    assert "Built-in provider list" in out and "found, trusted" in out
    assert "smtp.gmail.com port 465 SSL/TLS" in out
    assert "receiving: IMAP imap.gmail.com:993 tls, POP3 pop.gmail.com:995 tls" in out
    assert "IMAP imap.gmail.com port 993 SSL/TLS" in out
    assert "app password" in out


def test_offline_json(capsys: pytest.CaptureFixture[str]) -> None:
    args = _parser().parse_args(["discover", "x@hotmail.com", "--offline", "--json"])
    assert command.run(args) == command.EXIT_FOUND
    doc = json.loads(capsys.readouterr().out)
    assert doc["winner"] == "database" and doc["trusted"] is True
    assert doc["candidates"] == [
        {
            "protocol": "smtp",
            "host": "smtp-mail.outlook.com",
            "port": 587,
            "security": "starttls",
            "label": "submission",
            "documented": True,
            "name_source": "database",
            "trusted": True,
        },
        {
            "protocol": "imap",
            "host": "outlook.office365.com",
            "port": 993,
            "security": "tls",
            "label": "keeps mail on the server",
            "documented": True,
            "name_source": "database",
            "trusted": True,
        },
        {
            "protocol": "pop3",
            "host": "outlook.office365.com",
            "port": 995,
            "security": "tls",
            "label": "downloads mail to this computer",
            "documented": True,
            "name_source": "database",
            "trusted": True,
        },
    ]
    assert [s["source"] for s in doc["sources"]] == ["database", "guess"]


def test_unknown_domain_offline_is_guess_only(capsys: pytest.CaptureFixture[str]) -> None:
    args = _parser().parse_args(["discover", "bob@acme.test", "--offline"])
    assert command.run(args) == command.EXIT_GUESS_ONLY
    assert "smtp.acme.test port 465" in capsys.readouterr().out


def test_bad_address(capsys: pytest.CaptureFixture[str]) -> None:
    args = _parser().parse_args(["discover", "not an address", "--offline"])
    assert command.run(args) == command.EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert err.startswith("mailsetup: ") and err.count("\n") == 1


@pytest.mark.parametrize(
    "argv",
    [
        ["discover", "a@b.test", "--nameserver", "dns.example.com"],
        ["discover", "a@b.test", "--ispdb-url", "ftp://mirror/"],
    ],
)
def test_bad_options_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        _parser().parse_args(argv)
    assert caught.value.code == 2
    assert "not a" in capsys.readouterr().err


def test_every_source_answers_with_loopback_servers(
    dns_server: LoopbackDns,
    web: LoopbackWeb,
    make_options: Callable[..., DiscoveryOptions],
    capsys: pytest.CaptureFixture[str],
) -> None:
    dns_server.zone.add("acme.test", "MX", "0 acme-test.mail.protection.outlook.com.")
    ns = str(dns_server.nameserver)
    argv = ["discover", "bob@acme.test", "--json", "--nameserver", ns, "--ispdb-url", web.ispdb_url]
    args = _parser().parse_args(argv)
    assert command.run(args, make_options()) == command.EXIT_FOUND
    doc = json.loads(capsys.readouterr().out)
    assert doc["winner"] == "mx" and doc["trusted"] is False
    states = {s["source"]: s["state"] for s in doc["sources"]}
    assert set(states.values()) == {"answered"}  # the command waits for every source
    statuses = {s["source"]: s["status"] for s in doc["sources"]}
    assert statuses["mx"] == "found" and statuses["autoconfig"] == "not_found"
    assert "https://127.0.0.1/v1.1/acme.test" in web.seen()  # the loopback ISPDB was asked


def test_ispdb_can_be_switched_off(
    web: LoopbackWeb,
    make_options: Callable[..., DiscoveryOptions],
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = _parser().parse_args(["discover", "bob@acme.test", "--json", "--no-ispdb"])
    command.run(args, make_options())
    doc = json.loads(capsys.readouterr().out)
    assert "ispdb" not in [s["source"] for s in doc["sources"]]
    assert not any("/v1.1/" in url for url in web.seen())
