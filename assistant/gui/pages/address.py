"""Step 2: the email address, checked as it is typed, and (optionally) a server name."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit

from assistant.core.candidates import InputError, guess_hosts, normalise_host, parse_address
from assistant.gui.i18n import INPUT_CONTEXT
from assistant.gui.pages.base import Page
from assistant.gui.state import WizardState
from assistant.gui.widgets.glossary import GlossaryLabel


def _friendly(exc: InputError) -> str:
    return QCoreApplication.translate(INPUT_CONTEXT, str(exc))


class AddressPage(Page):
    def __init__(self, state: WizardState) -> None:
        super().__init__(state)
        self.setTitle(self.tr("Your email address"))
        self.setSubTitle(self.tr("The address you want to send mail from."))

        form = self.form = QFormLayout()
        self.address = QLineEdit(self)
        self.address.setPlaceholderText(self.tr("name@example.com"))
        self.address.setAccessibleName(self.tr("Email address"))
        self.address.setClearButtonEnabled(True)
        address_label = QLabel(self.tr("&Email address:"), self)
        address_label.setBuddy(self.address)
        form.addRow(address_label, self.address)

        self.address_message = QLabel(self)
        self.address_message.setWordWrap(True)
        self.address_message.setAccessibleName(self.tr("Email address check"))
        form.addRow("", self.address_message)

        server_form = form
        self.server = QLineEdit(self)
        self.server.setPlaceholderText(self.tr("for example smtp.example.com"))
        self.server.setAccessibleName(self.tr("Outgoing server name (optional)"))
        self.server.setClearButtonEnabled(True)
        server_label = QLabel(self.tr("Outgoing &server (optional):"), self)
        server_label.setBuddy(self.server)
        server_form.addRow(server_label, self.server)
        self.server_message = QLabel(self)
        self.server_message.setWordWrap(True)
        self.server_message.setAccessibleName(self.tr("Server name check"))
        server_form.addRow("", self.server_message)
        self.server_hint = GlossaryLabel(
            self.tr(
                "Leave this empty unless your provider or IT gave you the name of the "
                "[[outgoing-server|outgoing server]]. Several names can be separated by commas."
            ),
            self,
        )
        server_form.addRow("", self.server_hint)
        self.body.addLayout(form)
        self.body.addSpacing(self.fontMetrics().height())
        self.servers_info = GlossaryLabel("", self)
        self.body.addWidget(self.servers_info)
        self.body.addStretch(1)

        if state.preset_hosts:
            self.server.setText(", ".join(state.preset_hosts))
        self.address.textChanged.connect(self._changed)
        self.server.textChanged.connect(self._changed)
        self._valid = False
        self._changed()

    def initializePage(self) -> None:
        self.focus_later(self.address)

    # -- validation as typed ----------------------------------------------------------------------

    def _changed(self) -> None:
        address_ok = self._check_address()
        hosts = self._check_server()
        was_valid = self._valid
        self._valid = address_ok and hosts is not None
        if self._valid and hosts is not None:
            typed = bool(hosts)
            self.state.hosts = hosts or guess_hosts(self.state.domain)
            self.state.hosts_typed = typed
            self._describe_hosts(typed)
        else:
            self.servers_info.set_marked_text("")
        if was_valid != self._valid:
            self.completeChanged.emit()

    def _check_address(self) -> bool:
        text = self.address.text()
        if not text.strip():
            self.address_message.setText(self.tr("Type the address you send email from."))
            return False
        try:
            address, domain = parse_address(text)
        except InputError as exc:
            self.address_message.setText(_friendly(exc))
            return False
        self.state.address, self.state.domain = address, domain
        self.address_message.setText(self.tr("✓ Looks like an email address."))
        return True

    def _check_server(self) -> list[str] | None:
        """The typed server names (empty list: none typed), or None when one is not usable."""
        names: list[str] = []
        for part in self.server.text().split(","):
            if not part.strip():
                continue
            try:
                host = normalise_host(part)
            except InputError as exc:
                self.server_message.setText(_friendly(exc))
                self.form.setRowVisible(self.server_message, True)
                return None
            if host not in names:
                names.append(host)
        self.server_message.setText("")
        self.form.setRowVisible(self.server_message, False)
        return names

    def _describe_hosts(self, typed: bool) -> None:
        hosts = self.state.hosts
        listed = ", ".join(hosts)
        if typed:
            text = self.tr("We will test the [[outgoing-server|outgoing server]] {hosts}.").format(
                hosts=listed
            )
        else:
            text = self.tr(
                "We will test {hosts}: the usual names of an [[outgoing-server|outgoing server]] "
                "for {domain} (a guess from your address)."
            ).format(hosts=listed, domain=self.state.domain)
        self.servers_info.set_marked_text(text)

    def isComplete(self) -> bool:
        return self._valid
