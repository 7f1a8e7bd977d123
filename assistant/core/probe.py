"""Probing one candidate: resolve → connect → greeting → EHLO → (STARTTLS →) TLS → EHLO → AUTH → QUIT.

The plumbing (resolve, connect, TLS, certificate diagnosis, deadline) serves every protocol; the SMTP
conversation is here, IMAP's and POP3's are in `imap.py` and `pop3.py` (see `conversation.py`).

Written on plain sockets rather than smtplib because the safety rules need control smtplib does not
give: a hard deadline per probe, evidence of every phase, no plain-text fallback, plain text that
arrived before a TLS handshake thrown away, and a neutral EHLO name instead of the computer's.
"""

from __future__ import annotations

import contextlib
import select
import socket
import ssl
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from assistant.core import tls as tlsmod
from assistant.core.conversation import Conversation, Moment, greeting_failures
from assistant.core.conversation import Outcome as _Outcome
from assistant.core.gil_turns import turn, waiting
from assistant.core.models import (
    AuthOutcome,
    Candidate,
    Detail,
    Phase,
    PhaseStatus,
    ProbeResult,
    Protocol,
    Reply,
    Security,
    Verdict,
)
from assistant.core.network import (
    Address,
    ConnectFailure,
    LookupUnavailable,
    NameNotFound,
    Resolver,
    connect,
    resolve,
    system_resolver,
)
from assistant.core.oauth_signin import authenticate_smtp, classify_oauth_reply
from assistant.core.rescue import (
    LOOKUPS_PER_CANDIDATE,
    NAMES_PER_CANDIDATE,
    RescueBudget,
    usable_name,
)
from assistant.core.sasl_oauth import OAuthCredentials, choose_oauth_mechanism
from assistant.core.signin import (
    OAUTH_MECHANISMS,
    Credentials,
    authenticate,
    choose_mechanism,
    classify_auth_reply,
)
from assistant.core.stopper import Stopped, Stopper, StopReason
from assistant.core.time_limit import DEFAULT_TIMEOUT_S
from assistant.core.trust import TrustPolicy, TrustReason
from assistant.core.wire import LineTooLong, PeerClosed, ProtocolError, Wire
from assistant.i18n import N_, Worded, kept

NEUTRAL_EHLO = "[127.0.0.1]"
"""Sent instead of the computer's name (which would leak it and which smtplib sends by default)."""

AUTO_GREETING_WAIT_S = 3.0
AUTO_DETECT_SHARE = 0.3
"""Detecting a port's mode may take at most this share of the time left: the probe needs the rest."""
QUIT_WAIT_S = 1.0

PhaseCallback = Callable[[Phase, PhaseStatus, float], None]


@dataclass
class ProbeSettings:
    timeout: float = DEFAULT_TIMEOUT_S
    resolver: Resolver = system_resolver
    tls_context: tlsmod.TlsContextFactory = tlsmod.system_trust_context
    credentials: Credentials | OAuthCredentials | None = field(default=None, repr=False)
    ehlo_name: str = NEUTRAL_EHLO
    auto_greeting_wait: float = AUTO_GREETING_WAIT_S
    test_message_to: str | None = None
    """Send one test message to this address after a successful sign-in (only when asked)."""
    trust: TrustPolicy = field(default_factory=TrustPolicy)
    """The trust rule's facts for this run (names the person confirmed, hosting domains …)."""
    rescue: RescueBudget | None = field(default=None, compare=False)
    """The run's shared rescue allowance; `ProbeRun` sets a fresh one per run."""


# What a deadline in each phase means for the person.
_DEADLINE_VERDICTS: dict[Phase, tuple[Verdict, Detail]] = {
    Phase.RESOLVE: (Verdict.NO_NETWORK, Detail.DNS_UNAVAILABLE),
    Phase.CONNECT: (Verdict.BLOCKED, Detail.NONE),
    Phase.GREETING: (Verdict.NOT_MAIL_SERVER, Detail.NO_GREETING),
    Phase.EHLO: (Verdict.NOT_MAIL_SERVER, Detail.DEADLINE),
    Phase.STARTTLS: (Verdict.TLS_FAILED, Detail.DEADLINE),
    Phase.TLS: (Verdict.TLS_FAILED, Detail.DEADLINE),
    Phase.CERTIFICATE: (Verdict.TLS_FAILED, Detail.DEADLINE),
    Phase.EHLO_TLS: (Verdict.NOT_MAIL_SERVER, Detail.DEADLINE),
}


def probe(
    candidate: Candidate,
    settings: ProbeSettings,
    on_phase: PhaseCallback | None = None,
    stopper: Stopper | None = None,
) -> ProbeResult:
    """Test one candidate. Never raises for anything the network or the server does."""
    stopper = stopper or Stopper(settings.timeout)
    try:
        with turn(stopper):
            return _Probe(candidate, settings, on_phase, stopper).run()
    except Stopped:  # stopped while waiting for a turn (see assistant.core.gil_turns)
        result = ProbeResult(candidate, Verdict.BLOCKED)
        result.cancelled = stopper.reason is StopReason.CANCELLED
        result.evidence.error = Worded(N_("stopped before it could finish"))
        return result
    finally:
        stopper.finish()


class _Probe:
    def __init__(
        self,
        candidate: Candidate,
        settings: ProbeSettings,
        on_phase: PhaseCallback | None,
        stopper: Stopper,
    ) -> None:
        self.candidate = candidate
        self.settings = settings
        self.on_phase = on_phase
        self.stopper = stopper
        self.result = ProbeResult(candidate, Verdict.NOT_MAIL_SERVER)
        self.ev = self.result.evidence
        self.current: Phase = Phase.RESOLVE
        self.address: Address | None = None
        self.sock: socket.socket | None = None
        self.greeting_partial = False
        self.implicit_tls = False
        self.tls_answered = False
        self.conversation: Conversation | None = _incoming_conversation(candidate.protocol)
        """None for SMTP, whose conversation is this class itself."""

    # -- bookkeeping ------------------------------------------------------------------------------

    @contextmanager
    def phase(self, phase: Phase) -> Iterator[None]:
        self.current = phase
        self._emit(phase, PhaseStatus.STARTED, 0.0)
        start = time.monotonic()
        ok = False
        try:
            yield
            ok = True
        finally:
            elapsed = (time.monotonic() - start) * 1000
            key = phase.value
            self.result.timings_ms[key] = round(self.result.timings_ms.get(key, 0.0) + elapsed, 1)
            self._emit(phase, PhaseStatus.OK if ok else PhaseStatus.FAILED, elapsed)

    def _emit(self, phase: Phase, status: PhaseStatus, elapsed: float) -> None:
        if self.on_phase is not None and self.stopper.reason is not StopReason.CANCELLED:
            self.on_phase(phase, status, elapsed)

    # -- the run ----------------------------------------------------------------------------------

    def run(self) -> ProbeResult:
        try:
            self._converse()
        except _Outcome as out:
            self.result.verdict, self.result.detail = out.verdict, out.detail
            if out.error:
                self.ev.error = out.error
        except Stopped:
            self._stopped()
        finally:
            self._close()
        return self.result

    def _stopped(self) -> None:
        if self.stopper.reason is StopReason.CANCELLED:
            self.result.cancelled = True
            self.result.verdict, self.result.detail = Verdict.BLOCKED, Detail.NONE
            self.ev.error = Worded(N_("cancelled"))
            return
        if self.result.verdict.is_safe and self.current in (Phase.AUTH, Phase.QUIT):
            if self.current is Phase.AUTH:
                # A refusal already heard (e.g. 535 to the full address, before a slow retry with
                # the local part ran out of time) is the answer; only silence is "try later".
                reply = self.ev.auth_reply
                self.result.auth = (
                    classify_auth_reply(reply) if reply is not None else AuthOutcome.TEMPORARY
                )
            return
        verdict, detail = _DEADLINE_VERDICTS.get(
            self.current, (Verdict.NOT_MAIL_SERVER, Detail.DEADLINE)
        )
        if self.current is Phase.GREETING and self.greeting_partial:
            detail = Detail.DEADLINE
        if self.current is Phase.TLS and not self.tls_answered and self.implicit_tls:
            # Connected, sent the TLS hello, and nothing came back at all: say so.
            verdict, detail = Verdict.BLOCKED, Detail.NO_TLS_ANSWER
        self.result.verdict, self.result.detail = verdict, detail
        self.ev.error = Worded(
            N_("no complete answer within {seconds} s ({phase})"),
            seconds=f"{self.settings.timeout:g}",
            phase=self.current.value,
        )

    def _close(self) -> None:
        if self.sock is not None:
            self.stopper.unregister(self.sock)
            with contextlib.suppress(OSError):
                self.sock.close()
            self.sock = None

    def _converse(self) -> None:
        cand = self.candidate
        with self.phase(Phase.RESOLVE):
            addresses = self._resolve(cand.host)
        self.ev.addresses = [str(sa[0]) for _f, sa in addresses]
        with self.phase(Phase.CONNECT):
            self.sock, self.ev.connected_to = self._connect(addresses)
        wire = Wire(self.sock, self.stopper, self.ev.transcript)
        mode = cand.security
        if mode is Security.AUTO:
            mode = self._detect_mode(wire)
        if self.conversation is not None:
            self.implicit_tls = mode is Security.IMPLICIT_TLS
            self.conversation.converse(self, wire, mode)
            return
        if mode is Security.IMPLICIT_TLS:
            self.implicit_tls = True
            wire = self._start_tls(wire, implicit=True)
            self._greeting(wire)
            self._ehlo(wire, Phase.EHLO_TLS, self.ev.ehlo_after_tls)
            verdict = Verdict.ENCRYPTED_IMPLICIT
        else:
            self._greeting(wire)
            ehlo_ok = self._ehlo(wire, Phase.EHLO, self.ev.ehlo_before_tls)
            self.ev.auth_before_tls = _auth_mechanisms(self.ev.ehlo_before_tls)
            self.ev.starttls_offered = ehlo_ok and _has_feature(self.ev.ehlo_before_tls, "STARTTLS")
            if not self.ev.starttls_offered:
                # Plain text only: we stop here and never send AUTH on this connection.
                self.result.verdict = Verdict.PLAINTEXT_ONLY
                self.result.detail = Detail.NONE if ehlo_ok else Detail.EHLO_REFUSED
                self.ev.auth_mechanisms = self.ev.auth_before_tls
                self._quit(wire)
                return
            with self.phase(Phase.STARTTLS):
                reply = wire.command("STARTTLS")
                self.ev.starttls_reply = reply
                if reply.code != 220:
                    raise _Outcome(Verdict.TLS_FAILED, Detail.STARTTLS_REFUSED)
                self._discard_unexpected(wire, Moment.BEFORE_TLS)
            wire = self._start_tls(wire, implicit=False)
            self._ehlo(wire, Phase.EHLO_TLS, self.ev.ehlo_after_tls)
            verdict = Verdict.ENCRYPTED_STARTTLS
        self.ev.auth_mechanisms = _auth_mechanisms(self.ev.ehlo_after_tls)
        self.result.verdict = verdict
        if self.settings.credentials is not None:
            self._sign_in(wire, self.settings.credentials)
            if self.settings.test_message_to and self.result.auth is AuthOutcome.ACCEPTED:
                self._send_test_message(wire, self.settings.test_message_to)
        self._quit(wire)

    def _resolve(self, host: str) -> list[Address]:
        try:
            addresses = resolve(self.settings.resolver, host, self.candidate.port, self.stopper)
        except NameNotFound as exc:
            raise _Outcome(
                Verdict.NO_SUCH_HOST, error=kept(exc) or Worded(N_("name not found"))
            ) from None
        except LookupUnavailable as exc:
            raise _Outcome(Verdict.NO_NETWORK, Detail.DNS_UNAVAILABLE, kept(exc)) from None
        if not addresses:
            raise _Outcome(Verdict.NO_SUCH_HOST, error=Worded(N_("the name has no addresses")))
        return addresses

    def _connect(self, addresses: list[Address]) -> tuple[socket.socket, str]:
        try:
            sock, shown = connect(addresses, self.stopper)
        except ConnectFailure as exc:
            verdict, detail = {
                "timeout": (Verdict.BLOCKED, Detail.NONE),
                "refused": (Verdict.REFUSED, Detail.NONE),
                "reset": (Verdict.SERVER_REFUSED_US, Detail.CONNECTION_RESET),
            }.get(exc.kind, (Verdict.NO_NETWORK, Detail.UNREACHABLE))
            raise _Outcome(verdict, detail, exc.message) from None
        try:
            peer = sock.getpeername()
        except OSError:  # reset between the handshake and now
            sock.close()
            raise _Outcome(
                Verdict.SERVER_REFUSED_US, Detail.CONNECTION_RESET, Worded(N_("connection reset"))
            ) from None
        self.address = (sock.family, tuple(peer))
        return sock, shown

    def _detect_mode(self, wire: Wire) -> Security:
        """A port of unknown type: a server that greets first speaks SMTP; one that waits may be TLS."""
        with self.phase(Phase.GREETING):
            spoke = wire.wait_for_data(
                min(
                    self.settings.auto_greeting_wait,
                    AUTO_DETECT_SHARE * self.stopper.remaining(),
                )
            )
        return Security.STARTTLS if spoke else Security.IMPLICIT_TLS

    def _greeting(self, wire: Wire) -> Reply:
        with self.phase(Phase.GREETING):
            with greeting_failures(self, wire):
                reply = wire.read_reply()
            self.ev.greeting = reply
            if reply.code != 220:
                raise _Outcome(Verdict.SERVER_REFUSED_US, Detail.ERROR_GREETING)
            self._discard_unexpected(wire, Moment.AFTER_GREETING)
        return reply

    def _ehlo(self, wire: Wire, phase: Phase, into: list[str]) -> bool:
        with self.phase(phase):
            try:
                reply = wire.command(f"EHLO {self.settings.ehlo_name}")
            except LineTooLong as exc:
                raise _Outcome(Verdict.NOT_MAIL_SERVER, Detail.LINE_TOO_LONG, kept(exc)) from None
            except ProtocolError as exc:
                raise _Outcome(Verdict.NOT_MAIL_SERVER, Detail.GARBAGE_GREETING, exc.raw) from None
            except PeerClosed as exc:
                raise _Outcome(Verdict.NOT_MAIL_SERVER, Detail.CLOSED_EARLY, kept(exc)) from None
            if reply.code != 250:
                return False
            into[:] = [line.strip() for line in reply.lines[1:]]
            self._discard_unexpected(wire, Moment.AFTER_FEATURES)
            return True

    # The names a `Conversation` uses (conversation.ProbeSession).
    def start_tls(self, wire: Wire, implicit: bool) -> Wire:
        return self._start_tls(wire, implicit)

    def discard_unexpected(self, wire: Wire, where: Moment) -> None:
        self._discard_unexpected(wire, where)

    def password_allowed(self) -> bool:
        return self._password_allowed()

    def _discard_unexpected(self, wire: Wire, where: Moment) -> None:
        extra = wire.take_unexpected()
        if extra:
            self.ev.unexpected_data.append(f"{where}: {extra}")

    def _start_tls(self, wire: Wire, implicit: bool) -> Wire:
        assert self.sock is not None
        raw = self.sock
        with self.phase(Phase.TLS):
            ctx = self.settings.tls_context()
            try:
                tls_sock = ctx.wrap_socket(
                    raw, server_hostname=self.candidate.host, do_handshake_on_connect=False
                )
            except (ssl.SSLError, ValueError) as exc:
                raise _Outcome(Verdict.TLS_FAILED, Detail.HANDSHAKE_FAILED, kept(exc)) from None
            self.stopper.unregister(raw)
            self.sock = tls_sock
            self.stopper.register(tls_sock)
            try:
                self._send_hello_and_wait(tls_sock)
                tls_sock.settimeout(self.stopper.op_timeout())
                with waiting(self.stopper):
                    tls_sock.do_handshake()
            except ssl.SSLCertVerificationError as exc:
                self.ev.certificate_verified = False
                self.ev.verify_message = str(exc.verify_message or exc.reason or "")
                self._close()
                self._diagnose_certificate(getattr(exc, "verify_code", None), implicit)
            except (ssl.SSLError, OSError) as exc:
                if (stop := self.stopper.stopped_by(exc)) is not None:
                    raise stop from None
                self._close()
                if _is_old_protocol(exc):
                    raise _Outcome(Verdict.TLS_FAILED, Detail.OLD_TLS, _ssl_reason(exc)) from None
                if implicit and self._speaks_plain_text():
                    raise _Outcome(Verdict.NOT_MAIL_SERVER, Detail.PLAIN_ON_TLS_PORT) from None
                raise _Outcome(
                    Verdict.TLS_FAILED, Detail.HANDSHAKE_FAILED, _ssl_reason(exc)
                ) from None
        with self.phase(Phase.CERTIFICATE):
            self.ev.tls_version = tls_sock.version()
            cipher = tls_sock.cipher()
            self.ev.tls_cipher = cipher[0] if cipher else None
            der = tls_sock.getpeercert(binary_form=True)
            if der:
                self.ev.certificate = tlsmod.parse_certificate(der)
            self.ev.certificate_verified = True
            if self.ev.tls_version not in tlsmod.GOOD_TLS_VERSIONS:
                raise _Outcome(Verdict.TLS_FAILED, Detail.OLD_TLS, self.ev.tls_version or "")
        return Wire(tls_sock, self.stopper, self.ev.transcript)

    def _send_hello_and_wait(self, tls_sock: ssl.SSLSocket) -> None:
        """Send the TLS hello and wait for the first byte of an answer, so that a port that
        accepts connections but never answers (a firewall's tarpit) is told apart from one whose
        encryption fails (`Detail.NO_TLS_ANSWER`). The stopper's shutdown ends the wait."""
        tls_sock.settimeout(0.0)
        try:
            tls_sock.do_handshake()
        except ssl.SSLWantReadError:
            pass
        else:
            self.tls_answered = True
            return
        with waiting(self.stopper):
            while not select.select([tls_sock], [], [], self.stopper.op_timeout())[0]:
                pass
        self.stopper.check()  # woken by the stopper's shutdown: stopped, not answered
        self.tls_answered = True

    # -- when something went wrong: find out what -----------------------------------------------

    def _reconnect(self) -> Wire:
        assert self.address is not None
        sock, _ = connect([self.address], self.stopper)
        self.sock = sock
        return Wire(sock, self.stopper, [])

    def _speaks_plain_text(self) -> bool:
        """After a failed implicit-TLS handshake: does this port greet in plain text instead?"""
        try:
            wire = self._reconnect()
            if not wire.wait_for_data(min(2.0, self.stopper.remaining())):
                return False
            line = wire.read_line(wait=1.0)
            if self.conversation is not None:
                return self.conversation.greets_in_plain(line)
            return line.startswith(b"220")
        except Exception:  # any failure just means "we could not tell"
            return False
        finally:
            self._close()

    def _diagnose_certificate(self, verify_code: int | None, implicit: bool) -> None:
        """Read the certificate through a non-verifying handshake and raise the precise verdict."""
        cert = None
        with self.phase(Phase.CERTIFICATE):
            try:
                wire = self._reconnect()
                if not implicit and self.conversation is not None:
                    self.conversation.open_starttls(wire)
                elif not implicit:
                    wire.read_reply()
                    wire.command(f"EHLO {self.settings.ehlo_name}")
                    if wire.command("STARTTLS").code != 220:
                        raise ProtocolError(Worded(N_("STARTTLS refused on second look")))
                    wire.take_unexpected()
                assert self.sock is not None
                raw = self.sock
                peek = tlsmod.inspection_context().wrap_socket(
                    raw, server_hostname=self.candidate.host, do_handshake_on_connect=False
                )
                self.stopper.unregister(raw)
                self.sock = peek
                self.stopper.register(peek)
                peek.settimeout(self.stopper.op_timeout())
                with waiting(self.stopper):
                    peek.do_handshake()
                der = peek.getpeercert(binary_form=True)
                if der:
                    cert = tlsmod.parse_certificate(der)
                    self.ev.certificate = cert
                    self.ev.tls_version = peek.version()
            except Stopped:
                raise
            except Exception:  # the verdict below still holds; we only lack the details
                pass
            finally:
                self._close()
        verdict, detail = tlsmod.classify_failure(self.candidate.host, cert, verify_code)
        if verdict is Verdict.CERT_NAME_MISMATCH and cert is not None and self._may_rescue():
            self.ev.rescue_names = self._same_server_names(cert.names)
        raise _Outcome(verdict, detail, self.ev.verify_message or "")

    def _may_rescue(self) -> bool:
        """Rescue names come only from candidates the person or a trusted source named, never
        from a rescue's own certificate (a hostile server would chain them for ever)."""
        cand = self.candidate
        return cand.rescue_of is None and self._password_allowed()

    def _same_server_names(self, names: tuple[str, ...]) -> list[str]:
        """Names in the certificate that lead to the same server (shared hosting), to test next.

        Bounded (see `assistant.core.rescue`): a few names, a few look-ups per candidate and per
        run; wildcards, addresses and malformed names are skipped without a look-up."""
        ours = set(self.ev.addresses)
        budget = self.settings.rescue or RescueBudget()
        found: list[str] = []
        looked_up = 0
        for raw in names:
            name = usable_name(raw, self.candidate.host)
            if name is None or name in found:
                continue
            if len(found) >= NAMES_PER_CANDIDATE or looked_up >= LOOKUPS_PER_CANDIDATE:
                break
            if not budget.take_lookup():
                break
            looked_up += 1
            try:
                addresses = resolve(self.settings.resolver, name, self.candidate.port, self.stopper)
            except Stopped:
                break
            except Exception:  # a name that does not resolve is simply not a rescue
                continue
            if ours & {str(sa[0]) for _f, sa in addresses}:
                found.append(name)
        return found

    # -- sign-in and goodbye ----------------------------------------------------------------------

    def _password_allowed(self) -> bool:
        """The trust rule (`assistant.core.trust`): the plan decided `trusted`; a name the person
        confirmed during this run (`--trust-host`, the wizard's question) counts too."""
        cand = self.candidate
        if cand.trusted:
            return True
        return self.settings.trust.reason(cand.host, cand.source) is TrustReason.CONFIRMED

    def _sign_in(self, wire: Wire, creds: Credentials | OAuthCredentials) -> None:
        # Only ever on a connection whose certificate verified: the verdict says so by now.
        if not (self.result.verdict.is_safe and self.ev.certificate_verified):
            return
        if not self._password_allowed():
            # The name could have been planted (a certificate, DNS, plain http): no password.
            self.result.auth = AuthOutcome.UNTRUSTED_SERVER
            return
        if isinstance(creds, OAuthCredentials):
            self._sign_in_oauth(wire, creds)
            return
        offered = self.ev.auth_mechanisms
        mechanism = choose_mechanism(offered)
        if mechanism is None:
            only_oauth = any(m in OAUTH_MECHANISMS for m in offered)
            self.result.auth = AuthOutcome.OAUTH_ONLY if only_oauth else AuthOutcome.NOT_OFFERED
            return
        self.ev.auth_mechanism = mechanism
        with self.phase(Phase.AUTH):
            outcome = AuthOutcome.REFUSED_OTHER
            for username in creds.usernames:
                try:
                    reply = authenticate(wire, mechanism, username, creds.password)
                except (ProtocolError, PeerClosed) as exc:
                    self.ev.error = Worded(N_("sign-in interrupted: {problem}"), problem=kept(exc))
                    outcome = AuthOutcome.REFUSED_OTHER
                    break
                self.ev.auth_reply = reply
                self.ev.auth_username = username
                outcome = classify_auth_reply(reply)
                if outcome is not AuthOutcome.WRONG_PASSWORD:
                    break
            self.result.auth = outcome

    def _sign_in_oauth(self, wire: Wire, creds: OAuthCredentials) -> None:
        """The token from the provider's sign-in window, once, on one OAuth mechanism."""
        mechanism = choose_oauth_mechanism(self.ev.auth_mechanisms)
        if mechanism is None:
            self.result.auth = AuthOutcome.NOT_OFFERED
            return
        self.ev.auth_mechanism = mechanism
        self.ev.auth_username = creds.username
        with self.phase(Phase.AUTH):
            try:
                attempt = authenticate_smtp(
                    wire, mechanism, creds, self.candidate.host, self.candidate.port
                )
            except (ProtocolError, PeerClosed) as exc:
                self.ev.error = Worded(N_("sign-in interrupted: {problem}"), problem=kept(exc))
                self.result.auth = AuthOutcome.REFUSED_OTHER
                return
            self.ev.auth_reply = attempt.reply
            self.ev.oauth_status = attempt.error.status if attempt.error else None
            self.result.auth = classify_oauth_reply(attempt)

    def _send_test_message(self, wire: Wire, address: str) -> None:
        """The one message we ever send, and only because the person asked for it."""
        with self.phase(Phase.SEND):
            self.result.test_message_sent = False
            try:
                for command in (f"MAIL FROM:<{address}>", f"RCPT TO:<{address}>", "DATA"):
                    reply = wire.command(command)
                    self.ev.test_message_reply = reply
                    expected = 354 if command == "DATA" else 250
                    if reply.code != expected:
                        return
                for line in test_message(address, self.candidate).splitlines():
                    wire.send("." + line if line.startswith(".") else line, shown="…")
                reply = wire.command(".", shown=".")
                self.ev.test_message_reply = reply
                self.result.test_message_sent = reply.code == 250
            except (ProtocolError, PeerClosed) as exc:
                self.ev.error = Worded(N_("test message interrupted: {problem}"), problem=kept(exc))

    def _quit(self, wire: Wire) -> None:
        with self.phase(Phase.QUIT):
            try:
                wire.send("QUIT")
                wire.read_reply(wait=min(QUIT_WAIT_S, self.stopper.remaining()))
            except (ProtocolError, PeerClosed, OSError, Stopped):
                pass  # the server's goodbye is a courtesy, not evidence


def _incoming_conversation(protocol: Protocol) -> Conversation | None:
    if protocol is Protocol.IMAP:
        from assistant.core.imap import ImapConversation

        return ImapConversation()
    if protocol is Protocol.POP3:
        from assistant.core.pop3 import Pop3Conversation

        return Pop3Conversation()
    return None


def test_message(address: str, candidate: Candidate) -> str:
    """A short, friendly message that says where it came from and why."""
    from email.message import EmailMessage
    from email.utils import formatdate, make_msgid

    msg = EmailMessage()
    msg["From"] = address
    msg["To"] = address
    msg["Subject"] = "Mail Setup Assistant: test message"
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain="mailsetup.invalid")
    msg.set_content(
        "Hello,\n\n"
        "This is the test message you asked Mail Setup Assistant to send.\n"
        f"It was sent through {candidate.host}, port {candidate.port}.\n"
        "If you can read this, sending email with these settings works.\n"
    )
    return msg.as_string(policy=msg.policy.clone(linesep="\n", max_line_length=78))


def _has_feature(features: list[str], name: str) -> bool:
    return any(f.upper().split(" ", 1)[0] == name for f in features)


def _auth_mechanisms(features: list[str]) -> list[str]:
    mechanisms: list[str] = []
    for feature in features:
        upper = feature.upper()
        if upper.startswith("AUTH ") or upper.startswith("AUTH="):
            for mech in upper[5:].split():
                if mech not in mechanisms:
                    mechanisms.append(mech)
    return mechanisms


def _ssl_reason(exc: BaseException) -> str:
    if isinstance(exc, ssl.SSLError) and exc.reason:
        return str(exc.reason).replace("_", " ").lower()
    return exc.__class__.__name__


_OLD_PROTOCOL_REASONS = ("PROTOCOL_VERSION", "UNSUPPORTED_PROTOCOL", "NO_PROTOCOLS_AVAILABLE")


def _is_old_protocol(exc: BaseException) -> bool:
    """The server only speaks a TLS version we refuse (1.0/1.1, SSLv3)."""
    reason = getattr(exc, "reason", None) or ""
    return any(marker in str(reason).upper() for marker in _OLD_PROTOCOL_REASONS)
