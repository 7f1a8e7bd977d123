"""The assistant window: a QWizard whose six pages are built in code and registered by named id."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Generic, NamedTuple, Self, TypeVar, overload

from PySide6.QtCore import QEvent, QObject, QSize, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QWidget, QWizard, QWizardPage

from assistant import PRODUCT_NAME
from assistant.gui.pages.welcome import WelcomePage
from assistant.gui.state import (
    DiscoveryOptionsFactory,
    PageId,
    SettingsFactory,
    WizardState,
    default_discovery_options,
    default_settings,
)

if TYPE_CHECKING:
    from assistant.core.ports import PortSpec
    from assistant.gui.discovery_worker import DiscoveryLookup
    from assistant.gui.keychain import Keychain, StoreFactory
    from assistant.gui.oauth_sign_in import OAuthSignIn
    from assistant.gui.pages.address import AddressPage
    from assistant.gui.pages.results import ResultsPage
    from assistant.gui.pages.settings import SettingsPage
    from assistant.gui.pages.signin import SignInPage
    from assistant.gui.pages.testing import TestingPage
    from assistant.gui.workers import RunBridge


def _load_engine(done: threading.Event) -> None:
    """Import the engine (ssl, cryptography, truststore) off the GUI thread while the person types,
    so starting the first test does not freeze the window."""
    try:
        import assistant.core.explanation
        import assistant.core.probe_run
        import assistant.core.tls
        import assistant.outcome  # the run's conclusion, as it ends

        assistant.core.tls.system_trust_context()  # loads the OS trust store once, too
    except Exception:  # the run itself will import again and report anything real
        pass
    finally:
        done.set()


DEFAULT_SIZE = QSize(800, 600)
MINIMUM_SIZE = QSize(480, 360)  # below this nothing useful fits; the pages scroll down to it
FRAME_ALLOWANCE = QSize(16, 48)  # the window manager's border and title bar, outside our size


def fitting_size(widget: QWidget) -> QSize:
    """800×600, or less when the screen's free area (without task bars, at its scale) is smaller:
    at 200 % a 1280×900 screen is 640×450, and Back/Next/Cancel must stay on it."""
    screen = widget.screen()
    if screen is None:
        return DEFAULT_SIZE
    room = screen.availableGeometry().size() - FRAME_ALLOWANCE
    return DEFAULT_SIZE.boundedTo(room).expandedTo(MINIMUM_SIZE.boundedTo(room))


class LaterPages(NamedTuple):
    """The pages after the welcome, in the wizard's order: built together, once the first page has
    painted or something asks for one (`MailSetupWizard.ensure_pages`)."""

    address: AddressPage
    sign_in: SignInPage
    testing: TestingPage
    results: ResultsPage
    settings: SettingsPage


PageT = TypeVar("PageT", bound=QWizardPage)


class _LaterPage(Generic[PageT]):
    """`wizard.testing` and its siblings: the page of that name in `LaterPages`, the pages being
    built first if they are not yet. Declared once per page, under the same name as its field."""

    def __set_name__(self, owner: type, name: str) -> None:
        assert name in LaterPages._fields, name
        self._name = name

    @overload
    def __get__(self, wizard: None, owner: type) -> Self: ...

    @overload
    def __get__(self, wizard: MailSetupWizard, owner: type) -> PageT: ...

    def __get__(self, wizard: MailSetupWizard | None, owner: type) -> PageT | Self:
        if wizard is None:
            return self
        page: PageT = getattr(wizard.later_pages(), self._name)
        return page


class MailSetupWizard(QWizard):
    """`settings_factory`, `ports` and `hosts` let tests and the screenshot tool aim it at loopback;
    `discovery_options` (e.g. `DiscoveryOptions(offline=True)`) and `password_store` keep tests off
    the network and the real keychain. `profile_path` is `--profile FILE`; without it the installed
    profile is looked for (`assistant.profile.find_profile`)."""

    def __init__(
        self,
        settings_factory: SettingsFactory | None = None,
        ports: list[PortSpec] | None = None,
        hosts: list[str] | None = None,
        timeout: float | None = None,
        parent: QWidget | None = None,
        *,
        discovery_options: DiscoveryOptionsFactory | None = None,
        password_store: StoreFactory | None = None,
        profile_path: str | None = None,
        oauth_sign_in: OAuthSignIn | None = None,
    ) -> None:
        super().__init__(parent)
        from assistant.profile_location import profile_location

        profile, problem = None, None
        if profile_location(profile_path) is not None:  # most computers have none: skip the parser
            from assistant.profile import find_profile

            profile, problem = find_profile(profile_path)
        self.state = WizardState(
            settings_factory=settings_factory or default_settings,
            discovery_options=discovery_options or default_discovery_options,
            ports=list(ports or ()),
            preset_hosts=list(hosts or ()),
            timeout=timeout,
            profile=profile,
            profile_problem=problem,
        )
        # The run bridge, discovery and keychain helpers are made on first use (normally just after
        # the first page is painted): the first page needs none of them, and they pull in the
        # `Qt` namespace (see assistant/gui/first_paint_enums.py) and the engine.
        self._password_store = password_store
        self._bridge: RunBridge | None = None
        self._discovery: DiscoveryLookup | None = None
        self._keychain: Keychain | None = None
        self._oauth = oauth_sign_in  # the provider's sign-in window (tests pass a scripted one)
        self._saving = False

        self.setWindowTitle(PRODUCT_NAME)
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        # "About" sits at the left of the button row on every page (version, licence, and what the
        # program contacts and why).
        self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
        self.customButtonClicked.connect(self._custom_button)
        b = QWizard.WizardButton
        self.setButtonLayout(
            [
                b.CustomButton1,
                b.Stretch,
                b.BackButton,
                b.NextButton,
                b.CommitButton,
                b.FinishButton,
                b.CancelButton,
            ]
        )

        # Only the first page is built before the window shows; the rest (and their imports) follow
        # right after it is painted, or at once when something asks for them.
        self.welcome = WelcomePage(self.state)
        self.setPage(int(PageId.WELCOME), self.welcome)
        self.setStartId(int(PageId.WELCOME))
        self._rest: LaterPages | None = None
        self.engine_ready = threading.Event()
        self.welcome.labels[0].installEventFilter(self)  # build the rest once this has painted
        self.retranslate(restyle=False)
        self.resize(fitting_size(self))

    def retranslate(self, restyle: bool = True) -> None:
        """The window's own words; the pages rewrite theirs on the same LanguageChange event."""
        self.setAccessibleName(PRODUCT_NAME)
        self.setAccessibleDescription(
            self.tr(
                "A step-by-step assistant that tests your email's receiving and sending settings."
            )
        )
        # Spanish gives it another letter: Alt+A is Back there ("< &Atrás").
        self.setButtonText(QWizard.WizardButton.CustomButton1, self.tr("&About"))
        b = QWizard.WizardButton
        for which, name, description in (
            (b.CustomButton1, self.tr("About"), self.tr("Version, licence and what is contacted")),
            (b.BackButton, self.tr("Back"), self.tr("Go to the previous step")),
            (b.NextButton, self.tr("Next"), self.tr("Go to the next step")),
            (b.CancelButton, self.tr("Cancel"), self.tr("Close the assistant without saving")),
            (b.FinishButton, self.tr("Finish"), self.tr("Close the assistant")),
            (b.CommitButton, self.tr("Continue"), self.tr("Go to the next step")),
        ):
            self.button(which).setAccessibleName(name)
            self.button(which).setAccessibleDescription(description)
        if restyle:
            # QWizard writes its own Back/Next/Cancel texts only when its style is set: set it again
            # so they follow the new language (Qt's qtbase catalog has them).
            style = self.wizardStyle()
            other = QWizard.WizardStyle.ClassicStyle
            if style == other:
                other = QWizard.WizardStyle.ModernStyle
            self.setWizardStyle(other)
            self.setWizardStyle(style)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            # The window hears of it before its pages: the outcome's sentences are worded again
            # first, so every page then shows them in the new language.
            self.state.reword()
            self.retranslate()
        super().changeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)  # once: every later event would call into Python
            if self._rest is None:
                QTimer.singleShot(0, self, self.ensure_pages)
        return super().eventFilter(watched, event)

    @property
    def bridge(self) -> RunBridge:
        if self._bridge is None:
            from assistant.gui.workers import RunBridge

            self._bridge = RunBridge(self)
        return self._bridge

    @property
    def discovery(self) -> DiscoveryLookup:
        if self._discovery is None:
            from assistant.gui.discovery_worker import DiscoveryLookup

            self._discovery = DiscoveryLookup(self.state.discovery_options, self)
        return self._discovery

    @property
    def keychain(self) -> Keychain:
        if self._keychain is None:
            from assistant.gui.keychain import Keychain

            self._keychain = Keychain(self._password_store, self)
            self._keychain.saved.connect(self._after_save)
        return self._keychain

    def ensure_pages(self) -> None:
        if self._rest is not None:
            return
        from assistant.gui.pages.address import AddressPage
        from assistant.gui.pages.results import ResultsPage
        from assistant.gui.pages.settings import SettingsPage
        from assistant.gui.pages.signin import SignInPage
        from assistant.gui.pages.testing import TestingPage

        rest = LaterPages(
            address=AddressPage(self.state, self.discovery),
            sign_in=SignInPage(self.state, self.keychain, self.oauth_sign_in),
            testing=TestingPage(self.state, self.bridge, self.discovery),
            results=ResultsPage(self.state, self.bridge),
            settings=SettingsPage(self.state),
        )
        self._rest = rest
        ids = (PageId.ADDRESS, PageId.SIGN_IN, PageId.TESTING, PageId.RESULTS, PageId.SETTINGS)
        for page_id, page in zip(ids, rest, strict=True):
            self.setPage(int(page_id), page)
        from assistant.gui.background import Background

        # A job like any other background work; it tells nothing but `engine_ready`.
        self._engine_loader = Background(self, name="load engine")
        self._engine_loader.submit(lambda: _load_engine(self.engine_ready), None)
        self._set_icon()
        self.keychain.open()  # on its own thread: known by the time the sign-in step shows
        self._warm_up_testing_page()

    def _warm_up_testing_page(self) -> None:
        """What the testing page needs the first time it shows, done now, while the person reads
        the first page: its status icons are drawn, and PySide builds the enum classes its tree
        touches (~30 ms on first use). Otherwise both land in the moment the probes start."""
        from assistant.core.explanation import Tone
        from assistant.gui.widgets.status import tone_icon

        for tone in Tone:
            tone_icon(tone)
        tree = self.testing.tree
        tree.viewport().width()
        tree.header().sectionResizeMode(0)
        from assistant.gui.widgets.announce import prepare_announcements

        prepare_announcements()
        # Drawn once, unseen, in a turn of its own: the page's widgets are polished and its
        # fonts' glyphs cached, so its first real paint costs a third less.
        QTimer.singleShot(0, self, lambda: self.testing.grab())

    def _custom_button(self, which: int) -> None:
        if which == int(QWizard.WizardButton.CustomButton1.value):
            from assistant.gui.about import show_about

            show_about(self)

    def _set_icon(self) -> None:
        """The app's icon for the title bar and taskbar (after the first paint: SVG loading is
        not free). The installers also register it with the desktop."""
        from PySide6.QtGui import QIcon

        from assistant.resources import resources_dir

        icon = QIcon(str(resources_dir() / "icons" / "mailsetup.svg"))
        if not icon.isNull():
            self.setWindowIcon(icon)

    def later_pages(self) -> LaterPages:
        """The five pages after the welcome, built now if they are not yet."""
        self.ensure_pages()
        assert self._rest is not None
        return self._rest

    address: _LaterPage[AddressPage] = _LaterPage()
    sign_in: _LaterPage[SignInPage] = _LaterPage()
    testing: _LaterPage[TestingPage] = _LaterPage()
    results: _LaterPage[ResultsPage] = _LaterPage()
    settings: _LaterPage[SettingsPage] = _LaterPage()

    def initializePage(self, id: int) -> None:
        """Every page opens at the top, whatever it showed before (see pages/base.py)."""
        super().initializePage(id)
        from assistant.gui.pages.base import Page

        page = self.page(id)
        if isinstance(page, Page):
            page.scroll_to_top()

    def sizeHint(self) -> QSize:
        return fitting_size(self)

    def page_id(self) -> PageId:
        return PageId(self.currentId())

    # -- closing: save the password if asked, stop probes, forget the password ----------------------

    def keychain_change(self) -> tuple[str, str | None] | None:
        """What Finish does to the keychain: ("remember", password) / ("forget", None) / None."""
        state = self.state
        if not self.keychain.persistent or not state.address:
            return None
        if state.remember_password and state.password and not state.password_refused():
            return ("remember", state.password)
        if not state.remember_password and state.remembered_for == state.address:
            return ("forget", None)  # it was remembered, and the person unticked "Remember"
        return None

    def accept(self) -> None:
        """Finish: the one moment (besides "Forget") the keychain is written. The window stays open
        until the keychain has answered, so a failure can be told."""
        if self._saving:
            return
        change = self.keychain_change()
        if change is None:
            super().accept()
            return
        self._saving = True
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        action, password = change
        if action == "remember" and password is not None:
            self.keychain.remember(self.state.address, password)
        else:
            self.keychain.forget(self.state.address)
            from PySide6.QtCore import Qt

            self.keychain.forgotten.connect(
                self._after_save, Qt.ConnectionType.SingleShotConnection
            )

    def _after_save(self, account: str, problem: object) -> None:
        if not self._saving:
            return
        self._saving = False
        if problem:
            from PySide6.QtWidgets import QMessageBox

            from assistant.credentials import problem_text

            box = QMessageBox(
                QMessageBox.Icon.Warning,
                self.windowTitle(),
                problem_text(str(problem)),
                parent=self,
            )
            box.setAccessibleName(self.tr("The password was not saved"))
            box.finished.connect(lambda _=0: QWizard.accept(self))
            box.open()
            self.keychain_message = box
            return
        QWizard.accept(self)

    def done(self, result: int) -> None:
        self.shutdown()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    @property
    def oauth_sign_in(self) -> OAuthSignIn:
        if self._oauth is None:
            from assistant.gui.oauth_sign_in import OAuthSignIn

            self._oauth = OAuthSignIn(self)
        return self._oauth

    def shutdown(self) -> None:
        if self._oauth is not None:
            self._oauth.stop()
        if self._bridge is not None:
            self._bridge.cancel()
        if self._discovery is not None:
            self._discovery.clear()
        if self._rest is not None:
            self.sign_in.forget()
        self.state.forget_secrets()
        if self._keychain is not None:
            self._keychain.shutdown()
