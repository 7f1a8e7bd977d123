"""Step 3 (optional): a password, kept in memory, tried only over a verified encrypted connection,
and remembered in the system's password store (named as the system names it: Windows Credential
Manager, the macOS Keychain, the desktop's password store) only when the person asks (see `assistant/gui/keychain.py`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
)

from assistant.credentials import problem_text, store_name
from assistant.gui.i18n import ENGINE_CONTEXT, translator
from assistant.gui.keychain import Keychain
from assistant.gui.oauth_sign_in import OAuthSignIn
from assistant.gui.pages.address import button_row, field_column, requirement_texts
from assistant.gui.pages.base import Page
from assistant.gui.state import WizardState
from assistant.gui.widgets.control_words import describe, word_button
from assistant.gui.widgets.glossary import GlossaryLabel
from assistant.gui.widgets.page_button import page_button

if TYPE_CHECKING:
    from assistant.oauth.flow import SignInResult
    from assistant.oauth.providers import OAuthClient


class SignInPage(Page):
    def __init__(
        self, state: WizardState, keychain: Keychain, oauth: OAuthSignIn | None = None
    ) -> None:
        super().__init__(state)
        self.keychain = keychain
        self.oauth = oauth if oauth is not None else OAuthSignIn(self)
        self.intro = GlossaryLabel("", self)
        self.body.addWidget(self.intro)
        self.advice = GlossaryLabel("", self)
        font = self.advice.font()
        font.setBold(True)
        self.advice.setFont(font)
        self.body.addWidget(self.advice)

        # Microsoft 365, Outlook.com, Gmail (or the company's own sign-in): the provider's window.
        self.oauth_button = page_button(self, self._oauth_clicked)
        self.oauth_row = button_row(self, self.oauth_button)
        self.oauth_row.hide()
        self.body.addWidget(self.oauth_row)
        self.oauth_status = QLabel(self)
        self.oauth_status.setWordWrap(True)
        self.oauth_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.oauth_status.hide()
        self.body.addWidget(self.oauth_status)
        self._oauth_client: OAuthClient | None = None
        self.oauth.url.connect(self._oauth_url)
        self.oauth.finished.connect(self._oauth_finished)

        form = QFormLayout()
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_label = QLabel(self)
        self.password_label.setBuddy(self.password)
        form.addRow(self.password_label, self.password)
        self.show_password = QCheckBox(self)
        self.show_password.toggled.connect(self._toggle_echo)
        form.addRow("", self.show_password)
        self.remember = QCheckBox(self)
        self.remember.setEnabled(False)  # until the keychain has answered
        self.remember.toggled.connect(self._remember_toggled)
        self.keychain_note = GlossaryLabel("", self)
        self.forget_button = page_button(self, self.forget_remembered)
        forget_row = button_row(self, self.forget_button)
        self.forget_row = forget_row
        forget_row.hide()
        form.addRow("", field_column(self, self.remember, self.keychain_note, forget_row))
        self.body.addLayout(form)
        self.footer = GlossaryLabel("", self)
        self.body.addWidget(self.footer)
        self.body.addStretch(1)
        self.password.textChanged.connect(self._store)
        self._prefilled: str | None = None  # the password put in from the keychain, to notice edits
        # What the note under "Remember" says, kept as a kind (and a problem sentence, untranslated)
        # so it can be worded again in another language.
        self._note: tuple[str, str] = ("", "")
        keychain.opened.connect(self._keychain_opened)
        keychain.found.connect(self._keychain_found)
        keychain.forgotten.connect(self._keychain_forgotten)
        self.retranslate()

    def retranslate(self) -> None:
        store = store_name()
        self.setTitle(self.tr("Sign-in (optional)"))
        self.setSubTitle(self.tr("You can skip this step: the servers are tested either way."))
        self.intro.set_marked_text(
            self.tr(
                "If you type your email password, the assistant also checks that your incoming and "
                "outgoing servers accept your [[sign-in|sign-in]]. It is only sent over a "
                "connection that is "
                "[[encryption|encrypted]] and whose [[certificate|certificate]] (the server's "
                "identity card) checked out."
            )
        )
        self.password_label.setText(self.tr("&Password:"))
        describe(
            self.password,
            self.tr("Password (optional)"),
            self.tr("Your email password. Leave it empty to test the servers without signing in."),
        )
        word_button(
            self.show_password,
            self.tr("S&how the password"),
            self.tr("Show the password"),
            self.tr("Shows the password as letters instead of dots."),
        )
        word_button(
            self.remember,
            self.tr("&Remember this password in {store}").format(store=store),
            self.tr("Remember this password in {store}").format(store=store),
            self.tr("Saved only when you press Finish at the end."),
        )
        word_button(
            self.forget_button,
            self.tr("&Forget this password"),
            self.tr("Forget this password"),
            self.tr("Removes the remembered password from {store} now.").format(store=store),
        )
        self.oauth_status.setAccessibleName(self.tr("Sign-in window"))
        self.oauth_button.setAccessibleDescription(
            self.tr("Opens your provider's own sign-in page in your web browser.")
        )
        if self.oauth_row.isVisible() and not self.oauth.running:
            self._show_oauth()  # the button's and the status line's words, in the new language
        elif not self.oauth_button.text():
            self.oauth_button.setAccessibleName(self.tr("Sign in with your provider"))
        self._show_footer()
        self._show_note()
        self._show_advice()

    def _show_footer(self) -> None:
        if self.keychain.is_open and not self.keychain.persistent:
            text = self.tr(
                "The password is kept in this window's memory and forgotten when you close it. "
                "It is never shown in reports or copied."
            )
        else:
            text = self.tr(
                "The password is kept in this window's memory and forgotten when you close it. It is "
                "saved in [[password-store|{store}]] only if you tick Remember and press Finish at "
                "the end. It is never shown in reports or copied."
            ).format(store=store_name())
        self.footer.set_marked_text(text)

    def _show_note(self) -> None:
        kind, problem = self._note
        store = store_name()
        texts = {
            # Where the name first appears, it is explained (the checkbox above says it).
            "": self.tr(
                "What is [[password-store|{store}]]? The place your computer keeps passwords "
                "safely, locked with your own sign-in."
            ).format(store=store),
            "checking": self.tr("Checking {store}…").format(store=store),
            "filled": self.tr("Your remembered password was filled in from {store}.").format(
                store=store
            ),
            "removed": self.tr("The password was removed from {store}.").format(store=store),
            "problem": problem_text(problem) if problem else "",
        }
        text = texts[kind]
        self.keychain_note.set_marked_text(text)
        self.keychain_note.setVisible(bool(text))

    def initializePage(self) -> None:
        self._show_advice()
        self._show_oauth()
        state = self.state
        if state.remembered_for is not None and state.remembered_for != state.address:
            # Back, and another address: the other account's password must not be used here.
            self.password.clear()
            state.remembered_for = None
            self._prefilled = None
            self.remember.setChecked(False)
            self.forget_row.hide()
        if not self.keychain.is_open:
            self._note = ("checking", "")
            self._show_note()
        self.keychain.lookup(state.address)
        self.focus_later(self.password)

    def _show_advice(self) -> None:
        texts = requirement_texts(self.state.discovery) if self.state.found() else []
        texts += [n for n in [self._oauth_notice()] if n]
        from assistant.core.explanation import before_sign_in_advice
        from assistant.gui.i18n import ENGINE_CONTEXT, translator

        advice = before_sign_in_advice(self.state.domain, translator(ENGINE_CONTEXT))
        self.advice.set_marked_text("\n".join(texts) or advice)
        self.advice.setVisible(bool(self.advice.plain_text()))

    def _oauth_notice(self) -> str:
        """Microsoft 365, Outlook.com, Gmail without an app registration: say in one sentence that
        this copy cannot test their sign-in (the settings page still gives the right settings)."""
        from assistant.gui.i18n import ENGINE_CONTEXT, translator
        from assistant.oauth.providers import unregistered_notice

        found = self.state.discovery.found if self.state.discovery is not None else None
        kind = found.config.oauth if found is not None else ""
        profile = self.state.active_profile
        return unregistered_notice(
            kind, profile.oauth if profile is not None else None, translator(ENGINE_CONTEXT)
        )

    # -- the provider's own sign-in window (answers arrive in the GUI thread) ----------------------

    def _find_oauth_client(self) -> OAuthClient | None:
        """The provider's (or the company's) sign-in, when this copy is registered for it."""
        from assistant.oauth.command import account_kind
        from assistant.oauth.providers import client_for

        state = self.state
        found = state.discovery.found if state.discovery is not None else None
        kind = account_kind(state.candidates(), found.config.oauth if found is not None else "")
        profile = state.active_profile
        oauth = profile.oauth if profile is not None else None
        if not kind and oauth is None:
            return None
        return client_for(kind, oauth, profile_name=profile.company if profile else "")

    def _show_oauth(self) -> None:
        from assistant.core.oauth_explain import sentence

        tr = translator(ENGINE_CONTEXT)
        self._oauth_client = self._find_oauth_client()
        client = self._oauth_client
        self.oauth_row.setVisible(client is not None)
        if client is None:
            self.oauth_status.hide()
            return
        self._oauth_buttons_idle()
        if self.state.oauth is None and not self.oauth.running:
            self.oauth_status.setText(sentence("window_intro", tr, provider=client.provider))
            self.oauth_status.show()

    def _oauth_buttons_idle(self) -> None:
        from assistant.core.oauth_explain import sentence

        client = self._oauth_client
        provider = client.provider if client is not None else ""
        words = sentence("sign_in_button", translator(ENGINE_CONTEXT), provider=provider)
        self.oauth_button.setText(words)
        self.oauth_button.setAccessibleName(words)

    def _oauth_clicked(self) -> None:
        from assistant.core.oauth_explain import sentence

        tr = translator(ENGINE_CONTEXT)
        if self.oauth.running:  # the button reads "Stop the sign-in" meanwhile
            self.oauth.stop()
            self._oauth_buttons_idle()
            self.oauth_status.setText(sentence("window_intro", tr, provider=self._provider()))
            return
        client = self._oauth_client
        if client is None:
            return
        self.state.oauth = None
        self.oauth.start(client, self.state.address, tr)
        stop = sentence("stop_button", tr)
        self.oauth_button.setText(stop)
        self.oauth_button.setAccessibleName(stop)
        self.oauth_status.setText(sentence("opening_browser", tr, provider=client.provider))
        self.oauth_status.show()

    def _provider(self) -> str:
        return self._oauth_client.provider if self._oauth_client is not None else ""

    def _oauth_url(self, url: str) -> None:
        from assistant.core.oauth_explain import sentence

        tr = translator(ENGINE_CONTEXT)
        opening = sentence("opening_browser", tr, provider=self._provider())
        by_hand = sentence("open_by_hand", tr, url=url)
        self.oauth_status.setText(opening + "\n" + by_hand)

    def _oauth_finished(self, result: SignInResult) -> None:
        from assistant.core.oauth_explain import sentence
        from assistant.oauth.sign_in import explain_result

        tr = translator(ENGINE_CONTEXT)
        self._oauth_buttons_idle()
        if result.signed_in:
            self.state.oauth = result.credentials(self.state.address)
            text = sentence("signed_in_ready", tr, provider=result.provider or self._provider())
        else:
            self.state.oauth = None
            text = explain_result(result, self.state.address, tr)
        self.oauth_status.setText(text)
        self.oauth_status.setAccessibleName(text)
        self.oauth_status.show()

    def cleanupPage(self) -> None:
        """Back: a sign-in still waiting for the browser is stopped (its answer is dropped)."""
        if self.oauth.running:
            self.oauth.stop()
            self._oauth_buttons_idle()

    @property
    def signed_in_with_provider(self) -> bool:
        return self.state.oauth is not None

    # -- the keychain (answers arrive in the GUI thread) ------------------------------------------

    def _keychain_opened(self) -> None:
        self._show_footer()
        if self.keychain.persistent:
            self.remember.setEnabled(True)
            self._note = ("", "")
        else:
            self.remember.setEnabled(False)
            self.remember.setChecked(False)
            self._note = ("problem", self.keychain.problem or "")
        self._show_note()

    def _keychain_found(self, account: str, password: object) -> None:
        state = self.state
        if account != state.address or not isinstance(password, str) or not password:
            return
        if self.password.text() and self.password.text() != password:
            return  # the person already typed one: theirs wins
        self._prefilled = password
        self.password.setText(password)
        state.remembered_for = account
        self.remember.setChecked(True)
        self._note = ("filled", "")
        self._show_note()
        self.forget_row.show()

    def forget_remembered(self) -> None:
        """ "Forget this password": removed from the keychain at once (the person asked)."""
        account = self.state.remembered_for or self.state.address
        self.forget_button.setEnabled(False)
        self.keychain.forget(account)

    def _keychain_forgotten(self, account: str, problem: object) -> None:
        self.forget_button.setEnabled(True)
        if problem:
            self._note = ("problem", str(problem))
        else:
            if self.state.remembered_for == account:
                self.state.remembered_for = None
                self.password.clear()
                self._prefilled = None
            self.remember.setChecked(False)
            self.forget_row.hide()
            self._note = ("removed", "")
        self._show_note()

    # -- the field --------------------------------------------------------------------------------

    def _store(self, text: str) -> None:
        self.state.password = text

    def _remember_toggled(self, checked: bool) -> None:
        self.state.remember_password = checked

    def _toggle_echo(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.password.setEchoMode(mode)

    def forget(self) -> None:
        """The window is closing: the password leaves memory (the keychain is not touched)."""
        self.password.clear()
        self._prefilled = None
        self.state.forget_secrets()
