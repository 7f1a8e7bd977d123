"""Result types of the engine.

Everything the wizard, the command line and the IT report show is derived from these dataclasses, so
they carry facts (codes, names, timings) and never preformatted prose or raw exception text.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from assistant.core.trust import NameSource
from assistant.i18n import Worded


class Protocol(enum.StrEnum):
    """Which mail conversation a server speaks: sending (SMTP) or receiving (IMAP, POP3)."""

    SMTP = "smtp"
    IMAP = "imap"
    POP3 = "pop3"

    @property
    def incoming(self) -> bool:
        return self is not Protocol.SMTP


class Security(enum.StrEnum):
    """How a connection is encrypted: the one spelling used in code, data files, profiles and reports.

    `IMPLICIT_TLS` is encrypted from the first byte (SSL/TLS), `STARTTLS` switches to encryption
    after connecting (STARTTLS/STLS), `PLAIN` is a documented unencrypted setting (the engine still
    takes STARTTLS if offered), and `AUTO` is resolved by what the server does first."""

    IMPLICIT_TLS = "tls"
    STARTTLS = "starttls"
    PLAIN = "plain"
    AUTO = "auto"


class Verdict(enum.StrEnum):
    """The closed set of outcomes of DESIGN §3. Add a member only together with its explanation."""

    ENCRYPTED_IMPLICIT = "ENCRYPTED_IMPLICIT"
    ENCRYPTED_STARTTLS = "ENCRYPTED_STARTTLS"
    PLAINTEXT_ONLY = "PLAINTEXT_ONLY"
    TLS_FAILED = "TLS_FAILED"
    CERT_EXPIRED = "CERT_EXPIRED"
    CERT_NAME_MISMATCH = "CERT_NAME_MISMATCH"
    CERT_UNTRUSTED = "CERT_UNTRUSTED"
    BLOCKED = "BLOCKED"
    REFUSED = "REFUSED"
    NO_SUCH_HOST = "NO_SUCH_HOST"
    NO_NETWORK = "NO_NETWORK"
    NOT_MAIL_SERVER = "NOT_MAIL_SERVER"
    SERVER_REFUSED_US = "SERVER_REFUSED_US"

    @property
    def is_safe(self) -> bool:
        """Only these two verdicts may ever carry a password."""
        return self in (Verdict.ENCRYPTED_IMPLICIT, Verdict.ENCRYPTED_STARTTLS)

    @property
    def is_certificate_problem(self) -> bool:
        return self in (Verdict.CERT_EXPIRED, Verdict.CERT_NAME_MISMATCH, Verdict.CERT_UNTRUSTED)


class Detail(enum.StrEnum):
    """Why a verdict was reached, where one verdict has several distinct causes worth telling apart."""

    NONE = ""
    NO_GREETING = "no_greeting"
    NO_TLS_ANSWER = "no_tls_answer"
    GARBAGE_GREETING = "garbage_greeting"
    PLAIN_ON_TLS_PORT = "plain_on_tls_port"
    TLS_ON_PLAIN_PORT = "tls_on_plain_port"
    LINE_TOO_LONG = "line_too_long"
    CONNECTION_RESET = "connection_reset"
    CLOSED_EARLY = "closed_early"
    ERROR_GREETING = "error_greeting"
    STARTTLS_REFUSED = "starttls_refused"
    HANDSHAKE_FAILED = "handshake_failed"
    OLD_TLS = "old_tls"
    DEADLINE = "deadline"
    SELF_SIGNED = "self_signed"
    UNKNOWN_ISSUER = "unknown_issuer"
    NOT_YET_VALID = "not_yet_valid"
    DNS_UNAVAILABLE = "dns_unavailable"
    UNREACHABLE = "unreachable"
    EHLO_REFUSED = "ehlo_refused"
    PREAUTH_PLAIN = "preauth_plain"
    RESPONSE_TOO_LARGE = "response_too_large"


class Phase(enum.StrEnum):
    """Steps of one probe, in the order they can happen; each is reported as it starts and ends.

    `EHLO` and `EHLO_TLS` are "ask for the server's list of features", before and after encryption:
    EHLO for SMTP, CAPABILITY for IMAP, CAPA for POP3 (one phase name, so every front end shows the
    same step for the three protocols)."""

    RESOLVE = "resolve"
    CONNECT = "connect"
    GREETING = "greeting"
    EHLO = "ehlo"
    STARTTLS = "starttls"
    TLS = "tls"
    CERTIFICATE = "certificate"
    EHLO_TLS = "ehlo_tls"
    AUTH = "auth"
    SEND = "send"
    QUIT = "quit"


class PhaseStatus(enum.StrEnum):
    STARTED = "started"
    OK = "ok"
    FAILED = "failed"


class AuthOutcome(enum.StrEnum):
    """Sign-in result for a candidate (DESIGN §3, last paragraph)."""

    NOT_TRIED = "not_tried"
    ACCEPTED = "accepted"
    WRONG_PASSWORD = "wrong_password"
    APP_PASSWORD_REQUIRED = "app_password_required"
    WEB_LOGIN_REQUIRED = "web_login_required"
    DISABLED_BY_ORGANISATION = "disabled_by_organisation"
    OAUTH_ONLY = "oauth_only"
    NOT_OFFERED = "not_offered"
    REFUSED_OTHER = "refused_other"
    TEMPORARY = "temporary"
    UNTRUSTED_SERVER = "untrusted_server"
    """Not tried on purpose: the server's name came from a source that could have been forged
    (see `assistant.core.trust`), so the password was not offered there."""
    TOKEN_REFUSED = "token_refused"
    """The server did not accept a token from the provider's sign-in window (OAuth2)."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """One server/port/mode to test.

    `label` says why a port is in the list (e.g. "hosting alternative to port 25"); `rescue_of` is set
    when this candidate was added because another one's certificate named this host. `source` says
    where the name came from and `trusted` what the trust rule (`assistant.core.trust`) decided for
    it; an untrusted candidate is tested without the password.
    """

    host: str
    port: int
    security: Security
    label: str = ""
    rescue_of: str | None = None
    documented: bool = False
    protocol: Protocol = Protocol.SMTP
    trusted: bool = True
    source: NameSource = NameSource.TYPED

    @property
    def key(self) -> str:
        return f"{self.protocol.value}:{self.host}:{self.port}/{self.security.value}"


@dataclass(frozen=True, slots=True)
class Reply:
    """A server's reply: the (already cleaned) lines of text and, for SMTP, the code.

    IMAP and POP3 have no reply codes: there `code` is 0 and `status` holds the status word
    (IMAP "OK", "NO", "BAD", "PREAUTH", "BYE"; POP3 "+OK", "-ERR")."""

    code: int
    lines: tuple[str, ...]
    status: str = ""

    @property
    def text(self) -> str:
        return " ".join(self.lines)

    @property
    def shown(self) -> str:
        """The reply as the server said it: "535 5.7.8 …", "NO [AUTHENTICATIONFAILED] …"."""
        return f"{self.status or self.code} {self.text}".strip()

    @property
    def enhanced(self) -> str:
        """The RFC 3463 enhanced status code (e.g. "5.7.8") if the server gave one."""
        first = self.lines[0].split(" ", 1)[0] if self.lines else ""
        parts = first.split(".")
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            return first
        return ""


@dataclass(frozen=True, slots=True)
class CertificateInfo:
    subject_cn: str | None
    names: tuple[str, ...]
    issuer: str
    not_before: datetime
    not_after: datetime
    self_signed: bool
    fingerprint_sha256: str

    def days_left(self, now: datetime) -> int:
        return (self.not_after - now).days


@dataclass(slots=True)
class Evidence:
    """Everything observed during one probe, for the technical-details view and the IT report."""

    addresses: list[str] = field(default_factory=list)
    connected_to: str | None = None
    greeting: Reply | None = None
    ehlo_before_tls: list[str] = field(default_factory=list)
    starttls_offered: bool | None = None
    starttls_reply: Reply | None = None
    tls_version: str | None = None
    tls_cipher: str | None = None
    certificate: CertificateInfo | None = None
    certificate_verified: bool | None = None
    verify_message: str | None = None
    ehlo_after_tls: list[str] = field(default_factory=list)
    auth_before_tls: list[str] = field(default_factory=list)
    auth_mechanisms: list[str] = field(default_factory=list)
    unexpected_data: list[str] = field(default_factory=list)
    auth_reply: Reply | None = None
    test_message_reply: Reply | None = None
    auth_username: str | None = None
    auth_mechanism: str | None = None
    error: str | Worded | None = None
    """What went wrong, for the IT report: the engine's own sentences are kept as a `Worded`
    (worded in the reader's language), the system's and OpenSSL's words as they came."""
    transcript: list[str] = field(default_factory=list)
    rescue_names: list[str] = field(default_factory=list)
    alerts: list[str] = field(default_factory=list)
    """IMAP [ALERT] texts: RFC 9051 says the person must be shown them (cleaned, quoted)."""
    oauth_status: str | None = None
    """The status in a server's OAuth error challenge (e.g. "401", "invalid_token"), cleaned."""


@dataclass(slots=True)
class ProbeResult:
    candidate: Candidate
    verdict: Verdict
    detail: Detail = Detail.NONE
    evidence: Evidence = field(default_factory=Evidence)
    timings_ms: dict[str, float] = field(default_factory=dict)
    auth: AuthOutcome = AuthOutcome.NOT_TRIED
    test_message_sent: bool | None = None
    """None: no test message was asked for; True: the server accepted it; False: refused."""
    cancelled: bool = False

    @property
    def total_ms(self) -> float:
        return sum(self.timings_ms.values())


@dataclass(frozen=True, slots=True)
class ProbeEvent:
    """A phase starting or ending, delivered to the front end while the probe runs."""

    run_id: int
    candidate: Candidate
    phase: Phase
    status: PhaseStatus
    elapsed_ms: float
