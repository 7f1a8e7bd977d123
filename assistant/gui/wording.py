"""Short words for each state, and what to do about each outcome — the GUI's own sentences.

The engine explains *what happened* (`assistant.core.explain`); this module adds the status word shown
beside an icon and the *what to do* advice of the results page. Every string is translated.
"""

from __future__ import annotations

import enum

from assistant.core.models import AuthOutcome, Phase, ProbeResult, Security, Verdict
from assistant.i18n import gettext as _


class Tone(enum.Enum):
    """Which icon goes with a state. Always shown together with words, never alone."""

    WAITING = "waiting"
    RUNNING = "running"
    GOOD = "good"
    WARNING = "warning"
    BAD = "bad"
    STOPPED = "stopped"


def phase_words(phase: Phase) -> str:
    """What a row says while a phase is running."""
    if phase in (Phase.RESOLVE, Phase.CONNECT):
        return _("Connecting…")
    if phase in (Phase.GREETING, Phase.EHLO):
        return _("Server answered…")
    if phase in (Phase.STARTTLS, Phase.TLS):
        return _("Setting up encryption…")
    if phase is Phase.CERTIFICATE:
        return _("Checking certificate…")
    if phase is Phase.AUTH:
        return _("Signing in…")
    return _("Finishing…")


def security_words(security: Security) -> str:
    return {
        Security.IMPLICIT_TLS: _("SSL/TLS"),
        Security.STARTTLS: _("STARTTLS"),
        Security.PLAIN: _("no encryption"),
        Security.AUTO: _("automatic"),
    }[security]


def verdict_words(result: ProbeResult) -> tuple[Tone, str]:
    """The status word(s) for a finished test, and its tone."""
    v = result.verdict
    if result.cancelled:
        return Tone.STOPPED, _("Stopped")
    if v is Verdict.ENCRYPTED_IMPLICIT:
        return Tone.GOOD, _("Works, encrypted (SSL/TLS)")
    if v is Verdict.ENCRYPTED_STARTTLS:
        return Tone.GOOD, _("Works, encrypted (STARTTLS)")
    if v is Verdict.PLAINTEXT_ONLY:
        return Tone.WARNING, _("Answers, but not encrypted")
    if v.is_certificate_problem:
        return Tone.WARNING, _("Certificate problem")
    words = {
        Verdict.TLS_FAILED: _("Encryption failed"),
        Verdict.BLOCKED: _("Blocked (no answer)"),
        Verdict.REFUSED: _("Not offered"),
        Verdict.NO_SUCH_HOST: _("No such server"),
        Verdict.NO_NETWORK: _("No internet"),
        Verdict.NOT_SMTP: _("Not a mail server"),
        Verdict.SERVER_REFUSED_US: _("Turned us away"),
    }
    return Tone.BAD, words[v]


def where(result: ProbeResult) -> str:
    cand = result.candidate
    return _("{host}, port {port} ({security})").format(
        host=cand.host, port=cand.port, security=security_words(cand.security)
    )


def advice(result: ProbeResult, recommended: ProbeResult | None) -> str:
    """What the person should do about this outcome (empty when nothing needs doing).

    When a safe way was found, a port that failed needs nothing from anyone: the results page says
    so once, above the list, instead of repeating it under every port."""
    v = result.verdict
    if result is recommended:
        return _("This is the one to use.")
    if v.is_safe:
        return _("This works too, but you do not need it.")
    if recommended is not None:
        return ""
    if v is Verdict.PLAINTEXT_ONLY:
        return _("Ask your email provider whether they offer an encrypted way to send.")
    if v.is_certificate_problem or v is Verdict.TLS_FAILED:
        return _(
            "Ask your email provider to fix the server's certificate, or for the right server name. "
            "Do not tell your mail program to ignore the problem."
        )
    if v is Verdict.BLOCKED:
        if result.candidate.port == 25:
            return _("Blocking port 25 is normal for home and office internet. Use 465 or 587.")
        return _(
            "The network you are on may block this port. Try another network (a phone hotspot), "
            "or ask whoever runs this network."
        )
    if v in (Verdict.REFUSED, Verdict.NOT_SMTP):
        return _("Nothing to do: this server simply does not take mail here.")
    if v is Verdict.NO_SUCH_HOST:
        return _("Nothing to do if another name works; otherwise check the server name for typos.")
    if v is Verdict.NO_NETWORK:
        return _("Check that this computer is connected to the internet, then test again.")
    if v is Verdict.SERVER_REFUSED_US:
        return _(
            "Try again later or from another network; if it keeps happening, ask your provider."
        )
    return ""


def sign_in_words(result: ProbeResult) -> tuple[Tone, str]:
    """The Sign-in column of the testing table, and the sign-in line of each port on the results."""
    a = result.auth
    if a is AuthOutcome.NOT_TRIED:
        if result.cancelled:
            return Tone.STOPPED, _("Stopped")
        if result.verdict.is_safe:
            return Tone.WAITING, _("Not tried")
        if result.verdict in (Verdict.PLAINTEXT_ONLY, Verdict.TLS_FAILED) or (
            result.verdict.is_certificate_problem
        ):
            return Tone.WAITING, _("Not tried (not safe)")
        return Tone.WAITING, _("Not tried (no connection)")
    words = {
        AuthOutcome.ACCEPTED: (Tone.GOOD, _("Password accepted")),
        AuthOutcome.WRONG_PASSWORD: (Tone.BAD, _("Password refused")),
        AuthOutcome.APP_PASSWORD_REQUIRED: (Tone.BAD, _("Needs an app password")),
        AuthOutcome.WEB_LOGIN_REQUIRED: (Tone.BAD, _("Sign in on the web first")),
        AuthOutcome.DISABLED_BY_ORGANISATION: (Tone.BAD, _("Turned off by your organisation")),
        AuthOutcome.OAUTH_ONLY: (Tone.BAD, _("Needs the provider's sign-in window")),
        AuthOutcome.NOT_OFFERED: (Tone.WARNING, _("No sign-in here")),
        AuthOutcome.REFUSED_OTHER: (Tone.BAD, _("Sign-in refused")),
        AuthOutcome.TEMPORARY: (Tone.WARNING, _("Try again later")),
    }
    return words[a]


def sign_in_advice(result: ProbeResult) -> str:
    """What to do about a refused sign-in (empty when there is nothing to do)."""
    a = result.auth
    if a is AuthOutcome.WRONG_PASSWORD:
        return _("Check the password (and Caps Lock), then go Back and test again.")
    if a is AuthOutcome.APP_PASSWORD_REQUIRED:
        return _(
            "Create an app password in your provider's security settings and use that instead."
        )
    if a is AuthOutcome.DISABLED_BY_ORGANISATION:
        return _(
            "Ask your IT administrator to allow “SMTP sign-in” (authenticated SMTP) for your mailbox."
        )
    if a is AuthOutcome.OAUTH_ONLY:
        return _(
            "Use a mail program that offers your provider's own sign-in window, such as Outlook or Thunderbird."
        )
    if a is AuthOutcome.WEB_LOGIN_REQUIRED:
        return _("Sign in to your webmail once in a browser, then go Back and test again.")
    return ""


PROVIDER_ADVICE: dict[str, str] = {
    "gmail.com": "app",
    "googlemail.com": "app",
    "yahoo.com": "app",
    "ymail.com": "app",
    "icloud.com": "app",
    "me.com": "app",
    "mac.com": "app",
    "fastmail.com": "app",
    "fastmail.fm": "app",
    "outlook.com": "oauth",
    "hotmail.com": "oauth",
    "live.com": "oauth",
    "msn.com": "oauth",
}


def provider_sign_in_advice(domain: str) -> str:
    kind = PROVIDER_ADVICE.get(domain.lower())
    if kind is None and domain.lower().startswith("yahoo."):
        kind = "app"
    if kind == "app":
        return _(
            "Your provider needs an app password here, not your normal password: create one in "
            "your account's security settings."
        )
    if kind == "oauth":
        return _(
            "Outlook.com and Hotmail want Microsoft's own sign-in window, which a password cannot "
            "replace. Skip this step: the servers are still tested."
        )
    return ""
