"""The bundled provider database: valid per its schema and the maintenance script, and complete."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.core.address import parse
from assistant.discovery.database import ProviderDatabase, bundled, default_path
from assistant.discovery.model import (
    PortPolicy,
    Protocol,
    ProviderKind,
    Requirement,
    ServerSetting,
)

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / "tools" / "validate_providers.py"


def test_validator_passes_on_the_bundled_file() -> None:
    done = subprocess.run(
        [sys.executable, str(TOOL)], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "OK" in done.stdout


def _broken(tmp_path: Path, change: str) -> list[str]:
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import validate_providers
    finally:
        sys.path.pop(0)
    document = json.loads(default_path().read_text(encoding="utf-8"))
    providers = document["providers"]
    if change == "duplicate-domain":
        providers[1]["domains"].append("gmail.com")
    elif change == "missing-required":
        document["providers"] = [p for p in providers if p["id"] != "godaddy"]
    elif change == "bad-port":
        providers[0]["smtp"][0]["port"] = 70000
    elif change == "bad-placeholder":
        providers[0]["smtp"][0]["host"] = "mail.%DOMAIN%"
    path = tmp_path / "providers.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    problems: list[str] = validate_providers.problems(path)
    return problems


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ("duplicate-domain", "already claimed by gmail"),
        ("missing-required", "godaddy: a provider from the reference table is missing"),
        ("bad-port", "70000"),
        ("bad-placeholder", "does not match"),
    ],
)
def test_validator_catches_mistakes(tmp_path: Path, change: str, words: str) -> None:
    problems = _broken(tmp_path, change)
    assert any(words in p for p in problems), problems


def test_size_and_shape() -> None:
    database = bundled()
    assert len(database) >= 40
    kinds = {entry.config.kind for entry in database.entries}
    assert kinds == {ProviderKind.MAILBOX, ProviderKind.HOSTING}
    for entry in database.entries:
        assert entry.config.outgoing, entry.config.provider_id
        assert entry.config.incoming, entry.config.provider_id


@pytest.mark.parametrize(
    ("domain", "provider", "host", "port"),
    [
        ("gmail.com", "gmail", "smtp.gmail.com", 465),
        ("googlemail.com", "gmail", "smtp.gmail.com", 465),
        ("outlook.com", "outlook-com", "smtp-mail.outlook.com", 587),
        ("yahoo.co.uk", "yahoo", "smtp.mail.yahoo.com", 465),
        ("aol.com", "aol", "smtp.aol.com", 465),
        ("me.com", "icloud", "smtp.mail.me.com", 587),
        ("zoho.com", "zoho", "smtp.zoho.com", 465),
        ("fastmail.com", "fastmail", "smtp.fastmail.com", 465),
        ("gmx.de", "gmx-net", "mail.gmx.net", 465),
        ("gmx.com", "gmx-com", "mail.gmx.com", 465),
        ("web.de", "web-de", "smtp.web.de", 587),
        ("comcast.net", "comcast", "smtp.comcast.net", 587),
        ("proton.me", "proton-bridge", "127.0.0.1", 1025),
        ("privateemail.com", "namecheap-privateemail", "mail.privateemail.com", 465),
    ],
)
def test_reference_providers_by_domain(domain: str, provider: str, host: str, port: int) -> None:
    entry = bundled().by_domain(domain)
    assert entry is not None and entry.config.provider_id == provider
    assert (entry.config.outgoing[0].host, entry.config.outgoing[0].port) == (host, port)


def test_username_forms() -> None:
    address = parse("anna@web.de")
    entry = bundled().by_domain("web.de")
    assert entry is not None
    assert entry.config.outgoing[0].username_for(address) == "anna"
    icloud = bundled().by_domain("icloud.com")
    assert icloud is not None
    assert icloud.config.outgoing[0].username_for(parse("anna@icloud.com")) == "anna@icloud.com"
    assert icloud.config.incoming[0].username_for(parse("anna@icloud.com")) == "anna"


def test_port_policies() -> None:
    database = bundled()
    assert database.by_id("microsoft365").config.port_policy is PortPolicy.DOCUMENTED  # type: ignore[union-attr]
    assert database.by_id("godaddy").config.port_policy is PortPolicy.ALL  # type: ignore[union-attr]
    assert database.by_id("proton-bridge").config.port_policy is PortPolicy.DOCUMENTED  # type: ignore[union-attr]


def test_catch_all_comes_last() -> None:
    database = bundled()
    assert database.entries[-1].config.provider_id == "cpanel"
    address = parse("x@outlook.com")
    entry = database.by_mx("outlook-com.olc.protection.outlook.com", address)
    assert entry is not None and entry.config.provider_id == "outlook-com"


def test_loader_names_the_bad_entry() -> None:
    from assistant.discovery.database import DatabaseError

    with pytest.raises(DatabaseError, match="“broken”"):
        ProviderDatabase.from_document({"providers": [{"id": "broken", "name": "B"}]})


def test_servers_and_requirements_read_back_what_they_write() -> None:
    """The provider file's server and requirement objects are the model's own dict form."""
    for entry in bundled().entries:
        config = entry.config
        for server in (*config.outgoing, *config.incoming):
            assert ServerSetting.from_dict(server.to_dict()) == server
        for requirement in config.requirements:
            assert Requirement.from_dict(requirement.to_dict()) == requirement
    short = ServerSetting.from_dict(
        {"host": "smtp.example.com", "port": 465, "security": "tls"}, Protocol.SMTP
    )
    assert (short.username, short.auth) == ("%EMAILADDRESS%", ("password-cleartext",))
