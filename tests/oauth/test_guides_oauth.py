"""Guides for accounts with the provider's own sign-in window (no Qt).

Thunderbird says "OAuth2" for Outlook.com, Microsoft 365 and Gmail; Outlook (classic, new, Mac)
shows no server fields for them and says first to let the provider's window appear; Apple Mail,
iPhone and Android pick the provider's own account type instead of "Other".
"""

from __future__ import annotations

import pytest

from assistant.clients import (
    SendSetting,
    for_setting,
    load_guides,
    oauth_account_for_host,
    render_fields,
    render_text,
)

GUIDES = {g.id: g for g in load_guides()}

# (outgoing server from the provider list, port, security, address)
ACCOUNTS = {
    "outlook.com": ("smtp-mail.outlook.com", 587, "starttls", "me@outlook.com"),
    "microsoft365": ("smtp.office365.com", 587, "starttls", "me@contoso.example"),
    "gmail": ("smtp.gmail.com", 465, "tls", "me@gmail.com"),
}


def _setting(account: str) -> SendSetting:
    host, port, security, address = ACCOUNTS[account]
    return SendSetting(host, port, security, address, oauth=oauth_account_for_host(host))


def test_the_provider_list_says_which_servers_want_the_providers_sign_in_window() -> None:
    assert oauth_account_for_host("smtp-mail.outlook.com") == "microsoft-consumer"
    assert oauth_account_for_host("SMTP.Office365.com.") == "microsoft-work"
    assert oauth_account_for_host("smtp.gmail.com") == "google"
    assert oauth_account_for_host("smtp.fastmail.com") == ""


@pytest.mark.parametrize("account", sorted(ACCOUNTS))
def test_thunderbird_says_oauth2(account: str) -> None:
    setting = _setting(account)
    fields = {f.label: f.value for f in render_fields(GUIDES["thunderbird"], setting)}
    assert fields["Authentication method"] == "OAuth2"
    assert fields["Hostname"] == setting.host
    text = render_text(GUIDES["thunderbird"], setting)
    assert "Authentication method: OAuth2" in text
    assert "Normal password" not in text.replace("not Normal password", "")


def test_thunderbird_still_says_normal_password_for_a_password_provider() -> None:
    setting = SendSetting("smtp.fastmail.com", 465, "tls", "me@fastmail.com")
    fields = {f.label: f.value for f in render_fields(GUIDES["thunderbird"], setting)}
    assert fields["Authentication method"] == "Normal password"


@pytest.mark.parametrize("program", ["outlook-classic", "outlook-new", "outlook-mac"])
@pytest.mark.parametrize("account", sorted(ACCOUNTS))
def test_outlook_has_no_server_fields_and_says_so_first(program: str, account: str) -> None:
    setting = _setting(account)
    guide = GUIDES[program]
    assert render_fields(guide, setting) == []
    shown = for_setting(guide, setting)
    assert shown.outgoing.fields == () and shown.outgoing.section == ""
    first = shown.steps[0]
    assert "Do not type any server settings" in first
    window = "Google's" if account == "gmail" else "Microsoft's"
    assert window in first and any(f"Let {window} sign-in window appear" in s for s in shown.steps)
    text = render_text(guide, setting)
    for label in ("Server", "Port", "Encryption method", "SMTP", "IMAP Incoming Server"):
        assert f"  {label}:" not in text
    assert setting.host not in text and "587" not in text and "465" not in text
    assert text.index("Do not type any server settings") < text.index("Open Outlook")


@pytest.mark.parametrize(
    ("program", "account", "account_type"),
    [
        ("apple-mail", "outlook.com", "Microsoft Exchange"),
        ("apple-mail", "microsoft365", "Microsoft Exchange"),
        ("apple-mail", "gmail", "choose Google"),
        ("iphone", "outlook.com", "Tap Outlook.com"),
        ("iphone", "microsoft365", "Tap Microsoft Exchange"),
        ("iphone", "gmail", "Tap Google"),
        ("android-gmail", "outlook.com", "Outlook, Hotmail and Live"),
        ("android-gmail", "microsoft365", "Exchange and Microsoft 365"),
        ("android-gmail", "gmail", "choose Google"),
    ],
)
def test_phones_and_apple_mail_use_the_providers_own_account_type(
    program: str, account: str, account_type: str
) -> None:
    setting = _setting(account)
    text = render_text(GUIDES[program], setting)
    assert account_type in text
    assert render_fields(GUIDES[program], setting) == []
    assert "Other Mail Account…" not in text and "Add Account > Other" not in text
    assert "Personal (IMAP)" not in text


def test_every_guide_supports_every_oauth_account() -> None:
    for guide in GUIDES.values():
        for account in ACCOUNTS:
            setting = _setting(account)
            assert guide.supports(setting)
            assert "{" not in render_text(guide, setting)


def _account(host: str, address: str) -> object:
    from assistant.core.models import Protocol, Security
    from assistant.export.account import AccountSettings, AuthMethod, ServerHalf

    smtp = ServerHalf(Protocol.SMTP, host, 587, Security.STARTTLS, address, auth=AuthMethod.OAUTH2)
    imap = ServerHalf(
        Protocol.IMAP,
        "outlook.office365.com",
        993,
        Security.IMPLICIT_TLS,
        address,
        auth=AuthMethod.OAUTH2,
    )
    return AccountSettings(address=address, outgoing=smtp, incoming=imap)


def test_the_printed_sheet_gives_the_providers_own_sign_in_too() -> None:
    from assistant.export.sheet import Sheet, sheet_html

    account = _account("smtp.office365.com", "me@contoso.example")
    outlook = sheet_html(Sheet(account, GUIDES["outlook-classic"]))  # type: ignore[arg-type]
    assert "Do not type any server settings" in outlook
    assert "smtp.office365.com" not in outlook and "outlook.office365.com" not in outlook
    thunderbird = sheet_html(Sheet(account, GUIDES["thunderbird"]))  # type: ignore[arg-type]
    assert "OAuth2" in thunderbird and "smtp.office365.com" in thunderbird
    assert "Normal password" not in thunderbird.replace("not Normal password", "")
