"""Step 6: the exact settings for the chosen mail program, both halves in that program's own order
(receiving, then sending), with Copy buttons, Save as PDF and Print,
and the files to take away: an Apple profile, Thunderbird's setup file for IT, and a report for IT.

The page only chooses where a file goes and says what happened; what goes into each file is decided
by `assistant.export` from one model of the account, the same one `mailsetup export` writes."""

from __future__ import annotations

import html
import itertools
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
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
    for_setting,
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
from assistant.gui.widgets.control_words import describe, word_button, word_choice
from assistant.gui.widgets.glossary import GlossaryLabel
from assistant.gui.widgets.save_path import ask_save_path
from assistant.marks import strip_marks

if TYPE_CHECKING:
    from assistant.export import AccountSettings
    from assistant.export.sheet import Sheet

EXPORT_CONTEXT = "export"


def _offered(guides: list[ClientGuide], state: WizardState) -> list[ClientGuide]:
    """The mail programs the IT profile lists (in its order), or all of them."""
    wanted = state.profile.mail_programs if state.profile is not None else ()
    by_id = {g.id: g for g in guides}
    chosen = [by_id[i] for i in wanted if i in by_id]
    return chosen or guides


class _Feedback(QLabel):
    """The "what just happened" line: takes no room until there is something to say."""

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setVisible(bool(text))

    def clear(self) -> None:
        super().clear()
        self.setVisible(False)


class SettingsPage(Page):
    def __init__(self, state: WizardState) -> None:
        super().__init__(state)
        self._etr = translator(ENGINE_CONTEXT)
        self.guides: list[ClientGuide] = _offered(load_guides(), state)
        self.setting: SendSetting | None = None
        self.incoming_setting: SendSetting | None = None
        """The receiving half tested in this run (IMAP or POP3), shown above the sending half; when
        receiving was not tested, the provider's documented server (`incoming_documented`)."""
        self.incoming_documented = False
        self.missing_incoming = ""
        """What stands where the receiving half goes when there is none (export.lead)."""

        form = QFormLayout()
        self.program = QComboBox(self)
        for guide in self.guides:
            self.program.addItem(guide.tr(guide.name), guide.id)
        label = self.program_label = QLabel(self)
        label.setBuddy(self.program)
        form.addRow(label, self.program)
        self.body.addLayout(form)

        self.risk_banner = GlossaryLabel("", self)
        self.body.addWidget(self.risk_banner)
        self.sign_in_note = QLabel(self)
        self.sign_in_note.setWordWrap(True)
        self.body.addWidget(self.sign_in_note)
        # The things to do with these settings come first, where they are seen without scrolling.
        buttons = QGridLayout()
        self.copy_all_button = QPushButton(self)
        self.copy_all_button.clicked.connect(self.copy_all)
        self.pdf_button = QPushButton(self)
        self.print_button = QPushButton(self)
        self.print_button.clicked.connect(self.print_sheet)
        self.apple_button = QPushButton(self)
        self.thunderbird_button = QPushButton(self)
        self.report_button = QPushButton(self)
        for saving in (
            self.pdf_button,
            self.apple_button,
            self.thunderbird_button,
            self.report_button,
        ):
            saving.clicked.connect(lambda _=False, button=saving: self._ask_to_save(button))
        self.action_buttons = [
            self.copy_all_button,
            self.pdf_button,
            self.print_button,
            self.apple_button,
            self.thunderbird_button,
            self.report_button,
        ]
        for index, button in enumerate(self.action_buttons):
            button.setAutoDefault(False)
            buttons.addWidget(button, index // 3, index % 3)
        self.body.addLayout(buttons)
        self.feedback = _Feedback(self)
        self.feedback.setWordWrap(True)
        self.body.addWidget(self.feedback)
        self.body.addSpacing(self.fontMetrics().height() // 2)

        self.steps = GlossaryLabel("", self)
        self.body.addWidget(self.steps)
        self.legend = GlossaryLabel("", self)
        self.body.addWidget(self.legend)
        self.body.addSpacing(self.fontMetrics().height() // 2)
        self.incoming_section, self.incoming_box, self.incoming_grid = self._add_half()
        self.incoming_missing = GlossaryLabel("", self)
        """Why there is no receiving half to type, and what to ask for (hidden when there is one):
        under its heading, in place of the (then hidden) fields, with their space below it."""
        gap = self.fontMetrics().height() // 2
        self.incoming_missing.setContentsMargins(0, gap // 2, 0, gap)
        self.body.insertWidget(self.body.indexOf(self.incoming_box), self.incoming_missing)
        self.section, self.fields_box, self.fields_grid = self._add_half()
        self.after = GlossaryLabel("", self)
        self.body.addWidget(self.after)

        self.body.addStretch(1)

        self.value_edits: dict[str, QLineEdit] = {}
        self.shown_values: dict[str, str] = {}
        """The sending half's label → value (`incoming_values` holds the receiving half's)."""
        self.incoming_edits: dict[str, QLineEdit] = {}
        self.incoming_values: dict[str, str] = {}
        self.copy_buttons: list[QPushButton] = []
        self._shown = False
        self.program.currentIndexChanged.connect(self._show_guide)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Your settings"))
        self.setSubTitle(self.tr("Choose your mail program to see where to type each setting."))
        word_choice(
            self.program_label,
            self.program,
            self.tr("&Mail program:"),
            self.tr("Mail program"),
            self.tr("The settings below change to this program's own words."),
            self.tr("Mail programs"),
        )
        for index, guide in enumerate(self.guides):
            self.program.setItemText(index, guide.tr(guide.name))
        self.sign_in_note.setAccessibleName(self.tr("Your password"))
        self.legend.set_marked_text(
            sentence("ports_legend", self._etr)
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
            (
                self.apple_button,
                self.tr("Save for your &iPhone or Mac…"),
                self.tr("Save for your iPhone or Mac"),
                self.tr(
                    "A profile that adds this account on an iPhone, iPad or Mac. Your password is "
                    "not in it: the device asks for it."
                ),
            ),
            (
                self.thunderbird_button,
                self.tr("Save for IT: setup file for &Thunderbird…"),
                self.tr("Save for IT: setup file for Thunderbird"),
                self._thunderbird_hint(),
            ),
            (
                self.report_button,
                self.tr("Save a &report for IT…"),
                self.tr("Save a report for IT"),
                self.tr("A page any web browser opens, with a JSON file beside it for IT's tools."),
            ),
        ):
            word_button(button, text, name, description)
            button.setToolTip(description)
        self.feedback.setAccessibleName(self.tr("Last action"))
        if self._shown:
            self.initializePage()

    # -- wizard hooks -----------------------------------------------------------------------------

    def _add_half(self) -> tuple[QLabel, QWidget, QGridLayout]:
        """One half's place on the page (receiving, then sending): its bold heading, and the box
        whose grid holds its fields (label, value, Copy), the values' column taking the room."""
        heading = QLabel(self)
        heading.setWordWrap(True)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        self.body.addWidget(heading)
        box = QWidget(self)
        grid = QGridLayout(box)
        grid.setColumnStretch(1, 1)
        self.body.addWidget(box)
        return heading, box, grid

    def initializePage(self) -> None:
        self._shown = True
        chosen = self.state.chosen()
        outcome = self.state.outcome
        username = outcome.username if outcome is not None else self.state.address
        self.setting = setting_from_result(chosen, username) if chosen is not None else None
        incoming = self.state.incoming
        received = incoming.recommendation if incoming is not None else None
        self.incoming_setting = (
            setting_from_result(received, incoming.username)
            if received is not None and incoming is not None
            else None
        )
        # The receiving half as the files have it (export/account.py decides): when receiving was
        # not tested here (an IT profile that names sending servers only), the provider's
        # documented server, marked untested; with none at all, the sentence that stands there.
        from assistant.export.lead import missing_incoming
        from assistant.export.sheet import send_setting

        account = self.account()
        documented = account.incoming if self.incoming_setting is None else None
        self.incoming_documented = documented is not None and not documented.tested
        if documented is not None and self.incoming_documented:
            self.incoming_setting = send_setting(documented)
        self.missing_incoming = missing_incoming(account, self._etr)
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
        for grid in (self.incoming_grid, self.fields_grid):
            while grid.count():
                taken = grid.takeAt(0)
                widget = taken.widget() if taken is not None else None
                if widget is not None:
                    widget.hide()  # out of the Tab order at once
                    widget.deleteLater()
        self.value_edits.clear()
        self.shown_values.clear()
        self.incoming_edits.clear()
        self.incoming_values.clear()
        self.copy_buttons.clear()
        self.feedback.clear()
        decides = self.setting or self.incoming_setting
        if decides is None:
            return
        guide = for_setting(self.guide, decides)  # the provider's own account type, if any
        self.steps.set_marked_text(
            "\n".join(f"{n}. {self._ctr(step)}" for n, step in enumerate(guide.steps, 1))
        )
        if self.setting is not None and not guide.supports(self.setting):
            self.incoming_section.clear()
            self.incoming_section.hide()
            self.incoming_missing.hide()
            self.section.show()
            self.section.setText(
                self.tr(
                    "{program} cannot use a server without encryption. Choose another program."
                ).format(program=self._ctr(guide.name))
            )
            self.after.set_marked_text("")
            self._set_buttons(False)
            return
        self._set_buttons(True)
        incoming = (
            render_fields(guide, self.incoming_setting, self._ctr)
            if self.incoming_setting is not None
            else []
        )
        part = guide.incoming
        heading = self._ctr(part.section) if incoming and part else ""
        missing = self.missing_incoming if part is not None and not incoming else ""
        if missing:  # said where the half goes, or half an account looks like a whole one
            heading = self.tr("Receiving mail")
        self.incoming_missing.set_marked_text(missing)
        self.incoming_missing.setVisible(bool(missing))
        self.incoming_box.setVisible(bool(incoming))
        self.incoming_section.setText(heading)
        self.incoming_section.setVisible(bool(heading))
        for row, field in enumerate(incoming):
            self._add_field(row, field, self.incoming_grid, self.incoming_box, self.incoming_edits)
            self.incoming_values[field.label] = field.value
        if incoming and self.incoming_documented:
            note = QLabel(sentence("documented_not_tested", self._etr), self.incoming_box)
            note.setWordWrap(True)
            self.incoming_grid.addWidget(note, len(incoming), 0, 1, 3)
        outgoing = render_fields(guide, self.setting, self._ctr) if self.setting else []
        section = guide.outgoing.section
        self.section.setText(self._ctr(section) if self.setting is not None else "")
        self.section.setVisible(self.setting is not None and bool(section))
        for row, field in enumerate(outgoing):
            self._add_field(row, field, self.fields_grid, self.fields_box, self.value_edits)
            self.shown_values[field.label] = field.value
        extra = [self._ctr(s) for s in guide.edit_steps] + [self._ctr(n) for n in guide.notes]
        if not guide.verified:
            extra.append(
                self.tr(
                    "Some labels here could not be confirmed for every version of this program."
                )
            )
        unconfirmed = guide.unconfirmed_labels(i18n.current_language())
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
        """Tab in reading order: program → the action buttons, as they are laid out → the steps'
        and the legend's explained words → why there is no receiving half, when there is none →
        each value, its Copy button and its note, top to bottom → the notes below."""
        chain: list[QWidget] = [self.program, self.risk_banner, *self.action_buttons]
        chain += [self.steps, self.legend, self.incoming_missing]
        for grid in (self.incoming_grid, self.fields_grid):  # receiving, then sending
            for row in range(grid.rowCount()):
                for col in (1, 2):
                    item = grid.itemAtPosition(row, col)
                    widget = item.widget() if item is not None else None
                    if isinstance(widget, (QLineEdit, QPushButton)):
                        chain.append(widget)
                    elif widget is not None:
                        chain += widget.findChildren(GlossaryLabel)
        chain.append(self.after)
        reachable = [w for w in chain if w.focusPolicy() & Qt.FocusPolicy.TabFocus]
        for first, second in itertools.pairwise(reachable):
            QWidget.setTabOrder(first, second)

    def _set_buttons(self, enabled: bool) -> None:
        # The IT report is about the test, not the program: it can always be saved.
        for button in self.action_buttons:
            button.setEnabled(enabled or button is self.report_button)

    def _add_field(
        self,
        row: int,
        item: RenderedField,
        grid: QGridLayout,
        box: QWidget,
        edits: dict[str, QLineEdit],
    ) -> None:
        label = QLabel(item.label, box)
        label.setWordWrap(len(item.label) > 30)
        grid.addWidget(label, row, 0)
        if item.kind == "value":
            if item.note:  # e.g. when Outlook asks for the user name at all
                label.setToolTip(item.note)
            edit = QLineEdit(item.value, box)
            edit.setReadOnly(True)
            name = item.label.rstrip(":")
            if edits is self.incoming_edits:  # the same labels appear in both halves
                name = self.tr("{label} (receiving)").format(label=name)
            describe(
                edit,
                self.tr("{label} value").format(label=name),
                self.tr("Type this into your mail program."),
            )
            label.setBuddy(edit)
            grid.addWidget(edit, row, 1)
            button = QPushButton(self.tr("Copy"), box)
            button.setAutoDefault(False)
            describe(
                button,
                self.tr("Copy {label}").format(label=name),
                self.tr("Copies this value, to paste it."),
            )
            button.clicked.connect(
                lambda _=False, text=item.value, name=item.label: self.copy(text, name)
            )
            grid.addWidget(button, row, 2)
            edits[item.label] = edit
            self.copy_buttons.append(button)
        else:
            prefix = self.tr("Choose: {value}") if item.kind == "choice" else "{value}"
            value = QLabel(f"<b>{html.escape(prefix.format(value=item.value))}</b>", box)
            value.setWordWrap(True)
            value.setAccessibleName(f"{item.label}: {item.value}")
            if not item.note:
                grid.addWidget(value, row, 1, 1, 2)
                return
            # A word the program uses that needs explaining (SPA): the note, with its glossary link.
            cell = QWidget(box)
            column = QVBoxLayout(cell)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(value)
            column.addWidget(GlossaryLabel(item.note, cell))
            grid.addWidget(cell, row, 1, 1, 2)

    def values(self) -> dict[str, str]:
        """The sending half's label → value as shown (tests and the screenshot tool read this)."""
        return dict(self.shown_values)

    def receiving_values(self) -> dict[str, str]:
        """The receiving half's label → value as shown (empty when it was not tested)."""
        return dict(self.incoming_values)

    # -- copy, PDF, print -------------------------------------------------------------------------

    def copy(self, text: str, name: str) -> None:
        QGuiApplication.clipboard().setText(text)
        self.feedback.setText(
            self.tr("Copied {name} {value}.").format(name=name.rstrip(":"), value=text)
        )

    def sheet_text(self) -> str:
        assert self.setting is not None or self.incoming_setting is not None
        outcome, incoming = self.state.outcome, self.state.incoming
        # The receiving half's headline whenever it was tested: "No safe way to receive mail was
        # found." too, so the copied text never looks like a whole account when it is half of one.
        heads = [incoming.headline] if incoming is not None and incoming.results else []
        if self.missing_incoming and not heads:  # not tested, and nothing documented
            heads.append(strip_marks(self.missing_incoming))
        if self.setting is not None:
            heads.append(
                outcome.headline
                if outcome is not None and outcome.recommendation is not None
                else self.tr("Unencrypted settings (not recommended).")
            )
        untested = sentence("documented_not_tested", self._etr) if self.incoming_documented else ""
        text = render_text(
            self.guide,
            self.setting,
            self._ctr,
            incoming=self.incoming_setting,
            incoming_note=untested,
        )
        return "\n".join(heads) + "\n\n" + text

    def copy_all(self) -> None:
        if self.setting is None and self.incoming_setting is None:
            return
        QGuiApplication.clipboard().setText(self.sheet_text())
        self.feedback.setText(
            self.tr("Copied all the settings for {program}.").format(
                program=self._ctr(self.guide.name)
            )
        )

    # -- the files to take away (contents decided by assistant.export) ----------------------------

    def report_document(self) -> dict[str, Any]:
        """The run as `mailsetup check --json` writes it (docs/check-report.schema.json)."""
        from assistant.core.report import run_document
        from assistant.export.account import documented_incoming, incoming_document

        state = self.state
        results = state.all_results()
        if state.test_message is not None:
            results.append(state.test_message)
        received = state.incoming_recommendation
        document = run_document(
            state.address,
            results,
            state.recommendation,
            state.time_limit,
            incoming_recommendation=received,
        )
        document["found_in"] = state.plan().found_in if state.needs_discovery() else None
        if state.outcome is not None and state.outcome.username:
            document["username"] = state.outcome.username
        if received is None:  # not tested here: the provider's documented server, marked so
            incoming = (
                documented_incoming(state.discovery, state.address) if state.discovery else None
            )
            if incoming is not None:
                document["incoming"] = incoming_document(incoming)
        return document

    def account(self) -> AccountSettings:
        """The one model every export of this page is written from (no password in it)."""
        from assistant.export.account import account_from_document

        state = self.state
        chosen = state.chosen()
        key = (chosen.candidate.host, chosen.candidate.port) if chosen is not None else None
        account = account_from_document(
            self.report_document(), profile=state.active_profile, chosen=key
        )
        outcome = state.outcome
        received = state.incoming if state.incoming_recommendation is not None else None
        if outcome is not None and outcome.recommendation is not None:
            summary = outcome.headline
        elif chosen is not None:
            summary = self.tr(
                "Unencrypted settings (not recommended): your password and messages travel as plain text."
            )
        else:
            from assistant.core.explanation import recommendation_sentence

            summary = recommendation_sentence(None, self._etr)
        if received is not None:  # receiving first, as everywhere
            summary = received.headline + " " + summary
        return replace(account, summary=summary)

    def sheet(self) -> Sheet:
        """The sheet for this account and program, in the export's and the guides' words."""
        from assistant.export.sheet import Sheet

        return Sheet(self.account(), self.guide, translator(EXPORT_CONTEXT), guide_tr=self._ctr)

    def sheet_html(self) -> str:
        from assistant.export.sheet import sheet_html

        return sheet_html(self.sheet())

    def _save(self, path: Path, write: Callable[[Path], None], done: str) -> bool:
        """Write one export; a failure says so in plain words and changes nothing else."""
        from assistant.export import ExportError
        from assistant.export.files import problem

        try:
            write(path)
        except ExportError as exc:
            self.feedback.setText(str(exc))
            return False
        except OSError as exc:
            self.feedback.setText(
                self.tr(
                    "{file} could not be saved ({reason}). Nothing was lost: try another folder."
                ).format(file=path.name, reason=self.tr(problem(exc)))
            )
            return False
        self.feedback.setText(done)
        return True

    def write_pdf(self, path: Path) -> bool:
        """Write the settings sheet as a one-page PDF (never with the password: the model has none)."""
        from assistant.export import pdf_sheet
        from assistant.export.files import save_with

        sheet = self.sheet()

        def write(target: Path) -> None:
            sheet.account.require_outgoing()
            save_with(target, lambda temporary: pdf_sheet.write_pdf(sheet, temporary))

        return self._save(path, write, self.tr("Saved {file}.").format(file=str(path)))

    def save_apple_profile(self, path: Path) -> bool:
        from assistant.export.files import save_bytes
        from assistant.export.mobileconfig import mobileconfig

        account = self.account()
        done = self.tr(
            "Saved {file}. Open it on your iPhone, iPad or Mac to add the account. It is not "
            "signed, so it shows as “Unverified”; that is expected. It asks for your password."
        ).format(file=str(path))
        return self._save(path, lambda target: save_bytes(target, mobileconfig(account)), done)

    def _thunderbird_hint(self, domain: str = "") -> str:
        return self.tr(
            "IT can put this file on the web at {url}, or into the isp folder of Thunderbird's "
            "installation; Thunderbird then fills in these settings by itself."
        ).format(url=f"https://autoconfig.{domain or '<your domain>'}/mail/config-v1.1.xml")

    def save_thunderbird_file(self, path: Path) -> bool:
        from assistant.export.autoconfig import autoconfig_xml
        from assistant.export.files import save_text

        account = self.account()
        done = (
            self.tr("Saved {file}.").format(file=str(path))
            + " "
            + self._thunderbird_hint(account.domain)
        )
        return self._save(path, lambda target: save_text(target, autoconfig_xml(account)), done)

    def save_it_report(self, path: Path) -> bool:
        """The readable report (HTML) and the JSON beside it, with the same name."""
        import json

        from assistant.export.files import report_paths, save_text
        from assistant.export.report_html import report_html

        html_path, json_path = report_paths(path)
        document = self.report_document()
        account = self.account()

        def write(_: Path) -> None:
            save_text(json_path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
            save_text(html_path, report_html(account, translator(EXPORT_CONTEXT)))

        done = self.tr("Saved {file} and {json} for IT.").format(
            file=str(html_path), json=json_path.name
        )
        return self._save(html_path, write, done)

    def _ask_to_save(self, button: QPushButton) -> None:
        """The Save dialog for the file `button` makes, titled with the button's name, then that
        file written where the person chose (nothing when they cancel)."""
        file = self._files_to_save().get(button)
        if file is None:
            return
        refused = self._refusal(button)
        if refused:  # said on the click: no folder to choose for a file that cannot be made
            self.feedback.setText(refused)
            return
        name, kinds, save = file
        path = ask_save_path(self, button.accessibleName(), name, kinds)
        if path is not None:
            save(path)

    def _refusal(self, button: QPushButton) -> str:
        """Why the setup file `button` saves cannot be made for these settings ("" when it can):
        the exporter itself is asked, in memory, so the reason is the one saving would give."""
        from assistant.export import ExportError
        from assistant.export.autoconfig import autoconfig_xml
        from assistant.export.mobileconfig import mobileconfig

        makers: dict[QPushButton, Callable[[AccountSettings], object]] = {
            self.apple_button: mobileconfig,
            self.thunderbird_button: autoconfig_xml,
        }
        make = makers.get(button)
        try:
            if make is not None:
                make(self.account())
        except ExportError as exc:
            return str(exc)
        return ""

    def _files_to_save(self) -> dict[QPushButton, tuple[str, str, Callable[[Path], bool]]]:
        """Each save button's file: the name suggested in Documents, the dialog's filter, and
        what writes it. The PDF is the sending half's sheet: without that half there is none
        (as there is nothing to print)."""
        files: dict[QPushButton, tuple[str, str, Callable[[Path], bool]]] = {
            self.apple_button: (
                self.tr("Email account.mobileconfig"),
                self.tr("Apple profiles (*.mobileconfig)"),
                self.save_apple_profile,
            ),
            self.thunderbird_button: (
                "config-v1.1.xml",
                self.tr("Thunderbird setup files (*.xml)"),
                self.save_thunderbird_file,
            ),
            self.report_button: (
                self.tr("Mail test report.html"),
                self.tr("Web pages (*.html)"),
                self.save_it_report,
            ),
        }
        if self.setting is not None:
            sheet = (
                self.tr("Email settings - {program}.pdf")
                if self.incoming_setting is not None
                else self.tr("Sending settings - {program}.pdf")
            ).format(program=self._ctr(self.guide.name))
            files[self.pdf_button] = (sheet, self.tr("PDF files (*.pdf)"), self.write_pdf)
        return files

    def print_sheet(self) -> None:
        if self.setting is None:
            return
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter  # only when printing

        from assistant.export import ExportError, pdf_sheet

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageLayout(pdf_sheet.page_layout_for())  # A4 or Letter as here; can be changed
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("Print the settings"))
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            try:
                sheet = self.sheet()
                sheet.account.require_outgoing()
            except ExportError as exc:
                self.feedback.setText(str(exc))
                return
            pdf_sheet.print_sheet(sheet, printer)
            self.feedback.setText(self.tr("Sent to the printer."))
