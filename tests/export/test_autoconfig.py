"""The Thunderbird settings file round-trips through our own autoconfig reader."""

from __future__ import annotations

import pytest

from assistant.core.address import parse
from assistant.core.models import Protocol, Security
from assistant.discovery.autoconfig_xml import parse_config
from assistant.discovery.model import ServerSetting
from assistant.export.account import EMAIL_LOCALPART, AuthMethod, ExportError, ServerHalf
from assistant.export.autoconfig import autoconfig_xml, hosting_url
from tests.export.accounts import ADDRESS, account, incoming, outgoing


def _setting(half: ServerHalf, auth: str = "password-cleartext") -> ServerSetting:
    return ServerSetting(
        half.protocol, half.host, half.port, half.security, half.username_form, (auth,)
    )


@pytest.mark.parametrize(
    ("inbox", "sending"),
    [
        (incoming(Protocol.IMAP), outgoing(Security.IMPLICIT_TLS, 465)),
        (incoming(Protocol.POP3, Security.STARTTLS), outgoing(Security.STARTTLS, 587)),
        (incoming(Protocol.IMAP, Security.STARTTLS), outgoing(Security.PLAIN, 2525)),
    ],
)
def test_both_halves_round_trip_into_the_same_settings(
    inbox: ServerHalf, sending: ServerHalf
) -> None:
    text = autoconfig_xml(account(incoming=inbox, outgoing=sending))
    config = parse_config(text)
    assert config.incoming == (_setting(inbox),)
    assert config.outgoing == (_setting(sending),)
    assert config.domains == ("example.test",)
    assert config.name == "Example Ltd"
    assert "%EMAILADDRESS%" in text and ADDRESS not in text.split("-->", 1)[1]


def test_username_placeholder_and_sign_in_methods() -> None:
    local = ServerHalf(
        Protocol.SMTP,
        "mail.example.test",
        587,
        Security.STARTTLS,
        "alice",
        EMAIL_LOCALPART,
        AuthMethod.NONE,
    )
    config = parse_config(autoconfig_xml(account(outgoing=local)))
    assert config.outgoing[0].username == "%EMAILLOCALPART%"
    assert config.outgoing[0].auth == ("none",)
    assert config.outgoing[0].username_for(parse(ADDRESS)) == "alice"


def test_without_incoming_there_is_no_file_thunderbird_would_reject() -> None:
    """Thunderbird's reader (readFromXML) refuses a file with no <incomingServer>: one written with
    the sending half alone would be hosted for a whole domain and fail for everybody."""
    with pytest.raises(ExportError, match="needs the incoming mail server too") as refused:
        autoconfig_xml(account(incoming=None))
    assert "settings sheet" in str(refused.value)


def test_no_safe_setting_means_no_file() -> None:
    with pytest.raises(ExportError, match="No safe way to send"):
        autoconfig_xml(account(outgoing=None))


def test_idna_domain_comment_stays_valid_xml() -> None:
    half = ServerHalf(
        Protocol.SMTP, "mail.xn--bcher-kva.test", 465, Security.IMPLICIT_TLS, "a@xn--bcher-kva.test"
    )
    text = autoconfig_xml(account(address="a@xn--bcher-kva.test", outgoing=half))
    assert parse_config(text).outgoing[0].host == "mail.xn--bcher-kva.test"
    assert hosting_url("example.test") == "https://autoconfig.example.test/mail/config-v1.1.xml"


def test_documented_incoming_comes_only_from_a_trusted_source() -> None:
    from assistant.discovery import Found, Origin, ProviderConfig, ServerSetting, SourceAnswer
    from assistant.discovery.result import AnswerState, DiscoveryResult
    from assistant.export.account import documented_incoming

    config = ProviderConfig(
        "example",
        "Example",
        outgoing=(ServerSetting(Protocol.SMTP, "smtp.%EMAILDOMAIN%", 465, Security.IMPLICIT_TLS),),
        incoming=(
            ServerSetting(Protocol.POP3, "pop.%EMAILDOMAIN%", 995, Security.IMPLICIT_TLS),
            ServerSetting(
                Protocol.IMAP, "imap.%EMAILDOMAIN%", 993, Security.IMPLICIT_TLS, "%EMAILLOCALPART%"
            ),
        ),
    )

    def result(origin: Origin, trusted: bool) -> DiscoveryResult:
        found = Found(origin, trusted, config, "here")
        answer = SourceAnswer("s", "S", 1, origin, AnswerState.ANSWERED, found)
        return DiscoveryResult(parse(ADDRESS), [answer], answer)

    half = documented_incoming(result(Origin.DATABASE, True), ADDRESS)
    assert half is not None
    assert (
        half.protocol,
        half.host,
        half.port,
        half.username,
        half.username_form,
        half.tested,
    ) == (
        Protocol.IMAP,
        "imap.example.test",
        993,
        "alice",
        "%EMAILLOCALPART%",
        False,
    )
    assert documented_incoming(result(Origin.AUTOCONFIG_HTTP, False), ADDRESS) is None
    assert documented_incoming(result(Origin.GUESS, True), ADDRESS) is None
    assert documented_incoming(None, ADDRESS) is None


def test_unicode_domain_is_written_as_dns_sees_it() -> None:
    half = ServerHalf(
        Protocol.SMTP, "mail.xn--bcher-kva.test", 465, Security.IMPLICIT_TLS, "ana@bücher.test"
    )
    text = autoconfig_xml(account(address="ana@bücher.test", outgoing=half))
    config = parse_config(text)
    assert config.domains == ("xn--bcher-kva.test",)
    assert config.outgoing[0].username == "%EMAILADDRESS%"
    assert "https://autoconfig.bücher.test/mail/config-v1.1.xml" in text
