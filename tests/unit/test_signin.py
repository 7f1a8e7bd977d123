"""Sign-in over verified TLS against aiosmtpd authenticators answering as real providers do."""

from __future__ import annotations

from typing import Any

import pytest
from aiosmtpd.smtp import AuthResult

from assistant.core.explanation import explain
from assistant.core.models import AuthOutcome, Verdict
from assistant.core.probe import probe
from assistant.core.signin import Credentials
from tests.servers import Loopback
from tests.servers.farm import CANARY_PASSWORD, password_authenticator

# (reply exactly as seen in the wild, outcome, words the person must read)
REFUSALS = [
    (
        "534-5.7.9 Application-specific password required. Learn more at\r\n"
        "534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor d2-20020a05",
        AuthOutcome.APP_PASSWORD_REQUIRED,
        "It wants an app password",
    ),
    (
        "534-5.7.14 <https://accounts.google.com/signin/continue?sarp=1&scc=1>\r\n"
        "534-5.7.14 Please log in via your web browser and then try again.\r\n"
        "534 5.7.14  Learn more at https://support.google.com/mail/answer/78754 q7-20020a17",
        AuthOutcome.WEB_LOGIN_REQUIRED,
        "Sign in once on its website in a web browser",
    ),
    (
        "535-5.7.8 Username and Password not accepted. For more information, go to\r\n"
        "535 5.7.8  https://support.google.com/mail/?p=BadCredentials a1-20020a05",
        AuthOutcome.WRONG_PASSWORD,
        "watch for Caps Lock",
    ),
    (
        "535 5.7.3 Authentication unsuccessful [AM0PR02CA0001.eurprd02.prod.outlook.com]",
        AuthOutcome.WRONG_PASSWORD,
        "your organisation blocks password sign-in",
    ),
    (
        "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.",
        AuthOutcome.DISABLED_BY_ORGANISATION,
        "Only your Microsoft 365 administrator can switch it on",
    ),
    (
        "550 5.7.30 Basic authentication is not supported for Client Submission.",
        AuthOutcome.OAUTH_ONLY,
        "its own Microsoft sign-in window",
    ),
    (
        "538 5.7.11 Encryption required for requested authentication mechanism",
        AuthOutcome.REFUSED_OTHER,
        "only takes a password over an encrypted connection",
    ),
    (
        "454 4.7.0 Too many login attempts, please try again later.",
        AuthOutcome.TEMPORARY,
        "Wait a few minutes",
    ),
    (
        "421 4.7.0 Try again later, closing connection.",
        AuthOutcome.TEMPORARY,
        "busy or closing",
    ),
    (
        "530 5.7.0 Must issue a STARTTLS command first.",
        AuthOutcome.REFUSED_OTHER,
        "wants encryption switched on",
    ),
    (
        "504 5.5.4 Unrecognized authentication type",
        AuthOutcome.REFUSED_OTHER,
        "Normal password",
    ),
    (
        "550 5.7.1 Client does not have permissions to send as this sender",
        AuthOutcome.REFUSED_OTHER,
        "The server does not allow this",
    ),
]


def _refusing(message: str) -> Any:
    def authenticate(*_args: Any) -> AuthResult:
        return AuthResult(success=False, handled=False, message=message)

    return authenticate


@pytest.mark.parametrize(("reply", "outcome", "words"), REFUSALS, ids=[r[0][:9] for r in REFUSALS])
def test_each_refusal_is_explained(
    loopback: Loopback, reply: str, outcome: AuthOutcome, words: str
) -> None:
    server = loopback.starttls(authenticator=_refusing(reply))
    result = probe(server.candidate(), loopback.settings(password=CANARY_PASSWORD))
    assert result.verdict is Verdict.ENCRYPTED_STARTTLS
    assert result.auth is outcome
    text = explain(result).text
    assert words in text
    code = reply[:3]
    assert "The server said: “" + code in text  # the server's own words come last, quoted
    assert CANARY_PASSWORD not in text


def test_correct_password_is_accepted(loopback: Loopback) -> None:
    server = loopback.starttls()
    result = probe(server.candidate(), loopback.settings(password=CANARY_PASSWORD))
    assert result.auth is AuthOutcome.ACCEPTED
    assert result.evidence.auth_mechanism == "PLAIN"
    assert "Your sign-in was accepted." in explain(result).text


def test_local_part_is_tried_after_the_full_address(loopback: Loopback) -> None:
    """Some hosts want only the part before the @: tried once, after the full address."""
    seen: list[str] = []

    def only_local_part(
        server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        seen.append(data.login.decode())
        ok = data.login == b"alice" and data.password.decode() == CANARY_PASSWORD
        return AuthResult(success=ok, handled=False, message=None if ok else "535 5.7.8 Bad")

    server = loopback.starttls(authenticator=only_local_part)
    result = probe(server.candidate(), loopback.settings(password=CANARY_PASSWORD))
    assert seen == ["alice@example.test", "alice"]
    assert result.auth is AuthOutcome.ACCEPTED
    assert result.evidence.auth_username == "alice"


def test_oauth_only_server_gets_the_oauth_explanation(loopback: Loopback) -> None:
    server = loopback.smtp_script(features_tls=("AUTH XOAUTH2 OAUTHBEARER",))
    result = probe(server.candidate(), loopback.settings(password=CANARY_PASSWORD))
    assert result.auth is AuthOutcome.OAUTH_ONLY
    assert "provider's own sign-in window (OAuth)" in explain(result).text
    assert server.scripted is not None
    assert not any(c.startswith("AUTH") for c in server.scripted.received.commands_tls)


def test_provider_next_step_is_shown_for_gmail(loopback: Loopback) -> None:
    loopback.map_name(
        "smtp.gmail.com"
    )  # the loopback server plays Gmail; nothing leaves the machine
    server = loopback.implicit_tls(name="smtp.gmail.com", sign_in=False)
    server_cand = server.candidate()
    candidate = type(server_cand)("smtp.gmail.com", server.port, server_cand.security)
    # A relay port (no AUTH offered): sign-in "not offered".
    result = probe(candidate, loopback.settings(password=CANARY_PASSWORD))
    assert result.auth is AuthOutcome.NOT_OFFERED
    gmail = loopback.starttls(name="smtp.gmail.com", authenticator=_refusing(REFUSALS[0][0]))
    result = probe(
        type(server_cand)("smtp.gmail.com", gmail.port, gmail.security),
        loopback.settings(password=CANARY_PASSWORD),
    )
    assert result.auth is AuthOutcome.APP_PASSWORD_REQUIRED
    assert "myaccount.google.com" in explain(result).text


def test_test_message_is_sent_only_when_asked(loopback: Loopback) -> None:
    server = loopback.starttls()
    plain_run = probe(server.candidate(), loopback.settings(password=CANARY_PASSWORD))
    assert plain_run.test_message_sent is None
    assert loopback.messages == []
    settings = loopback.settings(password=CANARY_PASSWORD)
    settings.test_message_to = "alice@example.test"
    result = probe(server.candidate(), settings)
    assert result.test_message_sent is True
    assert "check your inbox" in explain(result).text
    assert len(loopback.messages) == 1
    message = loopback.messages[0]
    assert message.mail_from == "alice@example.test"
    assert message.rcpt_tos == ["alice@example.test"]
    assert b"Subject: Mail Setup Assistant: test message" in message.content
    assert CANARY_PASSWORD.encode() not in message.content


def test_refused_test_message_is_explained(loopback: Loopback) -> None:
    server = loopback.starttls(
        refuse_rcpt="550 5.7.60 Client does not have permissions to send as this sender"
    )
    settings = loopback.settings(password=CANARY_PASSWORD)
    settings.test_message_to = "alice@example.test"
    result = probe(server.candidate(), settings)
    assert result.auth is AuthOutcome.ACCEPTED
    assert result.test_message_sent is False
    assert "did not accept the test message" in explain(result).text
    assert "5.7.60" in explain(result).text


def test_credentials_never_show_the_password() -> None:
    creds = Credentials.for_address("alice@example.test", CANARY_PASSWORD)
    assert CANARY_PASSWORD not in repr(creds)
    assert CANARY_PASSWORD not in str(creds)
    assert CANARY_PASSWORD not in repr(loopback_settings_repr(creds))


def loopback_settings_repr(creds: Credentials) -> str:
    from assistant.core.probe import ProbeSettings

    return repr(ProbeSettings(credentials=creds))


def test_wrong_password_from_the_password_authenticator(loopback: Loopback) -> None:
    server = loopback.starttls(authenticator=password_authenticator())
    result = probe(server.candidate(), loopback.settings(password="not-the-password"))
    assert result.auth is AuthOutcome.WRONG_PASSWORD
