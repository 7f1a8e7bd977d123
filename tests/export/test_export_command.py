"""`mailsetup export`: every format from a live loopback run and from a saved report; no password
in any file; exit codes and errors as `mailsetup check`."""

from __future__ import annotations

import base64
import io
import json
import plistlib
from pathlib import Path

import jsonschema
import pytest

from assistant import cli
from assistant.discovery.autoconfig_xml import parse_config
from assistant.export import command
from tests.export.test_pdf_sheet import _pages
from tests.servers import Loopback
from tests.servers.farm import CANARY_PASSWORD, MAIL_HOST, TEST_USER
from tests.servers.scripted_incoming import ImapScript, imap_handler

SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "check-report.schema.json").read_text())
FORMATS = {
    "pdf": "sheet.pdf",
    "autoconfig": "config-v1.1.xml",
    "mobileconfig": "mail.mobileconfig",
    "report": "report.html",
    "json": "run.json",
}


def _canary_forms() -> list[bytes]:
    forms = [
        CANARY_PASSWORD,
        base64.b64encode(f"\0{TEST_USER}\0{CANARY_PASSWORD}".encode()).decode(),
    ]
    return [f.encode() for f in forms]


def _export(argv: list[str], loopback: Loopback | None = None) -> int:
    args = cli.build_parser().parse_args(["export", *argv])
    return command.run(args, loopback.settings() if loopback else None)


def _live_argv(loopback: Loopback, receiving: bool = True) -> list[str]:
    """Three ways to send and, with `receiving`, an IMAP server (SSL/TLS) to receive."""
    implicit, starttls, closed = loopback.implicit_tls(), loopback.starttls(), loopback.closed()
    ports = [f"{s.port}/{s.security.value}" for s in (implicit, starttls, closed)]
    if receiving:
        ctx = loopback.pki.server_context(MAIL_HOST)
        imaps = loopback.scripted(imap_handler(ImapScript(tls_context=ctx, implicit_tls=True)))
        ports.append(f"imap:{imaps.port}/tls")
    return [TEST_USER, "--host", MAIL_HOST, "--ports", ",".join(ports), "--timeout", "5",
            "--password-stdin"]  # fmt: skip


def _check_files(written: dict[str, list[Path]]) -> None:
    for files in written.values():
        for path in files:
            data = path.read_bytes()
            for form in _canary_forms():
                assert form not in data, f"password in {path.name}"
    sheet = written["pdf"][0].read_bytes()
    assert sheet.startswith(b"%PDF")
    html_path, json_path = written["report"]
    page = html_path.read_text(encoding="utf-8")
    document = json.loads(json_path.read_text(encoding="utf-8"))
    rec = document["recommendation"]
    config = parse_config(written["autoconfig"][0].read_bytes())
    assert [(s.host, s.port, s.security.value) for s in config.outgoing] == [
        (rec["host"], rec["port"], rec["security"])
    ]
    inbox = document["incoming_recommendation"]
    assert [(s.protocol.value, s.host, s.port) for s in config.incoming] == [
        (inbox["protocol"], inbox["host"], inbox["port"])
    ]
    mail = plistlib.loads(written["mobileconfig"][0].read_bytes())["PayloadContent"][0]
    assert (mail["IncomingMailServerHostName"], mail["IncomingMailServerPortNumber"]) == (
        inbox["host"],
        inbox["port"],
    )
    jsonschema.validate(document, SCHEMA)
    for candidate in document["candidates"]:
        assert f"{candidate['port']}</td>" in page
    assert "Encrypted, safe" in page and "Not usable" in page
    jsonschema.validate(json.loads(written["json"][0].read_text(encoding="utf-8")), SCHEMA)


def test_every_format_from_a_live_run_and_from_its_report(
    loopback: Loopback,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = _live_argv(loopback)
    live: dict[str, list[Path]] = {}
    for fmt, name in FORMATS.items():
        monkeypatch.setattr("sys.stdin", io.StringIO(CANARY_PASSWORD + "\n"))
        out = tmp_path / "live" / name
        out.parent.mkdir(exist_ok=True)
        assert _export([*argv, "--format", fmt, "-o", str(out)], loopback) == cli.EXIT_FOUND
        live[fmt] = [out] if fmt != "report" else [out, out.with_suffix(".json")]
    _check_files(live)
    out, err = capsys.readouterr()
    assert "Testing 4 ways to receive and send mail" in out  # as `check` says it
    assert "https://autoconfig.example.test/mail/config-v1.1.xml" in err
    document = json.loads(live["json"][0].read_text(encoding="utf-8"))
    sign_ins = {c["port"]: c["sign_in"] for c in document["candidates"]}
    # The password was really tried (over TLS) and the setting where it worked is the one written.
    assert sign_ins[document["recommendation"]["port"]] == "accepted"

    # The same run, exported again from its saved report: the same settings, no new test.
    saved: dict[str, list[Path]] = {}
    report = live["json"][0]
    for server in loopback.servers:
        server.stop()
    loopback.servers.clear()
    for fmt, name in FORMATS.items():
        out = tmp_path / "saved" / name
        out.parent.mkdir(exist_ok=True)
        assert (
            _export([TEST_USER, "--from-report", str(report), "--format", fmt, "-o", str(out)]) == 0
        )
        saved[fmt] = [out] if fmt != "report" else [out, out.with_suffix(".json")]
    _check_files(saved)
    assert "Testing" not in capsys.readouterr().out
    assert saved["autoconfig"][0].read_text() == live["autoconfig"][0].read_text()
    assert json.loads(saved["json"][0].read_text()) == document


def test_without_a_receiving_server_the_setup_files_say_so_and_are_not_written(
    loopback: Loopback,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Apple Mail and Thunderbird both refuse a setup file without an incoming server: each is
    declined in one line, the person is sent to the settings sheet, and that sheet is written."""
    argv = _live_argv(loopback, receiving=False)
    for fmt in ("mobileconfig", "autoconfig"):
        monkeypatch.setattr("sys.stdin", io.StringIO(CANARY_PASSWORD + "\n"))
        out = tmp_path / FORMATS[fmt]
        assert _export([*argv, "--format", fmt, "-o", str(out)], loopback) == cli.EXIT_BAD_INPUT
        assert not out.exists()
        err = capsys.readouterr().err
        assert "needs the incoming mail server too" in err and "settings sheet" in err
    monkeypatch.setattr("sys.stdin", io.StringIO(CANARY_PASSWORD + "\n"))
    sheet = tmp_path / FORMATS["pdf"]
    assert _export([*argv, "--format", "pdf", "-o", str(sheet)], loopback) == cli.EXIT_FOUND
    assert _pages(sheet)[0] == 1


def _saved_run() -> dict[str, object]:
    """A hand-made version-1 report with the provider's documented (untested) incoming server."""
    return {
        "schema_version": 2,
        "tool": {"name": "mailsetup", "version": "0.1.0"},
        "address": TEST_USER,
        "tested_at": "2026-12-02T09:30:00+00:00",
        "summary": "Use mail.example.test, port 465, SSL/TLS — encrypted from the start.",
        "found_in": None,
        "recommendation": {"host": MAIL_HOST, "port": 465, "security": "tls", "trusted": True},
        "incoming": {
            "protocol": "imap",
            "host": "imap.example.test",
            "port": 993,
            "security": "tls",
        },
        "candidates": [
            {
                "protocol": "smtp",
                "host": MAIL_HOST,
                "port": 465,
                "security": "tls",
                "verdict": "ENCRYPTED_IMPLICIT",
                "explanation": "Encrypted from the first byte (SSL/TLS).",
                "sign_in": "accepted",
                "timings_ms": {"connect": 1.0},
                "evidence": {
                    "addresses": ["127.0.0.1"],
                    "connected_to": "127.0.0.1",
                    "greeting": {"code": 220, "text": "mail.example.test ESMTP"},
                    "tls_version": "TLSv1.3",
                    "certificate": None,
                    "auth_mechanisms": ["PLAIN"],
                    "transcript": [],
                },
            }
        ],
    }


def _live_report_of_both_halves(
    loopback: Loopback, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> dict[str, object]:
    """`mailsetup check --json` of both halves against loopback servers (SMTP on 465, IMAP on
    993-style implicit TLS that takes only the local part as user name): a real v2 report."""
    ctx = loopback.pki.server_context(MAIL_HOST)
    refused_then_ok = (b"NO [AUTHENTICATIONFAILED] Invalid credentials", b"OK Logged in")
    imaps = loopback.scripted(
        imap_handler(ImapScript(tls_context=ctx, implicit_tls=True, auth_replies=refused_then_ok))
    )
    smtp = loopback.implicit_tls()
    ports = f"{smtp.port}/tls,imap:{imaps.port}/tls"
    argv = [TEST_USER, "--host", MAIL_HOST, "--ports", ports, "--timeout", "5"]
    monkeypatch.setattr("sys.stdin", io.StringIO(CANARY_PASSWORD + "\n"))
    args = cli.build_parser().parse_args(["check", *argv, "--json", "--password-stdin"])
    assert cli._check(args, loopback.settings()) == cli.EXIT_FOUND
    document = json.loads(capsys.readouterr().out)
    jsonschema.validate(document, SCHEMA)
    assert document["schema_version"] == 2
    assert document["incoming_recommendation"]["port"] == imaps.port
    assert "incoming" not in document  # the tested half, not a hand-made one
    return dict(document)


def test_from_a_report_with_an_incoming_half_every_format_works(
    loopback: Loopback,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A real report of both halves: every export carries the tested incoming server, with the
    user name that signed in there (the local part: this server refused the full address)."""
    document = _live_report_of_both_halves(loopback, monkeypatch, capsys)
    imap_port = document["incoming_recommendation"]["port"]  # type: ignore[index]
    smtp_port = document["recommendation"]["port"]  # type: ignore[index]
    local = TEST_USER.split("@")[0]
    report = tmp_path / "run.json"
    report.write_text(json.dumps(document), encoding="utf-8")
    for server in loopback.servers:  # from the report alone: nothing is tested again
        server.stop()
    loopback.servers.clear()
    written: dict[str, list[Path]] = {}
    for fmt, name in FORMATS.items():
        out = tmp_path / name
        code = _export(
            [TEST_USER, "--from-report", str(report), "--format", fmt, "-o", str(out),
             "--program", "thunderbird"]
        )  # fmt: skip
        assert code == 0, fmt
        written[fmt] = [out] if fmt != "report" else [out, out.with_suffix(".json")]
    for files in written.values():
        for path in files:
            for form in _canary_forms():
                assert form not in path.read_bytes(), f"password in {path.name}"
    mail = plistlib.loads((tmp_path / "mail.mobileconfig").read_bytes())["PayloadContent"][0]
    assert mail["IncomingMailServerHostName"] == MAIL_HOST
    assert mail["IncomingMailServerPortNumber"] == imap_port
    assert mail["IncomingMailServerUseSSL"] is True
    assert mail["IncomingMailServerUsername"] == local
    assert mail["OutgoingMailServerPortNumber"] == smtp_port
    config = parse_config((tmp_path / "config-v1.1.xml").read_bytes())
    assert [(s.protocol.value, s.host, s.port, s.security.value) for s in config.incoming] == [
        ("imap", MAIL_HOST, imap_port, "tls")
    ]
    assert [s.username for s in config.incoming] == ["%EMAILLOCALPART%"]
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert f"{imap_port}</td>" in page
    assert json.loads((tmp_path / "run.json").read_text(encoding="utf-8")) == document


def test_a_live_export_tests_the_receiving_ports_it_is_given(
    loopback: Loopback, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`export --ports imap:…` tests that server too, and the files carry what was found there:
    it used to be left out of the run, and the report said receiving was not part of the test."""
    ctx = loopback.pki.server_context(MAIL_HOST)
    imaps = loopback.scripted(imap_handler(ImapScript(tls_context=ctx, implicit_tls=True)))
    smtp = loopback.implicit_tls()
    ports = f"{smtp.port}/tls,imap:{imaps.port}/tls"
    argv = [TEST_USER, "--host", MAIL_HOST, "--ports", ports, "--timeout", "5"]
    for fmt in ("json", "mobileconfig"):
        monkeypatch.setattr("sys.stdin", io.StringIO(CANARY_PASSWORD + "\n"))
        out = tmp_path / FORMATS[fmt]
        assert _export([*argv, "--password-stdin", "--format", fmt, "-o", str(out)], loopback) == 0
    document = json.loads((tmp_path / FORMATS["json"]).read_text(encoding="utf-8"))
    assert [c["protocol"] for c in document["candidates"]] == ["smtp", "imap"]
    assert document["incoming_recommendation"]["port"] == imaps.port
    mail = plistlib.loads((tmp_path / FORMATS["mobileconfig"]).read_bytes())["PayloadContent"][0]
    assert mail["IncomingMailServerPortNumber"] == imaps.port
    assert mail["IncomingMailServerUseSSL"] is True


def test_nothing_safe_exits_1_and_still_writes_the_report(
    loopback: Loopback, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    closed = loopback.closed()
    argv = [TEST_USER, "--host", MAIL_HOST, "--ports", f"{closed.port}/starttls", "--timeout", "3"]
    report = tmp_path / "r.html"
    assert _export([*argv, "--format", "report", "-o", str(report)], loopback) == cli.EXIT_NONE_SAFE
    assert "No encrypted way to send was found" in report.read_text(encoding="utf-8")
    assert report.with_suffix(".json").is_file()
    sheet = tmp_path / "s.pdf"
    assert _export([*argv, "--format", "pdf", "-o", str(sheet)], loopback) == cli.EXIT_NONE_SAFE
    assert not sheet.exists()
    assert "No safe way to send was found" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--format", "pdf", "-o", "x.pdf"], "Please give your email address"),
        (["not an address", "--format", "pdf", "-o", "x.pdf"], ""),
        (
            ["a@example.test", "--format", "pdf", "-o", "x.pdf", "--program", "mutt"],
            "not a mail program",
        ),
        (
            ["a@example.test", "--format", "pdf", "-o", "x.pdf", "--from-report", "missing.json"],
            "does not exist",
        ),
        (
            ["a@example.test", "--format", "pdf", "-o", "x.pdf", "--sign-cert", "c.pem"],
            "both --sign-cert and --sign-key",
        ),
        (
            [
                "a@example.test",
                "--format",
                "pdf",
                "-o",
                "x.pdf",
                "--sign-cert",
                "c",
                "--sign-key",
                "k",
            ],
            "only the Apple profile",
        ),
    ],
)
def test_input_problems_are_one_line_and_exit_2(
    argv: list[str],
    message: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert _export(argv) == cli.EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert err.startswith("mailsetup: ") and err.count("\n") == 1 and message in err
    assert not (tmp_path / "x.pdf").exists()


def test_bad_report_and_unwritable_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert (
        _export(["--from-report", str(bad), "--format", "json", "-o", str(tmp_path / "o.json")])
        == 2
    )
    assert "not valid JSON (line 1" in capsys.readouterr().err
    other = tmp_path / "other.json"
    other.write_text('{"hello": 1}', encoding="utf-8")
    assert (
        _export(["--from-report", str(other), "--format", "json", "-o", str(tmp_path / "o.json")])
        == 2
    )
    assert "is not a report saved by" in capsys.readouterr().err
    odd = tmp_path / "odd.json"
    odd.write_text(json.dumps({"schema_version": 2, "address": "<b>no-at-sign", "candidates": []}))
    assert (
        _export(["--from-report", str(odd), "--format", "json", "-o", str(tmp_path / "o.json")])
        == 2
    )
    assert "the address in the report" in capsys.readouterr().err
    good = tmp_path / "good.json"
    good.write_text(
        json.dumps(
            {
                "schema_version": 2,
                "address": TEST_USER,
                "candidates": [],
                "recommendation": None,
                "summary": "",
            }
        ),
        encoding="utf-8",
    )
    assert (
        _export(
            [
                "bob@example.test",
                "--from-report",
                str(good),
                "--format",
                "json",
                "-o",
                str(tmp_path / "o.json"),
            ]
        )
        == 2
    )
    assert "the report is for alice@example.test" in capsys.readouterr().err
    existing = tmp_path / "keep.json"
    existing.write_text("earlier", encoding="utf-8")
    existing.parent.chmod(0o500)
    try:
        code = _export(["--from-report", str(good), "--format", "json", "-o", str(existing)])
    finally:
        existing.parent.chmod(0o700)
    if code == 1:  # root ignores the folder's permissions: the file was simply written
        assert json.loads(existing.read_text())["address"] == TEST_USER
    else:
        assert code == 2 and existing.read_text() == "earlier"
        assert "could not write" in capsys.readouterr().err
    missing_folder = tmp_path / "no" / "such" / "o.json"
    assert _export(["--from-report", str(good), "--format", "json", "-o", str(missing_folder)]) == 2
    assert "that folder does not exist" in capsys.readouterr().err


def test_main_dispatches_export(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text(
        json.dumps(
            {
                "schema_version": 2,
                "address": TEST_USER,
                "candidates": [],
                "recommendation": None,
                "summary": "",
            }
        ),
        encoding="utf-8",
    )
    assert (
        cli.main(
            [
                "export",
                "--from-report",
                str(good),
                "--format",
                "json",
                "-o",
                str(tmp_path / "o.json"),
            ]
        )
        == 1
    )
    assert (tmp_path / "o.json").is_file()


def test_the_pdf_is_written_by_a_real_process_without_a_display(tmp_path: Path) -> None:
    """`mailsetup export --format pdf` makes its own window-less Qt application."""
    import os
    import subprocess
    import sys

    report = tmp_path / "run.json"
    report.write_text(json.dumps(_saved_run()), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    env["PYTHONPATH"] = str(Path(__file__).parents[2])
    sheet = tmp_path / "sheet.pdf"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "assistant.cli",
            "export",
            "--from-report",
            str(report),
            "--format",
            "pdf",
            "-o",
            str(sheet),
            "--program",
            "outlook-new",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip() == f"Saved {sheet}"
    assert _pages(sheet)[0] == 1


def test_an_unvouched_recommendation_from_a_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = _saved_run()
    document["recommendation"]["trusted"] = False  # type: ignore[index]
    document["candidates"][0]["trusted"] = False  # type: ignore[index]
    document["candidates"][0]["name_source"] = "certificate"  # type: ignore[index]
    report = tmp_path / "run.json"
    report.write_text(json.dumps(document), encoding="utf-8")
    out = tmp_path / "config-v1.1.xml"
    assert _export(["--from-report", str(report), "--format", "autoconfig", "-o", str(out)]) == 2
    assert not out.exists()
    assert "--trust-host mail.example.test" in capsys.readouterr().err
    page = tmp_path / "r.html"
    assert _export(["--from-report", str(report), "--format", "report", "-o", str(page)]) == 0
    text = page.read_text(encoding="utf-8")
    assert "the name on another server" in text and "no: tested without the password" in text


def test_export_plans_both_halves_as_check_does(tmp_path: Path) -> None:
    """With no --ports, `export` tests what `check` tests, receiving included, so its files carry
    the receiving server found on this computer and not only the provider's documented one."""
    common = [TEST_USER, "--host", MAIL_HOST]
    check = cli.plan_for(cli.build_parser().parse_args(["check", *common]))
    export = cli.plan_for(
        cli.build_parser().parse_args(
            ["export", *common, "--format", "json", "-o", str(tmp_path / "run.json")]
        )
    )
    assert not isinstance(check, int) and not isinstance(export, int)
    assert export.candidates == check.candidates
    assert {c.protocol.value for c in export.candidates} == {"smtp", "imap", "pop3"}
