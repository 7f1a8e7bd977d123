"""From the address to the settings page with both halves tested in one run, against loopback
servers: aiosmtpd for sending, the scripted IMAP and POP3 servers for receiving, all with
certificates from the test CA. The settings end complete and verified for Outlook (classic) and
Thunderbird, receiving then sending, with exactly the values the servers accepted."""

from __future__ import annotations

import base64

from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from assistant.core.models import AuthOutcome, Protocol, Security
from assistant.core.ports import PortSpec
from assistant.gui.state import PageId
from assistant.gui.wizard import MailSetupWizard
from assistant.marks import strip_marks
from tests.gui.conftest import ADDRESS, MakeWizard, go_to_testing, wait_for_run
from tests.servers import Loopback, Server
from tests.servers.farm import CANARY_PASSWORD, MAIL_HOST
from tests.servers.scripted_incoming import ImapScript, Pop3Script, imap_handler, pop3_handler

LOCAL = ADDRESS.split("@")[0]


def _servers(loopback: Loopback) -> tuple[Server, Server, Server]:
    """IMAP on implicit TLS that takes only the local part as user name (it refuses the full
    address first), POP3 with STLS, and SMTP on implicit TLS that takes the full address."""
    ctx = loopback.pki.server_context(MAIL_HOST)
    imaps = loopback.scripted(
        imap_handler(
            ImapScript(
                tls_context=ctx,
                implicit_tls=True,
                auth_replies=(b"NO [AUTHENTICATIONFAILED] Invalid credentials", b"OK Logged in"),
            )
        ),
        Security.IMPLICIT_TLS,
    )
    pop3 = loopback.scripted(pop3_handler(Pop3Script(tls_context=ctx)))
    smtp = loopback.implicit_tls()
    return imaps, pop3, smtp


def _wizard(loopback: Loopback, make_wizard: MakeWizard) -> tuple[MailSetupWizard, Server, Server]:
    imaps, pop3, smtp = _servers(loopback)
    ports = [
        PortSpec(smtp.port, Security.IMPLICIT_TLS),
        PortSpec(imaps.port, Security.IMPLICIT_TLS, Protocol.IMAP),
        PortSpec(pop3.port, Security.STARTTLS, Protocol.POP3),
    ]
    return make_wizard([], ports=ports), imaps, smtp


def test_address_to_settings_with_both_halves_for_outlook_and_thunderbird(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    wizard, imaps, smtp = _wizard(loopback, make_wizard)
    go_to_testing(qtbot, wizard, password=CANARY_PASSWORD)
    testing = wizard.testing
    assert testing.group_titles() == ["Receiving (IMAP or POP3)", "Sending (SMTP)"]
    assert "Testing 3 ways to receive and send mail" in testing.summary.text()
    wait_for_run(qtbot, wizard)
    assert testing.candidates_shown(incoming=True) == [
        (MAIL_HOST, f"IMAP {imaps.port} (SSL/TLS)"),
        (MAIL_HOST, f"POP3 {loopback.servers[1].port} (STARTTLS)"),
    ]
    assert testing.candidates_shown(incoming=False) == [(MAIL_HOST, f"{smtp.port} (SSL/TLS)")]
    assert testing.summary.text() == (
        "Done: safe ways to receive and to send mail were found. Press Next to see them."
    )

    # Both halves were really signed in to, over verified TLS only.
    incoming = wizard.state.incoming
    assert incoming is not None and incoming.recommendation is not None
    assert incoming.recommendation.candidate.port == imaps.port
    assert incoming.recommendation.auth is AuthOutcome.ACCEPTED
    assert incoming.username == LOCAL  # the name the server took, not the one it refused
    assert wizard.state.recommendation is not None
    assert wizard.state.recommendation.auth is AuthOutcome.ACCEPTED
    received = imaps.scripted.received if imaps.scripted is not None else None
    assert received is not None
    plain = base64.b64encode(f"\0{LOCAL}\0{CANARY_PASSWORD}".encode())
    assert plain in bytes(received.tls) and CANARY_PASSWORD.encode() not in bytes(received.plain)

    wizard.next()
    assert wizard.page_id() is PageId.RESULTS
    results = wizard.results
    assert results.incoming_recommendation.text() == (
        f"Receive with IMAP: use {MAIL_HOST}, port {imaps.port}, SSL/TLS — encrypted from the start."
    )
    assert results.recommendation.text() == (
        f"Use {MAIL_HOST}, port {smtp.port}, SSL/TLS — encrypted from the start."
    )
    assert results.incoming_note.plain_text() == (
        "IMAP keeps your mail on the server, in step on every device; "
        "POP3 downloads it to this computer."
    )
    story = results.password_box.accessibleName()
    assert story.count("Your password was accepted") == 2, story  # receiving's, then sending's
    assert len(results.port_texts) == 3

    wizard.next()
    assert wizard.page_id() is PageId.SETTINGS
    page = wizard.settings
    page.select_program("outlook-classic")
    assert page.incoming_section.text().startswith("On the “IMAP Account Settings”")
    assert page.receiving_values() == {
        "Account type": "IMAP",
        "Server": MAIL_HOST,
        "Port": str(imaps.port),
        "Encryption method": "SSL/TLS",
        "Require logon using Secure Password Authentication (SPA)": "Leave it unticked",
        "User Name": LOCAL,
    }
    assert page.values() == {
        "Server": MAIL_HOST,
        "Port": str(smtp.port),
        "Encryption method": "SSL/TLS",
        "Require logon using Secure Password Authentication (SPA)": "Leave it unticked",
    }
    # Each value has its Copy button; copying puts exactly that value on the clipboard.
    assert set(page.incoming_edits) == {"Server", "Port", "User Name"}
    copy_user = [b for b in page.copy_buttons if b.accessibleName() == "Copy User Name (receiving)"]
    assert len(copy_user) == 1
    copy_user[0].click()
    assert QGuiApplication.clipboard().text() == LOCAL
    text = page.sheet_text()
    assert text.index("under Incoming mail") < text.index("under Outgoing mail")
    assert f"  Port: {imaps.port}\n" in text and f"  Port: {smtp.port}\n" in text
    assert "only tests sending" not in text and CANARY_PASSWORD not in text

    page.select_program("thunderbird")
    assert page.incoming_section.text() == "Incoming server"
    assert page.section.text() == "Outgoing server"
    assert page.receiving_values() == {
        "Protocol": "IMAP",
        "Hostname": MAIL_HOST,
        "Port": str(imaps.port),
        "Connection security": "SSL/TLS",
        "Authentication method": "Normal password",
        "Username": LOCAL,
    }
    assert page.values() == {
        "Hostname": MAIL_HOST,
        "Port": str(smtp.port),
        "Connection security": "SSL/TLS",
        "Authentication method": "Normal password",
        "Username": ADDRESS,
    }

    # The files carry the tested receiving half, with the user name that signed in there.
    account = page.account()
    assert account.incoming is not None and account.incoming.tested
    assert (account.incoming.protocol, account.incoming.port, account.incoming.username) == (
        Protocol.IMAP,
        imaps.port,
        LOCAL,
    )
    assert account.outgoing is not None and account.outgoing.port == smtp.port
    document = page.report_document()
    assert document["incoming_recommendation"]["port"] == imaps.port
    assert "incoming" not in document


def test_settings_without_a_receiving_server_say_what_is_missing(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    """Sending works and no receiving port answered: the settings page showed the sending half
    alone, as if it were the whole account. It says that there is nothing to type for receiving
    yet and what to ask for, and "Copy all" starts with the receiving half's headline."""
    from assistant.core.explanation import sentence

    smtp, closed = loopback.implicit_tls(), loopback.closed()
    ports = [
        PortSpec(smtp.port, Security.IMPLICIT_TLS),
        PortSpec(closed.port, Security.IMPLICIT_TLS, Protocol.IMAP),
    ]
    wizard = make_wizard([], ports=ports)
    go_to_testing(qtbot, wizard)
    wait_for_run(qtbot, wizard)
    wizard.next()
    assert wizard.results.incoming_recommendation.text() == "No safe way to receive mail was found."
    wizard.next()
    assert wizard.page_id() is PageId.SETTINGS
    page = wizard.settings
    for program in ("thunderbird", "outlook-classic"):
        page.select_program(program)
        assert page.incoming_section.isVisible()
        assert page.incoming_section.text() == "Receiving mail"
        assert page.incoming_missing.isVisible()
        assert page.incoming_missing.plain_text() == strip_marks(sentence("no_incoming_to_type"))
        assert page.receiving_values() == {}
        assert page.values()["Port"] == str(smtp.port)
    copied = page.sheet_text()
    assert copied.startswith("No safe way to receive mail was found.\n")


def test_settings_when_receiving_was_not_tested_say_so_instead_of_a_gap(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    """An IT profile (or --ports) that names sending servers only: receiving is not tested and the
    provider documents no server. The page left an empty space where the receiving half goes,
    under steps that say to fill it in. It now says receiving was not part of the test and what
    to ask for, and "Copy all" and the sheet say the same."""
    from assistant.core.explanation import sentence

    wizard = make_wizard([loopback.implicit_tls()])
    go_to_testing(qtbot, wizard)
    wait_for_run(qtbot, wizard)
    assert wizard.state.incoming is None
    wizard.next()
    wizard.next()
    page = wizard.settings
    missing = strip_marks(sentence("incoming_not_tested"))
    for program in ("thunderbird", "outlook-classic"):
        page.select_program(program)
        assert page.incoming_section.isVisible()
        assert page.incoming_section.text() == "Receiving mail"
        assert page.incoming_missing.isVisible()
        assert page.incoming_missing.plain_text() == missing
        assert 'href="glossary:incoming-server"' in page.incoming_missing.text()
        assert page.receiving_values() == {}
    assert page.sheet_text().startswith(missing + "\n")
    assert missing in page.sheet_html()
