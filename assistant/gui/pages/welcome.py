"""Step 1: what will happen, what is contacted, how long it takes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel

from assistant.gui.pages.base import Page
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
        self.setTitle(self.tr("Get your email sending working"))
        self.setSubTitle(
            self.tr("This assistant finds settings that work and shows you where to type them.")
        )
        texts = [
            self.tr(
                "You type your email address. The assistant then tries every usual way of sending mail "
                "for it and tells you, in plain words, which one to use."
            ),
            self.tr(
                "At the end you get the exact settings for your mail program (Outlook, Thunderbird, "
                "Apple Mail, your phone…), with where to type each one."
            ),
            self._contacted(),
            self.tr("The test takes about ten seconds at most."),
        ]
        self.labels = [GlossaryLabel(t, self) for t in texts]
        self.prepared_by = QLabel(self)
        self.prepared_by.setWordWrap(True)
        self.profile_problem = QLabel(self)
        self.profile_problem.setWordWrap(True)
        self._show_profile()
        self.body.addWidget(self.prepared_by)
        self.body.addWidget(self.profile_problem)
        for label in self.labels:
            self.body.addWidget(label)
        self.body.addStretch(1)

    def _contacted(self) -> str:
        profile = self.state.profile
        if profile is not None and not profile.online_lookup:
            where = self.tr(
                "Only your email provider's [[outgoing-server|outgoing mail servers]] are contacted, "
                "and the settings file your provider publishes."
            )
        else:
            where = self.tr(
                "Only your email provider's [[outgoing-server|outgoing mail servers]] are contacted, "
                "and, to find them, the settings your provider publishes and Thunderbird's public "
                "list of providers."
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
