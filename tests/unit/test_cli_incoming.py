"""`mailsetup check` with both halves: protocol prefixes, grouped text, the JSON's incoming
recommendation, and exit 0 only when every half that was tested has a safe setting."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from assistant import cli
from tests.servers import Loopback
from tests.servers import scripted as s
from tests.servers.farm import MAIL_HOST, Server
from tests.servers.scripted_incoming import ImapScript, Pop3Script, imap_handler, pop3_handler

SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "check-report.schema.json").read_text())


def _run(
    loopback: Loopback, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    args = cli.build_parser().parse_args(["check", *argv])
    code = cli._check(args, loopback.settings())
    out, _err = capsys.readouterr()
    return code, out


def _imaps(loopback: Loopback) -> Server:
    ctx = loopback.pki.server_context(MAIL_HOST)
    return loopback.scripted(imap_handler(ImapScript(tls_context=ctx, implicit_tls=True)))


def _pop3(loopback: Loopback) -> Server:
    ctx = loopback.pki.server_context(MAIL_HOST)
    return loopback.scripted(pop3_handler(Pop3Script(tls_context=ctx)))


def test_both_halves_in_one_document(
    loopback: Loopback, capsys: pytest.CaptureFixture[str]
) -> None:
    smtp, imaps, pop3 = loopback.implicit_tls(), _imaps(loopback), _pop3(loopback)
    ports = f"{smtp.port}/tls,imap:{imaps.port}/tls,pop3:{pop3.port}/starttls"
    code, out = _run(
        loopback, ["a@example.test", "--host", MAIL_HOST, "--ports", ports, "--json"], capsys
    )
    document = json.loads(out)
    jsonschema.validate(document, SCHEMA)
    assert code == 0
    assert document["schema_version"] == 2
    assert [(c["protocol"], c["verdict"]) for c in document["candidates"]] == [
        ("smtp", "ENCRYPTED_IMPLICIT"),
        ("imap", "ENCRYPTED_IMPLICIT"),
        ("pop3", "ENCRYPTED_STARTTLS"),
    ]
    assert document["recommendation"] == {
        "host": MAIL_HOST,
        "port": smtp.port,
        "security": "tls",
        "trusted": True,
    }
    assert document["incoming_recommendation"] == {
        "host": MAIL_HOST,
        "port": imaps.port,
        "security": "tls",
        "trusted": True,
        "protocol": "imap",
    }
    assert document["incoming_summary"].startswith(f"Receive with IMAP: use {MAIL_HOST}")


def test_prefer_pop3(loopback: Loopback, capsys: pytest.CaptureFixture[str]) -> None:
    imaps, pop3 = _imaps(loopback), _pop3(loopback)
    ports = f"imap:{imaps.port}/tls,pop3:{pop3.port}/starttls"
    argv = ["a@example.test", "--host", MAIL_HOST, "--ports", ports, "--json", "--prefer-pop3"]
    code, out = _run(loopback, argv, capsys)
    document = json.loads(out)
    assert code == 0
    assert document["incoming_recommendation"]["protocol"] == "pop3"
    assert document["recommendation"] is None  # sending was not tested: not a failure


def test_one_half_without_a_safe_setting_exits_1(
    loopback: Loopback, capsys: pytest.CaptureFixture[str]
) -> None:
    smtp, closed = loopback.implicit_tls(), loopback.closed()
    ports = f"{smtp.port}/tls,imap:{closed.port}/tls"
    code, out = _run(
        loopback, ["a@example.test", "--host", MAIL_HOST, "--ports", ports, "--json"], capsys
    )
    document = json.loads(out)
    jsonschema.validate(document, SCHEMA)
    assert code == 1
    assert document["recommendation"] is not None and document["incoming_recommendation"] is None
    assert document["incoming_summary"].startswith("No safe way to receive mail was found.")


def test_text_groups_receiving_then_sending(
    loopback: Loopback, capsys: pytest.CaptureFixture[str]
) -> None:
    smtp, imaps = loopback.implicit_tls(), _imaps(loopback)
    ports = f"{smtp.port}/tls,imap:{imaps.port}/tls"
    code, out = _run(loopback, ["a@example.test", "--host", MAIL_HOST, "--ports", ports], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Testing 2 ways to receive and send mail for a@example.test …"
    receiving, sending = (
        lines.index("Receiving mail (IMAP or POP3):"),
        lines.index("Sending mail (SMTP):"),
    )
    assert receiving < sending
    block = "\n".join(lines[receiving:sending])
    assert f"IMAP {MAIL_HOST} port {imaps.port} SSL/TLS" in block
    assert f"Receive with IMAP: use {MAIL_HOST}, port {imaps.port}, SSL/TLS" in block
    assert "IMAP keeps your mail on the server, in step on every device; POP3 downloads it" in block
    assert out.strip().endswith(
        f"Use {MAIL_HOST}, port {smtp.port}, SSL/TLS — encrypted from the start."
    )


def test_no_ports_tests_both_halves(loopback: Loopback, capsys: pytest.CaptureFixture[str]) -> None:
    """Without --ports: SMTP 465, 587, 25, 26, 2525 and IMAP 993, 143, POP3 995, 110."""
    code, out = _run(
        loopback, ["a@example.test", "--host", "127.0.0.1", "--json", "--timeout", "2"], capsys
    )
    document = json.loads(out)
    jsonschema.validate(document, SCHEMA)
    assert [(c["protocol"], c["port"]) for c in document["candidates"]] == [
        ("smtp", 465),
        ("smtp", 587),
        ("smtp", 25),
        ("smtp", 26),
        ("smtp", 2525),
        ("imap", 993),
        ("imap", 143),
        ("pop3", 995),
        ("pop3", 110),
    ]
    assert code == 1


def test_receiving_next_steps_name_the_incoming_server(
    loopback: Loopback, capsys: pytest.CaptureFixture[str]
) -> None:
    smtp, garbage = loopback.implicit_tls(), loopback.scripted(s.send_then_wait(b"garbage\r\n"))
    ports = f"{smtp.port}/tls,imap:{garbage.port}/starttls"  # not IMAP: "not a mail server"
    argv = ["a@example.test", "--host", MAIL_HOST, "--ports", ports, "--timeout", "3"]
    code, out = _run(loopback, argv, capsys)
    assert code == 1
    receiving, sending = out.split("Sending mail (SMTP):")
    assert "No safe way to receive mail was found." in receiving
    assert "their incoming (IMAP or POP3) server" in receiving
    assert "--ports imap:PORT" in receiving
    assert "outgoing server" not in receiving
    assert f"Use {MAIL_HOST}, port {smtp.port}, SSL/TLS" in sending


def test_receiving_next_steps_are_in_the_persons_language(
    loopback: Loopback, capsys: pytest.CaptureFixture[str]
) -> None:
    """The receiving half's own wording of a next step was never extracted for translation, so
    a Spanish run asked for the incoming server in English."""
    from assistant import i18n

    i18n.set_language("es")  # tests/conftest.py puts English back afterwards
    smtp, garbage = loopback.implicit_tls(), loopback.scripted(s.send_then_wait(b"garbage\r\n"))
    ports = f"{smtp.port}/tls,imap:{garbage.port}/starttls"
    argv = ["a@example.test", "--host", MAIL_HOST, "--ports", ports, "--timeout", "3"]
    code, out = _run(loopback, argv, capsys)
    assert code == 1
    receiving = out.split("Enviar correo (SMTP):")[0]
    assert "No se encontró una forma segura de recibir correo." in receiving, receiving
    assert (
        "- Pide a tu proveedor de correo el nombre y el puerto de su servidor de entrada (IMAP o "
        "POP3); luego vuelve a ejecutar la prueba con --host NOMBRE --ports imap:PUERTO (o "
        "pop3:PUERTO)."
    ) in receiving
    assert "Ask your" not in out
