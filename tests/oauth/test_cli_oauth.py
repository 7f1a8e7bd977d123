"""`mailsetup check ADDRESS --oauth`: in-process with the scripted browser, and as a real program
whose browser is `$BROWSER` (the scripted browser run as a command), against the loopback
authorization server and an SMTP server that accepts only its tokens."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from assistant import cli
from assistant.oauth import command as oauth_command
from tests.oauth.conftest import SCOPES, MailFactory
from tests.servers import Loopback
from tests.servers.browser import ScriptedBrowser
from tests.servers.farm import MAIL_HOST, TEST_USER
from tests.servers.oauth_mail import MailBehaviour, smtp_oauth_handler
from tests.servers.oauth_server import CLIENT_ID, AuthServer

ROOT = Path(__file__).parents[2]
SCHEMA = json.loads((ROOT / "docs" / "check-report.schema.json").read_text())


def _profile(tmp_path: Path, auth: AuthServer, servers: list[dict[str, object]]) -> Path:
    path = tmp_path / "profile.json"
    path.write_text(
        json.dumps(
            {
                "company": "Example Ltd",
                "servers": servers,
                "oauth": {
                    "authorization_endpoint": auth.authorization_endpoint,
                    "token_endpoint": auth.token_endpoint,
                    "client_id": CLIENT_ID,
                    "scopes": list(SCOPES),
                },
            }
        )
    )
    return path


def _run(loopback: Loopback, argv: list[str]) -> int:
    return cli._check(cli.build_parser().parse_args(argv), loopback.settings())


def test_check_oauth_json_reports_an_accepted_oauth2_sign_in(
    loopback: Loopback,
    auth: AuthServer,
    browser: ScriptedBrowser,
    smtp: MailFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server = smtp()
    monkeypatch.setattr(oauth_command, "open_browser", browser)
    profile = _profile(
        tmp_path, auth, [{"host": MAIL_HOST, "port": server.port, "security": "starttls"}]
    )
    code = _run(loopback, ["check", TEST_USER, "--profile", str(profile), "--oauth", "--json"])
    out, err = capsys.readouterr()
    document = json.loads(out)
    jsonschema.validate(document, SCHEMA)
    assert code == cli.EXIT_FOUND
    (candidate,) = document["candidates"]
    assert candidate["sign_in"] == "accepted" and candidate["sign_in_method"] == "oauth2"
    assert document["oauth"] == {
        "provider": "Example Ltd",
        "outcome": "signed_in",
        "explanation": None,
        "signed_in_as": TEST_USER,
    }
    # the address is on stderr so it can be opened by hand
    assert f"copy this address into your browser: {browser.opened[0]}" in err
    assert browser.opened[0].startswith(auth.authorization_endpoint + "?")


@pytest.mark.parametrize(
    ("language", "ours", "english"),
    [
        ("en", "You chose not to allow the sign-in in the browser window", None),
        (
            "es",
            "Elegiste no permitir el inicio de sesión en la ventana del navegador",
            "You chose not to allow",
        ),
    ],
)
def test_check_oauth_text_explains_a_denied_consent(
    loopback: Loopback,
    auth: AuthServer,
    browser: ScriptedBrowser,
    smtp: MailFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    language: str,
    ours: str,
    english: str | None,
) -> None:
    """The sign-in's own explanation follows the command line's language like everything else
    (it used to default to English words wherever no translation was handed down)."""
    from assistant import i18n

    auth.mode = "deny"
    server = smtp()
    monkeypatch.setattr(oauth_command, "open_browser", browser)
    profile = _profile(
        tmp_path, auth, [{"host": MAIL_HOST, "port": server.port, "security": "starttls"}]
    )
    i18n.set_language(language)
    code = _run(loopback, ["check", TEST_USER, "--profile", str(profile), "--oauth"])
    out, _ = capsys.readouterr()
    assert ours in out
    assert english is None or english not in out
    assert "AADSTS65004" in out  # the provider's own words, quoted after ours
    assert code == cli.EXIT_FOUND  # the server itself is still safe to use
    assert server.scripted is not None
    assert not any(c.upper().startswith("AUTH") for c in server.scripted.received.commands_tls)


def test_without_a_registration_one_sentence_says_so_and_the_servers_are_still_tested(
    loopback: Loopback, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _run(
        loopback,
        [
            "check",
            "me@gmail.com",
            "--host",
            "smtp.gmail.com",
            "--ports",
            "465",
            "--oauth",
            "--json",
        ],
    )
    document = json.loads(capsys.readouterr().out)
    jsonschema.validate(document, SCHEMA)
    assert document["oauth"]["outcome"] == "not_registered"
    assert document["oauth"]["explanation"] == (
        "This copy of the assistant cannot test a sign-in with Google, because it has not been "
        "registered with Google (your IT department can do that); the settings shown are still "
        "the right ones for your account."
    )
    assert document["candidates"][0]["sign_in"] == "not_tried"
    assert code == cli.EXIT_NONE_SAFE  # smtp.gmail.com is not a test name: nothing was reached


@pytest.mark.parametrize(
    ("language", "explanation"),
    [
        (
            "en",
            "These servers do not belong to a provider that signs in through its own window, so "
            "there is nothing to sign in to with --oauth.",
        ),
        (
            "es",
            "Estos servidores no son de un proveedor con su propia ventana de inicio de sesión, así "
            "que con --oauth no hay dónde iniciar sesión.",
        ),
    ],
)
def test_servers_of_no_such_provider_say_there_is_nothing_to_sign_in_to_in_the_language(
    loopback: Loopback,
    smtp: MailFactory,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    language: str,
    explanation: str,
) -> None:
    """The sentence used to be English whatever the language (a literal in the code)."""
    from assistant import i18n

    server = smtp()
    opened: list[str] = []
    monkeypatch.setattr(oauth_command, "open_browser", opened.append)
    i18n.set_language(language)
    ports = f"{server.port}/starttls"
    code = _run(
        loopback, ["check", TEST_USER, "--host", MAIL_HOST, "--ports", ports, "--oauth", "--json"]
    )
    document = json.loads(capsys.readouterr().out)
    jsonschema.validate(document, SCHEMA)
    assert document["oauth"] == {
        "provider": None,
        "outcome": "not_applicable",
        "explanation": explanation,
    }
    assert opened == []
    assert code == cli.EXIT_FOUND  # the server is still tested, and is safe to use


def test_oauth_and_a_password_together_are_refused(
    loopback: Loopback, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _run(loopback, ["check", TEST_USER, "--host", MAIL_HOST, "--oauth", "--password-stdin"])
    assert code == cli.EXIT_BAD_INPUT
    assert "either --password-stdin or --oauth" in capsys.readouterr().err


def test_the_real_program_opens_the_browser_named_in_BROWSER(
    loopback: Loopback, auth: AuthServer, tmp_path: Path
) -> None:
    context = loopback.pki.server_context("127.0.0.1")
    rules = MailBehaviour(auth.token_status, style="microsoft", mechanisms=("XOAUTH2",))
    server = loopback.scripted(smtp_oauth_handler(rules, context))
    profile = _profile(tmp_path, auth, [])
    ca = loopback.pki.ca_pem_file()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SSL_CERT_FILE": str(ca),
        "MAILSETUP_TEST_CA": str(ca),
        "BROWSER": f"{sys.executable} -m tests.servers.browser %s",
    }
    env.pop("DISPLAY", None)
    argv = [
        sys.executable,
        "-m",
        "assistant.cli",
        "check",
        TEST_USER,
        "--profile",
        str(profile),
        "--host",
        "127.0.0.1",
        "--ports",
        f"{server.port}/starttls",
        "--oauth",
        "--json",
        "--sign-in-wait",
        "60",
    ]
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=90)
    document = json.loads(done.stdout)
    jsonschema.validate(document, SCHEMA)
    assert done.returncode == 0, done.stderr
    assert document["oauth"]["outcome"] == "signed_in"
    assert document["candidates"][0]["sign_in"] == "accepted"
    assert document["candidates"][0]["sign_in_method"] == "oauth2"
    assert "Opening Example Ltd's sign-in page" in done.stderr
    assert auth.problems == []
    ca.unlink()


def test_check_oauth_text_says_the_sign_in_was_accepted_not_a_password(
    loopback: Loopback,
    auth: AuthServer,
    browser: ScriptedBrowser,
    smtp: MailFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server = smtp()
    monkeypatch.setattr(oauth_command, "open_browser", browser)
    profile = _profile(
        tmp_path, auth, [{"host": MAIL_HOST, "port": server.port, "security": "starttls"}]
    )
    code = _run(loopback, ["check", TEST_USER, "--profile", str(profile), "--oauth"])
    out, _ = capsys.readouterr()
    assert code == cli.EXIT_FOUND
    assert "Signed in with Example Ltd; the servers are tested with that sign-in." in out
    assert "You signed in with your provider, and the mail server accepted that sign-in." in out
    assert "password" not in out.lower()
