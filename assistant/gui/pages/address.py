"""Step 2: the email address, checked as it is typed, and (optionally) a server name.

When no server is typed (and the IT profile names none), the provider's settings are looked up as
soon as the person stops typing (`DiscoveryLookup`, on a worker thread) and shown with where they
came from: "Looks like Gmail — found in the list of providers built into this program".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from assistant.core.address import parse
from assistant.core.domain_typos import suggest_domain
from assistant.core.ports import InputError, TypedServer, parse_servers
from assistant.gui.discovery_worker import DiscoveryLookup
from assistant.gui.pages.base import Page
from assistant.gui.state import WizardState
from assistant.gui.widgets.control_words import describe
from assistant.gui.widgets.glossary import GlossaryLabel
from assistant.gui.widgets.page_button import page_button
from assistant.i18n import gettext

if TYPE_CHECKING:
    from assistant.discovery import DiscoveryResult
    from assistant.plan import Plan

DEBOUNCE_MS = 400


def _friendly(exc: InputError) -> str:
    return str(exc)  # InputError words itself in the current language


def _dtr(text: str) -> str:
    return gettext(text)


def requirement_texts(result: DiscoveryResult | None) -> list[str]:
    """What the provider asks of the person (app password, Microsoft sign-in …), translated."""
    config = result.config if result is not None else None
    if config is None:
        return []
    return [_dtr(r.text) for r in config.requirements if r.text]


def field_column(parent: QWidget, *widgets: QWidget) -> QWidget:
    """A field and the lines under it, stacked tightly (hidden lines take no room)."""
    column = QWidget(parent)
    layout = QVBoxLayout(column)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(max(2, parent.fontMetrics().height() // 4))
    for widget in widgets:
        layout.addWidget(widget)
    return column


def button_row(parent: QWidget, button: QPushButton) -> QWidget:
    """A button at the start of its own line, as wide as its words (hiding the row hides both)."""
    row = QWidget(parent)
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(button)
    layout.addStretch(1)
    return row


class _CheckedField:
    """A text field, the line under it saying whether what is typed is usable, and the label in
    front (whose `&` shortcut moves to the field): both fields of the page are made so."""

    def __init__(self, parent: QWidget) -> None:
        self._parent = parent
        self.edit = QLineEdit(parent)
        self.edit.setClearButtonEnabled(True)
        self.message = QLabel(parent)
        self.message.setWordWrap(True)
        self.label = QLabel(parent)

    def add_to(self, form: QFormLayout, *below: QWidget) -> None:
        """The form's row: the label, then the field with its message and `below` under it."""
        self.label.setBuddy(self.edit)
        form.addRow(self.label, field_column(self._parent, self.edit, self.message, *below))

    def word(self, label: str, placeholder: str, name: str, description: str, check: str) -> None:
        """The field's words in the current language; `check` names the message line for screen
        readers."""
        self.label.setText(label)
        self.edit.setPlaceholderText(placeholder)
        describe(self.edit, name, description)
        self.message.setAccessibleName(check)


class AddressPage(Page):
    def __init__(self, state: WizardState, discovery: DiscoveryLookup) -> None:
        super().__init__(state)
        self.discovery = discovery
        form = self.form = QFormLayout()
        # The page (and its tests) name the fields' widgets as before: address, address_message …
        self.address_field = _CheckedField(self)
        self.address = self.address_field.edit
        self.address_message = self.address_field.message
        self.address_label = self.address_field.label
        # "Did you mean gmail.com?" (defect e): one click puts the suggestion into the field.
        self.use_suggestion = page_button(self, self.accept_suggestion)
        suggestion_row = button_row(self, self.use_suggestion)
        self.use_suggestion.hide()
        self._suggestion: str | None = None
        self.address_field.add_to(form, suggestion_row)

        self.server_field = _CheckedField(self)
        self.server = self.server_field.edit
        self.server_message = self.server_field.message
        self.server_label = self.server_field.label
        self.server_message.hide()
        self.server_hint = GlossaryLabel("", self)
        self.server_field.add_to(form, self.server_hint)
        self.body.addLayout(form)
        self.body.addSpacing(self.fontMetrics().height() // 2)
        self.provider_line = QLabel(self)
        self.provider_line.setWordWrap(True)
        font = self.provider_line.font()
        font.setBold(True)
        self.provider_line.setFont(font)
        self.provider_line.hide()
        self.body.addWidget(self.provider_line)
        self.servers_info = GlossaryLabel("", self)
        self.body.addWidget(self.servers_info)
        self.body.addStretch(1)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._look_up)
        discovery.finished.connect(self._found)

        if state.preset_hosts:
            self.server.setText(", ".join(state.preset_hosts))
        self.address.textChanged.connect(self._changed)
        self.server.textChanged.connect(self._changed)
        self._valid = False
        self._changed()
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Your email address"))
        self.setSubTitle(self.tr("The email address you want to set up in your mail program."))
        self.address_field.word(
            self.tr("&Email address:"),
            self.tr("name@example.com"),
            self.tr("Email address"),
            self.tr("Your email address, like name@example.com."),
            self.tr("Email address check"),
        )
        describe(
            self.use_suggestion,
            self.tr("Use the suggested domain"),
            self.tr("Puts the suggested domain into the address, after your name."),
        )
        self.server_field.word(
            self.tr("Mail &servers (optional):"),
            self.tr("for example smtp.example.com"),
            self.tr("Mail server names (optional)"),
            self.tr("Leave empty unless your provider or IT gave you server names."),
            self.tr("Server name check"),
        )
        self.server_hint.set_marked_text(
            self.tr(
                "Leave this empty unless your provider or IT gave you the names of your mail "
                "servers ([[incoming-server|incoming]] or [[outgoing-server|outgoing]]). Several "
                "names can be separated by commas. If you were also given a [[port|port]], write "
                "it after a colon, like smtp.example.com:587."
            )
        )
        self._changed()  # the messages under the fields, and what will be tested, in the new words

    def initializePage(self) -> None:
        self.focus_later(self.address)

    # -- validation as typed ----------------------------------------------------------------------

    def _changed(self) -> None:
        address_ok = self._check_address()
        if not address_ok:
            self._show_suggestion(None)
        servers = self._check_server()
        was_valid = self._valid
        self._valid = address_ok and servers is not None
        if self._valid and servers is not None:
            self.state.typed_servers = servers
            if self.state.needs_discovery():
                self.state.discovery = self.discovery.result_for(self.state.address)
                if self.state.discovery is None:
                    self._debounce.start()  # look it up once the person stops typing
            else:
                self._debounce.stop()
            self._describe_hosts()
        else:
            self._debounce.stop()
            self.state.discovery = None
            self.provider_line.hide()
            self.servers_info.set_marked_text("")
        if was_valid != self._valid:
            self.completeChanged.emit()

    def _check_address(self) -> bool:
        text = self.address.text()
        if not text.strip():
            self.address_message.setText(self.tr("Type your email address."))
            return False
        try:
            self.state.parsed = parse(text)
        except InputError as exc:
            self.address_message.setText(_friendly(exc))
            return False
        self._show_suggestion(suggest_domain(self.state.domain))
        if self._suggestion is None:
            self.address_message.setText(self.tr("✓ Looks like an email address."))
        return True

    def _show_suggestion(self, suggestion: str | None) -> None:
        """Offer the domain the person probably meant; they may still go on with theirs."""
        self._suggestion = suggestion
        self.use_suggestion.setVisible(suggestion is not None)
        if suggestion is None:
            return
        self.address_message.setText(self.tr("Did you mean {domain}?").format(domain=suggestion))
        self.use_suggestion.setText(self.tr("Use {domain}").format(domain=suggestion))
        self.use_suggestion.setAccessibleName(
            self.tr("Use {domain} instead of {typed}").format(
                domain=suggestion, typed=self.state.domain
            )
        )

    def accept_suggestion(self) -> None:
        """ "Use gmail.com": the address keeps its part before the @, with the suggested domain."""
        parsed = self.state.parsed
        if self._suggestion is None or parsed is None:
            return
        self.address.setText(f"{parsed.local}@{self._suggestion}")
        self.address.setFocus()

    def _check_server(self) -> list[TypedServer] | None:
        """The typed servers (empty list: none typed), or None when one is not usable."""
        try:
            servers = parse_servers(self.server.text())
        except InputError as exc:
            self.server_message.setText(_friendly(exc))
            self.server_message.show()
            return None
        self.server_message.setText("")
        self.server_message.hide()
        return servers

    # -- discovery --------------------------------------------------------------------------------

    def look_up_now(self) -> None:
        """Start the lookup without waiting for the pause in typing (Next was pressed)."""
        if self._debounce.isActive():
            self._debounce.stop()
            self._look_up()

    def _look_up(self) -> None:
        if self._valid and self.state.needs_discovery():
            self.discovery.lookup(self.state.address, self.state.active_profile)
            self._describe_hosts()

    def _found(self, result: DiscoveryResult | None) -> None:
        if self.discovery.address != self.state.address or not self.state.needs_discovery():
            return  # the address changed meanwhile (the lookup object drops older answers too)
        self.state.discovery = result
        self._describe_hosts()

    def validatePage(self) -> bool:
        self.look_up_now()
        return True

    def _halves(self, plan: Plan, *, guessed: bool) -> str:
        """What each half will test: a line for the receiving names and one for the sending ones
        (one sentence with both lists in it was hard to read)."""
        sending = ", ".join(plan.hosts_for(receiving=False))
        receiving = ", ".join(plan.hosts_for(receiving=True))
        domain = self.state.domain
        if not receiving:
            if guessed:
                return self.tr(
                    "We will test {sending}: the usual names of an [[outgoing-server|outgoing "
                    "server]] for {domain} (a guess from your address)."
                ).format(sending=sending, domain=domain)
            return self.tr(
                "We will test {sending}, the [[outgoing-server|outgoing server]] it names."
            ).format(sending=sending)
        if guessed:
            intro = self.tr(
                "We will try the usual server names for {domain} (a guess from your address):"
            ).format(domain=domain)
        else:
            intro = self.tr("We will test the servers it names:")
        return "\n".join(
            (
                intro,  # receiving first, as every other page and mail program puts it
                self.tr("[[incoming-server|Receiving mail]]: {hosts}").format(hosts=receiving),
                self.tr("[[outgoing-server|Sending mail]]: {hosts}").format(hosts=sending),
            )
        )

    def _describe_hosts(self) -> None:
        state = self.state
        headline = ""
        profile = state.active_profile
        if state.typed_servers:
            text = self.tr("We will test {hosts}.").format(
                hosts=", ".join(s.label for s in state.typed_servers)
            )
            typed = {s.host for s in state.typed_servers}
            beside = [host for host in state.plan().hosts if host not in typed]
            if beside:  # the plan's receiving names beside the typed one (plan.py says which)
                text += " " + self.tr(
                    "For [[incoming-server|receiving mail]], we will also try {hosts}."
                ).format(hosts=", ".join(beside))
        elif profile is not None and state.profile_hosts():
            if profile.presets_receiving:
                template = self.tr("We will test {hosts}, as set up by {company} IT.")
            else:
                template = self.tr(
                    "We will test the [[outgoing-server|outgoing server]] {hosts}, as set up by "
                    "{company} IT."
                )
            text = template.format(hosts=", ".join(state.profile_hosts()), company=profile.company)
        elif self.discovery.pending_for(state.address) or (
            state.discovery is None and self._debounce.isActive()
        ):
            text = self.tr("Looking up the settings for {domain}…").format(domain=state.domain)
        elif state.found() and state.discovery is not None and state.discovery.found is not None:
            found = state.discovery.found
            name = found.config.name or found.config.provider_id
            headline = self.tr("Looks like {provider} — found in {origin}.").format(
                provider=name, origin=_dtr(found.origin.description)
            )
            parts = []
            if not found.trusted:
                parts.append(
                    self.tr(
                        "This came over a connection that is not secure, so it could have been changed "
                        "on the way: the test below shows whether it really works."
                    )
                )
            parts.extend(requirement_texts(state.discovery))
            parts.append(self._halves(state.plan(), guessed=False))
            text = "\n".join(parts)
        else:
            text = self._halves(state.plan(), guessed=True)
        self.provider_line.setText(headline)
        self.provider_line.setAccessibleName(headline or self.tr("Provider found"))
        self.servers_info.setAccessibleDescription(self.tr("What will be tested"))
        self.provider_line.setVisible(bool(headline))
        self.servers_info.set_marked_text(text)

    def isComplete(self) -> bool:
        return self._valid
