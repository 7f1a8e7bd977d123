"""GUI tests run offscreen: the platform is chosen here, before anything imports Qt."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

from collections.abc import Callable, Iterator

import pytest

from assistant.core.ports import PortSpec
from assistant.discovery import DiscoveryOptions
from assistant.gui.state import PageId
from assistant.gui.wizard import MailSetupWizard
from tests.keyrings import InMemoryKeyring, installed
from tests.servers import Loopback, Server
from tests.servers.farm import MAIL_HOST

ADDRESS = "alice@example.test"

MakeWizard = Callable[..., MailSetupWizard]


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[InMemoryKeyring]:
    """No GUI test ever touches this computer's real keychain."""
    with installed(InMemoryKeyring()) as backend:
        assert isinstance(backend, InMemoryKeyring)
        yield backend


def offline() -> DiscoveryOptions:
    """Discovery that never leaves the machine: the bundled provider list, then guesses."""
    return DiscoveryOptions(offline=True)


@pytest.fixture
def make_wizard(qtbot: object, loopback: Loopback) -> Iterator[MakeWizard]:
    made: list[MailSetupWizard] = []

    def make(
        servers: list[Server],
        timeout: float = 5.0,
        password: str | None = None,
        hosts: list[str] | None = None,
        ports: list[PortSpec] | None = None,
        **kw: object,
    ) -> MailSetupWizard:
        """`servers` are SMTP servers; `ports` (with their protocols) replaces them when given."""
        kw.setdefault("discovery_options", offline)
        wizard = MailSetupWizard(
            settings_factory=lambda: loopback.settings(timeout=timeout),
            ports=ports or [PortSpec(s.port, s.security) for s in servers] or None,
            hosts=[MAIL_HOST] if hosts is None else hosts,
            timeout=timeout,
            **kw,  # type: ignore[arg-type]
        )
        qtbot.addWidget(wizard)  # type: ignore[attr-defined]
        wizard.show()
        made.append(wizard)
        return wizard

    yield make
    for wizard in made:
        wizard.shutdown()
        run = wizard.bridge.run
        if run is not None:
            run.cancel()
            assert run.join_workers(5.0)


def go_to_testing(
    qtbot: object, wizard: MailSetupWizard, address: str = ADDRESS, password: str = ""
) -> None:
    """Welcome → address → sign-in → testing, as a person would."""
    assert wizard.page_id() is PageId.WELCOME
    wizard.next()
    qtbot.keyClicks(wizard.address.address, address)  # type: ignore[attr-defined]
    assert wizard.button(wizard.WizardButton.NextButton).isEnabled()
    wizard.next()
    assert wizard.page_id() is PageId.SIGN_IN
    if password:
        qtbot.keyClicks(wizard.sign_in.password, password)  # type: ignore[attr-defined]
    wizard.next()
    assert wizard.page_id() is PageId.TESTING


def wait_for_run(qtbot: object, wizard: MailSetupWizard, timeout_ms: int = 20_000) -> None:
    qtbot.waitUntil(wizard.testing.isComplete, timeout=timeout_ms)  # type: ignore[attr-defined]
