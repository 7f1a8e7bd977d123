"""`mailsetup discover`: readable and JSON output, exit codes, friendly errors."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable

import pytest

from assistant import i18n
from assistant.discovery import command
from assistant.discovery.options import DiscoveryOptions
from assistant.discovery.parallel_search import discover
from assistant.discovery.server_candidates import to_candidates

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


# Phrases of the English report that a Spanish person must never read.
_ENGLISH = (
    "Finding the mail servers",
    "Built-in provider list",
    "Usual server names",
    "found, trusted",
    "found, untrusted",
    "nothing:",
    "receiving:",
    "from built-in list",
    "from usual names",
    "note: a guess",
    "Using ",
    "trusted).",
    "NOT verified",
    "You need to know",
    "Google does not accept",
    "Servers and ports to test",
    " port 465",
    "documented",
    "encrypted submission",
    "keeps mail on the server",
    "not in the built-in list",
    "does not exist",
    "nothing published there",
    "publishes no mail service records",
)


def _english_left(out: str) -> list[str]:
    return [phrase for phrase in _ENGLISH if phrase in out]


def test_offline_text_in_spanish(capsys: pytest.CaptureFixture[str]) -> None:
    """`LANGUAGE=es mailsetup discover …`: the report is Spanish, the values stay as they are."""
    i18n.set_language("es")
    args = _parser().parse_args(["discover", "bob@gmail.com", "--offline"])
    assert command.run(args) == command.EXIT_FOUND
    gmail = capsys.readouterr().out
    args = _parser().parse_args(["discover", "bob@mycompany.test", "--offline"])
    assert command.run(args) == command.EXIT_GUESS_ONLY
    unknown = capsys.readouterr().out

    assert gmail.startswith("Buscando los servidores de correo de bob@gmail.com\n")
    assert "* Lista de proveedores incluida" in gmail
    assert "encontrado, de confianza" in gmail
    assert "para recibir: IMAP imap.gmail.com:993 tls, POP3 pop.gmail.com:995 tls" in gmail
    assert "tomado de la lista incluida (Gmail)" in gmail
    assert "nota: una suposición: las pruebas mostrarán cuáles de estos servidores existen" in gmail
    assert (
        "Se usará Gmail, según la lista de proveedores incluida en este programa (de confianza)."
        in gmail
    )
    # The provider's requirement, from providers.json through the catalogue.
    assert "  Debes saber: Google no acepta tu contraseña habitual en los programas de correo" in (
        gmail
    )
    assert "Servidores y puertos que se probarán:" in gmail
    assert "  smtp.gmail.com puerto 465 SSL/TLS (envío cifrado)  documentado" in gmail
    assert "  IMAP imap.gmail.com puerto 993 SSL/TLS (deja el correo en el servidor)" in gmail

    # A reason with its value, worded when shown.
    assert "  Lista de proveedores incluida" in unknown
    assert "nada: mycompany.test no está en la lista incluida" in unknown
    assert "* Nombres habituales (suposición)  encontrado, no es de confianza" in unknown
    assert "tomado de los nombres habituales (smtp.mycompany.test, mail.mycompany.test" in unknown
    assert (
        "Se usará mycompany.test, según los nombres de servidor habituales (una suposición) "
        "(NO verificado: confírmalo antes de usarlo)." in unknown
    )
    assert "  smtp.mycompany.test puerto 25 STARTTLS (puerto clásico de correo)" in unknown

    assert _english_left(gmail) == []
    assert _english_left(unknown) == []


def test_network_reasons_in_spanish(
    dns_server: LoopbackDns,
    web: LoopbackWeb,
    make_options: Callable[..., DiscoveryOptions],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The DNS and web sources' reasons, against loopback servers that have nothing for the
    domain: Spanish words around the URLs and names they quote; in --json too, same keys."""
    i18n.set_language("es")
    ns = str(dns_server.nameserver)
    argv = ["discover", "bob@acme.test", "--nameserver", ns, "--ispdb-url", web.ispdb_url]
    assert command.run(_parser().parse_args(argv), make_options()) == command.EXIT_GUESS_ONLY
    out = capsys.readouterr().out
    assert "Registros MX → proveedor conocido" in out
    assert "nada: acme.test no existe en el DNS" in out
    assert "nada: acme.test no publica registros de servicios de correo" in out
    assert (
        "nada: https://autoconfig.acme.test/mail/config-v1.1.xml?emailaddress=bob@acme.test: "
        "esa dirección web no existe" in out
    )
    assert f"nada: {web.ispdb_url}acme.test: no hay nada publicado ahí (HTTP 404)" in out
    # The plain-http place asks two files: both reasons, each worded, in one line.
    assert (
        "http://autoconfig.acme.test/mail/config-v1.1.xml: esa dirección web no existe; "
        "http://acme.test/.well-known/autoconfig/mail/config-v1.1.xml: esa dirección web no existe"
        in out
    )
    assert _english_left(out) == []

    assert (
        command.run(_parser().parse_args([*argv, "--json"]), make_options())
        == command.EXIT_GUESS_ONLY
    )
    doc = json.loads(capsys.readouterr().out)
    mx = next(s for s in doc["sources"] if s["source"] == "mx")
    assert mx == {
        "source": "mx",
        "title": "Mail server records (MX) → known provider",  # a name for scripts
        "priority": 50,
        "origin": "mx",
        "state": "answered",
        "elapsed_ms": mx["elapsed_ms"],
        "status": "not_found",
        "reason": "acme.test no existe en el DNS",
    }


def test_a_report_found_in_english_is_worded_again_in_spanish() -> None:
    """The reasons keep their sentence and values apart, so the same result reads in the language
    chosen when it is shown (the way a language switch re-words an InputError)."""
    result = discover("bob@mycompany.test", DiscoveryOptions(offline=True, exhaustive=True))
    candidates = to_candidates(result, incoming=True)
    english = command.render(result, candidates)
    assert "nothing: mycompany.test is not in the built-in list" in english
    i18n.set_language("es")
    spanish = command.render(result, candidates)
    assert "nada: mycompany.test no está en la lista incluida" in spanish
    assert _english_left(spanish) == []
