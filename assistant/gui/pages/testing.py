"""Step 4: the live table. One row per server/port, moved along by the engine's phase reports, in
two groups: Receiving (IMAP, POP3) first, then Sending (SMTP), as mail programs ask for them.

Rows change only in slots connected to `RunBridge` (GUI thread); the probing happens in the engine's
worker threads. Going Back cancels the run, and the bridge drops whatever that run still delivers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
)

from assistant.core.explanation import explain, protocol_name, security_name, sentence
from assistant.core.models import Candidate, Phase, PhaseStatus, ProbeEvent, ProbeResult
from assistant.gui.discovery_worker import DiscoveryLookup
from assistant.gui.i18n import ENGINE_CONTEXT, translator
from assistant.gui.pages.base import Page
from assistant.gui.state import WizardState
from assistant.gui.widgets.announce import announce
from assistant.gui.widgets.control_words import describe, word_button
from assistant.gui.widgets.glossary import GlossaryLabel
from assistant.gui.widgets.page_button import page_button
from assistant.gui.widgets.painted import Painted
from assistant.gui.widgets.status import tone_icon
from assistant.gui.widgets.wrapping import WrappedCells, fit_column
from assistant.gui.wording import Tone, phase_words
from assistant.gui.workers import RunBridge
from assistant.i18n import ngettext

if TYPE_CHECKING:
    from assistant.core.probe_run import RunOutcome
    from assistant.outcome import Outcome

COL_SERVER, COL_PORT, COL_STATUS, COL_SIGN_IN, COL_TIME = range(5)


def seconds(ms: float) -> str:
    if ms < 100:
        return QCoreApplication.translate("TestingPage", "under 0.1 s")
    return QCoreApplication.translate("TestingPage", "{n} s").format(n=f"{ms / 1000:.1f}")


class _Row:
    """One row and what it shows, kept so it can be worded again in another language."""

    def __init__(self, item: QTreeWidgetItem, candidate: Candidate) -> None:
        self.item = item
        self.candidate = candidate
        self.done = False
        self.phase: Phase | None = None
        self.result: ProbeResult | None = None
        self.stopped = False


class TestingPage(Page):
    def __init__(self, state: WizardState, bridge: RunBridge, discovery: DiscoveryLookup) -> None:
        super().__init__(state)
        self.bridge = bridge
        self.discovery = discovery
        self._waiting_for_discovery = False
        self._engine_tr = translator(ENGINE_CONTEXT)

        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.body.addWidget(self.summary)

        self.progress = QProgressBar(self)
        self.body.addWidget(self.progress)
        self.legend = GlossaryLabel("", self)
        self.body.addWidget(self.legend)
        self.halves_legend = GlossaryLabel("", self)  # what the two groups' names mean
        self.body.addWidget(self.halves_legend)

        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(5)
        self._cells = WrappedCells(self.tree, wrapping=(COL_STATUS, COL_SIGN_IN))
        self.tree.setUniformRowHeights(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setStretchLastSection(False)
        # The server name is what a person recognises: it is never cut. The status words take the
        # room that is left and wrap (a 640×480 screen once showed "Ser" for "Server").
        # The status and sign-in words share the room that is left, and wrap within it.
        for col in (COL_STATUS, COL_SIGN_IN):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        # The others are as wide as their words, fitted when the rows or their words change
        # (`_fit_columns`); a person can still widen them.
        self.tree.setMinimumHeight(self.fontMetrics().height() * 8)
        self.body.addWidget(self.tree, 1)

        buttons = QHBoxLayout()
        self.stop_button = page_button(self, self.stop)
        self.again_button = page_button(self, self.start)
        self.again_button.hide()
        self.details_button = QPushButton(self)
        self.details_button.setCheckable(True)
        self.details_button.setAutoDefault(False)
        self.details_button.toggled.connect(self._toggle_details)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.again_button)
        buttons.addStretch(1)
        buttons.addWidget(self.details_button)
        self.body.addLayout(buttons)

        self.transcript = QPlainTextEdit(self)
        self.transcript.setReadOnly(True)
        self.transcript.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.transcript.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.transcript.hide()
        self.body.addWidget(self.transcript, 1)

        self._rows: dict[str, _Row] = {}
        self._groups: dict[bool, QTreeWidgetItem] = {}
        self._building = False
        """The "Receiving" (True) and "Sending" (False) group rows, each made when first needed."""
        self._arrived: list[ProbeResult] = []
        """Results delivered but not shown yet: shown one per event-loop turn (`_show_next`), so
        twenty answering together never hold the window for all twenty at once."""
        self._showing = False
        self._outcome: Outcome | None = None
        self._results: list[ProbeResult] = []  # of the current run, as they arrive
        self._running = False
        self._progress_pending = False
        self._clock = QElapsedTimer()
        self._ticker = QTimer(self)
        self._ticker.setInterval(250)
        self._ticker.timeout.connect(self._tick)

        bridge.progress.connect(self._on_event)
        bridge.result.connect(self._on_result)
        bridge.finished.connect(self._on_finished)
        discovery.finished.connect(self._discovery_done)
        self._summary: tuple[str, dict[str, object]] = ("", {})
        self._tested: tuple[object, ...] | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Testing"))
        self.setSubTitle(
            self.tr("Trying each way of receiving and sending mail, all at the same time.")
        )
        self.summary.setAccessibleName(self.tr("Testing status"))
        describe(
            self.progress,
            self.tr("Overall progress"),
            self.tr("How many of the tests have finished"),
        )
        self.progress.setFormat(self.tr("%v of %m done"))
        self.legend.set_marked_text(sentence("ports_legend", self._engine_tr))
        self.halves_legend.set_marked_text(sentence("halves_legend", self._engine_tr))
        self.tree.setAccessibleName(self.tr("Servers and ports being tested"))
        self.tree.setAccessibleDescription(
            self.tr(
                "Each row is one server and port. Press the right arrow key to see what was found."
            )
        )
        self.tree.setHeaderLabels(
            [
                self.tr("Server"),
                self.tr("Port"),
                self.tr("Status"),
                self.tr("Sign-in"),
                self.tr("Time"),
            ]
        )
        self.tree.header().setAccessibleName(self.tr("Column headings"))
        word_button(
            self.stop_button,
            self.tr("S&top testing"),
            self.tr("Stop testing"),
            self.tr("Stops every test; what was found so far is kept."),
        )
        word_button(
            self.again_button,
            self.tr("Test a&gain"),
            self.tr("Test again"),
            self.tr("Runs every test again from the start."),
        )
        self._word_details_button(self.details_button.isChecked())
        self.details_button.setAccessibleDescription(
            self.tr("Shows or hides the conversation with each server, for IT.")
        )
        describe(
            self.transcript,
            self.tr("Technical details: the conversation with each server"),
            self.tr("Exactly what this computer and each server said to each other, for IT."),
        )
        if self._outcome is not None and self.state.outcome is not None:
            self._outcome = self.state.outcome  # the wizard worded it again first
        self._show_summary()
        with self._cells.batch():
            for incoming, group in self._groups.items():
                group.setText(COL_SERVER, self._group_title(incoming))
            for row in self._rows.values():
                self._word_row(row)
            self._fit_columns()

    def _fit_columns(self) -> None:
        """The server, port and time columns as wide as their words (a server name is never cut);
        the status and sign-in columns share the rest."""
        fit_column(self.tree, COL_SERVER)
        fit_column(self.tree, COL_PORT)
        fit_column(self.tree, COL_TIME, seconds(0), seconds(88_800))

    def _set_summary(self, kind: str, **values: object) -> None:
        self._summary = (kind, values)
        self._show_summary()
        announce(self.summary, self.summary.text(), urgent=kind == "outcome")

    def _show_summary(self) -> None:
        """The line above the table, from what it is about (worded again on a language switch)."""
        kind, values = self._summary
        if kind == "looking":
            text = self.tr("Looking up the settings for {domain}…").format(**values)
        elif kind == "testing" and values.get("both"):
            text = sentence(
                "testing_both", self._engine_tr, count=values["count"], address=values["address"]
            )
        elif kind == "testing":
            count = int(str(values["count"]))
            text = ngettext(
                "Testing {count} way to send mail for {address}…",
                "Testing {count} ways to send mail for {address}…",
                count,
            ).format(**values)
        elif kind == "problem":
            text = self.state.plan().problem or ""
        elif kind == "outcome":
            from assistant.outcome import run_summary

            outcome, stopped = self.state.outcome, bool(values.get("stopped"))
            text = (
                run_summary(outcome, self.state.incoming, stopped=stopped, tr=self._engine_tr)
                if outcome is not None
                else ""
            )
        else:
            text = ""
        self.summary.setText(text)

    def _word_row(self, row: _Row) -> None:
        """The row's words from what it holds (a phase, a result, or stopped)."""
        candidate, item = row.candidate, row.item
        port = str(candidate.port)
        shown = f"{port} ({security_name(candidate.security, self._engine_tr)})"
        if candidate.protocol.incoming:  # "IMAP 993 (SSL/TLS)": two ways of receiving
            shown = f"{protocol_name(candidate.protocol, self._engine_tr)} {shown}"
        item.setText(COL_PORT, shown)
        tip = candidate.label and self.tr("Port {port}: {label}").format(
            port=port, label=self._engine_tr(candidate.label)
        )
        item.setToolTip(COL_PORT, tip or "")
        if row.result is not None:
            self._word_result(row, row.result)
        elif row.stopped:
            self._set_status(item, Tone.STOPPED, sentence("status_stopped", self._engine_tr))
        elif row.phase is not None:
            self._set_status(item, Tone.RUNNING, phase_words(row.phase))
            if row.phase is Phase.AUTH:
                item.setText(COL_SIGN_IN, self.tr("Signing in…"))
        else:
            self._set_status(item, Tone.WAITING, self.tr("Waiting"))
        self._cells.fit(item)

    def _word_result(self, row: _Row, result: ProbeResult) -> None:
        told = explain(result, self._engine_tr, self.state.time_limit)
        self._set_status(row.item, told.tone, told.status)
        if self.state.password:
            row.item.setIcon(COL_SIGN_IN, tone_icon(told.sign_in_tone))
            row.item.setText(COL_SIGN_IN, told.sign_in_status)
        row.item.takeChildren()
        for line in self.evidence_lines(result, told.text):
            child = QTreeWidgetItem(row.item)
            child.setText(COL_SERVER, line)
            child.setFirstColumnSpanned(True)
            self._cells.fit(child)
        self._cells.fit(row.item)

    # -- wizard hooks -----------------------------------------------------------------------------

    def initializePage(self) -> None:
        if self._outcome is not None and self._tested == self._inputs():
            # Back to an earlier page (to change the language, say) and forward again with nothing
            # changed: keep what was tested. "Test again" runs everything anew.
            self.completeChanged.emit()
            return
        self.start()

    def _inputs(self) -> tuple[object, ...]:
        """What a run depends on; the password only as a digest, never a second copy."""
        import hashlib

        state = self.state
        digest = hashlib.sha256(state.password.encode()).hexdigest() if state.password else ""
        pending = state.needs_discovery() and self.discovery.pending_for(state.address)
        keys = () if pending else tuple(c.key for c in state.plan().candidates)
        return (state.address, keys, digest, state.timeout)

    def cleanupPage(self) -> None:
        """Back: stop the run; its late results are ignored by the bridge."""
        self._waiting_for_discovery = False
        self.stop()

    def isComplete(self) -> bool:
        return self._outcome is not None

    @property
    def running(self) -> bool:
        return self._running

    # -- run control ------------------------------------------------------------------------------

    def start(self) -> None:
        self._tested = None
        self._outcome = None
        self.state.halves = None
        self.state.test_message = None
        self.state.accept_plaintext = False
        self.completeChanged.emit()
        self.tree.clear()
        self.transcript.clear()
        self._rows.clear()
        self._groups.clear()
        self._arrived.clear()
        self._results.clear()
        self.tree.setColumnHidden(COL_SIGN_IN, not self.state.password)
        state = self.state
        if state.needs_discovery():
            if not self.discovery.done_for(state.address):
                self.discovery.lookup(state.address, state.active_profile)  # no-op if under way
            if not self.discovery.pending_for(state.address):
                state.discovery = self.discovery.result_for(state.address)
        if state.needs_discovery() and self.discovery.pending_for(state.address):
            # The provider's settings are still being looked up: start as soon as they arrive.
            self._waiting_for_discovery = True
            self.progress.setRange(0, 0)
            self._set_summary("looking", domain=self.state.domain)
            self.again_button.hide()
            self.stop_button.hide()
            return
        self._waiting_for_discovery = False
        plan = self.state.plan()
        if plan.problem:  # e.g. the company profile allows none of these ports: nothing to test
            self._set_summary("problem")
            self.progress.setRange(0, 1)
            self.progress.setValue(0)
            self.stop_button.hide()
            self.again_button.hide()
            return
        candidates = list(plan.candidates)
        incoming_first = sorted(candidates, key=lambda c: not c.protocol.incoming)
        # The groups and their rows are built outside the tree and put in at once: one layout
        # of the table, not one per row.
        self._building = True
        for candidate in incoming_first:
            self._add_row(candidate)
        self._building = False
        groups = [self._groups[k] for k in (True, False) if k in self._groups]
        with self._cells.batch():  # the rows' heights measured once, with the columns fitted
            self.tree.addTopLevelItems(groups)
            for group in groups:
                group.setFirstColumnSpanned(True)  # only takes effect once the item is in the tree
                group.setExpanded(True)
            self._fit_columns()
        self.progress.setRange(0, len(candidates))
        self.progress.setValue(0)
        both = any(c.protocol.incoming for c in candidates)
        self._set_summary("testing", count=len(candidates), address=self.state.address, both=both)
        self.again_button.hide()
        self.stop_button.show()
        self.stop_button.setEnabled(True)
        self._running = True
        self._clock.start()
        self._ticker.start()
        # The probes begin once this page is on screen: the page first, then forty threads.
        shown = self.window().isVisible()  # (this page itself shows after initializePage)
        on_screen = Painted(self.tree.viewport()).flag if shown else None
        self.bridge.start(candidates, self.state.probe_settings(), on_screen)

    def _discovery_done(self, result: object) -> None:
        if not self._waiting_for_discovery:
            return
        if self.discovery.address == self.state.address:
            self.state.discovery = self.discovery.result
        self.start()

    def stop(self) -> None:
        if not self._running:
            return
        self._drain()  # what already arrived counts
        self._running = False
        self._ticker.stop()
        self.bridge.cancel()
        for row in self._rows.values():
            if not row.done:
                row.stopped = True
                self._word_row(row)
        # What was found before Stop still counts: a safe way already found can be used.
        concluded = self.state.conclude(list(self._results), stopped=True)
        self._set_summary("outcome", stopped=True)
        incoming = self.state.incoming
        if concluded.recommendation is not None or (
            incoming is not None and incoming.recommendation is not None
        ):
            self._outcome = concluded
            self.completeChanged.emit()
        self.stop_button.hide()
        self.again_button.show()

    # -- rows -------------------------------------------------------------------------------------

    def _group_title(self, incoming: bool) -> str:
        return sentence("receiving_group" if incoming else "sending_group", self._engine_tr)

    def _group(self, incoming: bool) -> QTreeWidgetItem:
        """The group row a candidate's row goes under; Receiving stays above Sending."""
        group = self._groups.get(incoming)
        if group is None:
            group = QTreeWidgetItem()
            group.setText(COL_SERVER, self._group_title(incoming))
            font = group.font(COL_SERVER)
            font.setBold(True)
            group.setFont(COL_SERVER, font)
            self._groups[incoming] = group
            if self._building:
                return group  # put into the tree with the others (`start`)
            if incoming:
                self.tree.insertTopLevelItem(0, group)
            else:
                self.tree.addTopLevelItem(group)
            group.setFirstColumnSpanned(True)  # only takes effect once the item is in the tree
            group.setExpanded(True)
            self._cells.fit(group)
        return group

    def _add_row(self, candidate: Candidate) -> _Row:
        item = QTreeWidgetItem(self._group(candidate.protocol.incoming))
        item.setText(COL_SERVER, candidate.host)
        item.setText(COL_SIGN_IN, "")
        item.setText(COL_TIME, "")
        row = _Row(item, candidate)
        self._rows[candidate.key] = row
        self._word_row(row)
        return row

    def _row(self, candidate: Candidate) -> _Row:
        row = self._rows.get(candidate.key)
        if row is None:  # a name found on a certificate, tested as an extra candidate
            row = self._add_row(candidate)
            self.progress.setMaximum(len(self._rows))
            self._fit_columns()
        return row

    @staticmethod
    def _set_status(item: QTreeWidgetItem, tone: Tone, words: str) -> None:
        item.setIcon(COL_STATUS, tone_icon(tone))
        item.setText(COL_STATUS, words)

    def status_text(self, candidate: Candidate) -> str:
        return self._rows[candidate.key].item.text(COL_STATUS)

    def sign_in_text(self, candidate: Candidate) -> str:
        return self._rows[candidate.key].item.text(COL_SIGN_IN)

    def candidates_shown(self, incoming: bool | None = None) -> list[tuple[str, str]]:
        """(server, port column) of every row, top to bottom (only one group's with `incoming`)."""
        shown = []
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            if group is None or (incoming is not None and self._groups.get(incoming) is not group):
                continue
            for j in range(group.childCount()):
                item = group.child(j)
                if item is not None:
                    shown.append((item.text(COL_SERVER), item.text(COL_PORT)))
        return shown

    def group_titles(self) -> list[str]:
        """The group rows' words, top to bottom ("Receiving …", "Sending …")."""
        items = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [item.text(COL_SERVER) for item in items if item is not None]

    def row_item(self, candidate: Candidate) -> QTreeWidgetItem:
        return self._rows[candidate.key].item

    def row_count(self) -> int:
        return len(self._rows)

    # -- slots (GUI thread, current run only) -----------------------------------------------------

    def _on_event(self, event: ProbeEvent) -> None:
        if not self._running:
            return
        row = self._row(event.candidate)
        if row.done or event.status is not PhaseStatus.STARTED:
            return
        row.phase = event.phase
        if event.phase is Phase.AUTH:
            row.item.setIcon(COL_SIGN_IN, tone_icon(Tone.RUNNING))
        self._word_row(row)

    def _on_result(self, result: ProbeResult) -> None:
        if not self._running:
            return
        self._arrived.append(result)
        if not self._showing:
            self._showing = True
            QTimer.singleShot(0, self, self._show_next)

    def _show_next(self) -> None:
        """One arrived result per turn of the event loop; the rest wait for the next turn."""
        self._showing = False
        if not self._running or not self._arrived:
            return
        self._show_result(self._arrived.pop(0))
        if self._arrived:
            self._showing = True
            QTimer.singleShot(0, self, self._show_next)

    def _drain(self) -> None:
        """Show every result that arrived and is still waiting (before a Stop or the end)."""
        arrived, self._arrived = self._arrived, []
        for result in arrived:
            row = self._rows.get(result.candidate.key)
            if row is None or not row.done:
                self._show_result(result)

    def _show_result(self, result: ProbeResult) -> None:
        row = self._row(result.candidate)
        row.done = True
        self._results.append(result)
        row.result = result
        self._word_result(row, result)
        row.item.setText(COL_TIME, seconds(result.total_ms))
        # Told in words to screen readers as it happens, not only by the row's icon.
        announce(
            self.tree,
            self.tr("{host} port {port}: {status}").format(
                host=result.candidate.host,
                port=result.candidate.port,
                status=row.item.text(COL_STATUS),
            ),
        )
        # QProgressBar.setValue repaints at once; when several results arrive together, one
        # repaint after all of them is enough.
        if not self._progress_pending:
            self._progress_pending = True
            QTimer.singleShot(0, self, self._update_progress)
        self._append_transcript(result)

    def _update_progress(self) -> None:
        self._progress_pending = False
        if self._running:
            self.progress.setValue(sum(1 for r in self._rows.values() if r.done))

    def _on_finished(self, outcome: RunOutcome) -> None:
        if not self._running:
            return
        self._drain()
        # The outcome holds every result; the engine delivers each before "finished", so this only
        # fills a row whose result signal was lost (e.g. a bridge filtered it): a safety net.
        for result in outcome.results:
            row = self._rows.get(result.candidate.key)
            if row is None or not row.done:
                self._show_result(result)
        self._running = False
        self._ticker.stop()
        concluded = self.state.conclude(outcome.results)
        self._outcome = concluded
        self._tested = self._inputs()
        self.progress.setValue(self.progress.maximum())
        self._set_summary("outcome")
        self.stop_button.hide()
        self.again_button.show()
        self.completeChanged.emit()
        next_button = (
            self.wizard().button(self.wizard().WizardButton.NextButton) if self.wizard() else None
        )
        if next_button is not None:
            next_button.setFocus()

    def _tick(self) -> None:
        elapsed = self._clock.elapsed()
        for row in self._rows.values():
            if not row.done:
                row.item.setText(COL_TIME, seconds(elapsed))

    # -- details ----------------------------------------------------------------------------------

    def evidence_lines(self, result: ProbeResult, explanation: str) -> list[str]:
        ev = result.evidence
        lines = [explanation]
        if ev.addresses:
            lines.append(self.tr("Addresses: {list}").format(list=", ".join(ev.addresses)))
        if ev.greeting is not None:
            lines.append(
                self.tr("Server greeting: {code} {text}").format(
                    code=ev.greeting.code, text=ev.greeting.text
                )
            )
        if ev.tls_version:
            lines.append(
                self.tr("Encryption: {version}, {cipher}").format(
                    version=ev.tls_version, cipher=ev.tls_cipher or "?"
                )
            )
        cert = ev.certificate
        if cert is not None:
            lines.append(
                self.tr("Certificate for: {names}; issued by: {issuer}; valid until {date}").format(
                    names=", ".join(cert.names) or (cert.subject_cn or "?"),
                    issuer=cert.issuer,
                    date=cert.not_after.date().isoformat(),
                )
            )
        if ev.auth_mechanisms:
            lines.append(
                self.tr("Sign-in methods offered: {list}").format(
                    list=", ".join(ev.auth_mechanisms)
                )
            )
        if result.timings_ms:
            steps = ", ".join(f"{k} {v:.0f} ms" for k, v in result.timings_ms.items())
            lines.append(self.tr("Steps: {steps}").format(steps=steps))
        return lines

    def _append_transcript(self, result: ProbeResult) -> None:
        cand = result.candidate
        self.transcript.appendPlainText(
            f"── {cand.host}:{cand.port} ({security_name(cand.security, self._engine_tr)}) ──"
        )
        self.transcript.appendPlainText(
            "\n".join(result.evidence.transcript) or self.tr("(nothing was said)")
        )
        self.transcript.appendPlainText("")

    def _toggle_details(self, shown: bool) -> None:
        self.transcript.setVisible(shown)
        self._word_details_button(shown)

    def _word_details_button(self, shown: bool) -> None:
        self.details_button.setText(
            self.tr("Hide technical &details") if shown else self.tr("Show technical &details")
        )
        self.details_button.setAccessibleName(
            self.tr("Hide technical details") if shown else self.tr("Show technical details")
        )
