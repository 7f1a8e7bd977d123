"""The config-v1.1.xml reader: usable files parse, everything else is a ConfigError, never a crash."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.discovery.autoconfig_xml import ConfigError, parse_config
from assistant.discovery.model import Protocol, RequirementKind, Security

from .conftest import config_xml

GMAIL_LIKE = b"""<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="example.com">
    <domain>example.com</domain>
    <domain>EXAMPLE.net</domain>
    <displayName>Example Mail</displayName>
    <incomingServer type="imap">
      <hostname>imap.example.com</hostname><port>993</port><socketType>SSL</socketType>
      <username>%EMAILLOCALPART%</username><authentication>password-cleartext</authentication>
    </incomingServer>
    <incomingServer type="pop3">
      <hostname>pop.example.com</hostname><port>995</port><socketType>SSL</socketType>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.example.com</hostname><port>465</port><socketType>SSL</socketType>
      <username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication>
    </outgoingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.%EMAILDOMAIN%</hostname><port>587</port><socketType>STARTTLS</socketType>
    </outgoingServer>
    <documentation url="https://help.example.com/mail"><descr>Help</descr></documentation>
  </emailProvider>
</clientConfig>"""


def test_valid_file() -> None:
    config = parse_config(GMAIL_LIKE)
    assert config.name == "Example Mail"
    assert config.domains == ("example.com", "example.net")
    assert [(s.host, s.port, s.security) for s in config.outgoing] == [
        ("smtp.example.com", 465, Security.IMPLICIT_TLS),
        ("smtp.%EMAILDOMAIN%", 587, Security.STARTTLS),
    ]
    assert config.incoming[0].protocol is Protocol.IMAP
    assert config.incoming[0].username == "%EMAILLOCALPART%"
    assert config.help_url == "https://help.example.com/mail"
    assert config.requirements == ()


def test_namespaced_file_is_read() -> None:
    data = GMAIL_LIKE.replace(b"<clientConfig ", b'<clientConfig xmlns="urn:x" ')
    assert parse_config(data).outgoing[0].host == "smtp.example.com"


def test_oauth_only_and_enable_become_requirements() -> None:
    data = config_xml("acme.test", [("smtp.acme.test", 587, "STARTTLS")], auth="OAuth2")
    data = data.replace(
        b"</emailProvider>",
        b'<enable visiturl="https://acme.test/settings"><instruction>Turn on IMAP.</instruction>'
        b"</enable></emailProvider>",
    )
    kinds = [r.kind for r in parse_config(data).requirements]
    assert kinds == [RequirementKind.OAUTH_ONLY, RequirementKind.ENABLE_ACCESS]


def test_bad_servers_are_skipped() -> None:
    data = config_xml(
        "acme.test",
        [
            ("bad host!", 465, "SSL"),
            ("smtp.acme.test", 99999, "SSL"),
            ("smtp.acme.test", 465, "QUANTUM"),
            ("smtp.acme.test", 587, "starttls"),
        ],
    )
    config = parse_config(data)
    assert [(s.host, s.port) for s in config.outgoing] == [("smtp.acme.test", 587)]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<clientConfig><emailProvider id="x"><displayName>&lol9;</displayName>
<outgoingServer type="smtp"><hostname>smtp.x.test</hostname><port>465</port>
<socketType>SSL</socketType></outgoingServer></emailProvider></clientConfig>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE c [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<clientConfig><emailProvider id="x"><displayName>&secret;</displayName></emailProvider></clientConfig>"""


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"<clientConfig><emailProvider>", "not valid XML"),
        (b"\xff\xfe\x00garbage", "not valid XML"),
        (b"<html><body>Not found</body></html>", "no clientConfig"),
        (b"<clientConfig/>", "names no email provider"),
        (b'<clientConfig><emailProvider id="x"/></clientConfig>', "no usable outgoing"),
        (BILLION_LAUGHS, "refused for safety"),
        (EXTERNAL_ENTITY, "refused for safety"),
    ],
)
def test_unusable_files(data: bytes, words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(data)
    assert words in str(caught.value)


def test_entity_expansion_is_refused_quickly() -> None:
    start = time.perf_counter()
    with pytest.raises(ConfigError):
        parse_config(BILLION_LAUGHS)
    assert time.perf_counter() - start < 0.5


def _check(data: bytes | str) -> None:
    try:
        config = parse_config(data)
    except ConfigError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert config.outgoing
    for server in config.outgoing:
        assert 0 < server.port < 65536


@settings(max_examples=2000, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes(data: bytes) -> None:
    _check(data)


@settings(max_examples=2000, deadline=None)
@given(st.text(max_size=300))
def test_any_text(data: str) -> None:
    _check(data)


_field = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="<&"), max_size=30)


@settings(max_examples=2000, deadline=None)
@given(host=_field, port=_field, socket=_field, user=_field, kind=_field)
def test_odd_field_values(host: str, port: str, socket: str, user: str, kind: str) -> None:
    data = (
        f'<clientConfig><emailProvider id="{kind.replace(chr(34), "")}">'
        f'<outgoingServer type="{kind.replace(chr(34), "")}"><hostname>{host}</hostname>'
        f"<port>{port}</port><socketType>{socket}</socketType><username>{user}</username>"
        f"</outgoingServer></emailProvider></clientConfig>"
    )
    _check(data)
