"""Defect (d), part: the server field takes `host:port`, and then only that port is tested there."""

from __future__ import annotations

import pytest

from assistant.core.models import Protocol, Security
from assistant.core.ports import (
    InputError,
    PortSpec,
    TypedServer,
    default_ports,
    parse_server,
    parse_servers,
    typed_candidates,
)


@pytest.mark.parametrize(
    ("typed", "host", "port"),
    [
        ("smtp.example.com", "smtp.example.com", None),
        ("  SMTP.Example.com. ", "smtp.example.com", None),
        ("smtp.example.com:587", "smtp.example.com", PortSpec(587, Security.STARTTLS)),
        ("smtp.example.com:465", "smtp.example.com", PortSpec(465, Security.IMPLICIT_TLS)),
        ("smtp.example.com:2526", "smtp.example.com", PortSpec(2526, Security.AUTO)),
        ("smtp.example.com:2526/tls", "smtp.example.com", PortSpec(2526, Security.IMPLICIT_TLS)),
        ("[::1]:587", "::1", PortSpec(587, Security.STARTTLS)),
        ("[::1]", "::1", None),
        ("::1", "::1", None),  # a bare IPv6 address has colons but no port
        ("192.0.2.7:25", "192.0.2.7", PortSpec(25, Security.STARTTLS)),
        ("mailserver:587", "mailserver", PortSpec(587, Security.STARTTLS)),
    ],
)
def test_a_server_and_its_optional_port(typed: str, host: str, port: PortSpec | None) -> None:
    assert parse_server(typed) == TypedServer(host, port)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("smtp.example.com:", "After the colon, write the port number, like smtp.example.com:587."),
        ("smtp.example.com:abc", "“abc” is not a port number (use numbers from 1 to 65535)."),
        ("smtp.example.com:0", "“0” is not a port number (use numbers from 1 to 65535)."),
        ("smtp.example.com:70000", "“70000” is not a port number (use numbers from 1 to 65535)."),
        ("[::1]587", "After the closing bracket, write a colon and the port, like [::1]:587."),
        ("[::1:587", "The bracket around the server's number is not closed, like [::1]:587."),
        (":587", "The server name is empty."),
    ],
)
def test_a_bad_port_gets_one_friendly_sentence(typed: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_server(typed)
    assert str(caught.value) == message


def test_several_servers_separated_by_commas_without_repeats() -> None:
    servers = parse_servers("smtp.example.com:587, mail.example.com,,smtp.example.com:587")
    assert servers == [
        TypedServer("smtp.example.com", PortSpec(587, Security.STARTTLS)),
        TypedServer("mail.example.com"),
    ]
    assert [s.label for s in servers] == ["smtp.example.com:587", "mail.example.com"]
    assert TypedServer("::1", PortSpec(587, Security.STARTTLS)).label == "[::1]:587"
    assert parse_servers("  ") == []


def test_only_the_typed_port_is_tested_for_that_host() -> None:
    servers = [
        TypedServer("smtp.example.com", PortSpec(587, Security.STARTTLS)),
        TypedServer("mail.example.com"),
    ]
    keys = [(c.host, c.port) for c in typed_candidates(servers, default_ports())]
    assert keys == [("smtp.example.com", 587)] + [
        ("mail.example.com", p.port) for p in default_ports()
    ]
    # The same host with and without a port: the port is already among the defaults, once.
    both = [TypedServer("a.example"), TypedServer("a.example", PortSpec(587, Security.STARTTLS))]
    assert [c.port for c in typed_candidates(both, default_ports())] == [
        p.port for p in default_ports()
    ]


def test_the_shared_plan_tests_a_typed_port_only_for_both_front_ends() -> None:
    from assistant.core.address import parse
    from assistant.plan import PlanInputs, make_plan, typed_hosts

    servers = typed_hosts(["smtp.example.com:587", "Mail.Example.com", "smtp.example.com:587"])
    assert servers == (
        TypedServer("smtp.example.com", PortSpec(587, Security.STARTTLS)),
        TypedServer("mail.example.com"),
    )
    plan = make_plan(PlanInputs(parse("ana@example.com"), servers))
    assert [(c.host, c.port) for c in plan.candidates] == [("smtp.example.com", 587)] + [
        ("mail.example.com", p.port) for p in default_ports()
    ]
    with pytest.raises(InputError, match="is not a port number"):
        typed_hosts(["smtp.example.com:smtp"])


@pytest.mark.parametrize(
    ("typed", "protocol", "security"),
    [
        ("imap.example.com:993", Protocol.IMAP, Security.IMPLICIT_TLS),
        ("imap.example.com:143", Protocol.IMAP, Security.STARTTLS),
        ("pop.example.com:995", Protocol.POP3, Security.IMPLICIT_TLS),
        ("pop.example.com:110", Protocol.POP3, Security.STARTTLS),
        ("imap.example.com:993/starttls", Protocol.IMAP, Security.STARTTLS),
        ("smtp.example.com:587", Protocol.SMTP, Security.STARTTLS),
        ("smtp.example.com:8025", Protocol.SMTP, Security.AUTO),
    ],
)
def test_a_receiving_port_in_the_server_field_means_that_protocol(
    typed: str, protocol: Protocol, security: Security
) -> None:
    spec = parse_server(typed).port
    assert spec is not None and (spec.protocol, spec.security) == (protocol, security)
