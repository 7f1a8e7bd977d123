"""`mailsetup check ADDRESS --oauth`: sign in through the provider's window before the servers are
tested, then test them with the token (XOAUTH2 / OAUTHBEARER) instead of a password.

The browser is opened with Python's `webbrowser`, so `$BROWSER` is honoured; the address is also
printed on stderr so it can be opened by hand (on another computer's browser it will not work: the
answer comes back to this computer's loopback). Ctrl+C stops the wait at once.
"""

from __future__ import annotations

import sys
import webbrowser
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from assistant.i18n import gettext
from assistant.oauth.browser_wait import DEFAULT_BROWSER_WAIT_S

if TYPE_CHECKING:
    import argparse

    from assistant.core.models import Candidate
    from assistant.core.probe import ProbeSettings
    from assistant.profile import Profile


open_browser: Callable[[str], object] = webbrowser.open
"""What opens the sign-in page (tests put their scripted browser here, or set $BROWSER)."""


def add_arguments(check: argparse.ArgumentParser) -> None:
    from assistant.seconds_option import add_seconds_option

    check.add_argument(
        "--oauth",
        action="store_true",
        help=gettext(
            "sign in through your provider's own window in your web browser (Microsoft 365, "
            "Outlook.com, Gmail, or the company profile's sign-in) and test the servers with it"
        ),
    )
    add_seconds_option(
        check,
        "--sign-in-wait",
        DEFAULT_BROWSER_WAIT_S,
        (5, 1800),
        gettext("how long to wait for the browser sign-in"),
    )


@dataclass
class OAuthStep:
    document: dict[str, Any]
    """The report's "oauth" object (docs/check-report.schema.json); never holds a token."""
    interrupted: bool = False


def account_kind(candidates: Sequence[Candidate], discovered: str = "") -> str:
    """The provider's sign-in kind: from discovery, else from the servers' names."""
    if discovered:
        return discovered
    from assistant.clients.guides import oauth_account_for_host

    for candidate in candidates:
        kind = oauth_account_for_host(candidate.host)
        if kind:
            return kind
    return ""


def sign_in(
    address: str,
    kind: str,
    profile: Profile | None,
    settings: ProbeSettings,
    quiet: bool,
    wait: float = DEFAULT_BROWSER_WAIT_S,
) -> OAuthStep:
    """Run the browser sign-in; on success put the token into `settings.credentials`."""
    from assistant.core.oauth_explain import no_registration_sentence, sentence
    from assistant.oauth.providers import client_for, provider_name
    from assistant.oauth.sign_in import explain_result, run_oauth_sign_in

    profile_oauth = profile.oauth if profile is not None else None
    if profile_oauth is None and not kind:
        text = sentence("not_applicable")
        return _told(OAuthStep(_doc(None, "not_applicable", text)), text, quiet)
    client = client_for(
        kind or None, profile_oauth, profile_name=profile.company if profile is not None else ""
    )
    if client is None:
        text = no_registration_sentence(provider_name(kind))
        return _told(OAuthStep(_doc(provider_name(kind), "not_registered", text)), text, quiet)

    def show(url: str) -> None:
        print(sentence("opening_browser", provider=client.provider), file=sys.stderr)
        print(sentence("open_by_hand", url=url), file=sys.stderr, flush=True)

    try:
        result = run_oauth_sign_in(
            client,
            address,
            open_browser=open_browser,
            on_url=show,
            browser_wait=wait,
            tls_context=settings.tls_context,
        )
    except KeyboardInterrupt:
        print(gettext("mailsetup: stopped."), file=sys.stderr)
        return OAuthStep({}, interrupted=True)
    if result.signed_in:
        settings.credentials = result.credentials(address)
        document = _doc(client.provider, "signed_in", None)
        document["signed_in_as"] = result.signed_in_as
        if not quiet:
            done = gettext("Signed in with {provider}; the servers are tested with that sign-in.")
            print(done.format(provider=client.provider), flush=True)
        return OAuthStep(document)
    assert result.problem is not None
    text = explain_result(result, address)
    document = _doc(client.provider, result.problem.value, text)
    document["signed_in_as"] = result.signed_in_as
    return _told(OAuthStep(document), text, quiet)


def _doc(provider: str | None, outcome: str, explanation: str | None) -> dict[str, Any]:
    return {"provider": provider, "outcome": outcome, "explanation": explanation}


def _told(step: OAuthStep, text: str, quiet: bool) -> OAuthStep:
    if not quiet:
        print(text, flush=True)
    return step
