"""A canary password through full command-line runs never shows up in anything written."""

from __future__ import annotations

import base64
import io
import json
import logging

import pytest

from assistant import cli
from tests.servers import Loopback
from tests.servers.farm import CANARY_PASSWORD


def _forms() -> list[str]:
    user = "alice@example.test"
    return [
        CANARY_PASSWORD,
        base64.b64encode(CANARY_PASSWORD.encode()).decode(),
        base64.b64encode(f"\0{user}\0{CANARY_PASSWORD}".encode()).decode(),
        base64.b64encode(f"\0alice\0{CANARY_PASSWORD}".encode()).decode(),
    ]


@pytest.mark.parametrize("as_json", [False, True])
@pytest.mark.parametrize("right_password", [True, False])
def test_canary_never_printed_or_logged(
    loopback: Loopback,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    as_json: bool,
    right_password: bool,
) -> None:
    caplog.set_level(logging.DEBUG)
    servers = [
        loopback.implicit_tls(),
        loopback.starttls(),
        loopback.plain(),
        loopback.starttls(expired=True),
    ]
    # the implicit-TLS aiosmtpd server has no authenticator; the STARTTLS one checks the canary
    password = CANARY_PASSWORD if right_password else CANARY_PASSWORD + "-wrong"
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    ports = ",".join(f"{s.port}/{s.security.value}" for s in servers)
    argv = [
        "check",
        "alice@example.test",
        "--host",
        "mail.example.test",
        "--ports",
        ports,
        "--password-stdin",
        "--send-test",
    ]
    if as_json:
        argv.append("--json")
    code = cli._check(cli.build_parser().parse_args(argv), loopback.settings())
    out, err = capsys.readouterr()
    everything = (
        out
        + err
        + caplog.text
        + "".join(m.content.decode("utf-8", "replace") for m in loopback.messages)
    )
    for form in _forms():
        assert form not in everything
    assert code == 0
    if as_json:
        document = json.loads(out)
        sign_ins = {c["port"]: c["sign_in"] for c in document["candidates"]}
        starttls_port = servers[1].port
        assert sign_ins[starttls_port] == ("accepted" if right_password else "wrong_password")
        assert sign_ins[servers[2].port] == "not_tried"  # never on plain text
        assert sign_ins[servers[3].port] == "not_tried"  # never on a failed certificate
    else:
        assert ("Your sign-in was accepted." in out) is right_password
        assert ("The user name or password was not accepted." in out) is (not right_password)


def test_send_test_without_a_password_is_refused_politely(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = cli.build_parser().parse_args(["check", "a@example.test", "--send-test"])
    assert cli._check(args) == cli.EXIT_BAD_INPUT
    assert "needs --password-stdin" in capsys.readouterr().err
