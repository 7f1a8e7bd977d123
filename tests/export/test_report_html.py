"""The readable IT report: every candidate, escaped server text, no secrets, renders in Chromium."""

from __future__ import annotations

import html
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

from assistant.export.account import NEUTRAL_NAME
from assistant.export.report_html import questions, report_html
from tests.export.accounts import HOSTILE, account
from tests.export.debian_tools import tool
from tests.servers import Loopback
from tests.servers.farm import CANARY_PASSWORD

SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_report_has_every_candidate_and_what_to_ask() -> None:
    model = account()
    text = report_html(model)
    parser = _Tags()
    parser.feed(text)
    shown = " ".join(" ".join(parser.text).split())
    for port in model.ports:
        assert f"{port.host}" in shown and f" {port.port} " in f" {shown} "
    assert shown.count("Encrypted, safe") == 2
    assert "Works, NOT encrypted" in shown and shown.count("Not usable") == 2
    assert f"introduced itself as {NEUTRAL_NAME}" in shown
    assert "2026-12-02 09:30 UTC" in shown
    assert "Example Ltd" in shown and "help@example.test" in shown
    assert "Settings for Example found in the list of providers" in shown
    assert "Trusted with the password" in shown
    lead = "Receive with IMAP: use imap.example.test, port 993, SSL/TLS"
    assert shown.index(lead) < shown.index("Send with SMTP: use mail.example.test, port 465")
    asked = questions(model)
    assert any("expired on 2026-11-28" in q for q in asked)
    assert any("only without encryption" in q for q in asked)
    for question in asked:
        assert question in shown


def test_server_text_is_escaped_and_nothing_runs() -> None:
    text = report_html(account())
    parser = _Tags()
    parser.feed(text)
    assert "script" not in parser.tags and "img" not in parser.tags
    assert HOSTILE in "".join(parser.text)  # shown, as text
    assert html.escape(HOSTILE) in text
    assert "http://" not in text and "https://" not in text  # nothing fetched from anywhere


def test_nothing_found_says_so() -> None:
    text = report_html(account(outgoing=None, incoming=None, ports=()))
    assert "No setting can be recommended" in text
    assert "No encrypted way to send was found" in text


def test_report_renders_in_headless_chromium(tmp_path: Path) -> None:
    chromium = tool("chromium", "chromium")
    page = tmp_path / "report.html"
    page.write_text(report_html(account()), encoding="utf-8")
    assert CANARY_PASSWORD not in page.read_text(encoding="utf-8")
    shot = tmp_path / "report.png"
    proc = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--hide-scrollbars",
            "--window-size=1100,1800",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    if os.environ.get("MAILSETUP_UPDATE_SCREENSHOTS"):
        shutil.copy(shot, SCREENSHOTS / "export-it-report.png")


def test_the_spanish_report_asks_and_explains_in_spanish() -> None:
    """The questions for the provider and where each name came from are the report's own
    sentences (resources/explanations.json), so they are in the catalogue and in the language."""
    from assistant import i18n

    i18n.set_language("es")
    model = account()
    asked = questions(model)
    parser = _Tags()
    parser.feed(report_html(model))
    shown = " ".join(" ".join(parser.text).split())
    assert any("caducó el 2026-11-28" in q for q in asked)
    assert any("solo funciona sin cifrado" in q for q in asked)
    for question in asked:
        assert question in shown
    assert "la lista de proveedores incluida en este programa" in shown
    for english in (
        "expired on",
        "only without encryption",
        "Nothing:",
        "Settings to use",
        "Where the settings came from",
        "Every port tested",
        "What to ask your provider",
        "No password is in this report",
        "Encrypted, safe",
        "Not usable",
    ):
        assert english not in shown, english
    assert "De dónde salió la configuración" in shown and "Cada puerto probado" in shown


def test_the_engines_own_words_about_a_failure_are_in_the_readers_language(
    loopback: Loopback,
) -> None:
    """What went wrong on a port is kept with its values apart, so a Spanish report says it in
    Spanish, in the evidence and in the question for the provider (it said "no complete answer
    within 1.5 s (tls)" in the middle of a Spanish sentence)."""
    from assistant import i18n
    from assistant.core.models import Security
    from assistant.core.probe import probe
    from assistant.core.report import run_document
    from assistant.export.account import account_from_document
    from tests.servers import scripted as s

    server = loopback.scripted(
        s.drip(b"\x16\x03\x03\x00\x10" + b"\x00" * 16, 0.5), Security.IMPLICIT_TLS
    )
    result = probe(server.candidate(), loopback.settings(timeout=1.5))
    i18n.set_language("es")  # tests/conftest.py puts English back after each test
    document = run_document("bob@example.test", [result], None, timeout=1.5)
    assert document["candidates"][0]["evidence"]["error"] == (
        "sin una respuesta completa en 1.5 s (tls)"
    )
    model = account_from_document(document)
    asked = questions(model)
    assert any(
        "(sin una respuesta completa en 1.5 s (tls))" in q
        and q.startswith("No se pudo establecer el cifrado")
        for q in asked
    ), asked
    parser = _Tags()
    parser.feed(report_html(model))
    shown = " ".join(" ".join(parser.text).split())
    assert "Error sin una respuesta completa en 1.5 s (tls)" in shown
    assert "no complete answer" not in shown


def test_a_connection_the_server_closed_is_said_in_the_readers_language(
    loopback: Loopback,
) -> None:
    """The wire's own words ("connection closed") are a sentence of ours, kept until shown. (A
    closed connection, not a reset one: a reset can reach this computer before the connection is
    seen to be made, and then the system's own word for it is what is shown.)"""
    import socket

    from assistant import i18n
    from assistant.core.models import Detail
    from assistant.core.probe import probe
    from assistant.core.report import run_document
    from assistant.export.account import account_from_document
    from tests.servers import scripted as s

    def half_a_greeting(conn: socket.socket, server: s.ScriptedServer) -> None:
        conn.sendall(b"220-mail.example.test\r\n")
        conn.close()

    server = loopback.scripted(half_a_greeting)
    result = probe(server.candidate(), loopback.settings(timeout=2))
    assert result.detail is Detail.CLOSED_EARLY
    assert str(result.evidence.error) == "connection closed"
    i18n.set_language("es")  # tests/conftest.py puts English back after each test
    model = account_from_document(run_document("bob@example.test", [result], None, timeout=2))
    parser = _Tags()
    parser.feed(report_html(model))
    shown = " ".join(" ".join(parser.text).split())
    assert "Error conexión cerrada" in shown
    assert "connection closed" not in shown


def test_an_imap_greeting_is_shown_as_the_server_said_it(loopback: Loopback) -> None:
    """IMAP has no reply codes: the report showed "0 [CAPABILITY …] ready" for "* OK …"."""
    from assistant.core.models import Protocol
    from assistant.core.probe import probe
    from assistant.core.report import run_document
    from assistant.export.account import account_from_document
    from tests.servers import scripted as s

    server = loopback.scripted(s.send_then_wait(b"* OK [CAPABILITY IMAP4rev1] ready\r\n"))
    result = probe(server.candidate(protocol=Protocol.IMAP), loopback.settings(timeout=1))
    model = account_from_document(run_document("bob@example.test", [result], None, timeout=1))
    parser = _Tags()
    parser.feed(report_html(model))
    shown = " ".join(" ".join(parser.text).split())
    assert "Greeting OK [CAPABILITY IMAP4rev1] ready" in shown


def test_a_receiving_half_tested_without_success_is_not_called_untested_or_fine(
    loopback: Loopback,
) -> None:
    """Sending works, and the only incoming server refused its ports: the report said "The
    incoming (receiving) server was not part of this test." and, under what to ask the provider,
    "Nothing: the recommended settings were tested and work." Both were untrue."""
    from assistant.core.models import Protocol, Security
    from assistant.core.probe import probe
    from assistant.core.ranking import rank
    from assistant.core.report import run_document
    from assistant.export.account import account_from_document

    smtp, closed = loopback.implicit_tls(), loopback.closed()
    sending = probe(smtp.candidate(), loopback.settings(timeout=2))
    receiving = probe(
        closed.candidate(Security.IMPLICIT_TLS, protocol=Protocol.IMAP),
        loopback.settings(timeout=2),
    )
    results = [receiving, sending]
    document = run_document("bob@example.test", results, rank(results), timeout=2)
    model = account_from_document(document)
    assert model.outgoing is not None and model.incoming is None
    parser = _Tags()
    parser.feed(report_html(model))
    shown = " ".join(" ".join(parser.text).split())
    assert "No encrypted way to receive mail was found." in shown
    assert "was not part of this test" not in shown
    asked = questions(model)
    assert asked[0].startswith("No encrypted way to receive mail was found. Which incoming")
    assert not any(q.startswith("Nothing:") for q in asked)
    # A run of the sending half alone still says the receiving half was not tested.
    alone = account_from_document(run_document("bob@example.test", [sending], sending, 2))
    assert "was not part of this test" in report_html(alone)
    assert questions(alone) == ["Nothing: the recommended settings were tested and work."]
