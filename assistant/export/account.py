"""The account settings every export writes: one small Qt-free model, built from a run or a report.

Every exporter (PDF sheet, Thunderbird autoconfig, Apple profile, IT report) takes `AccountSettings`
and nothing else, so the live path (`mailsetup export` after a test, the wizard) and the saved path
(`--from-report REPORT.json`) give the same files. The model is built from the JSON document of a run
(docs/check-report.schema.json), which holds facts only: there is no field where a password could be.

The incoming half comes from the report's `incoming_recommendation` (schema v2: the IMAP or POP3
setting tested on this computer, with the user name that signed in there). A document without one
may carry an `incoming` object instead: the provider's documented receiving server, marked untested.
Every exporter works without an incoming half except the Apple profile, which Apple devices refuse
without an incoming server.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from assistant.core.models import (
    AuthOutcome,
    CertificateInfo,
    Evidence,
    Protocol,
    Reply,
    Security,
    Verdict,
)
from assistant.core.time_limit import DEFAULT_TIMEOUT_S
from assistant.i18n import N_, WordedError

if TYPE_CHECKING:
    from assistant.core.probe_run import RunOutcome
    from assistant.discovery import DiscoveryResult
    from assistant.outcome import Outcome
    from assistant.profile import Profile

EMAIL_ADDRESS = "%EMAILADDRESS%"
EMAIL_LOCALPART = "%EMAILLOCALPART%"

# The EHLO name every probe sends: this computer's own name never leaves it (core/probe.py).
NEUTRAL_NAME = "[127.0.0.1]"


class ExportError(WordedError):
    """This export cannot be made from these settings; the message says why in plain words.

    The sentence is kept untranslated with its values apart and worded in the current language
    each time it is shown (`str(exc)`)."""


class AuthMethod(enum.StrEnum):
    """How the mail program signs in on one server."""

    PASSWORD = "password"
    NONE = "none"
    OAUTH2 = "oauth2"


@dataclass(frozen=True, slots=True)
class ServerHalf:
    """One half of the account (sending or receiving): what to type into the mail program.

    `security` is what the test found (SSL/TLS, STARTTLS, or plain text only when the person
    accepted the risk), never `AUTO`. `username_form` keeps the autoconfig placeholder the username
    follows, so a file IT hosts for everyone works for each person; `tested` is False when the
    setting was documented by the provider but not tested on this computer.
    """

    protocol: Protocol
    host: str
    port: int
    security: Security
    username: str
    username_form: str = EMAIL_ADDRESS
    auth: AuthMethod = AuthMethod.PASSWORD
    tested: bool = True
    vouched: bool = True
    """False: the server's name came from a source that could have been forged (core/trust.py) and
    nobody confirmed it. Files that hand the setting to other devices refuse such a name."""

    def __post_init__(self) -> None:
        if self.security is Security.AUTO:
            raise ValueError("a setting to type is SSL/TLS, STARTTLS or plain, never auto")

    @property
    def encrypted(self) -> bool:
        return self.security is not Security.PLAIN


@dataclass(frozen=True, slots=True)
class PortResult:
    """One tested way to connect, with its verdict and the engine's plain explanation."""

    protocol: Protocol
    host: str
    port: int
    security: Security
    verdict: Verdict
    explanation: str
    label: str = ""
    detail: str = ""
    sign_in: AuthOutcome = AuthOutcome.NOT_TRIED
    evidence: Evidence = field(default_factory=Evidence, compare=False)
    """What was observed, read back from the document into the engine's own record (mutable, so
    left out of comparing and hashing)."""
    recommended: bool = False
    name_source: str = ""
    """Where the server's name came from (core/trust.py: typed, profile, database, dns …)."""
    trusted: bool | None = None
    """Whether the trust rule let this server have the password (None: an older report)."""

    @property
    def safe(self) -> bool:
        return self.verdict.is_safe


@dataclass(frozen=True, slots=True)
class AccountSettings:
    """Everything an export may say about one person's account. No password, by construction."""

    address: str
    outgoing: ServerHalf | None
    incoming: ServerHalf | None = None
    ports: tuple[PortResult, ...] = ()
    summary: str = ""
    found_in: str | None = None
    tested_at: datetime | None = None
    display_name: str = ""
    company: str = ""
    support: str = ""
    tool_version: str = ""

    @property
    def local_part(self) -> str:
        return self.address.rsplit("@", 1)[0]

    @property
    def domain(self) -> str:
        return self.address.rsplit("@", 1)[-1]

    @property
    def ascii_domain(self) -> str:
        """The domain as DNS and Thunderbird see it (IDNA, "xn--…"), for file names and URLs."""
        return ascii_domain(self.domain)

    @property
    def receiving_tested(self) -> bool:
        """The run tested a receiving (IMAP, POP3) port: without an incoming half, that means
        nothing safe was found there, not that receiving was left out."""
        return any(port.protocol.incoming for port in self.ports)

    def halves(self) -> list[ServerHalf]:
        """Receiving first, then sending: the order every mail program asks for them."""
        return [h for h in (self.incoming, self.outgoing) if h is not None]

    def require_outgoing(self) -> ServerHalf:
        if self.outgoing is None:
            raise ExportError(
                N_(
                    "No safe way to send was found, so there are no settings to save. "
                    "A report for IT can still be saved."
                )
            )
        return self.outgoing

    def require_vouched(self) -> None:
        """For files other devices trust blindly (the Thunderbird file, the Apple profile)."""
        for half in self.halves():
            if not half.vouched:
                raise ExportError(
                    N_(
                        "Nothing vouches for the name {host} yet, so it is not written into a "
                        "setup file other computers would trust. Confirm it first (answer Yes to "
                        "“Sign in there?”, or: --trust-host {host}), then save again."
                    ),
                    host=half.host,
                )


# -- building the model ---------------------------------------------------------------------------

_SECURITY_OF_VERDICT = {
    Verdict.ENCRYPTED_IMPLICIT: Security.IMPLICIT_TLS,
    Verdict.ENCRYPTED_STARTTLS: Security.STARTTLS,
    Verdict.PLAINTEXT_ONLY: Security.PLAIN,
}

_OAUTH_MECHANISMS = {"XOAUTH2", "OAUTHBEARER"}


def ascii_domain(domain: str) -> str:
    try:
        return domain.strip().lower().encode("idna").decode("ascii")
    except UnicodeError:
        return domain.strip().lower()


def support_line(profile: Profile) -> str:
    """The IT contact in one line: "Dana at Example IT, help@example.com, 555 0100"."""
    support = profile.support
    return ", ".join(p for p in (support.name, support.email, support.phone, support.url) if p)


def username_form(username: str, address: str) -> str:
    """The autoconfig placeholder a username follows, or the username itself."""
    if username.lower() == address.lower():
        return EMAIL_ADDRESS
    if username == address.rsplit("@", 1)[0]:
        return EMAIL_LOCALPART
    return username


def account_from_outcome(
    address: str,
    outcome: RunOutcome,
    *,
    timeout: float = DEFAULT_TIMEOUT_S,
    found_in: str | None = None,
    profile: Profile | None = None,
    chosen: tuple[str, int] | None = None,
    incoming: ServerHalf | None = None,
    tested_at: datetime | None = None,
) -> AccountSettings:
    """The model for a run that just finished (the wizard and `mailsetup export` without a report)."""
    document = outcome_document(address, outcome, timeout=timeout, found_in=found_in)
    if tested_at is not None:
        document["tested_at"] = tested_at.isoformat(timespec="seconds")
    return account_from_document(document, profile=profile, chosen=chosen, incoming=incoming)


def outcome_document(
    address: str,
    outcome: RunOutcome | Outcome,
    *,
    timeout: float = DEFAULT_TIMEOUT_S,
    found_in: str | None = None,
    username: str = "",
    incoming: Outcome | None = None,
) -> dict[str, Any]:
    """The JSON report of a run, as `mailsetup check --json` prints it, plus the user name that
    signed in (or the provider's documented form) when it is not the address. `incoming` is the
    receiving half's outcome, when `outcome` is the sending half's (assistant.outcome)."""
    from assistant.core.report import run_document

    results = list(outcome.results)
    incoming_rec = getattr(outcome, "incoming_recommendation", None)
    if incoming is not None:
        results += [r for r in incoming.results if r not in results]
        incoming_rec = incoming.recommendation
    document = run_document(
        address, results, outcome.recommendation, timeout, incoming_recommendation=incoming_rec
    )
    document["found_in"] = found_in
    document.setdefault("tested_at", datetime.now(UTC).isoformat(timespec="seconds"))
    if username and username != address:
        document["username"] = username
    return document


def account_from_document(
    document: Mapping[str, Any],
    *,
    profile: Profile | None = None,
    chosen: tuple[str, int] | None = None,
    incoming: ServerHalf | None = None,
) -> AccountSettings:
    """The model for a saved report. `chosen` (host, port) picks a result other than the
    recommendation (the wizard's "use the unencrypted server anyway"). A document that is not a
    report raises ExportError with a plain sentence, never a KeyError."""
    try:
        address = str(document["address"])
        raw_candidates = list(document["candidates"])
    except (KeyError, TypeError):
        raise ExportError(N_("This is not a report saved by Mail Setup Assistant.")) from None
    rec = document.get("recommendation")
    if chosen is None and isinstance(rec, Mapping):
        chosen = (str(rec.get("host", "")), int(rec.get("port", 0)))
    inc = document.get("incoming_recommendation")
    receiving = _receiving_key(inc)
    ports = tuple(_port(c, chosen, receiving) for c in raw_candidates if isinstance(c, Mapping))
    outgoing = None
    username = str(document.get("username") or address)
    for raw, port in zip(raw_candidates, ports, strict=False):
        if port.recommended and port.protocol is Protocol.SMTP:
            outgoing = _outgoing_half(raw, port, address, username)
            break
    if incoming is None and receiving is not None:
        for raw, port in zip(raw_candidates, ports, strict=False):
            if port.recommended and port.protocol.incoming:
                incoming = _tested_incoming_half(raw, port, address, username)
                break
    if incoming is None:
        incoming = _incoming_half(document.get("incoming"), address)
    tool = document.get("tool")
    return AccountSettings(
        address=address,
        outgoing=outgoing,
        incoming=incoming,
        ports=ports,
        summary=str(document.get("summary", "")),
        found_in=_text_or_none(document.get("found_in")),
        tested_at=_when(document.get("tested_at")),
        company=profile.company if profile is not None else "",
        support=support_line(profile) if profile is not None else "",
        tool_version=str(tool.get("version", "")) if isinstance(tool, Mapping) else "",
    )


def _receiving_key(raw: Any) -> tuple[str, str, int] | None:
    """(protocol, host, port) of the report's receiving recommendation, if it has one."""
    if not isinstance(raw, Mapping):
        return None
    try:
        return (Protocol(raw["protocol"]).value, str(raw["host"]), int(raw["port"]))
    except (KeyError, ValueError, TypeError):
        raise ExportError(N_("This report has a receiving setting that cannot be read.")) from None


def _port(
    raw: Mapping[str, Any],
    chosen: tuple[str, int] | None,
    receiving: tuple[str, str, int] | None = None,
) -> PortResult:
    try:
        verdict = Verdict(raw["verdict"])
        host, port = str(raw["host"]), int(raw["port"])
        security = Security(raw.get("security", "auto"))
        protocol = Protocol(raw.get("protocol", "smtp"))
        sign_in = AuthOutcome(raw.get("sign_in", "not_tried"))
    except (KeyError, ValueError, TypeError):
        raise ExportError(N_("This report has a test result that cannot be read.")) from None
    return PortResult(
        protocol=protocol,
        host=host,
        port=port,
        security=security,
        verdict=verdict,
        explanation=str(raw.get("explanation", "")),
        label=str(raw.get("label") or ""),
        detail=str(raw.get("detail") or ""),
        sign_in=sign_in,
        evidence=_evidence(raw.get("evidence")),
        recommended=verdict in _SECURITY_OF_VERDICT
        and (
            (protocol is Protocol.SMTP and chosen is not None and (host, port) == chosen)
            or (protocol.incoming and (protocol.value, host, port) == receiving)
        ),
        name_source=str(raw.get("name_source") or ""),
        trusted=raw.get("trusted") if isinstance(raw.get("trusted"), bool) else None,
    )


def _evidence(raw: Any) -> Evidence:
    """The document's evidence as the engine recorded it (the report shows the same fields for
    a run just made and for a saved report)."""
    if not isinstance(raw, Mapping):
        return Evidence()
    return Evidence(
        addresses=list(_strings(raw.get("addresses"))),
        connected_to=_text_or_none(raw.get("connected_to")),
        greeting=_reply(raw.get("greeting")),
        starttls_offered=_bool_or_none(raw.get("starttls_offered")),
        tls_version=_text_or_none(raw.get("tls_version")),
        tls_cipher=_text_or_none(raw.get("tls_cipher")),
        certificate=_certificate(raw.get("certificate")),
        certificate_verified=_bool_or_none(raw.get("certificate_verified")),
        verify_message=_text_or_none(raw.get("verify_message")),
        auth_mechanisms=list(_strings(raw.get("auth_mechanisms"))),
        auth_reply=_reply(raw.get("auth_reply")),
        unexpected_data=list(_strings(raw.get("unexpected_data"))),
        error=_text_or_none(raw.get("error")),
    )


def _certificate(raw: Any) -> CertificateInfo | None:
    if not isinstance(raw, Mapping):
        return None
    not_before, not_after = _when(raw.get("not_before")), _when(raw.get("not_after"))
    if not_before is None or not_after is None:
        raise ExportError(N_("This report has a test result that cannot be read."))
    return CertificateInfo(
        subject_cn=_text_or_none(raw.get("subject_cn")),
        names=_strings(raw.get("names")),
        issuer=str(raw.get("issuer", "")),
        not_before=not_before,
        not_after=not_after,
        self_signed=bool(raw.get("self_signed")),
        fingerprint_sha256=str(raw.get("sha256", "")),
    )


def _outgoing_half(
    raw: Mapping[str, Any], port: PortResult, address: str, username: str
) -> ServerHalf:
    ev = raw.get("evidence") if isinstance(raw.get("evidence"), Mapping) else {}
    assert isinstance(ev, Mapping)
    security = _SECURITY_OF_VERDICT[port.verdict]
    offered = _strings(
        ev.get("auth_mechanisms_before_tls")
        if security is Security.PLAIN
        else ev.get("auth_mechanisms")
    )
    spoke = bool(_strings(ev.get("ehlo_after_tls")) or _strings(ev.get("ehlo_before_tls")))
    upper = {m.upper() for m in offered}
    if upper and upper <= _OAUTH_MECHANISMS:
        auth = AuthMethod.OAUTH2
    elif offered or not spoke:  # a server that says nothing about sign-in most likely wants one
        auth = AuthMethod.PASSWORD
    else:
        auth = AuthMethod.NONE
    form = username_form(username, address)
    vouched = port.trusted is not False  # reports from before the trust rule have no field
    return ServerHalf(
        Protocol.SMTP, port.host, port.port, security, username, form, auth, vouched=vouched
    )


def _tested_incoming_half(
    raw: Mapping[str, Any], port: PortResult, address: str, username: str
) -> ServerHalf:
    """The receiving half that was tested: the user name that signed in there (the full address
    or the local part, whichever the server took), else the one the report names."""
    ev = raw.get("evidence") if isinstance(raw.get("evidence"), Mapping) else {}
    assert isinstance(ev, Mapping)
    signed_in = port.sign_in is AuthOutcome.ACCEPTED and ev.get("auth_username")
    name = str(ev["auth_username"]) if signed_in else username
    method = raw.get("sign_in_method")
    offered = {m.upper() for m in _strings(ev.get("auth_mechanisms"))}
    oauth = method == "oauth2" or bool(offered and offered <= _OAUTH_MECHANISMS)
    return ServerHalf(
        port.protocol,
        port.host,
        port.port,
        _SECURITY_OF_VERDICT[port.verdict],
        name,
        username_form(name, address),
        AuthMethod.OAUTH2 if oauth else AuthMethod.PASSWORD,
        tested=True,
        vouched=port.trusted is not False,
    )


def _incoming_half(raw: Any, address: str) -> ServerHalf | None:
    if not isinstance(raw, Mapping):
        return None
    try:
        protocol = Protocol(raw["protocol"])
        username = str(raw.get("username") or address)
        half = ServerHalf(
            protocol=protocol,
            host=str(raw["host"]),
            port=int(raw["port"]),
            security=Security(raw["security"]),
            username=username,
            username_form=username_form(username, address),
            auth=AuthMethod(raw.get("auth", "password")),
            tested=bool(raw.get("tested", True)),
        )
    except (KeyError, ValueError, TypeError):
        return None
    return half if protocol.incoming else None


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, Sequence) or isinstance(value, str):
        return ()
    return tuple(str(v) for v in value)


def _text_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def _reply(value: Any) -> Reply | None:
    if not isinstance(value, Mapping):
        return None
    code = value.get("code")
    return Reply(
        code if isinstance(code, int) else 0,
        (str(value.get("text", "")),),
        str(value.get("status") or ""),
    )


def _bool_or_none(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _when(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def documented_incoming(result: DiscoveryResult | None, address: str) -> ServerHalf | None:
    """The provider's documented receiving server, when it came from a source worth trusting.

    Marked `tested=False`: the sheet and the report say it was not tested on this computer.
    IMAP before POP3; an unencrypted entry is never offered."""
    from assistant.core.address import parse
    from assistant.discovery import Origin

    found = result.found if result is not None else None
    if found is None or not found.trusted or found.origin is Origin.GUESS:
        return None
    parsed = parse(address)
    usable = [
        s for s in found.config.incoming if s.security in (Security.IMPLICIT_TLS, Security.STARTTLS)
    ]
    usable.sort(key=lambda s: s.protocol is not Protocol.IMAP)
    if not usable:
        return None
    server = usable[0].for_address(parsed)
    username = server.username_for(parsed)
    auth = AuthMethod.OAUTH2 if server.oauth_only else AuthMethod.PASSWORD
    return ServerHalf(
        server.protocol,
        server.host,
        server.port,
        server.security,
        username,
        username_form(username, address) if "%" not in server.username else server.username,
        auth,
        tested=False,
    )


def incoming_document(half: ServerHalf) -> dict[str, Any]:
    """The `incoming` object of the JSON report (docs/check-report.schema.json)."""
    return {
        "protocol": half.protocol.value,
        "host": half.host,
        "port": half.port,
        "security": half.security.value,
        "username": half.username,
        "auth": half.auth.value,
        "tested": half.tested,
    }
