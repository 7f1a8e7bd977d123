"""Account models with both halves, as the exports will see them once incoming mail is tested."""

from __future__ import annotations

from datetime import UTC, datetime

from assistant.core.models import (
    AuthOutcome,
    CertificateInfo,
    Evidence,
    Protocol,
    Reply,
    Security,
    Verdict,
)
from assistant.export.account import (
    AccountSettings,
    PortResult,
    ServerHalf,
)

ADDRESS = "alice@example.test"
HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'
TESTED_AT = datetime(2026, 12, 2, 9, 30, tzinfo=UTC)


def incoming(
    protocol: Protocol = Protocol.IMAP, security: Security = Security.IMPLICIT_TLS
) -> ServerHalf:
    port = {Protocol.IMAP: 993, Protocol.POP3: 995}[protocol]
    if security is Security.STARTTLS:
        port = {Protocol.IMAP: 143, Protocol.POP3: 110}[protocol]
    return ServerHalf(protocol, "imap.example.test", port, security, ADDRESS)


def outgoing(security: Security = Security.IMPLICIT_TLS, port: int = 465) -> ServerHalf:
    return ServerHalf(Protocol.SMTP, "mail.example.test", port, security, ADDRESS)


def ports() -> tuple[PortResult, ...]:
    cert = CertificateInfo(
        subject_cn="mail.example.test",
        names=("mail.example.test",),
        issuer="Mail Setup Assistant Test CA",
        not_before=datetime(2026, 1, 1, tzinfo=UTC),
        not_after=datetime(2027, 1, 1, tzinfo=UTC),
        self_signed=False,
        fingerprint_sha256="ab" * 32,
    )
    expired = CertificateInfo(
        subject_cn="mail.example.test",
        names=("mail.example.test",),
        issuer="Mail Setup Assistant Test CA",
        not_before=datetime(2025, 11, 1, tzinfo=UTC),
        not_after=datetime(2026, 11, 28, tzinfo=UTC),
        self_signed=False,
        fingerprint_sha256="cd" * 32,
    )
    return (
        PortResult(
            Protocol.IMAP,
            "imap.example.test",
            993,
            Security.IMPLICIT_TLS,
            Verdict.ENCRYPTED_IMPLICIT,
            "Encrypted from the first byte (SSL/TLS).",
            recommended=True,
        ),
        PortResult(
            Protocol.SMTP,
            "mail.example.test",
            465,
            Security.IMPLICIT_TLS,
            Verdict.ENCRYPTED_IMPLICIT,
            "Encrypted from the first byte (SSL/TLS).",
            label="encrypted submission",
            name_source="database",
            trusted=True,
            sign_in=AuthOutcome.ACCEPTED,
            evidence=Evidence(
                connected_to="127.0.0.1",
                greeting=Reply(220, (HOSTILE,)),
                tls_version="TLSv1.3",
                certificate=cert,
                certificate_verified=True,
                auth_mechanisms=["PLAIN", "LOGIN"],
            ),
            recommended=True,
        ),
        PortResult(
            Protocol.SMTP,
            "mail.example.test",
            587,
            Security.STARTTLS,
            Verdict.CERT_EXPIRED,
            "The certificate has expired.",
            label="submission",
            evidence=Evidence(
                certificate=expired,
                certificate_verified=False,
                verify_message="certificate has expired",
            ),
        ),
        PortResult(
            Protocol.SMTP,
            "mail.example.test",
            25,
            Security.STARTTLS,
            Verdict.BLOCKED,
            "No answer at all.",
            label="classic mail port",
        ),
        PortResult(
            Protocol.SMTP,
            "mail.example.test",
            2525,
            Security.STARTTLS,
            Verdict.PLAINTEXT_ONLY,
            f"Works without encryption. The server said: “{HOSTILE}”",
        ),
    )


def account(**changes: object) -> AccountSettings:
    values: dict[str, object] = {
        "address": ADDRESS,
        "incoming": incoming(),
        "outgoing": outgoing(),
        "ports": ports(),
        "summary": "Use mail.example.test, port 465, SSL/TLS — encrypted from the start.",
        "found_in": "Settings for Example found in the list of providers built into this program.",
        "tested_at": TESTED_AT,
        "display_name": "Alice Example",
        "company": "Example Ltd",
        "support": "Dana, help@example.test, 555 0100",
        "tool_version": "0.1.0",
    }
    values.update(changes)
    return AccountSettings(**values)  # type: ignore[arg-type]


__all__ = ["ADDRESS", "HOSTILE", "account", "incoming", "outgoing", "ports"]
