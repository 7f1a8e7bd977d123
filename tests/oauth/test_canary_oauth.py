"""A canary token from the loopback authorization server, through whole `check --oauth` runs that
succeed and that are refused, is found nowhere: not on stdout or stderr, not in any log record, not
in the JSON report, not in any file written meanwhile, and not in any exception text or repr."""

from __future__ import annotations

import base64
import json
import logging
import os
import tempfile
import time
from pathlib import Path

import pytest

from assistant import cli
from assistant.oauth import command as oauth_command
from assistant.oauth.providers import OAuthClient
from assistant.oauth.sign_in import run_oauth_sign_in
from tests.oauth.conftest import SCOPES, MailFactory
from tests.servers import Loopback
from tests.servers.browser import ScriptedBrowser
from tests.servers.farm import MAIL_HOST, TEST_USER
from tests.servers.oauth_server import CLIENT_ID, AuthServer

CANARY_TOKEN = "Canary-Token-0a1b2c3d4e5f-do-not-leak"


def _forms() -> list[str]:
    return [
        CANARY_TOKEN,
        base64.b64encode(
            f"user={TEST_USER}\x01auth=Bearer {CANARY_TOKEN}\x01\x01".encode()
        ).decode(),
        f"Bearer {CANARY_TOKEN}",
        CANARY_TOKEN[4:20],
    ]


def _files_written_since(start: float, *folders: Path) -> list[Path]:
    found = []
    for folder in folders:
        for root, _dirs, files in os.walk(folder):
            for name in files:
                path = Path(root, name)
                try:
                    if path.stat().st_mtime >= start and path.stat().st_size < 5_000_000:
                        found.append(path)
                except OSError:
                    continue
    return found


@pytest.mark.parametrize("as_json", [False, True])
@pytest.mark.parametrize("accepted", [True, False])
def test_the_canary_token_is_found_nowhere(
    loopback: Loopback,
    auth: AuthServer,
    browser: ScriptedBrowser,
    smtp: MailFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    as_json: bool,
    accepted: bool,
) -> None:
    caplog.set_level(logging.DEBUG)
    start = time.time() - 1
    monkeypatch.chdir(tmp_path)
    # Anything this run writes — temporary files, a cache in the home folder — lands in tmp_path.
    for name in ("tmp", "home"):
        (tmp_path / name).mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setattr(tempfile, "tempdir", None)
    auth.canary_token = CANARY_TOKEN
    if not accepted:
        original = auth.token_status
        monkeypatch.setattr(
            auth,
            "token_status",
            lambda user, token: "expired" if original(user, token) == "ok" else "unknown",
        )
    google = smtp()  # answers a bad token with an error challenge
    microsoft = smtp(style="microsoft", mechanisms=("XOAUTH2",))
    servers = [
        {"host": MAIL_HOST, "port": s.port, "security": "starttls"} for s in (google, microsoft)
    ]
    profile = tmp_path / "profile.json"
    profile.write_text(
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
    monkeypatch.setattr(oauth_command, "open_browser", browser)
    argv = ["check", TEST_USER, "--profile", str(profile), "--oauth", "--send-test"]
    if as_json:
        argv.append("--json")
    code = cli._check(cli.build_parser().parse_args(argv), loopback.settings())
    out, err = capsys.readouterr()
    assert code == cli.EXIT_FOUND
    assert ("accepted" if accepted else "token_refused") in out or not as_json
    assert auth.tokens.keys() == {CANARY_TOKEN}  # the canary really was issued and used
    assert google.scripted is not None and google.scripted.received.commands_tls
    assert Path(tempfile.gettempdir()) == tmp_path / "tmp"
    written = _files_written_since(start, tmp_path)
    assert written  # at least the profile: the search does look
    for form in _forms():
        assert form not in out and form not in err
        assert form not in caplog.text
        for record in caplog.records:
            assert form not in record.getMessage() and form not in str(record.args)
        for path in written:
            assert form.encode() not in path.read_bytes(), path


def test_the_canary_is_in_no_repr_and_no_exception_text(
    loopback: Loopback, auth: AuthServer, client: OAuthClient, browser: ScriptedBrowser
) -> None:
    auth.canary_token = CANARY_TOKEN
    result = run_oauth_sign_in(
        client, TEST_USER, open_browser=browser, tls_context=loopback.pki.client_context
    )
    assert result.token is not None and result.token.access_token == CANARY_TOKEN
    creds = result.credentials(TEST_USER)
    for shown in (repr(result), str(result), repr(result.token), repr(creds), str(creds)):
        assert CANARY_TOKEN not in shown
    from assistant.core.sasl_oauth import xoauth2_response

    with pytest.raises(ValueError) as caught:
        xoauth2_response(TEST_USER + "\x01", CANARY_TOKEN)
    assert CANARY_TOKEN not in str(caught.value) and CANARY_TOKEN not in repr(caught.value)
