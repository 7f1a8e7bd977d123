"""`--ports` with protocol prefixes (core/ports.py)."""

from __future__ import annotations

import pytest

from assistant.core.models import Protocol, Security
from assistant.core.ports import (
    InputError,
    PortSpec,
    all_default_ports,
    build_candidates,
    parse_ports,
)

TLS, STARTTLS, AUTO = Security.IMPLICIT_TLS, Security.STARTTLS, Security.AUTO
IMAP, POP3, SMTP = Protocol.IMAP, Protocol.POP3, Protocol.SMTP


def test_prefixes_and_well_known_modes() -> None:
    assert parse_ports("465,imap:993,imap:143,pop3:995,pop3:110,smtp:2525,pop:8110/tls") == [
        PortSpec(465, TLS, SMTP),
        PortSpec(993, TLS, IMAP),
        PortSpec(143, STARTTLS, IMAP),
        PortSpec(995, TLS, POP3),
        PortSpec(110, STARTTLS, POP3),
        PortSpec(2525, STARTTLS, SMTP),
        PortSpec(8110, TLS, POP3),
    ]


def test_bare_port_is_smtp_and_unknown_ports_are_detected() -> None:
    assert parse_ports("993,imap:1993,IMAP:143/starttls") == [
        PortSpec(993, AUTO, SMTP),
        PortSpec(1993, AUTO, IMAP),
        PortSpec(143, STARTTLS, IMAP),
    ]


def test_same_port_for_two_protocols_is_two_specs() -> None:
    assert len(parse_ports("imap:1100,pop3:1100,imap:1100")) == 2


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("ftp:21", "write smtp, imap or pop3"),
        ("imap:abc", "not a port number"),
        ("pop3:110/ssh", "tls or starttls"),
    ],
)
def test_mistakes_say_what_to_write(spec: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_ports(spec)


def test_both_halves_by_default_with_labels() -> None:
    candidates = build_candidates(["mail.example.test"], all_default_ports())
    assert [(c.protocol, c.port) for c in candidates] == [
        (SMTP, 465),
        (SMTP, 587),
        (SMTP, 25),
        (SMTP, 26),
        (SMTP, 2525),
        (IMAP, 993),
        (IMAP, 143),
        (POP3, 995),
        (POP3, 110),
    ]
    labels = {c.port: c.label for c in candidates}
    assert labels[993] == "keeps mail on the server"
    assert labels[110] == "downloads mail to this computer"
