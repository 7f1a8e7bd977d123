"""The assistant window: a QWizard whose six pages are built in code and registered by named id."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QWidget, QWizard

from assistant import PRODUCT_NAME
from assistant.core.candidates import PortSpec
from assistant.gui.pages.address import AddressPage
from assistant.gui.pages.results import ResultsPage
from assistant.gui.pages.settings import SettingsPage
from assistant.gui.pages.signin import SignInPage
from assistant.gui.pages.testing import TestingPage
from assistant.gui.pages.welcome import WelcomePage
from assistant.gui.state import PageId, SettingsFactory, WizardState, default_settings
from assistant.gui.workers import RunBridge

DEFAULT_SIZE = QSize(800, 600)


class MailSetupWizard(QWizard):
    """`settings_factory`, `ports` and `hosts` let tests and the screenshot tool aim it at loopback."""

    def __init__(
        self,
        settings_factory: SettingsFactory | None = None,
        ports: list[PortSpec] | None = None,
        hosts: list[str] | None = None,
        timeout: float | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.state = WizardState(settings_factory=settings_factory or default_settings, timeout=timeout)
        if ports:
            self.state.ports = list(ports)
        if hosts:
            self.state.preset_hosts = list(hosts)
        self.bridge = RunBridge(self)

        self.setWindowTitle(self.tr("{product}").format(product=PRODUCT_NAME))
        self.setAccessibleName(self.tr("{product}").format(product=PRODUCT_NAME))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)

        self.welcome = WelcomePage(self.state)
        self.address = AddressPage(self.state)
        self.sign_in = SignInPage(self.state)
        self.testing = TestingPage(self.state, self.bridge)
        self.results = ResultsPage(self.state)
        self.settings = SettingsPage(self.state)
        for page_id, page in (
            (PageId.WELCOME, self.welcome),
            (PageId.ADDRESS, self.address),
            (PageId.SIGN_IN, self.sign_in),
            (PageId.TESTING, self.testing),
            (PageId.RESULTS, self.results),
            (PageId.SETTINGS, self.settings),
        ):
            self.setPage(int(page_id), page)
        self.setStartId(int(PageId.WELCOME))
        for which, name in (
            (QWizard.WizardButton.BackButton, self.tr("Back")),
            (QWizard.WizardButton.NextButton, self.tr("Next")),
            (QWizard.WizardButton.CancelButton, self.tr("Cancel")),
            (QWizard.WizardButton.FinishButton, self.tr("Finish")),
        ):
            self.button(which).setAccessibleName(name)
        self.resize(DEFAULT_SIZE)

    def sizeHint(self) -> QSize:
        return DEFAULT_SIZE

    def page_id(self) -> PageId:
        return PageId(self.currentId())

    # -- closing: stop probes, forget the password -------------------------------------------------

    def done(self, result: int) -> None:
        self.shutdown()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        self.bridge.cancel()
        self.sign_in.forget()
