"""Step 3 (optional): a password, kept in memory only, tried over a verified encrypted connection."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QLineEdit

from assistant.gui.pages.base import Page
from assistant.gui.state import WizardState
from assistant.gui.widgets.glossary import GlossaryLabel
from assistant.gui.wording import provider_sign_in_advice


class SignInPage(Page):
    def __init__(self, state: WizardState) -> None:
        super().__init__(state)
        self.setTitle(self.tr("Sign-in (optional)"))
        self.setSubTitle(self.tr("You can skip this step: the servers are tested either way."))
        self.intro = GlossaryLabel(
            self.tr(
                "If you type your email password, the assistant also checks that the server accepts "
                "your [[sign-in|sign-in]]. It is only sent over a connection that is "
                "[[encryption|encrypted]] and whose [[certificate|certificate]] checked out."
            ),
            self,
        )
        self.body.addWidget(self.intro)
        self.advice = GlossaryLabel("", self)
        self.body.addWidget(self.advice)

        form = QFormLayout()
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Password (optional)"))
        label = QLabel(self.tr("&Password:"), self)
        label.setBuddy(self.password)
        form.addRow(label, self.password)
        self.show_password = QCheckBox(self.tr("S&how the password"), self)
        self.show_password.setAccessibleName(self.tr("Show the password"))
        self.show_password.toggled.connect(self._toggle_echo)
        form.addRow("", self.show_password)
        self.body.addLayout(form)
        self.body.addWidget(
            GlossaryLabel(
                self.tr(
                    "The password is kept only in this window's memory and forgotten when you close "
                    "it. It is never saved, shown in reports or copied. (Remembering it in this "
                    "computer's keychain comes in a later version.)"
                ),
                self,
            )
        )
        self.body.addStretch(1)
        self.password.textChanged.connect(self._store)

    def initializePage(self) -> None:
        self.advice.set_marked_text(provider_sign_in_advice(self.state.domain))
        self.focus_later(self.password)

    def _store(self, text: str) -> None:
        self.state.password = text

    def _toggle_echo(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.password.setEchoMode(mode)

    def forget(self) -> None:
        self.password.clear()
        self.state.forget_secrets()
