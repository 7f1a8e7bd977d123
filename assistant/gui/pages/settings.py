"""Step 6: the exact settings for the chosen mail program, with Copy buttons, Save as PDF and Print."""

from __future__ import annotations

import html
import itertools
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QGuiApplication, QTextDocument
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from assistant import i18n
from assistant.clients import (
    ClientGuide,
    RenderedField,
    SendSetting,
    load_guides,
    render_fields,
    render_text,
    setting_from_result,
)
from assistant.core.explanation import sentence
from assistant.core.models import AuthOutcome, Security
from assistant.gui.i18n import ENGINE_CONTEXT, translator
from assistant.gui.pages.base import Page
from assistant.gui.state import WizardState
from assistant.gui.widgets.glossary import GlossaryLabel
from assistant.marks import strip_marks


def _offered(guides: list[ClientGuide], state: WizardState) -> list[ClientGuide]:
    """The mail programs the IT profile lists (in its order), or all of them."""
    wanted = state.profile.mail_programs if state.profile is not None else ()
    by_id = {g.id: g for g in guides}
    chosen = [by_id[i] for i in wanted if i in by_id]
    return chosen or guides


class SettingsPage(Page):
    def __init__(self, state: WizardState) -> None:
        super().__init__(state)
        self.setTitle(self.tr("Your settings"))
        self.setSubTitle(self.tr("Choose your mail program to see where to type each setting."))
        self._etr = translator(ENGINE_CONTEXT)
        self.guides: list[ClientGuide] = _offered(load_guides(), state)
        self.setting: SendSetting | None = None

        form = QFormLayout()
        self.program = QComboBox(self)
        self.program.setAccessibleName(self.tr("Mail program"))
        self.program.view().setAccessibleName(self.tr("Mail programs"))
        for guide in self.guides:
            self.program.addItem(guide.tr(guide.name), guide.id)
        label = self.program_label = QLabel(self.tr("&Mail program:"), self)
        label.setBuddy(self.program)
        form.addRow(label, self.program)
        self.body.addLayout(form)

        self.risk_banner = GlossaryLabel("", self)
        self.body.addWidget(self.risk_banner)
        self.sign_in_note = QLabel(self)
        self.sign_in_note.setWordWrap(True)
        self.sign_in_note.setAccessibleName(self.tr("Your password"))
        self.body.addWidget(self.sign_in_note)
        self.steps = GlossaryLabel("", self)
        self.body.addWidget(self.steps)
        self.body.addSpacing(self.fontMetrics().height() // 2)
        self.section = QLabel(self)
        self.section.setWordWrap(True)
        font = self.section.font()
        font.setBold(True)
        self.section.setFont(font)
        self.body.addWidget(self.section)
        self.legend = GlossaryLabel("", self)
        self.body.addWidget(self.legend)
        self.fields_box = QWidget(self)
        self.fields_grid = QGridLayout(self.fields_box)
        self.fields_grid.setColumnStretch(1, 1)
        self.body.addWidget(self.fields_box)
        self.after = GlossaryLabel("", self)
        self.body.addWidget(self.after)

        buttons = QHBoxLayout()
        self.copy_all_button = QPushButton(self.tr("Copy a&ll"), self)
        self.copy_all_button.setAccessibleName(self.tr("Copy all settings"))
        self.copy_all_button.clicked.connect(self.copy_all)
        self.pdf_button = QPushButton(self.tr("Save as P&DF…"), self)
        self.pdf_button.setAccessibleName(self.tr("Save as PDF"))
        self.pdf_button.clicked.connect(self._ask_pdf)
        self.print_button = QPushButton(self.tr("&Print…"), self)
        self.print_button.setAccessibleName(self.tr("Print"))
        self.print_button.clicked.connect(self.print_sheet)
        for button in (self.copy_all_button, self.pdf_button, self.print_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.body.addLayout(buttons)
        self.feedback = QLabel(self)
        self.feedback.setAccessibleName(self.tr("Last action"))
        self.body.addWidget(self.feedback)
        self.body.addStretch(1)

        self.value_edits: dict[str, QLineEdit] = {}
        self.shown_values: dict[str, str] = {}
        self.copy_buttons: list[QPushButton] = []
        self._shown = False
        self.program.currentIndexChanged.connect(self._show_guide)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Your settings"))
        self.setSubTitle(self.tr("Choose your mail program to see where to type each setting."))
        self.program_label.setText(self.tr("&Mail program:"))
        self.program.setAccessibleName(self.tr("Mail program"))
        self.program.setAccessibleDescription(
            self.tr("The settings below change to this program's own words.")
        )
        self.program.view().setAccessibleName(self.tr("Mail programs"))
        for index, guide in enumerate(self.guides):
            self.program.setItemText(index, guide.tr(guide.name))
        self.sign_in_note.setAccessibleName(self.tr("Your password"))
        self.legend.set_marked_text(
            self.tr(
                "In plain words: a [[port|port]] is a numbered door on the server; [[ssl-tls|SSL/TLS]] and "
                "[[starttls|STARTTLS]] are the two ways of [[encryption|encrypting]] the connection."
            )
            + " "
            + self.tr("[[smtp|SMTP]] is what mail programs call sending.")
        )
        for button, text, name, description in (
            (
                self.copy_all_button,
                self.tr("Copy a&ll"),
                self.tr("Copy all settings"),
                self.tr("Copies every setting, with the steps, to paste into an email or a note."),
            ),
            (
                self.pdf_button,
                self.tr("Save as P&DF…"),
                self.tr("Save as PDF"),
                self.tr("Saves these settings as a PDF file. No password is in it."),
            ),
            (
                self.print_button,
                self.tr("&Print…"),
                self.tr("Print"),
                self.tr("Prints these settings. No password is in them."),
            ),
        ):
            button.setText(text)
            button.setAccessibleName(name)
            button.setAccessibleDescription(description)
        self.feedback.setAccessibleName(self.tr("Last action"))
        if self._shown:
            self.initializePage()

    # -- wizard hooks -----------------------------------------------------------------------------

    def initializePage(self) -> None:
        self._shown = True
        chosen = self.state.chosen()
        outcome = self.state.outcome
        username = outcome.username if outcome is not None else self.state.address
        self.setting = setting_from_result(chosen, username) if chosen is not None else None
        plain = self.setting is not None and self.setting.security is Security.PLAIN
        self.risk_banner.setVisible(plain)
        self.risk_banner.set_marked_text(sentence("plaintext_banner", self._etr) if plain else "")
        self._show_sign_in()
        self._show_guide()
        self.focus_later(self.program)

    def _show_sign_in(self) -> None:
        state = self.state
        chosen = state.chosen()
        text = ""
        if state.password and chosen is not None:
            if chosen.auth is AuthOutcome.ACCEPTED:
                text = sentence("settings_password_accepted", self._etr)
            elif chosen.auth not in (AuthOutcome.NOT_TRIED, AuthOutcome.NOT_OFFERED):
                text = sentence("settings_password_refused", self._etr)
        self.sign_in_note.setText(text)
        self.sign_in_note.setAccessibleName(text or self.tr("Your password"))
        self.sign_in_note.setVisible(bool(text))

    def _ctr(self, text: str) -> str:
        """The chosen program's own words (see ClientGuide.tr)."""
        return self.guide.tr(text)

    def select_program(self, guide_id: str) -> None:
        index = self.program.findData(guide_id)
        if index >= 0:
            self.program.setCurrentIndex(index)

    @property
    def guide(self) -> ClientGuide:
        return self.guides[max(self.program.currentIndex(), 0)]

    # -- showing a guide --------------------------------------------------------------------------

    def _show_guide(self) -> None:
        while self.fields_grid.count():
            taken = self.fields_grid.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.hide()  # out of the Tab order at once
                widget.deleteLater()
        self.value_edits.clear()
        self.shown_values.clear()
        self.copy_buttons.clear()
        self.feedback.clear()
        if self.setting is None:
            return
        guide = self.guide
        self.steps.set_marked_text(
            "\n".join(f"{n}. {self._ctr(step)}" for n, step in enumerate(guide.steps, 1))
        )
        if not guide.supports(self.setting):
            self.section.setText(
                self.tr(
                    "{program} cannot use a server without encryption. Choose another program."
                ).format(program=self._ctr(guide.name))
            )
            self.after.set_marked_text("")
            self._set_buttons(False)
            return
        self._set_buttons(True)
        self.section.setText(self._ctr(guide.section))
        for row, field in enumerate(render_fields(guide, self.setting, self._ctr)):
            self._add_field(row, field)
            self.shown_values[field.label] = field.value
        extra = [self._ctr(s) for s in guide.edit_steps] + [self._ctr(n) for n in guide.notes]
        unconfirmed = guide.unconfirmed_labels(i18n.current_language())
        if not guide.verified:
            extra.append(
                self.tr(
                    "Some labels here could not be confirmed for every version of this program."
                )
            )
        if unconfirmed:
            extra.append(
                self.tr(
                    "In this language these could not be checked against the program itself: "
                    "{labels}. If your screen says something slightly different, look for the "
                    "closest match."
                ).format(labels=", ".join(self._ctr(label) for label in unconfirmed))
            )
        self.after.set_marked_text("\n\n".join(extra))
        self._tab_order()  # last: which labels have links (and so take Tab) is known now

    def _tab_order(self) -> None:
        """Tab in reading order: program → the steps' and the legend's explained words → each
        value, its Copy button and its note, top to bottom → the notes below → Copy all → PDF →
        Print."""
        chain: list[QWidget] = [self.program, self.risk_banner, self.steps, self.legend]
        for row in range(self.fields_grid.rowCount()):
            for col in (1, 2):
                item = self.fields_grid.itemAtPosition(row, col)
                widget = item.widget() if item is not None else None
                if isinstance(widget, (QLineEdit, QPushButton)):
                    chain.append(widget)
                elif widget is not None:
                    chain += widget.findChildren(GlossaryLabel)
        chain += [self.after, self.copy_all_button, self.pdf_button, self.print_button]
        reachable = [w for w in chain if w.focusPolicy() & Qt.FocusPolicy.TabFocus]
        for first, second in itertools.pairwise(reachable):
            QWidget.setTabOrder(first, second)

    def _set_buttons(self, enabled: bool) -> None:
        for button in (self.copy_all_button, self.pdf_button, self.print_button):
            button.setEnabled(enabled)

    def _add_field(self, row: int, item: RenderedField) -> None:
        label = QLabel(item.label, self.fields_box)
        label.setWordWrap(len(item.label) > 30)
        self.fields_grid.addWidget(label, row, 0)
        if item.kind == "value":
            edit = QLineEdit(item.value, self.fields_box)
            edit.setReadOnly(True)
            edit.setAccessibleName(self.tr("{label} value").format(label=item.label.rstrip(":")))
            edit.setAccessibleDescription(self.tr("Type this into your mail program."))
            label.setBuddy(edit)
            self.fields_grid.addWidget(edit, row, 1)
            button = QPushButton(self.tr("Copy"), self.fields_box)
            button.setAutoDefault(False)
            button.setAccessibleName(self.tr("Copy {label}").format(label=item.label.rstrip(":")))
            button.setAccessibleDescription(self.tr("Copies this value, to paste it."))
            button.clicked.connect(
                lambda _=False, text=item.value, name=item.label: self.copy(text, name)
            )
            self.fields_grid.addWidget(button, row, 2)
            self.value_edits[item.label] = edit
            self.copy_buttons.append(button)
        else:
            prefix = self.tr("Choose: {value}") if item.kind == "choice" else "{value}"
            value = QLabel(
                f"<b>{html.escape(prefix.format(value=item.value))}</b>", self.fields_box
            )
            value.setWordWrap(True)
            value.setAccessibleName(f"{item.label}: {item.value}")
            if not item.note:
                self.fields_grid.addWidget(value, row, 1, 1, 2)
                return
            # A word the program uses that needs explaining (SPA): the note, with its glossary link.
            cell = QWidget(self.fields_box)
            column = QVBoxLayout(cell)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(value)
            note = GlossaryLabel(item.note, cell)
            column.addWidget(note)
            self.fields_grid.addWidget(cell, row, 1, 1, 2)

    def values(self) -> dict[str, str]:
        """Label → value as shown (tests and the screenshot tool read this)."""
        return dict(self.shown_values)

    # -- copy, PDF, print -------------------------------------------------------------------------

    def copy(self, text: str, name: str) -> None:
        QGuiApplication.clipboard().setText(text)
        self.feedback.setText(
            self.tr("Copied {name} {value}.").format(name=name.rstrip(":"), value=text)
        )

    def sheet_text(self) -> str:
        assert self.setting is not None
        outcome = self.state.outcome
        head = (
            outcome.headline
            if outcome is not None and outcome.recommendation is not None
            else self.tr("Unencrypted settings (not recommended).")
        )
        return head + "\n\n" + render_text(self.guide, self.setting, self._ctr)

    def copy_all(self) -> None:
        if self.setting is None:
            return
        QGuiApplication.clipboard().setText(self.sheet_text())
        self.feedback.setText(
            self.tr("Copied all the settings for {program}.").format(
                program=self._ctr(self.guide.name)
            )
        )

    def sheet_html(self) -> str:
        assert self.setting is not None
        guide = self.guide
        rows = "".join(
            f"<tr><td>{html.escape(f.label)}</td><td><b>{html.escape(f.value)}</b></td></tr>"
            for f in render_fields(guide, self.setting, self._ctr)
        )
        steps = "".join(f"<li>{html.escape(strip_marks(self._ctr(s)))}</li>" for s in guide.steps)
        extra = "".join(
            f"<p>{html.escape(strip_marks(self._ctr(s)))}</p>"
            for s in (*guide.edit_steps, *guide.notes)
        )
        outcome = self.state.outcome
        if outcome is not None and outcome.recommendation is not None:
            head = outcome.headline
        else:
            head = self.tr(
                "Unencrypted settings (not recommended): your password and messages travel as plain text."
            )
        title = self.tr("Sending settings for {address} in {program}").format(
            address=self.state.address, program=self._ctr(guide.name)
        )
        return (
            f"<h2>{html.escape(title)}</h2><p><b>{html.escape(head)}</b></p><ol>{steps}</ol>"
            f"<p>{html.escape(self._ctr(guide.section))}</p>"
            f'<table border="1" cellpadding="6" cellspacing="0">{rows}</table>{extra}'
        )

    def document(self) -> QTextDocument:
        doc = QTextDocument(self)
        doc.setHtml(self.sheet_html())
        return doc

    def write_pdf(self, path: Path) -> None:
        """Write the settings sheet as a PDF (no password is ever in it: the sheet never has one)."""
        from PySide6.QtGui import QPageSize, QPdfWriter

        writer = QPdfWriter(str(path))
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setTitle(self.tr("Sending settings"))
        writer.setCreator("Mail Setup Assistant")
        doc = self.document()
        doc.setPageSize(writer.pageLayout().paintRectPixels(writer.resolution()).size().toSizeF())
        doc.print_(writer)
        self.feedback.setText(self.tr("Saved {file}.").format(file=str(path)))

    def _ask_pdf(self) -> None:
        if self.setting is None:
            return
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        name = self.tr("Sending settings - {program}.pdf").format(
            program=self._ctr(self.guide.name)
        )
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save as PDF"), str(Path(folder) / name), self.tr("PDF files (*.pdf)")
        )
        if path:
            self.write_pdf(Path(path))

    def print_sheet(self) -> None:
        if self.setting is None:
            return
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter  # only when printing

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("Print the settings"))
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self.document().print_(printer)
            self.feedback.setText(self.tr("Sent to the printer."))
