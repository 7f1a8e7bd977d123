"""The entry point for a front end: `run_oauth_sign_in`, Cancel, and the explanation."""

from __future__ import annotations

import webbrowser
from collections.abc import Callable

from assistant.core.oauth_explain import (
    SignInProblem,
    no_registration_sentence,
    problem_sentences,
    wait_words,
)
from assistant.core.tls import TlsContextFactory, system_trust_context
from assistant.i18n import Translate, gettext
from assistant.oauth.flow import (
    DEFAULT_BROWSER_WAIT_S,
    BearerToken,
    Cancel,
    Opener,
    SignInResult,
    sign_in_with_browser,
)
from assistant.oauth.providers import OAuthClient, RegistrationError, client_for, provider_name


def run_oauth_sign_in(
    client: OAuthClient,
    address: str,
    *,
    cancel: Cancel | None = None,
    open_browser: Opener | None = None,
    on_url: Callable[[str], None] | None = None,
    browser_wait: float = DEFAULT_BROWSER_WAIT_S,
    tls_context: TlsContextFactory = system_trust_context,
    tr: Translate = gettext,
) -> SignInResult:
    """The whole browser sign-in; blocks until it ends (run it off the GUI thread).

    `open_browser` defaults to Python's `webbrowser.open`, which honours $BROWSER; `on_url` gets
    the address to show so it can be opened by hand. `cancel.cancel()` ends it within a second."""
    return sign_in_with_browser(
        client,
        address,
        open_browser=open_browser or webbrowser.open,
        on_url=on_url,
        cancel=cancel,
        browser_wait=browser_wait,
        tls_context=tls_context,
        tr=tr,
    )


def explain_result(result: SignInResult, address: str, tr: Translate = gettext) -> str:
    """Why there is no token, in plain words (empty when signed in); the wait for the browser
    it may state is the result's own (`SignInResult.browser_wait`)."""
    if result.problem is None:
        return ""
    parts = problem_sentences(
        result.problem,
        tr,
        provider=result.provider,
        address=address,
        signed_in_as=result.signed_in_as or "",
        signed_in=result.signed_in_as or "",
        wait=wait_words(result.browser_wait, tr),
    )
    if result.provider_said:
        parts.append(
            tr("{provider} said: “{text}”").format(
                provider=result.provider, text=result.provider_said
            )
        )
    return " ".join(parts)


__all__ = [
    "BearerToken",
    "Cancel",
    "OAuthClient",
    "RegistrationError",
    "SignInProblem",
    "SignInResult",
    "client_for",
    "explain_result",
    "no_registration_sentence",
    "provider_name",
    "run_oauth_sign_in",
]
