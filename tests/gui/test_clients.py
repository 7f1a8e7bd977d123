"""Client guides (no Qt): every guide loads and renders; labels match the reference wording."""

from __future__ import annotations

import pytest

from assistant.clients import SendSetting, load_guides, render_fields, render_text
from assistant.clients.guides import GuideError, UnsupportedSetting, parse_guide
from assistant.core.models import Security

GUIDES = {g.id: g for g in load_guides()}


def test_at_least_outlook_classic_and_thunderbird_ship() -> None:
    assert list(GUIDES)[:2] == ["outlook-classic", "thunderbird"]
    assert {"outlook-new", "outlook-mac", "apple-mail", "iphone", "android-gmail"} <= set(GUIDES)


@pytest.mark.parametrize("guide_id", sorted(GUIDES))
@pytest.mark.parametrize("security", [Security.IMPLICIT_TLS, Security.STARTTLS])
def test_every_guide_renders_every_encrypted_setting(guide_id: str, security: Security) -> None:
    setting = SendSetting("smtp.example.com", 465, security, "me@example.com")
    fields = render_fields(GUIDES[guide_id], setting)
    values = [f.value for f in fields]
    assert "smtp.example.com" in values and "465" in values
    assert all(f.label and f.value for f in fields)
    assert "{" not in render_text(GUIDES[guide_id], setting)


def test_outlook_classic_uses_its_own_labels() -> None:
    fields = render_fields(
        GUIDES["outlook-classic"], SendSetting("smtp.x.org", 587, Security.STARTTLS, "a@x.org")
    )
    assert [(f.label, f.value) for f in fields] == [
        ("Server", "smtp.x.org"),
        ("Port", "587"),
        ("Encryption method", "STARTTLS"),
        ("Require logon using Secure Password Authentication (SPA)", "Leave it unticked"),
    ]


def test_thunderbird_uses_its_own_labels() -> None:
    fields = render_fields(
        GUIDES["thunderbird"], SendSetting("smtp.x.org", 465, Security.IMPLICIT_TLS, "a@x.org")
    )
    assert [(f.label, f.value) for f in fields] == [
        ("Hostname", "smtp.x.org"),
        ("Port", "465"),
        ("Connection security", "SSL/TLS"),
        ("Authentication method", "Normal password"),
        ("Username", "a@x.org"),
    ]
    text = render_text(
        GUIDES["thunderbird"], SendSetting("smtp.x.org", 465, Security.IMPLICIT_TLS, "a@x.org")
    )
    assert "  Hostname: smtp.x.org\n" in text and "::" not in text


def test_thunderbird_follows_the_account_hub() -> None:
    """Thunderbird 153's Account Hub: Continue after each page, no Re-test/Done, and the hub's
    own headings (no colons: the hub shows none)."""
    guide = GUIDES["thunderbird"]
    assert guide.steps == (
        "Open Thunderbird. If no “Welcome to Thunderbird” window opens, choose ≡ > New Account > "
        "Email.",
        "Type your full name and email address, click Continue, then Configure Manually.",
        "Fill in Incoming server and click Continue; then Outgoing server, and Continue again.",
        "Type your password and click Continue: Thunderbird checks the incoming server and "
        "creates the account.",
    )
    assert guide.incoming is not None
    assert (guide.incoming.section, guide.outgoing.section) == (
        "Incoming server",
        "Outgoing server",
    )
    assert [f.label for f in guide.incoming.fields] == [
        "Protocol",
        "Hostname",
        "Port",
        "Connection security",
        "Authentication method",
        "Username",
    ]
    assert guide.outgoing.security == {"tls": "SSL/TLS", "starttls": "STARTTLS", "plain": "None"}
    assert guide.outgoing.auth == {
        "password": "Normal password",
        "oauth2": "OAuth2",
        "none": "No authentication",
    }
    assert guide.unconfirmed_labels("es") == ()  # every label is in Thunderbird's es-MX strings
    words = " ".join(guide.steps)
    assert "Done" not in words and "Re-test" not in words and "Configure manually" not in words
    assert any("checks only the incoming server" in note for note in guide.notes)
    plain = SendSetting("smtp.x.org", 25, Security.PLAIN, "a@x.org", sign_in=False)
    text = render_text(guide, plain)
    assert "\nOutgoing server\n  Hostname: smtp.x.org\n" in text
    assert "  Connection security: None\n  Authentication method: No authentication\n" in text


def test_new_outlook_refuses_plain_text_and_android_never_accepts_all_certificates() -> None:
    plain = SendSetting("smtp.x.org", 25, Security.PLAIN, "a@x.org")
    assert not GUIDES["outlook-new"].supports(plain)
    with pytest.raises(UnsupportedSetting):
        render_fields(GUIDES["outlook-new"], plain)
    android = GUIDES["android-gmail"]
    assert android.incoming is not None
    for part in (android.outgoing, android.incoming):  # neither half offers "Accept all …"
        for security in ("tls", "starttls", "plain"):
            assert "Accept all" not in (part.security[security] or "")


def test_a_broken_guide_file_is_reported_clearly() -> None:
    with pytest.raises(GuideError, match="missing 'steps'"):
        parse_guide(
            {
                "id": "x",
                "name": "X",
                "fields": [],
                "security": {"tls": "a", "starttls": "b", "plain": None},
            }
        )
    with pytest.raises(GuideError, match="security must map"):
        parse_guide({"id": "x", "name": "X", "steps": [], "fields": [], "security": {"tls": "a"}})
