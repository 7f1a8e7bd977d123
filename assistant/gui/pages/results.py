"""Step 5: both recommendations first (receiving, then sending, one sentence each), then every port
in plain words by half, then what needs action. Everything said comes from the two `Outcome`s."""

from __future__ import annotations

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

from assistant.core.explanation import Tone, imap_or_pop3, sentence
from assistant.core.models import AuthOutcome, ProbeResult
from assistant.gui.i18n import ENGINE_CONTEXT, translator
from assistant.gui.pages.base import Page
from assistant.gui.pages.welcome import support_line
from assistant.gui.state import PageId, WizardState
from assistant.gui.tracked_run import TrackedRun
from assistant.gui.widgets.announce import announce
from assistant.gui.widgets.control_words import word_button
from assistant.gui.widgets.glossary import GlossaryLabel
from assistant.gui.widgets.page_button import page_button
from assistant.gui.widgets.status import tone_icon
from assistant.gui.workers import RunBridge

if TYPE_CHECKING:
    from assistant.core.probe_run import RunOutcome
    from assistant.core.trust import TrustQuestion
    from assistant.outcome import Card, Outcome


def _clear(layout: QVBoxLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.deleteLater()


class ResultsPage(Page):
    def __init__(self, state: WizardState, bridge: RunBridge) -> None:
        super().__init__(state)
        self.bridge = bridge
        # The optional test message.
        self._message = TrackedRun(bridge, self._message_finished, self._message_stopped)
        self._engine_tr = translator(ENGINE_CONTEXT)

        # Receiving first, as mail programs ask for it; shown only when that half was tested.
        self.incoming_title, self.incoming_recommendation, self.incoming_note = self._add_half(
            sentence("receiving_heading", self._engine_tr), self.tr("Recommendation for receiving")
        )
        self.sending_title, self.recommendation, self.recommendation_note = self._add_half(
            sentence("sending_heading", self._engine_tr), self.tr("Recommendation")
        )

        self.password_title = self._heading("")
        self.body.addWidget(self.password_title)
        self.password_box = QFrame(self)
        self.password_box.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(self.password_box)
        self.password_icon = QLabel(self.password_box)
        self.incoming_password_text = GlossaryLabel("", self.password_box)
        self.password_text = GlossaryLabel("", self.password_box)
        self.server_words = QLabel(self.password_box)
        self.server_words.setWordWrap(True)
        italic = self.server_words.font()
        italic.setItalic(True)
        self.server_words.setFont(italic)
        self.server_words.setIndent(self.fontMetrics().height())
        message_row = QHBoxLayout()
        self.send_test_button = page_button(self.password_box, self.send_test_message)
        message_row.addWidget(self.send_test_button)
        message_row.addStretch(1)
        self.test_message_text = QLabel(self.password_box)
        self.test_message_text.setWordWrap(True)
        self.incoming_server_words = QLabel(self.password_box)
        self.incoming_server_words.setWordWrap(True)
        self.incoming_server_words.setFont(italic)
        self.incoming_server_words.setIndent(self.fontMetrics().height())
        grid.addWidget(self.password_icon, 0, 0)
        grid.addWidget(self.incoming_password_text, 0, 1)
        grid.addWidget(self.incoming_server_words, 1, 1)
        grid.addWidget(self.password_text, 2, 1)
        grid.addWidget(self.server_words, 3, 1)
        grid.addLayout(message_row, 4, 1)
        grid.addWidget(self.test_message_text, 5, 1)
        grid.setColumnStretch(1, 1)
        self.body.addWidget(self.password_box)

        self.support = QLabel(self)
        self.support.setWordWrap(True)
        self.support.setAccessibleName(self.tr("Who can help"))
        self.body.addWidget(self.support)

        # "Sign in there?": a server that encrypted correctly, but whose name nothing vouches for.
        self.trust_box = QVBoxLayout()
        self.body.addLayout(self.trust_box)
        self.trust_buttons: list[QPushButton] = []
        # Signing in again after a yes to "Sign in there?".
        self._trust = TrackedRun(bridge, self._trust_finished)

        self.warnings_title = self._heading("")  # headings are worded in retranslate()
        self.warnings = QVBoxLayout()
        self.body.addWidget(self.warnings_title)
        self.body.addLayout(self.warnings)

        self.ports_title = self._heading("")
        self.body.addWidget(self.ports_title)
        self.legend = GlossaryLabel("", self)
        self.body.addWidget(self.legend)
        self.ports_note = QLabel(self)
        self.ports_note.setWordWrap(True)
        self.body.addWidget(self.ports_note)
        self.ports = QVBoxLayout()
        self.body.addLayout(self.ports)

        self.risk = QCheckBox(self)
        self.risk.toggled.connect(self._risk_toggled)
        self.body.addWidget(self.risk)

        # For the office's IT person: the whole evidence as one JSON file (no password in it).
        report_row = QHBoxLayout()
        self.report_button = page_button(self, self._ask_report)
        self.report_feedback = QLabel(self)
        self.report_feedback.setWordWrap(True)
        report_row.addWidget(self.report_button)
        report_row.addWidget(self.report_feedback, 1)
        self.body.addLayout(report_row)
        self.body.addStretch(1)
        self.port_texts: list[str] = []
        self._shown = False  # rendered at least once: a language switch renders it again
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
        self.legend.set_marked_text(sentence("ports_legend", self._engine_tr))
        word_button(
            self.send_test_button,
            self.tr("Send a &test message to myself"),
            self.tr("Send a test message to myself"),
            self.tr("Sends one message to your own address through the recommended server."),
        )
        self.test_message_text.setAccessibleName(self.tr("Test message"))
        self.support.setAccessibleName(self.tr("Who can help"))
        word_button(
            self.risk,
            self.tr(
                "I understand the risks: show me the settings for the unencrypted server anyway."
            ),
            self.tr("I understand the risks of an unencrypted server"),
            self.tr("Your password and messages would travel without encryption."),
        )
        word_button(
            self.report_button,
            self.tr("Save a &report for IT…"),
            self.tr("Save a report for IT"),
            self.tr("Everything the tests found, as a file your IT person can read. No password."),
        )
        self.report_button.setToolTip(self.report_button.accessibleDescription())
        if self._shown:
            self.initializePage()

    def _add_half(self, heading: str, name: str) -> tuple[QLabel, QLabel, GlossaryLabel]:
        """One half's lead, added to the page: its heading, its recommendation in large bold
        (named `name` for screen readers) and the note under it."""
        title = self._heading(heading)
        self.body.addWidget(title)
        lead = QLabel(self)
        lead.setWordWrap(True)
        font = lead.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        lead.setFont(font)
        lead.setAccessibleName(name)
        self.body.addWidget(lead)
        note = GlossaryLabel("", self)
        self.body.addWidget(note)
        return title, lead, note

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
        if outcome is None:  # not reachable through the wizard: Testing is complete only after one
            outcome = self.state.conclude([])
        incoming = self.state.incoming
        self._show_incoming_lead(incoming)
        self.recommendation.setText(outcome.headline)
        self.recommendation.setVisible(incoming is None or bool(outcome.results))
        self.recommendation_note.set_marked_text(outcome.note)
        self.recommendation_note.setVisible(incoming is None or bool(outcome.results))
        _clear(self.ports)
        _clear(self.warnings)
        self.port_texts = []
        # "The others need nothing from you" is said once for the whole run.
        ports_note = outcome.ports_note or (incoming.ports_note if incoming is not None else "")
        self.ports_note.setText(ports_note)
        self.ports_note.setAccessibleName(ports_note or self.tr("Ports"))
        self.ports_note.setVisible(bool(ports_note))
        self.sending_title.setVisible(incoming is not None and bool(outcome.results))
        if incoming is not None and incoming.cards:
            # Each half under its own heading, receiving first.
            self.ports.addWidget(self._sub_heading(sentence("receiving_heading", self._engine_tr)))
            for card in incoming.cards:
                self.ports.addWidget(self._port_box(card))
            if outcome.cards:
                self.ports.addWidget(
                    self._sub_heading(sentence("sending_heading", self._engine_tr))
                )
        for card in outcome.cards:
            self.ports.addWidget(self._port_box(card))
        self._show_password(outcome, incoming)
        self._show_support()
        self._show_trust_questions(outcome, incoming)
        warnings = (*(incoming.warnings if incoming is not None else ()), *outcome.warnings)
        for text in warnings:
            self.warnings.addWidget(self._warning_label(text))
        self.warnings_title.setVisible(bool(warnings))
        self.risk.setVisible(outcome.recommendation is None and outcome.plaintext is not None)
        self.risk.setChecked(self.state.accept_plaintext)
        self.completeChanged.emit()
        announce(self.recommendation, self.recommendation.text(), urgent=True)

    def _show_incoming_lead(self, incoming: Outcome | None) -> None:
        """The receiving half's sentence, the IMAP-or-POP3 difference in one plain sentence, and
        (only when nothing safe was found there) what to do next for it."""
        self.incoming_title.setVisible(incoming is not None)
        self.incoming_recommendation.setVisible(incoming is not None)
        self.incoming_note.setVisible(incoming is not None)
        if incoming is None:
            self.incoming_recommendation.clear()
            self.incoming_note.set_marked_text("")
            return
        self.incoming_recommendation.setText(incoming.headline)
        if incoming.recommendation is not None:
            self.incoming_note.set_marked_text(imap_or_pop3(self._engine_tr))
        else:
            self.incoming_note.set_marked_text(incoming.note)

    def _sub_heading(self, text: str) -> QLabel:
        return self._heading(text)

    def isComplete(self) -> bool:
        if self.state.recommendation is not None or self.state.incoming_recommendation is not None:
            return True
        if self.state.plaintext_result() is not None:
            return self.state.accept_plaintext
        return True  # nothing to set up: this is the last page (Finish)

    def nextId(self) -> int:
        state = self.state
        if (
            state.recommendation is None
            and state.plaintext_result() is None
            and state.incoming_recommendation is None
        ):
            return -1
        return int(PageId.SETTINGS)

    def cleanupPage(self) -> None:
        """Back: a test message or sign-in still on its way is stopped (its answer would be
        dropped anyway)."""
        current = self.bridge.current_run_id
        if current is not None and (self._message.owns(current) or self._trust.owns(current)):
            self.bridge.cancel()
        self._message.forget()
        self._trust.forget()

    def _risk_toggled(self, checked: bool) -> None:
        self.state.accept_plaintext = checked
        self.completeChanged.emit()

    # -- content ----------------------------------------------------------------------------------

    def _icon_panel(self, tone: Tone, icon_name: str) -> tuple[QFrame, QGridLayout]:
        """A framed panel with the tone's icon (named for screen readers) at the top left, its
        words to go in the wide column beside it: a port, a warning, a "Sign in there?" question."""
        box = QFrame(self)
        box.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(box)
        icon = QLabel(box)
        size = self.fontMetrics().height()
        icon.setPixmap(tone_icon(tone).pixmap(size, size))
        icon.setAccessibleName(icon_name)
        grid.addWidget(icon, 0, 0)
        grid.setColumnStretch(1, 1)
        return box, grid

    def _port_box(self, card: Card) -> QWidget:
        told = card.explanation
        box, grid = self._icon_panel(told.tone, told.status)
        title = QLabel(f"<b>{_esc(card.where)}</b> — {_esc(told.status)}", box)
        title.setWordWrap(True)
        lines = [" ".join(card.sentences)]
        if card.result.auth is not AuthOutcome.NOT_TRIED:
            lines.append(self.tr("Sign-in: {words}.").format(words=told.sign_in_status))
        body = QLabel("\n".join(lines), box)
        body.setWordWrap(True)
        grid.addWidget(title, 0, 1)
        grid.addWidget(body, 1, 1)
        summary = f"{card.where} — {told.status}. {body.text()}"
        box.setAccessibleName(summary)
        title.setAccessibleName(f"{card.where} — {told.status}")
        body.setAccessibleName(body.text())
        self.port_texts.append(summary)
        return box

    def _warning_label(self, text: str) -> QWidget:
        box, grid = self._icon_panel(Tone.WARNING, self.tr("Warning"))
        label = QLabel(text, box)
        label.setWordWrap(True)
        label.setAccessibleName(text)
        box.setAccessibleName(text)
        grid.addWidget(label, 0, 1)
        return box

    # -- the password: accepted, or exactly why not ----------------------------------------------

    def _show_password(self, outcome: Outcome, incoming: Outcome | None = None) -> None:
        """The password's story for each half that has one: receiving's, then sending's, under
        the less happy of the two icons."""
        story = outcome.sign_in
        other = incoming.sign_in if incoming is not None else None
        told = [s for s in (other, story) if s is not None]
        self.password_title.setVisible(bool(told))
        self.password_box.setVisible(bool(told))
        self.server_words.hide()
        self.incoming_server_words.hide()
        self.send_test_button.hide()
        self.test_message_text.hide()
        self.password_text.setVisible(story is not None)
        self.incoming_password_text.setVisible(other is not None)
        if not told:
            return
        size = self.fontMetrics().height()
        order = (Tone.GOOD, Tone.WARNING, Tone.BAD)
        tone = max((s.tone for s in told), key=lambda t: order.index(t) if t in order else 1)
        self.password_icon.setPixmap(tone_icon(tone).pixmap(size, size))
        self.password_icon.setAccessibleName(self.tr("Password"))
        if other is not None:
            self.incoming_password_text.set_marked_text(other.text)
            if other.server_words:
                self.incoming_server_words.setText(other.server_words)
                self.incoming_server_words.setAccessibleName(other.server_words)
                self.incoming_server_words.show()
        if story is not None:
            self.password_text.set_marked_text(story.text)
            if story.offer_test_message:
                self.send_test_button.show()
                self.send_test_button.setEnabled(not self._message.active)
            if story.server_words:
                self.server_words.setText(story.server_words)
                self.server_words.setAccessibleName(story.server_words)
                self.server_words.show()
        texts = [
            label.plain_text()
            for label, s in ((self.incoming_password_text, other), (self.password_text, story))
            if s is not None
        ]
        self.password_box.setAccessibleName(" ".join(texts))
        if self.state.test_message is not None:
            self._show_test_message(self.state.test_message)

    def _show_support(self) -> None:
        profile = self.state.active_profile or self.state.profile
        text = ""
        halves = self.state.halves
        if profile is not None and halves is not None and halves.needs_help:
            contact = support_line(profile)
            key = "need_help_company_contact" if contact else "need_help_company"
            text = sentence(key, self._engine_tr, company=profile.company, contact=contact)
        self.support.setText(text)
        self.support.setAccessibleName(text or self.tr("Who can help"))
        self.support.setVisible(bool(text))

    # -- "Sign in there?" -------------------------------------------------------------------------

    def _show_trust_questions(self, outcome: Outcome, incoming: Outcome | None = None) -> None:
        from assistant.outcome import trust_details

        _clear(self.trust_box)
        self.trust_buttons = []
        asked: list[tuple[TrustQuestion, str]] = []
        seen: set[str] = set()
        for told in (incoming, outcome):  # receiving's first; one question per server name
            if told is None:
                continue
            for question, note in zip(told.trust_questions, told.trust_notes, strict=True):
                if question.host not in seen:
                    seen.add(question.host)
                    asked.append((question, note))
        for question, note in asked:
            names, risk, yes = trust_details(question, self._engine_tr)
            box, grid = self._icon_panel(Tone.WARNING, self.tr("Question"))
            text = QLabel("\n".join(t for t in (note, names, risk) if t), box)
            text.setWordWrap(True)
            text.setAccessibleName(text.text())
            button = QPushButton(yes, box)
            button.setAccessibleName(yes)
            button.setAutoDefault(False)
            button.setEnabled(not self._trust.active)
            button.clicked.connect(lambda _=False, q=question: self.confirm_trust(q))
            grid.addWidget(text, 0, 1)
            grid.addWidget(button, 1, 1)
            box.setAccessibleName(text.text())
            self.trust_box.addWidget(box)
            self.trust_buttons.append(button)

    def confirm_trust(self, question: TrustQuestion) -> None:
        """The person said yes: that name is trusted from now on (the plan says so), and the
        server is tested again with the password, on the engine's threads."""
        outcome = self.state.outcome
        if outcome is None or self._trust.active or self._message.active:
            return
        results = self.state.all_results()
        if next((r for r in results if r.candidate.key == question.candidate_key), None) is None:
            return
        # Every way to that server that was held back, in both halves, signs in now.
        again = [
            r.candidate
            for r in results
            if r.candidate.host == question.host and r.auth is AuthOutcome.UNTRUSTED_SERVER
        ]
        if question.host not in self.state.trust_hosts:
            self.state.trust_hosts.append(question.host)
        settings = self.state.probe_settings()
        settings.trust = self.state.plan().trust
        for button in self.trust_buttons:
            button.setEnabled(False)
        self.recommendation_note.set_marked_text(
            sentence("trust_signing_in", self._engine_tr, host=question.host)
        )
        self._trust.start(again, settings)

    @property
    def confirming(self) -> bool:
        return self._trust.active

    def _trust_finished(self, outcome: RunOutcome) -> None:
        told = self.state.outcome
        if told is None:
            return
        fresh = {r.candidate.key: r for r in outcome.results}
        results = [fresh.get(r.candidate.key, r) for r in self.state.all_results()]
        self.state.conclude(results)
        self.initializePage()

    # -- the optional test message ------------------------------------------------------------

    def report_document(self) -> dict[str, Any]:
        """The same JSON document as `mailsetup check --json` (docs/check-report.schema.json),
        made by assistant.export like every other file the wizard saves."""
        from assistant.export.account import outcome_document

        state = self.state
        outcome = state.outcome if state.outcome is not None else state.conclude([])
        document = outcome_document(
            state.address,
            outcome,
            timeout=state.time_limit,
            found_in=state.plan().found_in if state.needs_discovery() else None,
            username=outcome.username,
            incoming=state.incoming,
        )
        if state.test_message is not None:
            from assistant.core.report import candidate_document

            document["candidates"].append(candidate_document(state.test_message, state.time_limit))
        return document

    def save_report(self, path: Path) -> None:
        import json

        from assistant.export.files import problem, save_text

        try:
            save_text(path, json.dumps(self.report_document(), indent=2, ensure_ascii=False))
        except OSError as exc:
            self.report_feedback.setText(
                self.tr(
                    "The report could not be saved there ({reason}). Try another folder."
                ).format(reason=self.tr(problem(exc)))
            )
            return
        self.report_feedback.setText(self.tr("Saved {file}.").format(file=str(path)))

    def _ask_report(self) -> None:
        """The Save dialog (titled with the button's name), then the report written there."""
        from assistant.gui.widgets.save_path import ask_save_path

        path = ask_save_path(
            self,
            self.report_button.accessibleName(),
            self.tr("Mail test report.json"),
            self.tr("Report files (*.json)"),
        )
        if path is not None:
            self.save_report(path)

    def send_test_message(self) -> None:
        """Send ONE message to the person's own address through the recommended setting: a new
        one-candidate run on the engine's worker threads (the window never waits for it)."""
        rec = self.state.recommendation
        if rec is None or rec.auth is not AuthOutcome.ACCEPTED or self._message.active:
            return
        settings = self.state.probe_settings()
        settings.test_message_to = self.state.address
        self.send_test_button.setEnabled(False)
        self.test_message_text.setText(
            sentence("test_message_sending", self._engine_tr, address=self.state.address)
        )
        self.test_message_text.show()
        self._message.start([rec.candidate], settings)

    @property
    def sending(self) -> bool:
        return self._message.active

    def _message_finished(self, outcome: RunOutcome) -> None:
        self.send_test_button.setEnabled(True)
        if outcome.results:
            self.state.test_message = outcome.results[0]
            self._show_test_message(outcome.results[0])

    def _message_stopped(self) -> None:
        self.send_test_button.setEnabled(True)
        self.test_message_text.setText(sentence("test_message_stopped", self._engine_tr))

    def _show_test_message(self, result: ProbeResult) -> None:
        from assistant.outcome import test_message_words

        text, words = test_message_words(
            result, self.state.address, self._engine_tr, self.state.time_limit
        )
        if words:
            text += "\n" + words
        self.test_message_text.setText(text)
        self.test_message_text.setAccessibleName(text)
        self.test_message_text.show()
        announce(self.test_message_text, text)  # what happened to the message, told in words


def _esc(text: str) -> str:
    import html

    return html.escape(text)
