"""The command line in Spanish: LANG/LANGUAGE decide, --lang overrides, nothing stays English."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from assistant import cli, i18n
from tests.servers import Loopback


def _spanish_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env["LANG"] = "es_ES.UTF-8"
    env.update(extra)
    return env


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_lang_es_prints_spanish_from_a_real_run() -> None:
    """`LANG=es_ES.UTF-8 mailsetup check …`, as a person would type it (a closed loopback port)."""
    port = _closed_port()
    proc = subprocess.run(
        [
            *(sys.executable, "-m", "assistant.cli", "check", "ana@example.com"),
            *("--host", "127.0.0.1", "--ports", f"{port}/tls", "--timeout", "3"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env=_spanish_env(),
    )
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout
    assert out.startswith("Probando 1 forma de enviar correo para ana@example.com …")
    assert f"127.0.0.1 puerto {port} SSL/TLS" in out
    assert "--  no se puede usar" in out
    assert "El servidor existe, pero no ofrece este puerto." in out
    assert "No se encontró una forma segura de enviar." in out
    for english in ("Testing", "port ", "not usable", "No safe way", "The server"):
        assert english not in out, english


@pytest.mark.parametrize(
    ("argv", "env", "message"),
    [
        (["check", "no-es-una-direccion"], {}, "Una dirección de correo tiene exactamente una @"),
        (["check", "ana@example.com", "--frobnicate"], {}, "No conozco la opción --frobnicate"),
        (["check"], {}, "Indica tu dirección de correo"),
        (["--lang", "es", "check", "a@b@c"], {"LANG": "C"}, "exactamente una @"),
        (["check", "x", "--lang=en"], {}, "An email address has exactly one @"),
        (["check", "x"], {"LANGUAGE": "de:es"}, "exactamente una @"),
    ],
)
def test_errors_follow_the_language(argv: list[str], env: dict[str, str], message: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "assistant.cli", *argv],
        capture_output=True,
        text=True,
        timeout=30,
        env=_spanish_env(**env),
    )
    assert proc.returncode == 2
    assert message in proc.stderr, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_help_is_spanish() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "check", "--help"],
        capture_output=True,
        text=True,
        timeout=30,
        env=_spanish_env(),
    )
    assert proc.returncode == 0
    assert proc.stdout.startswith("uso: mailsetup check")
    assert "opciones:" in proc.stdout and "muestra esta ayuda y termina" in proc.stdout


def test_table_in_spanish_from_loopback_servers(
    loopback: Loopback, capsys: pytest.CaptureFixture[str]
) -> None:
    implicit, plain = loopback.implicit_tls(), loopback.plain()
    i18n.set_language(i18n.language_from_environment({"LANG": "es_MX.UTF-8"}))
    ports = f"{implicit.port}/tls,{plain.port}/starttls"
    args = cli.build_parser().parse_args(
        ["check", "ana@example.test", "--host", "mail.example.test", "--ports", ports]
    )
    code = cli._check(args, loopback.settings())
    out = capsys.readouterr().out
    assert code == 0
    assert "OK  cifrado" in out and "!!  sin cifrado" in out
    assert "Cifrado desde el primer momento (SSL/TLS)." in out
    assert out.strip().endswith(
        f"Usa mail.example.test, puerto {implicit.port}, SSL/TLS: cifrado desde el principio."
    )


def test_environment_is_read_as_gettext_reads_it() -> None:
    read = i18n.language_from_environment
    assert read({"LANG": "es_AR.UTF-8"}) == "es"
    assert read({"LANGUAGE": "fr:es_MX", "LANG": "en_US.UTF-8"}) == "es"
    assert read({"LC_ALL": "de_DE.UTF-8", "LANG": "es_ES.UTF-8"}) == "en"  # LC_ALL decides
    assert read({"LANG": "C"}) == "en"
    assert read({}) is None


def test_check_and_export_offer_the_same_test_options_in_spanish() -> None:
    """`export` runs `check`'s plan, so it takes the same options with the same words (its --host
    and --ports help used to be untranslated copies)."""
    import argparse

    i18n.set_language("es")
    parser = cli.build_parser()
    actions = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    shared = ("--profile", "--host", "--trust-host", "--ports", "--timeout")

    def helps(command: str) -> dict[str, str | None]:
        sub = actions.choices[command]
        return {o: a.help for a in sub._actions for o in a.option_strings if o in shared}

    assert helps("check") == helps("export")
    assert set(helps("export")) == set(shared)
    assert helps("export")["--host"] == "nombre del servidor a probar (se puede repetir)"
