"""The steps IMAP and POP3 share: greeting → capabilities → (STARTTLS/STLS → TLS → capabilities
again) → sign-in → goodbye, under the same rules as SMTP (security-and-faults.md, IMAP and POP3).

- Nothing private before verified TLS: on a plain connection we read the greeting and the
  capabilities, and stop there; no LOGIN, AUTHENTICATE, USER or PASS is ever sent on it.
- A refused STARTTLS/STLS ends the probe (`TLS_FAILED`): there is no plain-text fallback.
- Bytes after the go-ahead and before the handshake are recorded and thrown away (injection).
- The capabilities are asked again after TLS and the earlier answer is forgotten.
- Sign-in succeeds only on a tagged OK / +OK; the full address is tried first, then the local part.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TypeVar

from assistant.core.conversation import Moment, Outcome, ProbeSession, greeting_failures
from assistant.core.models import AuthOutcome, Detail, Phase, Reply, Security, Verdict
from assistant.core.sasl_oauth import OAuthCredentials, choose_oauth_mechanism
from assistant.core.signin import OAUTH_MECHANISMS, Credentials, classify_auth_reply
from assistant.core.stopper import Stopped
from assistant.core.token_exchange import TokenAnswer
from assistant.core.wire import LineTooLong, PeerClosed, ProtocolError, ResponseTooLarge, Wire
from assistant.i18n import N_, Worded, kept

T = TypeVar("T")


class IncomingConversation:
    """Common IMAP/POP3 steps; subclasses say how each step is worded on the wire."""

    #: Shown in evidence when STARTTLS is not in the capabilities ("STARTTLS", "STLS").
    starttls_word = "STARTTLS"

    def __init__(self) -> None:
        self.preauthenticated = False

    # -- protocol specifics (overridden) ---------------------------------------------------------

    def read_greeting(self, wire: Wire, encrypted: bool) -> Reply:
        raise NotImplementedError

    def capabilities(self, wire: Wire) -> list[str] | None:
        """The server's capability list; None when it refused the command."""
        raise NotImplementedError

    def offers_starttls(self, caps: list[str]) -> bool:
        return self.starttls_word in caps

    def start_tls_command(self, wire: Wire) -> Reply:
        raise NotImplementedError

    def starttls_accepted(self, reply: Reply) -> bool:
        raise NotImplementedError

    def password_methods(self, caps: list[str] | None) -> list[str]:
        """How a password could be sent, as evidence and for choosing (e.g. PLAIN, LOGIN, USER)."""
        raise NotImplementedError

    preferred_methods: tuple[str, ...] = ()
    """The password methods this protocol uses, best first (one is chosen, never several)."""

    def choose_method(self, methods: list[str]) -> str | None:
        return next((m for m in self.preferred_methods if m in methods), None)

    def authenticate(self, wire: Wire, method: str, username: str, password: str) -> Reply:
        raise NotImplementedError

    def logout(self, wire: Wire) -> None:
        raise NotImplementedError

    # -- the conversation ------------------------------------------------------------------------

    def converse(self, session: ProbeSession, wire: Wire, mode: Security) -> None:
        ev = session.ev
        if mode is Security.IMPLICIT_TLS:
            wire = session.start_tls(wire, implicit=True)
            self._greeting(session, wire, encrypted=True)
            caps = self._capabilities(session, wire, Phase.EHLO_TLS)
            ev.ehlo_after_tls = caps or []
            verdict = Verdict.ENCRYPTED_IMPLICIT
        else:
            self._greeting(session, wire, encrypted=False)
            caps = self._capabilities(session, wire, Phase.EHLO)
            ev.ehlo_before_tls = caps or []
            ev.auth_before_tls = self.password_methods(caps)
            ev.starttls_offered = caps is not None and self.offers_starttls(caps)
            if not ev.starttls_offered:
                # Plain text only: we stop here and never send a password on this connection.
                session.result.verdict = Verdict.PLAINTEXT_ONLY
                session.result.detail = Detail.NONE if caps is not None else Detail.EHLO_REFUSED
                ev.auth_mechanisms = ev.auth_before_tls
                self._goodbye(session, wire)
                return
            with session.phase(Phase.STARTTLS):
                reply = self._read(lambda: self.start_tls_command(wire), Verdict.TLS_FAILED)
                ev.starttls_reply = reply
                if not self.starttls_accepted(reply):
                    raise Outcome(Verdict.TLS_FAILED, Detail.STARTTLS_REFUSED)
                session.discard_unexpected(wire, Moment.BEFORE_TLS)
            wire = session.start_tls(wire, implicit=False)
            # Forget what was said before TLS: a man in the middle could have written it.
            caps = self._capabilities(session, wire, Phase.EHLO_TLS)
            ev.ehlo_after_tls = caps or []
            verdict = Verdict.ENCRYPTED_STARTTLS
        ev.auth_mechanisms = self.password_methods(caps)
        session.result.verdict = verdict
        credentials = session.settings.credentials
        if isinstance(credentials, OAuthCredentials):
            self._sign_in_with_token(session, wire, credentials)
        elif credentials is not None:
            self._sign_in(session, wire, credentials)
        self._goodbye(session, wire)

    def _read(self, step: Callable[[], T], verdict: Verdict = Verdict.NOT_MAIL_SERVER) -> T:
        """Run one exchange, turning what a hostile or broken server does into verdicts."""
        try:
            return step()
        except ResponseTooLarge as exc:
            raise Outcome(verdict, Detail.RESPONSE_TOO_LARGE, kept(exc)) from None
        except LineTooLong as exc:
            raise Outcome(verdict, Detail.LINE_TOO_LONG, kept(exc)) from None
        except ProtocolError as exc:
            raise Outcome(verdict, Detail.GARBAGE_GREETING, exc.raw) from None
        except PeerClosed as exc:
            raise Outcome(verdict, Detail.CLOSED_EARLY, kept(exc)) from None

    def _greeting(self, session: ProbeSession, wire: Wire, encrypted: bool) -> None:
        with session.phase(Phase.GREETING):
            with greeting_failures(session, wire):
                reply = self.read_greeting(wire, encrypted)
            session.ev.greeting = reply
            if reply.status == "PREAUTH":
                if not encrypted:
                    # RFC 9051 §7.1.4: "already signed in" on a plain connection leaves no way to
                    # switch to encryption; a client that needs TLS must hang up.
                    raise Outcome(Verdict.PLAINTEXT_ONLY, Detail.PREAUTH_PLAIN)
                self.preauthenticated = True
            elif reply.status not in ("OK", "+OK"):
                raise Outcome(Verdict.SERVER_REFUSED_US, Detail.ERROR_GREETING)
            session.discard_unexpected(wire, Moment.AFTER_GREETING)

    def _capabilities(self, session: ProbeSession, wire: Wire, phase: Phase) -> list[str] | None:
        with session.phase(phase):
            caps = self._read(lambda: self.capabilities(wire))
            session.discard_unexpected(wire, Moment.AFTER_FEATURES)
            return caps

    def _sign_in(self, session: ProbeSession, wire: Wire, creds: Credentials) -> None:
        result, ev = session.result, session.ev
        if not _may_sign_in(session):
            return
        if self.preauthenticated:
            result.auth = AuthOutcome.NOT_OFFERED
            return
        method = self.choose_method(ev.auth_mechanisms)
        if method is None:
            only_oauth = any(m in OAUTH_MECHANISMS for m in ev.auth_mechanisms)
            result.auth = AuthOutcome.OAUTH_ONLY if only_oauth else AuthOutcome.NOT_OFFERED
            return
        ev.auth_mechanism = method
        with session.phase(Phase.AUTH):
            outcome = AuthOutcome.REFUSED_OTHER
            for username in creds.usernames:
                try:
                    reply = self.authenticate(wire, method, username, creds.password)
                except (ProtocolError, PeerClosed) as exc:
                    ev.error = Worded(N_("sign-in interrupted: {problem}"), problem=kept(exc))
                    outcome = AuthOutcome.REFUSED_OTHER
                    break
                ev.auth_reply = reply
                ev.auth_username = username
                outcome = classify_auth_reply(reply)
                if outcome is not AuthOutcome.WRONG_PASSWORD:
                    break
            result.auth = outcome

    def _sign_in_with_token(
        self, session: ProbeSession, wire: Wire, creds: OAuthCredentials
    ) -> None:
        """The token from the provider's sign-in window, once, on one OAuth mechanism, under
        the same rules as a password: verified TLS and a name the person has reason to trust."""
        result, ev = session.result, session.ev
        if not _may_sign_in(session):
            return
        mechanism = choose_oauth_mechanism(ev.auth_mechanisms)
        if mechanism is None:
            result.auth = AuthOutcome.NOT_OFFERED
            return
        ev.auth_mechanism = mechanism
        ev.auth_username = creds.username
        cand = session.candidate
        with session.phase(Phase.AUTH):
            try:
                answer = self.authenticate_token(wire, mechanism, creds, cand.host, cand.port)
            except (ProtocolError, PeerClosed) as exc:
                ev.error = Worded(N_("sign-in interrupted: {problem}"), problem=kept(exc))
                result.auth = AuthOutcome.REFUSED_OTHER
                return
            ev.auth_reply = status_reply(answer.status, answer.text)
            ev.oauth_status = answer.error.status if answer.error else None
            result.auth = answer.outcome

    def authenticate_token(
        self, wire: Wire, mechanism: str, creds: OAuthCredentials, host: str, port: int
    ) -> TokenAnswer:
        """One token exchange in the protocol's own grammar: the server's last word on it."""
        raise NotImplementedError

    def _goodbye(self, session: ProbeSession, wire: Wire) -> None:
        # The server's goodbye is a courtesy, not evidence.
        with (
            session.phase(Phase.QUIT),
            contextlib.suppress(ProtocolError, PeerClosed, OSError, Stopped),
        ):
            self.logout(wire)


def _may_sign_in(session: ProbeSession) -> bool:
    """The gates for a password or a token, the same for both: only on a connection whose
    certificate verified (the verdict says so by now), and only to a name the person has reason
    to trust (one that could have been planted, by a certificate, DNS or plain http, gets none)."""
    result, ev = session.result, session.ev
    if not (result.verdict.is_safe and ev.certificate_verified):
        return False
    if not session.password_allowed():
        result.auth = AuthOutcome.UNTRUSTED_SERVER
        return False
    return True


def status_reply(status: str, text: str) -> Reply:
    return Reply(0, (text,) if text else (), status)
