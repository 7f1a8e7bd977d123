"""Sign-in with a password kept in memory, copy / PDF output, accessibility and keyboard use."""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from assistant.core.models import AuthOutcome
from assistant.gui.state import PageId
from assistant.gui.wizard import MailSetupWizard
from tests.gui.conftest import ADDRESS, MakeWizard, go_to_testing, wait_for_run
from tests.servers import Loopback
from tests.servers.farm import CANARY_PASSWORD, MAIL_HOST


def _everything_shown(wizard: MailSetupWizard) -> str:
    texts: list[str] = [QGuiApplication.clipboard().text()]
    for widget in wizard.findChildren(QWidget):
        for attr in ("text", "toPlainText", "accessibleName", "toolTip"):
            value = getattr(widget, attr, None)
            if callable(value):
                with contextlib.suppress(TypeError):
                    texts.append(str(value()))
    return "\n".join(texts)


def test_password_is_tried_over_tls_and_never_shown_or_written(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard, tmp_path: Path
) -> None:
    starttls = loopback.starttls()
    wizard = make_wizard([starttls])
    go_to_testing(qtbot, wizard, password=CANARY_PASSWORD)
    wait_for_run(qtbot, wizard)
    assert wizard.state.recommendation is not None
    assert wizard.state.recommendation.auth is AuthOutcome.ACCEPTED
    wizard.testing.details_button.click()
    assert "AUTH" in wizard.testing.transcript.toPlainText()
    wizard.next()
    assert "Your password was accepted there." in wizard.results.recommendation_note.plain_text()
    wizard.next()
    wizard.settings.select_program("thunderbird")
    wizard.settings.copy_all()
    pdf = tmp_path / "sheet.pdf"
    wizard.settings.write_pdf(pdf)
    # The password field itself holds it (masked); nothing else anywhere may.
    wizard.sign_in.password.clear()
    assert CANARY_PASSWORD not in _everything_shown(wizard)
    assert CANARY_PASSWORD.encode() not in pdf.read_bytes()
    wizard.shutdown()
    assert wizard.state.password == ""


def test_wrong_password_says_so_with_what_to_do(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    wizard = make_wizard([loopback.starttls()])
    go_to_testing(qtbot, wizard, password="not-the-password")
    wait_for_run(qtbot, wizard)
    wizard.next()
    assert wizard.results.password_box.isVisible()
    text = wizard.results.password_text.plain_text()
    assert "did not work" in text and "Check the password" in text
    assert "go Back to the Sign-in step" in text


def test_copy_buttons_copy_the_value_and_copy_all_the_sheet(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard, tmp_path: Path
) -> None:
    tls = loopback.implicit_tls()
    wizard = make_wizard([tls])
    go_to_testing(qtbot, wizard)
    wait_for_run(qtbot, wizard)
    wizard.next()
    wizard.next()
    wizard.settings.select_program("outlook-classic")
    names = [b.accessibleName() for b in wizard.settings.copy_buttons]
    assert names == ["Copy Server", "Copy Port"]
    wizard.settings.copy_buttons[1].click()
    assert QGuiApplication.clipboard().text() == str(tls.port)
    wizard.settings.copy_all_button.click()
    sheet = QGuiApplication.clipboard().text()
    # Receiving was not tested in this run: the copy says so first, then what to use for sending.
    first, second = sheet.splitlines()[:2]
    assert first.startswith("Receiving mail was not part of this test")
    assert second.startswith(f"Use {MAIL_HOST}, port {tls.port}, SSL/TLS")
    assert "File > Add Account" in sheet
    assert f"  Server: {MAIL_HOST}\n" in sheet
    pdf = tmp_path / "settings.pdf"
    wizard.settings.write_pdf(pdf)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert len(data) > 2000


CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QPlainTextEdit, QProgressBar)


def _unnamed_controls(wizard: MailSetupWizard) -> list[str]:
    missing = []
    for widget in wizard.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or isinstance(widget.parent(), (QLineEdit, QComboBox)):
            continue
        if type(widget).__name__.startswith(
            "QLineEditIconButton"
        ) or widget.objectName().startswith("qt_"):
            continue
        if not widget.accessibleName():
            missing.append(
                f"{type(widget).__name__} {widget.objectName()!r} {getattr(widget, 'text', lambda: '')()!r}"
            )
    return missing


def test_every_control_has_an_accessible_name_on_every_page(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    wizard = make_wizard([loopback.implicit_tls(), loopback.plain()])
    assert _unnamed_controls(wizard) == []
    go_to_testing(qtbot, wizard)
    wait_for_run(qtbot, wizard)
    wizard.next()
    wizard.next()
    for guide in wizard.settings.guides:
        wizard.settings.select_program(guide.id)
        assert _unnamed_controls(wizard) == [], guide.id


def test_whole_flow_works_from_the_keyboard(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    tls = loopback.implicit_tls()
    wizard = make_wizard([tls])
    wizard.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)

    def press(key: Qt.Key) -> None:
        target = QApplication.focusWidget() or wizard
        qtbot.keyClick(target, key)

    press(Qt.Key.Key_Return)
    assert wizard.page_id() is PageId.ADDRESS
    qtbot.waitUntil(lambda: QApplication.focusWidget() is wizard.address.address)
    qtbot.keyClicks(wizard.address.address, ADDRESS)
    press(Qt.Key.Key_Return)
    assert wizard.page_id() is PageId.SIGN_IN
    qtbot.waitUntil(lambda: QApplication.focusWidget() is wizard.sign_in.password)
    press(Qt.Key.Key_Return)
    assert wizard.page_id() is PageId.TESTING
    wait_for_run(qtbot, wizard)
    press(Qt.Key.Key_Return)
    assert wizard.page_id() is PageId.RESULTS
    press(Qt.Key.Key_Return)
    assert wizard.page_id() is PageId.SETTINGS
    qtbot.waitUntil(lambda: QApplication.focusWidget() is wizard.settings.program)
    # Pick Thunderbird with the arrow key, then Tab (in the order things are laid out: the action
    # buttons first) to the first Copy button and press Space.
    press(Qt.Key.Key_Down)
    assert wizard.settings.guide.id == "thunderbird"
    qtbot.waitUntil(lambda: wizard.settings.copy_buttons[0].isVisible())
    seen = []
    for _ in range(20):  # Tab also visits each explained word (link) inside a label
        press(Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        seen.append(focused.accessibleName() if focused is not None else "")
        if seen[-1] == "Copy Hostname":
            break
    # The action buttons first, as they are laid out; then the steps' and the legend's explained
    # words (links); then the first value and its Copy button.
    assert seen[:6] == [
        "Copy all settings",
        "Save as PDF",
        "Print",
        "Save for your iPhone or Mac",
        "Save for IT: setup file for Thunderbird",
        "Save a report for IT",
    ], seen
    assert seen[-2:] == ["Hostname value", "Copy Hostname"], seen
    assert QApplication.focusWidget() is wizard.settings.copy_buttons[0]
    press(Qt.Key.Key_Space)
    assert QGuiApplication.clipboard().text() == MAIL_HOST


def test_every_page_fits_800_by_600(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    wizard = make_wizard([loopback.implicit_tls(), loopback.starttls(), loopback.closed()])
    assert wizard.size().width() <= 800 and wizard.size().height() <= 600

    def fits() -> None:
        hint = wizard.minimumSizeHint()
        assert hint.width() <= 800 and hint.height() <= 600, (wizard.page_id(), hint)

    fits()
    go_to_testing(qtbot, wizard)
    fits()
    wait_for_run(qtbot, wizard)
    wizard.testing.details_button.click()
    fits()
    wizard.next()
    fits()
    wizard.next()
    fits()


def test_no_hard_coded_colours(qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard) -> None:
    """Dark mode works because everything uses the palette: no widget sets its own colours."""
    wizard = make_wizard([loopback.implicit_tls()])
    go_to_testing(qtbot, wizard)
    wait_for_run(qtbot, wizard)
    wizard.next()
    wizard.next()
    for widget in [wizard, *wizard.findChildren(QWidget)]:
        assert "color" not in widget.styleSheet().lower()
        text = getattr(widget, "text", None)
        if callable(text) and isinstance(widget, QWidget) and not isinstance(widget, QLineEdit):
            try:
                value = str(text())
            except TypeError:
                continue
            assert "color" not in value.lower() and "#" not in value.replace("#", "", 0)[:0]


def test_report_for_it_is_the_documented_json(
    qtbot: QtBot, make_wizard: MakeWizard, loopback: Loopback, tmp_path: Path
) -> None:
    import json

    import jsonschema

    implicit, plain = loopback.implicit_tls(), loopback.plain()
    wizard = make_wizard([implicit, plain])
    go_to_testing(qtbot, wizard)
    wait_for_run(qtbot, wizard)
    wizard.next()
    assert wizard.results.report_button.isVisible()
    wizard.results.save_report(tmp_path / "report.json")
    document = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    schema_path = Path(__file__).parents[2] / "docs" / "check-report.schema.json"
    jsonschema.validate(document, json.loads(schema_path.read_text(encoding="utf-8")))
    assert document["address"] == ADDRESS
    assert document["recommendation"]["port"] == implicit.port
    assert {c["verdict"] for c in document["candidates"]} == {
        "ENCRYPTED_IMPLICIT",
        "PLAINTEXT_ONLY",
    }
    assert "Saved" in wizard.results.report_feedback.text()


def test_report_to_an_unwritable_place_says_so(
    qtbot: QtBot, make_wizard: MakeWizard, loopback: Loopback, tmp_path: Path
) -> None:
    wizard = make_wizard([loopback.implicit_tls()])
    go_to_testing(qtbot, wizard)
    wait_for_run(qtbot, wizard)
    wizard.next()
    wizard.results.save_report(tmp_path / "no-such-folder" / "report.json")
    assert "could not be saved there" in wizard.results.report_feedback.text()
