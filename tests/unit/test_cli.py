"""`mailsetup check`: the table, the JSON document and its schema, exit codes, friendly errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from assistant import cli
from tests.servers import Loopback

SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "check-report.schema.json").read_text())


def _run(
    loopback: Loopback, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    args = cli.build_parser().parse_args(["check", *argv])
    code = cli._check(args, loopback.settings())
    out, err = capsys.readouterr()
    return code, out, err


def _ports(*servers: object) -> str:
    return ",".join(f"{s.port}/{s.security.value}" for s in servers)  # type: ignore[attr-defined]


def test_json_document_validates_and_recommends(
    loopback: Loopback, capsys: pytest.CaptureFixture[str]
) -> None:
    implicit, starttls, closed = loopback.implicit_tls(), loopback.starttls(), loopback.closed()
    code, out, _ = _run(
        loopback,
        [
            "alice@Example.TEST",
            "--host",
            "mail.example.test",
            "--ports",
            _ports(implicit, starttls, closed),
            "--json",
            "--timeout",
            "5",
        ],
        capsys,
    )
    document = json.loads(out)
    jsonschema.validate(document, SCHEMA)
    assert code == 0
    assert document["address"] == "alice@example.test"
    assert document["recommendation"] == {
        "host": "mail.example.test",
        "port": implicit.port,
        "security": "tls",
        "trusted": True,
    }
    assert [c["verdict"] for c in document["candidates"]] == [
        "ENCRYPTED_IMPLICIT",
        "ENCRYPTED_STARTTLS",
        "REFUSED",
    ]
    for candidate in document["candidates"]:
        assert candidate["explanation"]
        assert "connect" in candidate["timings_ms"]


def test_every_verdict_document_validates(
    loopback: Loopback, capsys: pytest.CaptureFixture[str]
) -> None:
    servers = [
        loopback.plain(),
        loopback.starttls(expired=True),
        loopback.self_signed(),
        loopback.implicit_tls(name="other.example.net"),
    ]
    code, out, _ = _run(
        loopback,
        ["bob@example.test", "--host", "mail.example.test", "--ports", _ports(*servers), "--json"],
        capsys,
    )
    document = json.loads(out)
    jsonschema.validate(document, SCHEMA)
    assert code == 1
    assert document["recommendation"] is None
    assert {c["verdict"] for c in document["candidates"]} == {
        "PLAINTEXT_ONLY",
        "CERT_EXPIRED",
        "CERT_UNTRUSTED",
        "CERT_NAME_MISMATCH",
    }


def test_table_reads_as_plain_language(
    loopback: Loopback, capsys: pytest.CaptureFixture[str]
) -> None:
    implicit, plain, closed = loopback.implicit_tls(), loopback.plain(), loopback.closed()
    code, out, _ = _run(
        loopback,
        [
            "alice@example.test",
            "--host",
            "mail.example.test",
            "--ports",
            _ports(implicit, plain, closed),
        ],
        capsys,
    )
    assert code == 0
    assert "Encrypted from the first byte (SSL/TLS)." in out
    assert "your password and messages could be read on the way" in out
    assert "The server exists but does not offer this port." in out
    assert out.strip().endswith(
        f"Use mail.example.test, port {implicit.port}, SSL/TLS — encrypted from the start."
    )
    for jargon in ("Traceback", "Error:", "errno", "SSLError", "ECONNREFUSED", "Exception"):
        assert jargon not in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["check", "not-an-address"], "exactly one @"),
        (["check", "a@b@c.example"], "exactly one @"),
        (["check", "@example.com"], "before the @ is missing"),
        (["check", "bob@exa mple.com"], "no spaces"),
        (["check", "bob@-bad-.com"], "not a valid domain name"),
        (["check", "bob@example.com", "--ports", "465,abc"], "“abc” is not a port number"),
        (["check", "bob@example.com", "--ports", "70000"], "not a port number"),
        (["check", "bob@example.com", "--ports", "587/ssh"], "write tls or starttls"),
        (["check", "bob@example.com", "--timeout", "soon"], "not a number of seconds"),
        (
            ["check", "bob@example.com", "--timeout", "nan"],
            "--timeout: give a number of seconds from 0.5 to 120",
        ),
        (
            ["check", "bob@example.com", "--sign-in-wait", "2"],
            "--sign-in-wait: give a number of seconds from 5 to 1800",
        ),
        # What was typed is quoted back cleaned: no terminal control characters, as typed.
        (["check", "bob@example.com", "--sign-in-wait", "\x1b[2J"], "“�[2J” is not a number"),
        (["check", "bob@example.com", "--frobnicate"], "I don't know the option --frobnicate"),
        (["check"], "Please give your email address"),
    ],
)
def test_bad_input_is_one_friendly_line_and_exit_2(argv: list[str], message: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "assistant.cli", *argv], capture_output=True, text=True, timeout=30
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert message in lines[0]
    assert "Traceback" not in proc.stderr


def test_mailto_and_upper_case_are_understood() -> None:
    from assistant.core.address import parse

    parsed = parse("  mailto:Alice@Example.COM. ")
    assert (parsed.address, parsed.domain) == ("Alice@example.com", "example.com")
    assert parse("jörg@bücher.example").domain == "xn--bcher-kva.example"


@pytest.mark.skipif(
    shutil.which("unshare") is None or os.geteuid() != 0,
    reason="needs root and unshare to simulate a computer with no network",
)
def test_offline_computer_is_no_network() -> None:
    """In a fresh network namespace even loopback is down: exactly a computer with no network."""
    proc = subprocess.run(
        [
            "unshare",
            "-n",
            sys.executable,
            "-m",
            "assistant.cli",
            "check",
            "a@example.test",
            "--host",
            "127.0.0.1",
            "--ports",
            "587",
            "--json",
            "--timeout",
            "3",
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == 1, proc.stderr
    document = json.loads(proc.stdout)
    jsonschema.validate(document, SCHEMA)
    assert document["candidates"][0]["verdict"] == "NO_NETWORK"
    assert "could not reach the internet" in document["candidates"][0]["explanation"]


def test_ctrl_c_stops_quietly(loopback: Loopback) -> None:
    """Ctrl+C during a run: every probe stops, one line, exit 130, no traceback."""
    import signal
    import time

    from tests.servers import scripted as s

    tarpit = loopback.scripted(s.tarpit)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "assistant.cli",
            "check",
            "a@example.test",
            "--host",
            "127.0.0.1",
            "--ports",
            f"{tarpit.port}/starttls",
            "--timeout",
            "60",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().startswith("Testing 1 way to send mail")  # the run has started
    deadline = time.monotonic() + 10
    while tarpit.scripted is not None and tarpit.scripted.connections == 0:
        assert time.monotonic() < deadline, "the probe never connected"
        time.sleep(0.01)
    started = time.monotonic()
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=10)
    assert time.monotonic() - started < 3
    assert proc.returncode == 130
    assert err.strip() == "mailsetup: stopped."


def test_names_that_do_not_exist_are_one_row_naming_them_all() -> None:
    """bob@gmial.com: the usual names share one row in each half, named by all of them. The
    table named a grouped row by its first port alone ("smtp.gmial.com port 465 SSL/TLS") beside
    a sentence about every name."""
    from assistant.core.address import parse
    from assistant.core.explanation import Audience
    from assistant.core.models import ProbeResult, Verdict
    from assistant.outcome import conclude_halves
    from assistant.plan import PlanInputs, make_plan

    plan = make_plan(PlanInputs(parse("bob@gmial.com"), receiving=True))
    results = [ProbeResult(c, Verdict.NO_SUCH_HOST) for c in plan.candidates]
    halves = conclude_halves(plan, results, audience=Audience.CLI)
    assert halves.receiving is not None
    lines = cli.render_table(halves.sending, halves.receiving).splitlines()
    said = "No server has any of these names: they are the usual names tried for your domain."
    rows = [i for i, line in enumerate(lines) if line.startswith("  ") and "gmial.com" in line]
    assert [lines[i].strip() for i in rows] == [
        "imap.gmial.com, mail.gmial.com, gmial.com, pop.gmial.com, pop3.gmial.com",
        "smtp.gmial.com, mail.gmial.com, gmial.com",
    ]
    for i in rows:  # each name list, then the mark without a port's label, then the sentence
        assert [lines[i + 1].strip(), lines[i + 2].strip()] == ["--  not usable", said]
    assert not any("port 465" in line or "port 993" in line for line in lines)
