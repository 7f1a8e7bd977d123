"""What a sign-in through the provider's own window (OAuth2) came to, in plain words.

The sentences, the error codes they answer (OAuth `error` values, Microsoft's AADSTS numbers) and
what IT can switch on live in resources/oauth.json; this module only picks the entry and fills in
the facts. Every template is translated before it is filled in.
"""

from __future__ import annotations

import enum
import re
from functools import cache
from typing import Any

from assistant.core.models import AuthOutcome, ProbeResult
from assistant.i18n import Translate, gettext
from assistant.resources import load_json


class SignInProblem(enum.StrEnum):
    """Why a sign-in through the provider's window did not give a usable token (oauth.json ids)."""

    CANCELLED = "cancelled"
    BROWSER_CLOSED = "browser_closed"
    DENIED = "denied"
    CONSENT_REQUIRED = "consent_required"
    APP_NOT_ALLOWED = "app_not_allowed"
    OTHER_ORGANISATION = "other_organisation"
    INVALID_GRANT = "invalid_grant"
    STATE_MISMATCH = "state_mismatch"
    WRONG_ACCOUNT = "wrong_account"
    TOKEN_REFUSED = "token_refused"
    SMTP_AUTH_DISABLED = "smtp_auth_disabled"
    UNREACHABLE = "unreachable"
    NOT_REGISTERED = "not_registered"
    OTHER = "other"


_AADSTS = re.compile(r"AADSTS(\d+)")


def _data() -> dict[str, Any]:
    data: dict[str, Any] = load_json("oauth.json")
    return data


@cache
def _refusals() -> dict[str, dict[str, Any]]:
    return {entry["id"]: entry for entry in _data()["refusals"]}


def classify_error(error: str, description: str = "") -> SignInProblem:
    """An OAuth error (from the redirect or the token endpoint) as one of our problems.

    Microsoft's AADSTS number is the more precise signal (`access_denied` can mean "declined" or
    "your organisation blocks this app"), so it is matched first, then the `error` value."""
    numbers = _AADSTS.findall(description or "")
    entries = _data()["refusals"]
    for number in numbers:
        for entry in entries:
            if number in entry["aadsts"]:
                return SignInProblem(entry["id"])
    for entry in entries:
        if error and error in entry["errors"]:
            return SignInProblem(entry["id"])
    return SignInProblem.OTHER


def problem_sentences(problem: SignInProblem, tr: Translate = gettext, **facts: str) -> list[str]:
    """The meaning and, where there is one, what IT can do — translated, then filled in."""
    entry = _refusals()[problem.value]
    values = {"provider": tr("your provider"), "wait": "?", "signed_in": "?", "address": "?"}
    values.update({k: v for k, v in facts.items() if v})
    parts = [tr(entry["meaning"]).format(**values)]
    if entry.get("it_step"):
        parts.append(tr(entry["it_step"]).format(**values))
    return parts


def wait_words(seconds: float, tr: Translate = gettext) -> str:
    """How long the sign-in was waited for, as a person says it: "5 minutes", "90 seconds" (not
    "1.5 minutes", nor "0.0833333 minutes" for `--sign-in-wait 5`)."""
    if seconds >= 120 and seconds % 60 == 0:
        return tr("{count} minutes").format(count=f"{seconds / 60:g}")
    return tr("{count} seconds").format(count=f"{seconds:g}")


def sentence(key: str, tr: Translate = gettext, **facts: str) -> str:
    """One of oauth.json's sentences (opening the browser, the page shown after the redirect …)."""
    return tr(_data()["sentences"][key]).format(**facts)


def no_registration_sentence(provider: str, tr: Translate = gettext) -> str:
    """The one sentence for a copy that has no app registration for this provider."""
    return sentence("no_registration", tr, provider=provider)


def issuer_name_for_host(host: str) -> str:
    """ "Microsoft" or "Google" for a server of the provider list that signs in through their window."""
    host = host.lower().rstrip(".")
    data = _data()
    for provider in load_json("providers/providers.json")["providers"]:
        kind = provider.get("oauth")
        servers = [*provider["smtp"], *provider.get("incoming", [])]
        if kind and any(str(s["host"]).lower() == host for s in servers):
            issuer = data["accounts"][kind]["issuer"]
            return str(data["issuers"][issuer]["name"])
    return ""


def oauth_reply_sentences(result: ProbeResult, tr: Translate = gettext) -> list[str]:
    """After a token was tried on a server: what the server's answer means (not the password words)."""
    provider = issuer_name_for_host(result.candidate.host)
    facts = {"provider": provider}
    if result.auth is AuthOutcome.ACCEPTED:
        return [sentence("accepted", tr, provider=provider or tr("your provider"))]
    if result.auth is AuthOutcome.DISABLED_BY_ORGANISATION:
        return problem_sentences(SignInProblem.SMTP_AUTH_DISABLED, tr, **facts)
    if result.auth is AuthOutcome.TOKEN_REFUSED:
        return problem_sentences(SignInProblem.TOKEN_REFUSED, tr, **facts)
    return []
