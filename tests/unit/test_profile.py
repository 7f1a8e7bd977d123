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
