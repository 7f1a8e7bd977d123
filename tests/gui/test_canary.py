"""A canary password through whole runs of the window — accepted and refused — with every output
used: technical details open, every row expanded, Copy and Copy all for every mail program, a PDF per
program, a picture of every page, the test message, Remember + Finish. Then every place the password
could leak to is searched: files written, the clipboard, log records, stdout/stderr, every widget's
text, tooltip and accessible name on every page, exception text and the objects' reprs."""

from __future__ import annotations

import base64
import contextlib
import logging
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)
from pytestqt.qtbot import QtBot

from assistant.core.models import Protocol, Security
from assistant.core.ports import PortSpec
from assistant.credentials import SERVICE_NAME
from assistant.gui.state import PageId
from assistant.gui.wizard import MailSetupWizard
from tests.gui.conftest import ADDRESS, MakeWizard, wait_for_run
from tests.keyrings import InMemoryKeyring
from tests.servers import Loopback
from tests.servers.farm import CANARY_PASSWORD, MAIL_HOST, password_authenticator
from tests.servers.scripted_incoming import ImapScript, imap_handler

REFUSAL = "535 5.7.8 Username and Password not accepted."


def leak_forms(password: str) -> list[str]:
    """The password as it could appear: as typed, and as AUTH PLAIN / LOGIN put it on the wire."""
    forms = [password, password.lower()]
    for user in (ADDRESS, ADDRESS.split("@")[0]):
        forms.append(base64.b64encode(f"\0{user}\0{password}".encode()).decode())
    forms.append(base64.b64encode(password.encode()).decode())
    return forms


def _item_texts(item: QTreeWidgetItem, columns: int) -> Iterator[str]:
    for col in range(columns):
        yield item.text(col)
        yield item.toolTip(col)
    for i in range(item.childCount()):
        child = item.child(i)
        if child is not None:
            yield from _item_texts(child, columns)


def widget_texts(wizard: MailSetupWizard) -> list[str]:
    """Everything the window shows or tells assistive technology, on every page (shown or not)."""
    texts: list[str] = [wizard.windowTitle()]
    for widget in [wizard, *wizard.findChildren(QWidget)]:
        texts += [
            widget.toolTip(),
            widget.accessibleName(),
            widget.accessibleDescription(),
            widget.whatsThis(),
            widget.statusTip(),
            widget.windowTitle(),
        ]
        if isinstance(widget, QLineEdit):
            texts.append(widget.displayText())  # a password field shows dots, which is the point
            if widget.echoMode() is QLineEdit.EchoMode.Normal:
                texts.append(widget.text())
            continue
        if isinstance(widget, QPlainTextEdit):
            texts.append(widget.toPlainText())
        elif isinstance(widget, QTreeWidget):
            for i in range(widget.topLevelItemCount()):
                item = widget.topLevelItem(i)
                if item is not None:
                    texts += list(_item_texts(item, widget.columnCount()))
        elif isinstance(widget, QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
        text = getattr(widget, "text", None)
        if callable(text):
            with contextlib.suppress(TypeError):
                texts.append(str(text()))
    return texts


class Collected:
    def __init__(self) -> None:
        self.texts: list[str] = []
        self.exceptions: list[str] = []


@pytest.fixture
def collected() -> Iterator[Collected]:
    """Exceptions raised anywhere (GUI thread, worker threads, unraisable) are kept for the search."""
    found = Collected()
    old_thread, old_sys, old_unraisable = threading.excepthook, sys.excepthook, sys.unraisablehook

    def on_thread(args: Any) -> None:
        found.exceptions.append(f"{args.exc_type} {args.exc_value!r} {args.exc_value}")

    def on_sys(kind: Any, value: BaseException, tb: Any) -> None:
        found.exceptions.append(f"{kind} {value!r} {value}")

    def on_unraisable(args: Any) -> None:
        found.exceptions.append(f"{args.exc_type} {args.exc_value!r} {args.err_msg}")

    threading.excepthook, sys.excepthook, sys.unraisablehook = on_thread, on_sys, on_unraisable
    try:
        yield found
    finally:
        threading.excepthook, sys.excepthook, sys.unraisablehook = (
            old_thread,
            old_sys,
            old_unraisable,
        )


def _every_page_and_output(
    qtbot: QtBot, wizard: MailSetupWizard, tmp_path: Path, found: Collected, accepted: bool
) -> None:
    def snap(name: str) -> None:
        found.texts += widget_texts(wizard)
        assert wizard.grab().save(str(tmp_path / f"{name}.png"))

    wizard.next()
    assert wizard.page_id() is PageId.TESTING
    snap("testing-running")
    wait_for_run(qtbot, wizard)
    wizard.testing.details_button.click()
    wizard.testing.tree.expandAll()
    assert "AUTH" in wizard.testing.transcript.toPlainText()
    snap("testing-done")
    wizard.next()
    assert wizard.page_id() is PageId.RESULTS
    results = wizard.results
    if accepted:
        with qtbot.waitSignal(wizard.bridge.finished, timeout=20_000):
            results.send_test_button.click()
        assert "Check your inbox" in results.test_message_text.text()
    else:
        assert results.server_words.text() == f"The server said: “{REFUSAL}”"
    results.save_report(tmp_path / "report-for-it.json")  # searched below with every other file
    assert (tmp_path / "report-for-it.json").stat().st_size > 0
    snap("results")
    wizard.next()
    assert wizard.page_id() is PageId.SETTINGS
    for guide in wizard.settings.guides:
        wizard.settings.select_program(guide.id)
        for button in wizard.settings.copy_buttons:
            button.click()
            found.texts.append(QGuiApplication.clipboard().text())
        wizard.settings.copy_all_button.click()
        found.texts.append(QGuiApplication.clipboard().text())
        found.texts.append(wizard.settings.sheet_html())
        wizard.settings.write_pdf(tmp_path / f"settings-{guide.id}.pdf")
        snap(f"settings-{guide.id}")
    # Every other export (searched below with every other file).
    assert wizard.settings.save_thunderbird_file(tmp_path / "config-v1.1.xml")
    found.texts.append(wizard.settings.feedback.text())
    assert wizard.settings.save_it_report(tmp_path / "it-report.html")
    found.texts.append(wizard.settings.feedback.text())
    assert wizard.settings.save_apple_profile(tmp_path / "mail.mobileconfig")
    found.texts.append(wizard.settings.feedback.text())
    found.texts.append(repr(wizard.state))
    if wizard.state.outcome is not None:
        found.texts += [repr(r) for r in wizard.state.outcome.results]
    if wizard.state.test_message is not None:
        found.texts.append(repr(wizard.state.test_message))
    found.texts.append(repr(wizard.state.probe_settings()))
    found.texts.append(QGuiApplication.clipboard().text())
    # Remember + Finish: the keychain (and only the keychain) gets it, if the server accepted it.
    with qtbot.waitSignal(wizard.finished, timeout=5_000):
        wizard.button(wizard.WizardButton.FinishButton).click()
    found.texts += widget_texts(wizard)  # after closing too


@pytest.mark.parametrize("accepted", [True, False], ids=["accepted", "refused"])
def test_canary_password_appears_nowhere(
    qtbot: QtBot,
    loopback: Loopback,
    make_wizard: MakeWizard,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    memory_keyring: InMemoryKeyring,
    collected: Collected,
    accepted: bool,
) -> None:
    caplog.set_level(logging.DEBUG)
    authenticator = password_authenticator(
        password=CANARY_PASSWORD if accepted else "the-real-one", failure=REFUSAL
    )
    smtp = loopback.starttls(authenticator=authenticator)
    # The receiving half too, signing in the same way: its files (the Thunderbird file, the
    # Apple profile) are written, and its sign-in is searched like the sending one.
    refusal = b"NO [AUTHENTICATIONFAILED] Invalid credentials"
    imaps = loopback.scripted(
        imap_handler(
            ImapScript(
                tls_context=loopback.pki.server_context(MAIL_HOST),
                implicit_tls=True,
                auth_replies=(b"OK Logged in",) if accepted else (refusal,),
            )
        )
    )
    ports = [
        PortSpec(smtp.port, Security.STARTTLS),
        PortSpec(imaps.port, Security.IMPLICIT_TLS, Protocol.IMAP),
    ]
    wizard = make_wizard([], ports=ports)
    wizard.next()
    qtbot.keyClicks(wizard.address.address, ADDRESS)
    wizard.next()
    qtbot.waitUntil(wizard.sign_in.remember.isEnabled)
    qtbot.keyClicks(wizard.sign_in.password, CANARY_PASSWORD)
    wizard.sign_in.remember.setChecked(True)
    collected.texts += widget_texts(wizard)  # the sign-in page, password typed
    _every_page_and_output(qtbot, wizard, tmp_path, collected, accepted)

    expected = {(SERVICE_NAME, ADDRESS): CANARY_PASSWORD} if accepted else {}
    assert memory_keyring.secrets == expected
    assert wizard.state.password == "" and wizard.sign_in.password.text() == ""
    assert len(loopback.messages) == (1 if accepted else 0)

    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len([p for p in files if p.suffix == ".pdf"]) == len(wizard.settings.guides)
    out, err = capsys.readouterr()
    # Every record except the test *server's* own (aiosmtpd's "mail.log" receives the password by
    # design: it is the other end of the wire) and asyncio's, which runs that server.
    ours = [r for r in caplog.records if not r.name.startswith(("mail.log", "asyncio"))]
    records = [
        f"{r.name} {r.levelname} {r.getMessage()} {r.args!r} {r.exc_text or ''}" for r in ours
    ]
    haystacks: dict[str, str] = {
        "widgets, clipboard, reprs": "\n".join(collected.texts),
        "log records": "\n".join(records),
        "stdout": out,
        "stderr": err,
        "exceptions": "\n".join(collected.exceptions),
    }
    for form in leak_forms(CANARY_PASSWORD):
        for where, text in haystacks.items():
            assert form not in text, f"the password leaked into {where}"
        for path in files:
            data = path.read_bytes()
            assert form.encode() not in data, f"the password leaked into {path.name}"
            assert form.encode("utf-16-be") not in data, f"the password leaked into {path.name}"
            assert form.encode("utf-16-le") not in data, f"the password leaked into {path.name}"
    # The searches looked at real material (not empty strings):
    assert len(files) >= 7 and len(haystacks["widgets, clipboard, reprs"]) > 5_000
    assert "AUTH" in haystacks["widgets, clipboard, reprs"]
