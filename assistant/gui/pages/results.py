"""Step 5: the recommendation in one sentence, then every port in plain words, then what needs action."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from assistant.core.models import AuthOutcome, ProbeResult, Verdict
from assistant.gui.i18n import ENGINE_CONTEXT, translator
from assistant.gui.pages.base import Page
from assistant.gui.state import PageId, WizardState
from assistant.gui.widgets.glossary import GlossaryLabel
from assistant.gui.widgets.status import tone_icon
from assistant.gui.wording import Tone, advice, sign_in_advice, verdict_words, where


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


class ResultsPage(Page):
    def __init__(self, state: WizardState) -> None:
        super().__init__(state)
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

        self.warnings_title = self._heading(self.tr("Needs your attention"))
        self.warnings = QVBoxLayout()
        self.body.addWidget(self.warnings_title)
        self.body.addLayout(self.warnings)

        self.ports_title = self._heading(self.tr("Each port in plain words"))
        self.body.addWidget(self.ports_title)
        self.ports = QVBoxLayout()
        self.body.addLayout(self.ports)

        self.risk = QCheckBox(
            self.tr("I understand the risks: show me the settings for the unencrypted server anyway."),
            self,
        )
        self.risk.setAccessibleName(self.tr("I understand the risks of an unencrypted server"))
        self.risk.toggled.connect(self._risk_toggled)
        self.body.addWidget(self.risk)
        self.body.addStretch(1)
        self.port_texts: list[str] = []

    def _heading(self, text: str) -> QLabel:
        label = QLabel(text, self)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        label.setAccessibleName(text)
        return label

    # -- wizard hooks -----------------------------------------------------------------------------

    def initializePage(self) -> None:
        outcome = self.state.outcome
        results = outcome.results if outcome is not None else []
        rec = self.state.recommendation
        self.recommendation.setText(_engine().recommendation_sentence(rec, self._engine_tr))
        self.recommendation_note.set_marked_text(self._note(rec, results))
        _clear(self.ports)
        _clear(self.warnings)
        self.port_texts = []
        for result in results:
            self.ports.addWidget(self._port_box(result, rec))
        warnings = self._warnings(results, rec)
        for text in warnings:
            self.warnings.addWidget(self._warning_label(text))
        self.warnings_title.setVisible(bool(warnings))
        plain = self.state.plaintext_result()
        self.risk.setVisible(rec is None and plain is not None)
        self.risk.setChecked(self.state.accept_plaintext)
        self.completeChanged.emit()

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
        text = _engine().explain(result, self._engine_tr, self.state.timeout or 10.0)
        todo = advice(result, rec)
        body = QLabel(text + ("\n" + todo if todo else ""), box)
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
            todo = sign_in_advice(result)
            if todo:
                out.append(
                    self.tr("{where}: sign-in was refused. {todo}").format(where=where(result), todo=todo)
                )
        if rec is not None and rec.verdict is Verdict.ENCRYPTED_STARTTLS:
            blocked_465 = any(r.candidate.port == 465 and r.verdict is Verdict.BLOCKED for r in results)
            if blocked_465:
                out.append(self.tr("Port 465 is blocked on this network; STARTTLS on port {port} works, so use that.")
                           .format(port=rec.candidate.port))
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


def _esc(text: str) -> str:
    import html

    return html.escape(text)
