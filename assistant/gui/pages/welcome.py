"""Step 1: what will happen, what is contacted, how long it takes."""

from __future__ import annotations

from assistant.gui.pages.base import Page
from assistant.gui.state import WizardState
from assistant.gui.widgets.glossary import GlossaryLabel


class WelcomePage(Page):
    def __init__(self, state: WizardState) -> None:
        super().__init__(state)
        self.setTitle(self.tr("Get your email sending working"))
        self.setSubTitle(self.tr("This assistant finds settings that work and shows you where to type them."))
        texts = [
            self.tr(
                "You type your email address. The assistant then tries every usual way of sending mail "
                "for it and tells you, in plain words, which one to use."
            ),
            self.tr(
                "At the end you get the exact settings for your mail program (Outlook, Thunderbird, "
                "Apple Mail, your phone…), with where to type each one."
            ),
            self.tr(
                "Only your email provider's [[outgoing-server|outgoing mail servers]] are contacted. "
                "No email is sent, and nothing is changed on this computer."
            ),
            self.tr("The test takes about ten seconds at most."),
        ]
        self.labels = [GlossaryLabel(t, self) for t in texts]
        for label in self.labels:
            self.body.addWidget(label)
        self.body.addStretch(1)

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
