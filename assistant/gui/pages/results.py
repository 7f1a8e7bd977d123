"""Step 5: the recommendation in one sentence, then every port in plain words, then what needs action."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from assistant.core.models import AuthOutcome, ProbeResult, Reply, Verdict
from assistant.gui.i18n import ENGINE_CONTEXT, translator
from assistant.gui.pages.base import Page
from assistant.gui.pages.welcome import support_line
from assistant.gui.state import PageId, WizardState
from assistant.gui.widgets.announce import announce
from assistant.gui.widgets.glossary import GlossaryLabel
from assistant.gui.widgets.status import tone_icon
from assistant.gui.wording import Tone, advice, sign_in_words, verdict_words, where
from assistant.gui.workers import RunBridge

if TYPE_CHECKING:
    from assistant.core.probe_run import RunOutcome

# Refusals the person can fix by typing another password (then testing again).
_RETYPE = (
    AuthOutcome.WRONG_PASSWORD,
    AuthOutcome.APP_PASSWORD_REQUIRED,
    AuthOutcome.WEB_LOGIN_REQUIRED,
)


def _clear(layout: QVBoxLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.deleteLater()


def _engine() -> Any:
    """The engine's sentences (imports the sign-in code, hence ssl): loaded on first use."""
    from assistant.core import explain

    return explain


def without_sign_in(result: ProbeResult) -> ProbeResult:
    """The same result with its sign-in left out (the results page explains sign-in once, apart)."""
    return dataclasses.replace(result, auth=AuthOutcome.NOT_TRIED, test_message_sent=None)


class ResultsPage(Page):
    def __init__(self, state: WizardState, bridge: RunBridge) -> None:
        super().__init__(state)
        self.bridge = bridge
        self._message_run: int | None = None
        self.setTitle(self.tr("Results"))
        self.setSubTitle(self.tr("What to use, and what was found on each port."))
        self._engine_tr = translator(ENGINE_CONTEXT)

        self.recommendation = QLabel(self)
        self.recommendation.setWordWrap(True)
        font = self.recommendation.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.recommendation.setFont(font)
        self.recommendation.setAccessibleName(self.tr("Recommendation"))
        self.body.addWidget(self.recommendation)

        self.recommendation_note = GlossaryLabel("", self)
        self.body.addWidget(self.recommendation_note)

        self.password_title = self._heading(self.tr("Your password"))
        self.body.addWidget(self.password_title)
        self.password_box = QFrame(self)
        self.password_box.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(self.password_box)
        self.password_icon = QLabel(self.password_box)
        self.password_text = GlossaryLabel("", self.password_box)
        self.server_words = QLabel(self.password_box)
        self.server_words.setWordWrap(True)
        italic = self.server_words.font()
        italic.setItalic(True)
        self.server_words.setFont(italic)
        self.server_words.setIndent(self.fontMetrics().height())
        message_row = QHBoxLayout()
        self.send_test_button = QPushButton(
            self.tr("Send a &test message to myself"), self.password_box
        )
        self.send_test_button.setAccessibleName(self.tr("Send a test message to myself"))
        self.send_test_button.setAutoDefault(False)
        self.send_test_button.clicked.connect(self.send_test_message)
        message_row.addWidget(self.send_test_button)
        message_row.addStretch(1)
        self.test_message_text = QLabel(self.password_box)
        self.test_message_text.setWordWrap(True)
        self.test_message_text.setAccessibleName(self.tr("Test message"))
        grid.addWidget(self.password_icon, 0, 0)
        grid.addWidget(self.password_text, 0, 1)
        grid.addWidget(self.server_words, 1, 1)
        grid.addLayout(message_row, 2, 1)
        grid.addWidget(self.test_message_text, 3, 1)
        grid.setColumnStretch(1, 1)
        self.body.addWidget(self.password_box)

        self.support = QLabel(self)
        self.support.setWordWrap(True)
        self.support.setAccessibleName(self.tr("Who can help"))
        self.body.addWidget(self.support)

        self.warnings_title = self._heading(self.tr("Needs your attention"))
        self.warnings = QVBoxLayout()
        self.body.addWidget(self.warnings_title)
        self.body.addLayout(self.warnings)

        self.ports_title = self._heading(self.tr("Each port in plain words"))
        self.body.addWidget(self.ports_title)
        self.legend = GlossaryLabel("", self)
        self.body.addWidget(self.legend)
        self.ports_note = QLabel(self)
        self.ports_note.setWordWrap(True)
        self.body.addWidget(self.ports_note)
        self.ports = QVBoxLayout()
        self.body.addLayout(self.ports)

        self.risk = QCheckBox(
            self.tr(
                "I understand the risks: show me the settings for the unencrypted server anyway."
            ),
            self,
        )
        self.risk.setAccessibleName(self.tr("I understand the risks of an unencrypted server"))
        self.risk.toggled.connect(self._risk_toggled)
        self.body.addWidget(self.risk)

        # For the office's IT person: the whole evidence as one JSON file (no password in it).
        report_row = QHBoxLayout()
        self.report_button = QPushButton(self.tr("Save a &report for IT…"), self)
        self.report_button.setAccessibleName(self.tr("Save a report for IT"))
        self.report_button.setToolTip(
            self.tr("Everything the tests found, as a file your IT person can read. No password.")
        )
        self.report_button.setAutoDefault(False)
        self.report_button.clicked.connect(self._ask_report)
        self.report_feedback = QLabel(self)
        self.report_feedback.setWordWrap(True)
        report_row.addWidget(self.report_button)
        report_row.addWidget(self.report_feedback, 1)
        self.body.addLayout(report_row)
        self.body.addStretch(1)
        self.port_texts: list[str] = []
        self._shown = False  # rendered at least once: a language switch renders it again
        bridge.finished.connect(self._message_finished)
        bridge.cancelled.connect(self._message_cancelled)
        self.retranslate()

    def retranslate(self) -> None:
        """The fixed words again, then (if shown) everything derived from the results."""
        self.setTitle(self.tr("Results"))
        self.setSubTitle(self.tr("What to use, and what was found on each port."))
        self.recommendation.setAccessibleName(self.tr("Recommendation"))
        for heading, text in (
            (self.password_title, self.tr("Your password")),
            (self.warnings_title, self.tr("Needs your attention")),
            (self.ports_title, self.tr("Each port in plain words")),
        ):
            heading.setText(text)
            heading.setAccessibleName(text)
        self.legend.set_marked_text(
            self.tr(
                "In plain words: a [[port|port]] is a numbered door on the server; [[ssl-tls|SSL/TLS]] and "
                "[[starttls|STARTTLS]] are the two ways of [[encryption|encrypting]] the connection."
            )
        )
        self.send_test_button.setText(self.tr("Send a &test message to myself"))
        self.send_test_button.setAccessibleName(self.tr("Send a test message to myself"))
        self.send_test_button.setAccessibleDescription(
            self.tr("Sends one message to your own address through the recommended server.")
        )
        self.test_message_text.setAccessibleName(self.tr("Test message"))
        self.support.setAccessibleName(self.tr("Who can help"))
        self.risk.setText(
            self.tr(
                "I understand the risks: show me the settings for the unencrypted server anyway."
            )
        )
        self.risk.setAccessibleName(self.tr("I understand the risks of an unencrypted server"))
        self.risk.setAccessibleDescription(
            self.tr("Your password and messages would travel without encryption.")
        )
        self.report_button.setText(self.tr("Save a &report for IT…"))
        self.report_button.setAccessibleName(self.tr("Save a report for IT"))
        self.report_button.setAccessibleDescription(
            self.tr("Everything the tests found, as a file your IT person can read. No password.")
        )
        self.report_button.setToolTip(self.report_button.accessibleDescription())
        if self._shown:
            self.initializePage()

    def _heading(self, text: str) -> QLabel:
        label = QLabel(text, self)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        label.setAccessibleName(text)
        return label

    # -- wizard hooks -----------------------------------------------------------------------------

    def initializePage(self) -> None:
        self._shown = True
        outcome = self.state.outcome
        results = outcome.results if outcome is not None else []
        rec = self.state.recommendation
        self.recommendation.setText(_engine().recommendation_sentence(rec, self._engine_tr))
        self.recommendation_note.set_marked_text(self._note(rec, results))
        _clear(self.ports)
        _clear(self.warnings)
        self.port_texts = []
        failed = [r for r in results if not r.verdict.is_safe]
        note = ""
        if rec is not None and failed:
            note = self.tr(
                "You only need the recommended one. It is normal that some of the others do not "
                "work: they need nothing from you."
            )
        self.ports_note.setText(note)
        self.ports_note.setAccessibleName(note or self.tr("Ports"))
        self.ports_note.setVisible(bool(note))
        for result in results:
            self.ports.addWidget(self._port_box(result, rec))
        self._show_password(rec)
        self._show_support(rec)
        warnings = self._warnings(results, rec)
        for text in warnings:
            self.warnings.addWidget(self._warning_label(text))
        self.warnings_title.setVisible(bool(warnings))
        plain = self.state.plaintext_result()
        self.risk.setVisible(rec is None and plain is not None)
        self.risk.setChecked(self.state.accept_plaintext)
        self.completeChanged.emit()
        announce(self.recommendation, self.recommendation.text(), urgent=True)

    def isComplete(self) -> bool:
        if self.state.recommendation is not None:
            return True
        if self.state.plaintext_result() is not None:
            return self.state.accept_plaintext
        return True  # nothing to set up: this is the last page (Finish)

    def nextId(self) -> int:
        if self.state.recommendation is None and self.state.plaintext_result() is None:
            return -1
        return int(PageId.SETTINGS)

    def cleanupPage(self) -> None:
        """Back: a test message still on its way is stopped (its answer would be dropped anyway)."""
        if self._message_run is not None and self.bridge.current_run_id == self._message_run:
            self.bridge.cancel()
        self._message_run = None

    def _risk_toggled(self, checked: bool) -> None:
        self.state.accept_plaintext = checked
        self.completeChanged.emit()

    # -- content ----------------------------------------------------------------------------------

    def _note(self, rec: ProbeResult | None, results: list[ProbeResult]) -> str:
        if rec is not None:
            parts = [
                self.tr(
                    "Tested just now from this computer: the connection is [[encryption|encrypted]] "
                    "and the server's [[certificate|certificate]] checked out. Press Next to see "
                    "where to type it."
                )
            ]
            if rec.auth is AuthOutcome.ACCEPTED:
                parts.append(self.tr("Your password was accepted there."))
            return " ".join(parts)
        steps = [self.tr("What to do next:")]
        if results and all(r.verdict in (Verdict.BLOCKED, Verdict.NO_NETWORK) for r in results):
            steps.append(
                self.tr(
                    "• Nothing answered at all. Check that this computer is online; if it is, the "
                    "network you are on blocks mail ports. Try another network, such as a phone hotspot."
                )
            )
        else:
            steps.append(
                self.tr(
                    "• Ask your email provider for the name of their [[outgoing-server|outgoing server]] "
                    "and its [[port|port]], then go Back and type the name in."
                )
            )
            steps.append(self.tr("• Or try again from another network."))
        if self.state.plaintext_result() is not None:
            steps.append(
                self.tr(
                    "• A server answered without [[encryption|encryption]]. Using it means your "
                    "password and messages travel as [[plain-text|plain text]]. Only do this if "
                    "your provider offers nothing else."
                )
            )
        return "\n".join(steps)

    def _port_box(self, result: ProbeResult, rec: ProbeResult | None) -> QWidget:
        box = QFrame(self)
        box.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(box)
        tone, words = verdict_words(result)
        icon = QLabel(box)
        size = self.fontMetrics().height()
        icon.setPixmap(tone_icon(tone).pixmap(size, size))
        icon.setAccessibleName(words)
        title = QLabel(f"<b>{_esc(where(result))}</b> — {_esc(words)}", box)
        title.setWordWrap(True)
        text = _engine().explain(
            without_sign_in(result), self._engine_tr, self.state.timeout or 10.0
        )
        lines = [text]
        todo = advice(result, rec)
        if todo:
            lines.append(todo)
        if result.auth is not AuthOutcome.NOT_TRIED:
            lines.append(self.tr("Sign-in: {words}.").format(words=sign_in_words(result)[1]))
        body = QLabel("\n".join(lines), box)
        body.setWordWrap(True)
        grid.addWidget(icon, 0, 0)
        grid.addWidget(title, 0, 1)
        grid.addWidget(body, 1, 1)
        grid.setColumnStretch(1, 1)
        summary = f"{where(result)} — {words}. {body.text()}"
        box.setAccessibleName(summary)
        title.setAccessibleName(f"{where(result)} — {words}")
        body.setAccessibleName(body.text())
        self.port_texts.append(summary)
        return box

    def _warnings(self, results: list[ProbeResult], rec: ProbeResult | None) -> list[str]:
        out: list[str] = []
        for result in results:
            if result.verdict.is_certificate_problem:
                out.append(
                    self.tr("{where}: the server's certificate has a problem. {explain}").format(
                        where=where(result), explain=_engine().explain(result, self._engine_tr)
                    )
                )
        if rec is not None and rec.verdict is Verdict.ENCRYPTED_STARTTLS:
            blocked_465 = any(
                r.candidate.port == 465 and r.verdict is Verdict.BLOCKED for r in results
            )
            if blocked_465:
                out.append(
                    self.tr(
                        "Port 465 is blocked on this network; STARTTLS on port {port} works, so use that."
                    ).format(port=rec.candidate.port)
                )
        return out

    def _warning_label(self, text: str) -> QWidget:
        box = QFrame(self)
        box.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(box)
        icon = QLabel(box)
        size = self.fontMetrics().height()
        icon.setPixmap(tone_icon(Tone.WARNING).pixmap(size, size))
        icon.setAccessibleName(self.tr("Warning"))
        label = QLabel(text, box)
        label.setWordWrap(True)
        label.setAccessibleName(text)
        box.setAccessibleName(text)
        grid.addWidget(icon, 0, 0)
        grid.addWidget(label, 0, 1)
        grid.setColumnStretch(1, 1)
        return box

    # -- the password: accepted, or exactly why not ----------------------------------------------

    def sign_in_result(self, rec: ProbeResult | None) -> ProbeResult | None:
        """The result whose sign-in the page explains: the recommendation's, else the first tried."""
        if rec is not None and rec.auth is not AuthOutcome.NOT_TRIED:
            return rec
        tried = self.state.sign_in_tried()
        refused = [r for r in tried if r.auth is not AuthOutcome.NOT_OFFERED]
        candidates = refused or tried
        return candidates[0] if candidates else None

    def _show_password(self, rec: ProbeResult | None) -> None:
        state = self.state
        shown = bool(state.password)
        self.password_title.setVisible(shown)
        self.password_box.setVisible(shown)
        self.server_words.hide()
        self.send_test_button.hide()
        self.test_message_text.hide()
        if not shown:
            return
        main = self.sign_in_result(rec)
        tone = Tone.WARNING
        quote = ""
        if main is None:
            text = self.tr(
                "Your password was not tried: it is only sent over an [[encryption|encrypted]] "
                "connection whose [[certificate|certificate]] checked out, and none was found."
            )
        elif main.auth is AuthOutcome.ACCEPTED:
            tone = Tone.GOOD
            text = self.tr("Your password was accepted by {where}.").format(where=where(main))
            if rec is main:
                text += " " + self.tr(
                    "You can send yourself a test message to be sure mail really goes out."
                )
                self.send_test_button.show()
                self.send_test_button.setEnabled(self._message_run is None)
        else:
            parts = _engine().sign_in_explanation(without_test_message(main), self._engine_tr)
            reply = main.evidence.auth_reply
            if reply is not None:
                quote = _engine().quote_server(f"{reply.code} {reply.text}", self._engine_tr)
            parts = [p for p in parts if p and p != quote]
            if reply is not None and len(parts) > 1 and _known_reply(reply):
                parts = parts[1:]  # the reply's own meaning says the same, more exactly
            if main.auth in _RETYPE:
                parts.append(
                    self.tr("To try another password, go Back to the Sign-in step and test again.")
                )
            if main.auth not in (AuthOutcome.NOT_OFFERED, AuthOutcome.TEMPORARY):
                tone = Tone.BAD
            text = self.tr("Sign-in on {where} did not work.").format(where=where(main))
            text += " " + " ".join(parts)
        size = self.fontMetrics().height()
        self.password_icon.setPixmap(tone_icon(tone).pixmap(size, size))
        self.password_icon.setAccessibleName(self.tr("Password"))
        self.password_text.set_marked_text(text)
        self.password_box.setAccessibleName(self.password_text.plain_text())
        if quote:
            self.server_words.setText(quote)
            self.server_words.setAccessibleName(quote)
            self.server_words.show()
        if state.test_message is not None:
            self._show_test_message(state.test_message)

    def _show_support(self, rec: ProbeResult | None) -> None:
        profile = self.state.active_profile or self.state.profile
        trouble = (
            rec is None
            or self.state.password_refused()
            or (rec.auth not in (AuthOutcome.NOT_TRIED, AuthOutcome.ACCEPTED))
        )
        text = ""
        if profile is not None and trouble:
            contact = support_line(profile)
            text = self.tr("Need help? Ask {company} IT").format(company=profile.company)
            text += (": " + contact + ".") if contact else "."
        self.support.setText(text)
        self.support.setAccessibleName(text or self.tr("Who can help"))
        self.support.setVisible(bool(text))

    # -- the optional test message ------------------------------------------------------------

    def report_document(self) -> dict[str, Any]:
        """The same JSON document as `mailsetup check --json` (docs/check-report.schema.json)."""
        from assistant.core.report import run_document

        outcome = self.state.outcome
        results = list(outcome.results) if outcome is not None else []
        if self.state.test_message is not None:
            results.append(self.state.test_message)
        timeout = self.state.timeout or 10.0
        document = run_document(self.state.address, results, self.state.recommendation, timeout)
        found = self.state.discovery.found if self.state.discovery is not None else None
        document["found_in"] = found.origin.description if found is not None else None
        return document

    def save_report(self, path: Path) -> None:
        import json

        try:
            path.write_text(
                json.dumps(self.report_document(), indent=2, ensure_ascii=False), encoding="utf-8"
            )
        except OSError as exc:
            self.report_feedback.setText(
                self.tr(
                    "The report could not be saved there ({reason}). Try another folder."
                ).format(reason=exc.strerror or self.tr("no permission"))
            )
            return
        self.report_feedback.setText(self.tr("Saved {file}.").format(file=str(path)))

    def _ask_report(self) -> None:
        from PySide6.QtCore import QStandardPaths
        from PySide6.QtWidgets import QFileDialog

        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        name = self.tr("Mail test report.json")
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save a report for IT"),
            str(Path(folder) / name),
            self.tr("Report files (*.json)"),
        )
        if path:
            self.save_report(Path(path))

    def send_test_message(self) -> None:
        """Send ONE message to the person's own address through the recommended setting: a new
        one-candidate run on the engine's worker threads (the window never waits for it)."""
        rec = self.state.recommendation
        if rec is None or rec.auth is not AuthOutcome.ACCEPTED or self._message_run is not None:
            return
        settings = self.state.probe_settings()
        settings.test_message_to = self.state.address
        self.send_test_button.setEnabled(False)
        self.test_message_text.setText(
            self.tr("Sending a test message to {address}…").format(address=self.state.address)
        )
        self.test_message_text.show()
        self._message_run = self.bridge.start([rec.candidate], settings)

    @property
    def sending(self) -> bool:
        return self._message_run is not None

    def _message_finished(self, outcome: RunOutcome) -> None:
        if self._message_run is None or outcome.run_id != self._message_run:
            return
        self._message_run = None
        self.send_test_button.setEnabled(True)
        if outcome.results:
            self.state.test_message = outcome.results[0]
            self._show_test_message(outcome.results[0])

    def _message_cancelled(self, run_id: int) -> None:
        if run_id == self._message_run:
            self._message_run = None
            self.send_test_button.setEnabled(True)
            self.test_message_text.setText(self.tr("The test message was stopped."))

    def _show_test_message(self, result: ProbeResult) -> None:
        if result.test_message_sent is True:
            text = self.tr(
                "✓ The test message was accepted for delivery. Check your inbox at {address} in a "
                "minute or two (and the spam folder)."
            ).format(address=self.state.address)
        elif result.test_message_sent is False:
            text = self.tr(
                "The server did not accept the test message, although your password was accepted. "
                "Your mail program may still be able to send; if it cannot, show this to your provider."
            )
            reply = result.evidence.test_message_reply
            if reply is not None:
                text += "\n" + _engine().quote_server(f"{reply.code} {reply.text}", self._engine_tr)
        else:
            text = self.tr("No test message was sent. {why}").format(
                why=_engine().explain(result, self._engine_tr, self.state.timeout or 10.0)
            )
        self.test_message_text.setText(text)
        self.test_message_text.setAccessibleName(text)
        self.test_message_text.show()


def _known_reply(reply: Reply) -> bool:
    from assistant.core.signin import reply_entry

    return reply_entry(reply) is not None


def without_test_message(result: ProbeResult) -> ProbeResult:
    return dataclasses.replace(result, test_message_sent=None)


def _esc(text: str) -> str:
    import html

    return html.escape(text)
