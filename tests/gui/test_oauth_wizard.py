"""The wizard through the provider's own sign-in window (issue 14), with a scripted browser.

The company profile names its sign-in (an HTTPS loopback authorization server with the test CA);
the sign-in page offers "Sign in with …", the stand-in browser follows the redirect, and the servers
are then tested with that token: the SMTP server accepts only tokens that server issued. The token
appears nowhere a person or a file could see it.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from assistant.core.models import AuthOutcome
from assistant.gui.oauth_sign_in import OAuthSignIn
from assistant.gui.state import PageId
from tests.gui.conftest import ADDRESS, MakeWizard, wait_for_run
from tests.oauth.conftest import SCOPES, MailFactory, auth, browser, smtp  # noqa: F401
from tests.servers import Loopback
from tests.servers.browser import ScriptedBrowser
from tests.servers.oauth_server import CLIENT_ID, AuthServer


def _profile(tmp_path: Path, server: AuthServer) -> str:
    path = tmp_path / "profile.json"
    oauth = {
        "authorization_endpoint": server.authorization_endpoint,
        "token_endpoint": server.token_endpoint,
        "client_id": CLIENT_ID,
        "scopes": list(SCOPES),
    }
    path.write_text(json.dumps({"company": "Smile Dental", "oauth": oauth}), encoding="utf-8")
    return str(path)


def _texts(wizard: object) -> list[str]:
    from PySide6.QtWidgets import QWidget

    assert isinstance(wizard, QWidget)
    found: list[str] = []
    for widget in wizard.findChildren(QWidget):
        if isinstance(widget, (QLabel, QAbstractButton)):
            found.append(widget.text())
        if isinstance(widget, QLineEdit):
            found.append(widget.text())
        found += [widget.accessibleName(), widget.toolTip()]
    return found


def _sign_in_page(
    qtbot: QtBot,
    loopback: Loopback,
    make_wizard: MakeWizard,
    tmp_path: Path,
    authorization: AuthServer,
    opener: ScriptedBrowser,
    server: object,
) -> object:
    oauth = OAuthSignIn(opener=lambda: opener, tls_context=loopback.pki.client_context)
    wizard = make_wizard(
        [server], profile_path=_profile(tmp_path, authorization), oauth_sign_in=oauth
    )
    wizard.next()
    qtbot.keyClicks(wizard.address.address, ADDRESS)
    wizard.next()
    assert wizard.page_id() is PageId.SIGN_IN
    return wizard


def test_signing_in_with_the_providers_window_then_testing_with_that_sign_in(
    qtbot: QtBot,
    loopback: Loopback,
    make_wizard: MakeWizard,
    tmp_path: Path,
    auth: AuthServer,  # noqa: F811
    browser: ScriptedBrowser,  # noqa: F811
    smtp: MailFactory,  # noqa: F811
) -> None:
    server = smtp()
    wizard = _sign_in_page(qtbot, loopback, make_wizard, tmp_path, auth, browser, server)
    page = wizard.sign_in
    assert page.oauth_row.isVisible()
    assert page.oauth_button.text() == "Sign in with Smile Dental…"
    qtbot.mouseClick(page.oauth_button, Qt.MouseButton.LeftButton)
    assert page.oauth_button.text() == "Stop the sign-in"
    qtbot.waitUntil(lambda: wizard.state.oauth is not None, timeout=15_000)
    assert browser.errors == [] and auth.problems == []
    assert "You signed in with" in page.oauth_status.text()
    assert page.oauth_button.text() == "Sign in with Smile Dental…"
    token = wizard.state.oauth.token
    assert token not in repr(wizard.state)

    wizard.next()
    assert wizard.page_id() is PageId.TESTING
    wait_for_run(qtbot, wizard)
    wizard.next()
    outcome = wizard.state.outcome
    assert outcome is not None and outcome.recommendation is not None
    assert outcome.recommendation.auth is AuthOutcome.ACCEPTED
    assert outcome.recommendation.evidence.auth_mechanism in ("OAUTHBEARER", "XOAUTH2")
    assert token.encode() not in bytes(server.scripted.received.plain)
    assert all(token not in text for text in _texts(wizard))
    assert all(token not in line for r in outcome.results for line in r.evidence.transcript)
    wizard.shutdown()
    assert wizard.state.oauth is None


def test_a_closed_browser_is_stopped_within_a_second_and_nothing_is_kept(
    qtbot: QtBot,
    loopback: Loopback,
    make_wizard: MakeWizard,
    tmp_path: Path,
    auth: AuthServer,  # noqa: F811
    smtp: MailFactory,  # noqa: F811
) -> None:
    closing = ScriptedBrowser(loopback.pki.client_context(), behaviour="close")
    wizard = _sign_in_page(qtbot, loopback, make_wizard, tmp_path, auth, closing, smtp())
    page = wizard.sign_in
    page.oauth_button.click()
    qtbot.waitUntil(closing.url_seen.is_set, timeout=10_000)
    qtbot.waitUntil(lambda: "copy this address" in page.oauth_status.text(), timeout=5_000)
    page.oauth_button.click()  # "Stop the sign-in"
    assert not page.oauth.running
    assert page.oauth_button.text() == "Sign in with Smile Dental…"
    assert wizard.state.oauth is None
    # The flow's own threads end within a second of the Cancel.
    qtbot.waitUntil(
        lambda: not any(t.name.startswith("oauth sign-in") for t in threading.enumerate()),
        timeout=1_000,
    )
