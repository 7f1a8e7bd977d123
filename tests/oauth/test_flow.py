"""The browser sign-in end to end, on loopback: PKCE + state + loopback redirect against the
scripted authorization server, the scripted browser following the redirect, and SMTP servers that
accept XOAUTH2 / OAUTHBEARER only with a token from that server."""

from __future__ import annotations

import threading
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from assistant.core.models import AuthOutcome, Verdict
from assistant.core.probe import probe
from assistant.core.report import candidate_document
from assistant.oauth.flow import Cancel
from assistant.oauth.providers import OAuthClient
from assistant.oauth.sign_in import (
    SignInProblem,
    SignInResult,
    explain_result,
    run_oauth_sign_in,
)
from tests.oauth.conftest import MailFactory
from tests.servers import Loopback
from tests.servers.browser import ScriptedBrowser
from tests.servers.farm import TEST_USER
from tests.servers.oauth_server import AuthServer


def _sign_in(
    loopback: Loopback,
    client: OAuthClient,
    browser: ScriptedBrowser,
    cancel: Cancel | None = None,
    browser_wait: float = 30.0,
) -> SignInResult:
    return run_oauth_sign_in(
        client,
        TEST_USER,
        open_browser=browser,
        tls_context=loopback.pki.client_context,
        cancel=cancel,
        browser_wait=browser_wait,
    )


def _page(browser: ScriptedBrowser) -> str:
    """The page the browser showed after the redirect (it arrives just after the flow's answer)."""
    assert browser.finished.wait(5)
    assert browser.errors == []
    return browser.pages[0]


def test_success_signs_in_and_the_smtp_server_accepts_the_token(
    loopback: Loopback,
    auth: AuthServer,
    client: OAuthClient,
    browser: ScriptedBrowser,
    smtp: MailFactory,
) -> None:
    shown: list[str] = []
    result = run_oauth_sign_in(
        client,
        TEST_USER,
        open_browser=browser,
        on_url=shown.append,
        tls_context=loopback.pki.client_context,
    )
    assert result.signed_in and result.problem is None, explain_result(result, TEST_USER)
    assert result.signed_in_as == TEST_USER
    assert auth.problems == [] and browser.errors == []
    assert "You can close this window" in _page(browser)
    # RFC 8252: loopback IP literal, a random port; RFC 7636: S256; state present
    (request,) = auth.authorize_requests
    redirect = urlsplit(request["redirect_uri"])
    assert (redirect.scheme, redirect.hostname, redirect.path) == ("http", "127.0.0.1", "")
    assert redirect.port and redirect.port != 80
    assert request["code_challenge_method"] == "S256" and len(request["code_challenge"]) == 43
    assert len(request["state"]) >= 20 and request["login_hint"] == TEST_USER
    assert shown == browser.opened
    assert "code_verifier" not in parse_qs(urlsplit(shown[0]).query)
    (exchange,) = auth.token_requests
    assert exchange["redirect_uri"] == request["redirect_uri"]
    assert "client_secret" not in exchange  # a public client

    server = smtp()
    settings = loopback.settings()
    settings.credentials = result.credentials(TEST_USER)
    tested = probe(server.candidate(), settings)
    assert tested.verdict is Verdict.ENCRYPTED_STARTTLS
    assert tested.auth is AuthOutcome.ACCEPTED
    assert tested.evidence.auth_mechanism == "OAUTHBEARER"  # the standard one, where offered
    document = candidate_document(tested, 5.0)
    assert document["sign_in"] == "accepted" and document["sign_in_method"] == "oauth2"
    assert "provider's window" not in document["explanation"]
    assert result.token is not None
    token = result.token.access_token
    assert token.encode() not in bytes(server.scripted.received.plain)  # type: ignore[union-attr]
    assert all(token not in line for line in tested.evidence.transcript)
    assert token not in repr(result) and token not in repr(settings)


def test_xoauth2_when_it_is_the_only_mechanism(
    loopback: Loopback, client: OAuthClient, browser: ScriptedBrowser, smtp: MailFactory
) -> None:
    result = _sign_in(loopback, client, browser)
    server = smtp(style="microsoft", mechanisms=("XOAUTH2",))
    settings = loopback.settings()
    settings.credentials = result.credentials(TEST_USER)
    tested = probe(server.candidate(), settings)
    assert tested.auth is AuthOutcome.ACCEPTED
    assert tested.evidence.auth_mechanism == "XOAUTH2"
    assert "AUTH XOAUTH2 <hidden: sign-in data>" in [
        line[3:] for line in tested.evidence.transcript
    ]


@pytest.mark.parametrize(
    ("mode", "problem", "words"),
    [
        ("deny", SignInProblem.DENIED, "You chose not to allow the sign-in"),
        ("google_deny", SignInProblem.DENIED, "click Accept (or Allow)"),
        ("consent_required", SignInProblem.CONSENT_REQUIRED, "Grant admin consent"),
        (
            "other_organisation",
            SignInProblem.OTHER_ORGANISATION,
            "does not belong to the organisation",
        ),
        ("admin_policy", SignInProblem.APP_NOT_ALLOWED, "does not allow this assistant"),
        ("invalid_grant", SignInProblem.INVALID_GRANT, "Please sign in again"),
    ],
)
def test_refusals_are_explained(
    loopback: Loopback,
    auth: AuthServer,
    client: OAuthClient,
    browser: ScriptedBrowser,
    mode: str,
    problem: SignInProblem,
    words: str,
) -> None:
    auth.mode = mode
    result = _sign_in(loopback, client, browser)
    assert result.problem is problem
    assert not result.signed_in
    text = explain_result(result, TEST_USER)
    assert words in text
    page = _page(browser)
    assert ("The sign-in did not work" in page) is (mode != "invalid_grant")


def test_a_state_mismatch_is_rejected_and_no_code_is_exchanged(
    loopback: Loopback, auth: AuthServer, client: OAuthClient, browser: ScriptedBrowser
) -> None:
    auth.mode = "wrong_state"
    result = _sign_in(loopback, client, browser)
    assert result.problem is SignInProblem.STATE_MISMATCH
    assert auth.token_requests == []
    assert "did not belong to this sign-in" in explain_result(result, TEST_USER)
    assert "The sign-in did not work" in _page(browser)


def test_a_sign_in_with_another_account_is_caught_before_any_server_sees_it(
    loopback: Loopback, auth: AuthServer, client: OAuthClient, browser: ScriptedBrowser
) -> None:
    auth.mode = "wrong_account"
    result = _sign_in(loopback, client, browser)
    assert result.problem is SignInProblem.WRONG_ACCOUNT
    assert result.token is None
    assert explain_result(result, TEST_USER) == (
        f"You signed in as {auth.other_account}, but the test is for {TEST_USER}. "
        f"Sign in again and choose {TEST_USER}."
    )


@pytest.mark.parametrize("style", ["google", "microsoft"])
def test_an_expired_token_is_refused_and_explained(
    loopback: Loopback,
    auth: AuthServer,
    client: OAuthClient,
    browser: ScriptedBrowser,
    smtp: MailFactory,
    style: str,
) -> None:
    result = _sign_in(loopback, client, browser)
    auth.expire_all()
    server = smtp(style=style)
    settings = loopback.settings()
    settings.credentials = result.credentials(TEST_USER)
    tested = probe(server.candidate(), settings)
    assert tested.verdict.is_safe and tested.auth is AuthOutcome.TOKEN_REFUSED
    document = candidate_document(tested, 5.0)
    assert document["sign_in"] == "token_refused" and document["sign_in_method"] == "oauth2"
    explanation = document["explanation"]
    assert "did not accept the sign-in" in explanation and "sign in again" in explanation
    ours = explanation.split("The server said")[0]
    assert "password" not in ours.lower()  # never the password advice for a token
    if style == "google":
        assert tested.evidence.oauth_status == "401"
        assert "5.7.8" in explanation  # the server's own words, quoted
        received = bytes(server.scripted.received.tls)  # type: ignore[union-attr]
        assert b"\r\nAQ==\r\n" in received  # RFC 7628's answer to the error challenge


def test_a_token_the_server_never_issued_is_refused(loopback: Loopback, smtp: MailFactory) -> None:
    from assistant.core.sasl_oauth import OAuthCredentials

    server = smtp(style="microsoft", mechanisms=("XOAUTH2",))
    settings = loopback.settings()
    settings.credentials = OAuthCredentials(TEST_USER, "made-up-token")
    tested = probe(server.candidate(), settings)
    assert tested.auth is AuthOutcome.TOKEN_REFUSED
    assert "535 5.7.3" in candidate_document(tested, 5.0)["explanation"]


def test_a_tenant_without_smtp_auth_is_explained_with_what_it_switches_on(
    loopback: Loopback, client: OAuthClient, browser: ScriptedBrowser, smtp: MailFactory
) -> None:
    result = _sign_in(loopback, client, browser)
    server = smtp(style="microsoft", mechanisms=("XOAUTH2",), tenant_disabled=True)
    settings = loopback.settings()
    settings.credentials = result.credentials(TEST_USER)
    tested = probe(server.candidate(), settings)
    assert tested.auth is AuthOutcome.DISABLED_BY_ORGANISATION
    explanation = candidate_document(tested, 5.0)["explanation"]
    assert "even with Microsoft's own sign-in" in explanation
    assert "Set-CASMailbox" in explanation and "Authenticated SMTP" in explanation
    assert "5.7.139" in explanation


def test_a_closed_browser_times_out_and_the_explanation_states_that_wait(
    loopback: Loopback, auth: AuthServer, client: OAuthClient, browser: ScriptedBrowser
) -> None:
    browser.behaviour = "close"
    start = time.monotonic()
    result = _sign_in(loopback, client, browser, browser_wait=0.6)
    elapsed = time.monotonic() - start
    assert result.problem is SignInProblem.BROWSER_CLOSED
    assert result.browser_wait == 0.6
    assert 0.6 <= elapsed < 1.6
    # The wait comes from the result: the explanation is not told it again (nor the default 5).
    assert explain_result(result, TEST_USER) == (
        "No answer came back from the sign-in window within 0.6 seconds. If you closed the "
        "browser window, start the sign-in again."
    )
    assert auth.token_requests == []


def test_cancel_stops_the_wait_within_a_second(
    loopback: Loopback, client: OAuthClient, browser: ScriptedBrowser
) -> None:
    browser.behaviour = "close"
    cancel = Cancel()
    box: dict[str, object] = {}
    ended = threading.Event()

    def run() -> None:
        box["result"] = _sign_in(loopback, client, browser, cancel=cancel, browser_wait=60)
        ended.set()

    threading.Thread(target=run, daemon=True).start()
    assert browser.url_seen.wait(10)
    start = time.monotonic()
    cancel.cancel()
    assert ended.wait(1.0), "the sign-in did not stop within a second of Cancel"
    assert time.monotonic() - start < 1.0
    assert isinstance(box["result"], SignInResult)
    assert box["result"].problem is SignInProblem.CANCELLED


def test_endpoints_must_be_https() -> None:
    from assistant.oauth.providers import RegistrationError

    with pytest.raises(RegistrationError, match="is not an https:// address"):
        OAuthClient("X", "http://127.0.0.1/authorize", "https://x.test/token", "id", ("s",))
