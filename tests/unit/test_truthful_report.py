"""Truthful reporting: the JSON says the mode actually used, and auto-detection leaves time.

Before: an auto-mode port spent its whole time budget on detection, and its JSON recommendation
said `"security": "auto"` while the text said SSL/TLS.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import jsonschema
import pytest

from assistant import cli
from assistant.core.models import Candidate, Security, Verdict
from assistant.core.probe import AUTO_DETECT_SHARE, probe
from tests.servers import Loopback

SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "check-report.schema.json").read_text())
TIMEOUT = 3.0


def test_auto_port_reports_the_mode_it_used_and_keeps_most_of_its_time(
    loopback: Loopback, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--ports 2526` (an unusual port, detected) on an implicit-TLS server, `--timeout 3`."""
    implicit = loopback.implicit_tls()
    argv = ["check", "alice@example.test", "--host", "mail.example.test"]
    argv += ["--ports", str(implicit.port), "--timeout", str(TIMEOUT), "--json"]
    start = time.monotonic()
    code = cli._check(cli.build_parser().parse_args(argv), loopback.settings())
    elapsed = time.monotonic() - start
    document = json.loads(capsys.readouterr().out)
    jsonschema.validate(document, SCHEMA)
    assert code == 0
    (candidate,) = document["candidates"]
    assert candidate["security"] == "auto"  # what was asked for
    assert candidate["security_used"] == "tls"  # what it turned out to be
    assert candidate["verdict"] == "ENCRYPTED_IMPLICIT"
    assert document["recommendation"]["security"] == "tls"
    assert "SSL/TLS" in document["summary"]
    assert candidate["timings_ms"]["greeting"] <= AUTO_DETECT_SHARE * TIMEOUT * 1000 + 200
    assert elapsed < TIMEOUT


def test_detection_never_takes_most_of_a_short_budget(loopback: Loopback) -> None:
    implicit = loopback.implicit_tls()
    settings = loopback.settings(timeout=TIMEOUT)
    settings.auto_greeting_wait = 60.0  # even when asked to wait long, the share caps it
    result = probe(Candidate("mail.example.test", implicit.port, Security.AUTO), settings)
    assert result.verdict is Verdict.ENCRYPTED_IMPLICIT, result
    assert result.timings_ms["greeting"] <= AUTO_DETECT_SHARE * TIMEOUT * 1000 + 200


def test_candidate_documents_say_where_names_came_from_and_their_trust(
    loopback: Loopback, capsys: pytest.CaptureFixture[str]
) -> None:
    loopback.map_name("mail.customer.test")
    loopback.map_name("evil.attacker.test")
    server = loopback.smtp_script(tls_context=loopback.pki.server_context("evil.attacker.test"))
    argv = ["check", "alice@customer.test", "--host", "mail.customer.test"]
    argv += ["--ports", f"{server.port}/starttls", "--json"]
    cli._check(cli.build_parser().parse_args(argv), loopback.settings())
    document = json.loads(capsys.readouterr().out)
    jsonschema.validate(document, SCHEMA)
    rows = [(c["host"], c["name_source"], c["trusted"]) for c in document["candidates"]]
    assert rows == [
        ("mail.customer.test", "typed", True),
        ("evil.attacker.test", "certificate", False),
    ]
    assert document["recommendation"]["trusted"] is False
    assert "first make sure evil.attacker.test belongs to your provider" in document["summary"]
