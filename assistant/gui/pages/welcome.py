"""Step 1: the language, what will happen, what is contacted, how long it takes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel

from assistant import i18n
from assistant.gui.pages.base import Page
from assistant.gui.widgets.control_words import word_choice
from assistant.gui.widgets.glossary import GlossaryLabel

if TYPE_CHECKING:
    from assistant.gui.state import WizardState
    from assistant.profile import Profile


def support_line(profile: Profile) -> str:
    """The IT contact in one line: "Dana at Example IT, help@example.com, 555 0100, https://…"."""
    support = profile.support
    parts = [p for p in (support.name, support.email, support.phone, support.url) if p]
    return QCoreApplication.translate("WelcomePage", ", ").join(parts)


class WelcomePage(Page):
    def __init__(self, state: WizardState) -> None:
        super().__init__(state)
        # The language first: someone who does not read English must find it before anything else.
        row = QHBoxLayout()
        self.language_label = QLabel(self)
        self.language = QComboBox(self)
        for code in i18n.available_languages():
            self.language.addItem(i18n.language_name(code), code)
        self.language_label.setBuddy(self.language)
        row.addStretch(1)
        row.addWidget(self.language_label)
        row.addWidget(self.language)
        self.body.addLayout(row)
        self.labels = [GlossaryLabel("", self) for _ in range(4)]
        self.prepared_by = QLabel(self)
        self.prepared_by.setWordWrap(True)
        self.profile_problem = QLabel(self)
        self.profile_problem.setWordWrap(True)
        self.body.addWidget(self.prepared_by)
        self.body.addWidget(self.profile_problem)
        for label in self.labels:
            self.body.addWidget(label)
        self.body.addStretch(1)
        self.retranslate()
        self.language.currentIndexChanged.connect(self._language_chosen)

    def retranslate(self) -> None:
        self.setTitle(self.tr("Get your email working"))
        self.setSubTitle(
            self.tr("This assistant finds settings that work and shows you where to type them.")
        )
        # "Language" in both words, so it can be found whichever language is showing.
        word_choice(
            self.language_label,
            self.language,
            self.tr("&Language:"),
            self.tr("Language"),
            self.tr("Changes the language of every page at once. Nothing you typed is lost."),
            self.tr("Languages"),
        )
        index = self.language.findData(i18n.current_language())
        if index >= 0 and index != self.language.currentIndex():
            self.language.blockSignals(True)
            self.language.setCurrentIndex(index)
            self.language.blockSignals(False)
        texts = [
            self.tr(
                "You type your email address. The assistant then tries every usual way of receiving "
                "and sending mail for it and tells you, in plain words, which ones to use."
            ),
            self.tr(
                "At the end you get the exact settings for your mail program (Outlook, Thunderbird, "
                "Apple Mail, your phone…), with where to type each one."
            ),
            self._contacted(),
            self.tr("The test takes about ten seconds at most."),
        ]
        for label, text in zip(self.labels, texts, strict=True):
            label.set_marked_text(text)
        self._show_profile()

    def _language_chosen(self, index: int) -> None:
        code = self.language.itemData(index)
        if isinstance(code, str) and code != i18n.current_language():
            from assistant.gui.i18n import use_language

            use_language(code)

    def _contacted(self) -> str:
        profile = self.state.profile
        if profile is not None and not profile.online_lookup:
            where = self.tr(
                "Only your email provider's mail servers are contacted (its [[incoming-server|incoming]] "
                "and [[outgoing-server|outgoing]] servers), and the settings file your provider "
                "publishes."
            )
        else:
            where = self.tr(
                "Only your email provider's mail servers are contacted (its [[incoming-server|incoming]] "
                "and [[outgoing-server|outgoing]] servers), and, to find them, the settings your "
                "provider publishes and Thunderbird's public list of providers."
            )
        return (
            where
            + " "
            + self.tr(
                "No email is sent unless you ask for a test message, and nothing is changed on this "
                "computer unless you ask it to remember your password."
            )
        )

    def _show_profile(self) -> None:
        profile, problem = self.state.profile, self.state.profile_problem
        if profile is not None:
            text = self.tr("Prepared by {company} IT").format(company=profile.company)
            contact = support_line(profile)
            if contact:
                text += "\n" + self.tr("Questions? {contact}").format(contact=contact)
            self.prepared_by.setText(text)
            self.prepared_by.setAccessibleName(text)
            font = self.prepared_by.font()  # only here: QFont's first use costs ~6 ms at start-up
            font.setBold(True)
            self.prepared_by.setFont(font)
        self.prepared_by.setVisible(profile is not None)
        if problem:
            text = self.tr("{problem} The assistant works normally without it.").format(
                problem=problem
            )
            self.profile_problem.setText("⚠ " + text)
            self.profile_problem.setAccessibleName(text)
        self.profile_problem.setVisible(bool(problem))

    def nextId(self) -> int:
        from assistant.gui.state import PageId

        return int(PageId.ADDRESS)

    def validatePage(self) -> bool:
        """Pressing Next: make sure the later pages exist (they are built just after this one shows)."""
        wizard = self.wizard()
        ensure = getattr(wizard, "ensure_pages", None)
        if ensure is not None:
            ensure()
        return True
