"""The Apple profile: the payload Apple documents, no password, stable identity, a valid signature."""

from __future__ import annotations

import plistlib
import subprocess
from pathlib import Path

import pytest
import trustme

from assistant.core.models import Protocol, Security
from assistant.export.account import AuthMethod, ExportError, ServerHalf
from assistant.export.mobileconfig import mobileconfig, payload_identifier, sign_profile
from tests.export.accounts import ADDRESS, account, incoming, outgoing
from tests.export.debian_tools import tool
from tests.servers.farm import CANARY_PASSWORD


def test_payload_has_both_servers_and_no_password() -> None:
    data = mobileconfig(account())
    profile = plistlib.loads(data)
    assert profile["PayloadType"] == "Configuration"
    assert profile["PayloadOrganization"] == "Example Ltd"
    (mail,) = profile["PayloadContent"]
    assert mail["PayloadType"] == "com.apple.mail.managed"
    expected = {
        "EmailAccountType": "EmailTypeIMAP",
        "EmailAddress": ADDRESS,
        "EmailAccountName": "Alice Example",
        "IncomingMailServerHostName": "imap.example.test",
        "IncomingMailServerPortNumber": 993,
        "IncomingMailServerUseSSL": True,
        "IncomingMailServerAuthentication": "EmailAuthPassword",
        "IncomingMailServerUsername": ADDRESS,
        "OutgoingMailServerHostName": "mail.example.test",
        "OutgoingMailServerPortNumber": 465,
        "OutgoingMailServerUseSSL": True,
        "OutgoingMailServerAuthentication": "EmailAuthPassword",
        "OutgoingMailServerUsername": ADDRESS,
    }
    assert {k: mail[k] for k in expected} == expected
    # No password: neither key is there, so the device asks for it.
    assert "IncomingPassword" not in mail and "OutgoingPassword" not in mail
    assert [k for k in mail if "Password" in k] == ["OutgoingPasswordSameAsIncomingPassword"]
    assert CANARY_PASSWORD.encode() not in data


def test_pop_starttls_and_plain_sending() -> None:
    mail = plistlib.loads(
        mobileconfig(
            account(
                incoming=incoming(Protocol.POP3, Security.STARTTLS),
                outgoing=outgoing(Security.PLAIN, 2525),
            )
        )
    )["PayloadContent"][0]
    assert mail["EmailAccountType"] == "EmailTypePOP"
    assert (mail["IncomingMailServerPortNumber"], mail["IncomingMailServerUseSSL"]) == (110, True)
    assert (mail["OutgoingMailServerPortNumber"], mail["OutgoingMailServerUseSSL"]) == (2525, False)


def test_identifier_is_stable_and_uuids_are_fresh() -> None:
    first, second = (plistlib.loads(mobileconfig(account())) for _ in range(2))
    assert first["PayloadIdentifier"] == second["PayloadIdentifier"] == payload_identifier(ADDRESS)
    assert payload_identifier("Alice@Example.TEST") == payload_identifier(ADDRESS)
    assert payload_identifier("bob@example.test") != payload_identifier(ADDRESS)
    uuids = {
        p["PayloadUUID"]
        for p in (first, second, *first["PayloadContent"], *second["PayloadContent"])
    }
    assert len(uuids) == 4


def test_refuses_what_apple_mail_cannot_use() -> None:
    with pytest.raises(ExportError, match="incoming mail server"):
        mobileconfig(account(incoming=None))
    with pytest.raises(ExportError, match="No safe way to send"):
        mobileconfig(account(outgoing=None))
    oauth = ServerHalf(
        Protocol.SMTP,
        "smtp.example.test",
        465,
        Security.IMPLICIT_TLS,
        ADDRESS,
        auth=AuthMethod.OAUTH2,
    )
    with pytest.raises(ExportError, match="own sign-in window"):
        mobileconfig(account(outgoing=oauth))


@pytest.mark.parametrize("command", ["smime", "cms"])
def test_signed_profile_verifies_with_openssl(tmp_path: Path, command: str) -> None:
    openssl = tool("openssl", "openssl")
    root = trustme.CA(organization_name="Example IT Root")
    intermediate = root.create_child_ca()
    signer = intermediate.issue_cert("it@example.test")
    profile = mobileconfig(account())
    signed = sign_profile(
        profile,
        signer.cert_chain_pems[0].bytes(),
        signer.private_key_pem.bytes(),
        intermediate.cert_pem.bytes(),
    )
    (tmp_path / "signed.mobileconfig").write_bytes(signed)
    (tmp_path / "root.pem").write_bytes(root.cert_pem.bytes())
    proc = subprocess.run(
        [
            openssl,
            command,
            "-verify",
            "-inform",
            "DER",
            "-in",
            "signed.mobileconfig",
            "-CAfile",
            "root.pem",
            "-purpose",
            "any",
            "-out",
            "content.plist",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Verification successful" in proc.stderr
    assert (tmp_path / "content.plist").read_bytes() == profile
    assert plistlib.loads(profile)["PayloadContent"][0]["EmailAddress"] == ADDRESS
    # A different root does not vouch for it.
    (tmp_path / "other.pem").write_bytes(trustme.CA().cert_pem.bytes())
    other = subprocess.run(
        [
            openssl,
            command,
            "-verify",
            "-inform",
            "DER",
            "-in",
            "signed.mobileconfig",
            "-CAfile",
            "other.pem",
            "-purpose",
            "any",
            "-out",
            "/dev/null",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert other.returncode != 0


def test_signing_problems_are_plain_sentences() -> None:
    ca = trustme.CA()
    one, two = ca.issue_cert("a@example.test"), ca.issue_cert("b@example.test")
    with pytest.raises(ExportError, match="does not belong"):
        sign_profile(b"x", one.cert_chain_pems[0].bytes(), two.private_key_pem.bytes())
    with pytest.raises(ExportError, match="not a PEM certificate"):
        sign_profile(b"x", b"nonsense", one.private_key_pem.bytes())
    with pytest.raises(ExportError, match="private key"):
        sign_profile(b"x", one.cert_chain_pems[0].bytes(), b"nonsense")


def test_a_name_nothing_vouches_for_is_not_handed_to_other_devices() -> None:
    from dataclasses import replace

    from assistant.clients import load_guides
    from assistant.export.autoconfig import autoconfig_xml
    from assistant.export.report_html import report_html
    from assistant.export.sheet import Sheet, sheet_html

    unvouched = replace(outgoing(), host="server1.hosting.test", vouched=False)
    model = account(outgoing=unvouched)
    for make in (mobileconfig, autoconfig_xml):
        with pytest.raises(
            ExportError, match=r"Nothing vouches for the name server1\.hosting\.test"
        ):
            make(model)
    printed = sheet_html(Sheet(model, load_guides()[0]))
    assert "make sure server1.hosting.test belongs to your provider" in printed
    assert "nothing vouches for this name" in report_html(model)


def test_the_refusal_is_said_in_the_persons_language() -> None:
    """The sentence is kept with the name apart, so it is worded in Spanish with the name in it
    (it was filled first, and so said in English whatever the language)."""
    from dataclasses import replace

    from assistant import i18n
    from assistant.export.autoconfig import autoconfig_xml

    model = account(outgoing=replace(outgoing(), host="server1.hosting.test", vouched=False))
    i18n.set_language("es")  # tests/conftest.py puts English back after each test
    with pytest.raises(ExportError) as refused:
        autoconfig_xml(model)
    assert str(refused.value).startswith(
        "Todavía nada garantiza el nombre server1.hosting.test, así que no se escribe"
    )
    assert "--trust-host server1.hosting.test) y vuelve a guardar." in str(refused.value)
