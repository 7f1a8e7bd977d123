"""IT profiles: documented schema, found where IT puts them, bad ones named and ignored."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from assistant import cli
from assistant.core.models import Security
from assistant.profile import ProfileError, find_profile, load_profile
from tests.servers import Loopback

SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "profile.schema.json").read_text())

FULL = {
    "company": "Smile Dental",
    "support": {"name": "Sam (IT)", "email": "it@smile-dental.example", "phone": "+1 555 0100"},
    "servers": [{"host": "mail.smile-dental.example", "port": 465, "security": "tls"}],
    "domains": ["smile-dental.example"],
    "allowed_ports": [465, 587],
    "online_lookup": False,
    "mail_programs": ["outlook-classic", "thunderbird"],
}


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_full_profile_validates_and_loads(tmp_path: Path) -> None:
    jsonschema.validate(FULL, SCHEMA)
    profile = load_profile(_write(tmp_path, FULL))
    assert profile.company == "Smile Dental"
    assert profile.support.email == "it@smile-dental.example"
    assert profile.servers[0].security is Security.IMPLICIT_TLS
    assert profile.allows(465) and not profile.allows(25)
    assert profile.applies_to("smile-dental.example") and not profile.applies_to("other.example")
    assert profile.online_lookup is False
    assert profile.mail_programs == ("outlook-classic", "thunderbird")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"company": ""}, "“company”"),
        (
            {"servers": [{"host": "mail.x.example", "port": 99999, "security": "tls"}]},
            "“servers[0].port”",
        ),
        (
            {"servers": [{"host": "mail.x.example", "port": 465, "security": "ssl3"}]},
            "“servers[0].security”",
        ),
        ({"servers": [{"host": "bad host!", "port": 465, "security": "tls"}]}, "“servers[0].host”"),
        ({"allowed_ports": [465, "587"]}, "“allowed_ports[1]”"),
        ({"online_lookup": "no"}, "“online_lookup”"),
        ({"mail_programs": ["outlook-classic", "eudora"]}, "“mail_programs[1]”"),
        ({"domains": ["not a domain"]}, "“domains[0]”"),
        ({"support": {"fax": "123"}}, "“support.fax”"),
        ({"colour": "blue"}, "“colour”"),
    ],
)
def test_bad_field_is_named_and_schema_agrees(
    tmp_path: Path, change: dict[str, object], field: str
) -> None:
    data = {**FULL, **change}
    with pytest.raises(ProfileError) as caught:
        load_profile(_write(tmp_path, data))
    assert field in str(caught.value)
    assert str(tmp_path / "profile.json") in str(caught.value)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


def test_not_json_says_where(tmp_path: Path) -> None:
    path = tmp_path / "profile.json"
    path.write_text('{"company": "Smile",\n  oops }', encoding="utf-8")
    profile, problem = find_profile(path)
    assert profile is None
    assert problem is not None and "is not valid JSON (line 2, column 3)" in problem


def test_missing_explicit_profile_is_reported(tmp_path: Path) -> None:
    profile, problem = find_profile(tmp_path / "nope.json")
    assert profile is None and problem is not None and "does not exist" in problem


def test_check_uses_the_profile_servers_and_allowed_ports(
    loopback: Loopback, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    implicit = loopback.implicit_tls()
    path = _write(
        tmp_path,
        {
            "company": "Example Co",
            "servers": [
                {"host": "mail.example.test", "port": implicit.port, "security": "tls"},
                {"host": "mail.example.test", "port": 2, "security": "starttls"},
            ],
            "allowed_ports": [implicit.port],
        },
    )
    args = cli.build_parser().parse_args(
        ["check", "bob@example.test", "--profile", str(path), "--json"]
    )
    assert cli._check(args, loopback.settings()) == 0
    document = json.loads(capsys.readouterr().out)
    assert [(c["port"], c["security"]) for c in document["candidates"]] == [(implicit.port, "tls")]


def test_bad_profile_still_runs_and_says_why(
    loopback: Loopback, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    implicit = loopback.implicit_tls()
    path = _write(tmp_path, {"company": "Example Co", "allowed_ports": "all"})
    args = cli.build_parser().parse_args(
        [
            "check",
            "bob@example.test",
            "--profile",
            str(path),
            "--host",
            "mail.example.test",
            "--ports",
            f"{implicit.port}/tls",
        ]
    )
    assert cli._check(args, loopback.settings()) == 0
    captured = capsys.readouterr()
    assert "“allowed_ports” must be a list" in captured.err
    assert "Continuing without it." in captured.err
    assert "Encrypted from the first byte" in captured.out


def test_a_profile_names_its_receiving_servers_too(tmp_path: Path) -> None:
    """A company profile may preset IMAP/POP3 servers: each protocol's ports are tested on that
    protocol's names only (smtp.… is not asked for IMAP), so staff get a whole account."""
    from assistant.core.address import parse
    from assistant.core.models import Protocol
    from assistant.plan import PlanInputs, make_plan

    data = {
        "company": "Smile Dental",
        "servers": [
            {"host": "smtp.smile-dental.example", "port": 465, "security": "tls"},
            {
                "host": "imap.smile-dental.example",
                "port": 993,
                "security": "tls",
                "protocol": "imap",
            },
            {
                "host": "pop.smile-dental.example",
                "port": 110,
                "security": "starttls",
                "protocol": "pop3",
            },
        ],
    }
    jsonschema.validate(data, SCHEMA)
    profile = load_profile(_write(tmp_path, data))
    assert [s.protocol for s in profile.servers] == [Protocol.SMTP, Protocol.IMAP, Protocol.POP3]
    plan = make_plan(PlanInputs(parse("ana@smile-dental.example"), profile=profile, receiving=True))
    assert [c.key for c in plan.candidates] == [
        "smtp:smtp.smile-dental.example:465/tls",
        "imap:imap.smile-dental.example:993/tls",
        "pop3:pop.smile-dental.example:110/starttls",
    ]
    bad = {**data, "servers": [{**data["servers"][1], "protocol": "nntp"}]}  # type: ignore[index]
    with pytest.raises(ProfileError) as caught:
        load_profile(_write(tmp_path, bad))
    assert "“servers[0].protocol”" in str(caught.value)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, SCHEMA)


def test_check_tests_the_profiles_receiving_server(
    loopback: Loopback, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.servers.farm import MAIL_HOST
    from tests.servers.scripted_incoming import ImapScript, imap_handler

    smtp = loopback.implicit_tls()
    ctx = loopback.pki.server_context(MAIL_HOST)
    imaps = loopback.scripted(imap_handler(ImapScript(tls_context=ctx, implicit_tls=True)))
    servers = [
        {"host": MAIL_HOST, "port": smtp.port, "security": "tls"},
        {"host": MAIL_HOST, "port": imaps.port, "security": "tls", "protocol": "imap"},
    ]
    path = _write(tmp_path, {"company": "Example Co", "servers": servers})
    args = cli.build_parser().parse_args(
        ["check", "bob@example.test", "--profile", str(path), "--json"]
    )
    assert cli._check(args, loopback.settings()) == 0
    document = json.loads(capsys.readouterr().out)
    assert [(c["protocol"], c["port"]) for c in document["candidates"]] == [
        ("smtp", smtp.port),
        ("imap", imaps.port),
    ]
    assert document["incoming_recommendation"]["port"] == imaps.port
