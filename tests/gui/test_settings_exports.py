"""The Settings page's exports: the sheet, the Thunderbird file, the Apple profile and the IT report
are written through assistant/export after a real loopback run; failures are friendly; no password."""

from __future__ import annotations

import json
import os
import plistlib
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from assistant.core.models import Protocol, Security
from assistant.core.ports import PortSpec
from assistant.discovery.autoconfig_xml import parse_config
from assistant.gui.state import PageId
from tests.export.test_pdf_sheet import _pages, _ten_point_box, _words
from tests.gui.conftest import MakeWizard, go_to_testing, wait_for_run
from tests.servers import Loopback
from tests.servers.farm import CANARY_PASSWORD, MAIL_HOST
from tests.servers.scripted_incoming import ImapScript, imap_handler

SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots"


def test_every_export_from_the_settings_page(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard, tmp_path: Path
) -> None:
    starttls, closed = loopback.starttls(), loopback.closed()
    ctx = loopback.pki.server_context(MAIL_HOST)
    imaps = loopback.scripted(imap_handler(ImapScript(tls_context=ctx, implicit_tls=True)))
    ports = [
        PortSpec(starttls.port, Security.STARTTLS),
        PortSpec(closed.port, Security.STARTTLS),
        PortSpec(imaps.port, Security.IMPLICIT_TLS, Protocol.IMAP),
    ]
    wizard = make_wizard([], ports=ports)
    go_to_testing(qtbot, wizard, password=CANARY_PASSWORD)
    wait_for_run(qtbot, wizard)
    wizard.next()
    wizard.next()
    page = wizard.settings
    assert wizard.page_id() is PageId.SETTINGS
    page.select_program("thunderbird")
    # The buttons sit above the settings, where they are seen.
    assert page.report_button.isVisible()
    assert page.report_button.mapTo(page, page.report_button.rect().topLeft()).y() < (
        page.fields_box.mapTo(page, page.fields_box.rect().topLeft()).y()
    )
    shown_before = page.values()

    sheet = tmp_path / "sheet.pdf"
    assert page.write_pdf(sheet)
    assert _pages(sheet)[0] == 1
    words = _words(sheet)
    assert min(h for h, _ in words) >= _ten_point_box(tmp_path) * 0.999
    text = " ".join(w for _, w in words)
    assert MAIL_HOST in text and str(starttls.port) in text and "STARTTLS" in text

    config_file = tmp_path / "config-v1.1.xml"
    assert page.save_thunderbird_file(config_file)
    config = parse_config(config_file.read_bytes())
    assert [(s.host, s.port, s.security.value) for s in config.outgoing] == [
        (MAIL_HOST, starttls.port, "starttls")
    ]
    assert [(s.protocol.value, s.host, s.port) for s in config.incoming] == [
        ("imap", MAIL_HOST, imaps.port)
    ]
    assert "https://autoconfig.example.test/mail/config-v1.1.xml" in page.feedback.text()
    assert "isp folder" in page.feedback.text()

    report = tmp_path / "report.html"
    assert page.save_it_report(report)
    document = json.loads(report.with_suffix(".json").read_text(encoding="utf-8"))
    html_text = report.read_text(encoding="utf-8")
    for candidate in document["candidates"]:
        assert f"{candidate['port']}</td>" in html_text
    assert "accepted" in html_text  # the sign-in result, never the password

    apple = tmp_path / "mail.mobileconfig"
    assert page.save_apple_profile(apple), page.feedback.text()
    mail = plistlib.loads(apple.read_bytes())["PayloadContent"][0]
    assert (mail["IncomingMailServerHostName"], mail["IncomingMailServerPortNumber"]) == (
        MAIL_HOST,
        imaps.port,
    )

    # A folder that does not exist: a friendly sentence, and nothing on the page is lost.
    assert not page.save_thunderbird_file(tmp_path / "no such folder" / "config.xml")
    assert "could not be saved (that folder does not exist)" in page.feedback.text()
    assert "Nothing was lost" in page.feedback.text()
    assert page.values() == shown_before

    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert CANARY_PASSWORD.encode() not in path.read_bytes(), path.name
    if os.environ.get("MAILSETUP_UPDATE_SCREENSHOTS"):
        page.save_thunderbird_file(config_file)  # the feedback line as a person sees it
        QApplication.sendPostedEvents()  # let the layouts take the new text in before the picture
        QApplication.processEvents()
        wizard.grab().save(str(SCREENSHOTS / "06-settings-exports.png"))


def test_a_setup_file_that_cannot_be_made_is_declined_on_the_click_before_any_dialog(
    qtbot: QtBot,
    loopback: Loopback,
    make_wizard: MakeWizard,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Nothing is known about receiving: Apple Mail and Thunderbird cannot use a setup file
    without it. The button says so at once, instead of asking for a folder first and refusing
    after; a file that can be made (the IT report) still opens the Save dialog and is written."""
    asked: list[str] = []

    def save_dialog(parent: object, title: str, name: str, kinds: str) -> Path:
        asked.append(title)
        return tmp_path / name

    monkeypatch.setattr("assistant.gui.pages.settings.ask_save_path", save_dialog)
    wizard = make_wizard([loopback.implicit_tls()])
    go_to_testing(qtbot, wizard, password=CANARY_PASSWORD)
    wait_for_run(qtbot, wizard)
    wizard.next()
    wizard.next()
    page = wizard.settings
    for button in (page.apple_button, page.thunderbird_button):
        assert button.isEnabled()
        page.feedback.setText("")
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert asked == []
        assert "needs the incoming mail server too" in page.feedback.text()
        assert "settings sheet" in page.feedback.text()
    assert not list(tmp_path.iterdir())
    qtbot.mouseClick(page.report_button, Qt.MouseButton.LeftButton)
    assert asked == ["Save a report for IT"]
    assert (tmp_path / "Mail test report.html").is_file()


def test_a_known_provider_gives_the_apple_profile_both_halves(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard, tmp_path: Path
) -> None:
    """Offline discovery knows Gmail's receiving server; it goes into the exports marked untested,
    with the company and support contact of the IT profile. The page shows it too, marked the
    same way (it used to show nothing there while the files carried it)."""
    from assistant.core.explanation import sentence
    from tests.gui.test_discovery_and_profile import _profile

    loopback.map_name("smtp.gmail.com")
    server = loopback.implicit_tls(name="smtp.gmail.com")
    profile = _profile(tmp_path, company="Smile Dental", support={"email": "it@smile.example"})
    wizard = make_wizard([server], hosts=[], profile_path=profile)
    wizard.next()
    with qtbot.waitSignal(wizard.discovery.finished, timeout=5_000):
        qtbot.keyClicks(wizard.address.address, "someone@gmail.com")
    wizard.next()
    wizard.next()
    wait_for_run(qtbot, wizard)
    assert wizard.state.recommendation is not None and wizard.state.incoming is None
    wizard.next()
    wizard.next()
    page = wizard.settings
    page.select_program("thunderbird")
    assert page.incoming_section.text() == "Incoming server"
    assert not page.incoming_missing.isVisible()
    shown = page.receiving_values()
    assert (shown["Hostname"], shown["Port"], shown["Connection security"]) == (
        "imap.gmail.com",
        "993",
        "SSL/TLS",
    )
    untested = sentence("documented_not_tested")
    assert untested in [label.text() for label in page.incoming_box.findChildren(QLabel)]
    lines = page.sheet_text().splitlines()  # Copy all: the note under the receiving half, too
    note = lines.index(untested)
    assert "  Hostname: imap.gmail.com" in lines[:note]
    assert "  Hostname: smtp.gmail.com" in lines[note:]
    apple = tmp_path / "gmail.mobileconfig"
    assert page.save_apple_profile(apple), page.feedback.text()
    assert "Unverified" in page.feedback.text()
    mail = plistlib.loads(apple.read_bytes())["PayloadContent"][0]
    assert (mail["IncomingMailServerHostName"], mail["IncomingMailServerPortNumber"]) == (
        "imap.gmail.com",
        993,
    )
    assert (mail["OutgoingMailServerHostName"], mail["OutgoingMailServerPortNumber"]) == (
        "smtp.gmail.com",
        server.port,
    )
    # Outlook adds a Gmail account by Google's own sign-in, with no server fields (issue 14) …
    page.select_program("outlook-classic")
    assert "imap.gmail.com" not in page.sheet_html()
    assert "Do not type any server settings" in page.sheet_html()
    # … Thunderbird is set up with them.
    page.select_program("thunderbird")
    sheet = page.sheet_html()
    assert "imap.gmail.com" in sheet and "not tested on this computer" in sheet
    assert "OAuth2" in sheet
    assert "Smile Dental" in sheet and "it@smile.example" in sheet
    report = tmp_path / "r.html"
    assert page.save_it_report(report)
    text = report.read_text(encoding="utf-8")
    assert "found in the list of providers built into this program" in text
    assert "from the provider, not tested here" in text
