"""IMAP (RFC 9051 / 3501) as far as a settings test needs it: greeting, CAPABILITY, STARTTLS,
AUTHENTICATE PLAIN or LOGIN, LOGOUT — on our own wire layer, not `imaplib`.

`imaplib` has only per-read time-outs (a dripping server stretches them forever) and its `login()`
sends LOGIN whether or not TLS is up. Here every read is bounded by the probe's deadline, lines by
8 KiB, literals `{n}` by `MAX_LITERAL` before a byte of them is read, and the untagged lines of one
response by `MAX_UNTAGGED`. `LOGINDISABLED` is honoured, and a PREAUTH greeting on a plain
connection is a failure (see `incoming.py`).
"""

from __future__ import annotations

import base64
import itertools
import re
import ssl

from assistant.core.conversation import ProbeSession
from assistant.core.imap_oauth import authenticate_imap
from assistant.core.incoming import IncomingConversation, status_reply
from assistant.core.models import Reply, Security
from assistant.core.sasl_oauth import OAuthCredentials
from assistant.core.token_exchange import TokenAnswer
from assistant.core.wire import REDACTED, ProtocolError, ResponseTooLarge, Wire, clean_text
from assistant.i18n import N_, Worded

MAX_LITERAL = 16 * 1024
"""Larger than any capability or sign-in answer; a bigger `{n}` is refused unread."""
MAX_LITERALS_PER_LINE = 32
MAX_UNTAGGED = 200
MAX_RESPONSE_BYTES = 256 * 1024
PARSE_LIMIT = 4000
"""How much of one line is kept for reading capabilities (the transcript keeps less)."""
QUIT_WAIT_S = 1.0

_LITERAL = re.compile(rb"\{(\d{1,20})\+?\}$")
_STATUS = re.compile(r"^(OK|NO|BAD|PREAUTH|BYE)\b ?(.*)$", re.IGNORECASE | re.DOTALL)
_ALERT = re.compile(r"\[ALERT\]\s*(.*)$", re.IGNORECASE | re.DOTALL)
_QUOTABLE = re.compile(r"^[\x20-\x7e]*$")


class ImapWire:
    """Tagged commands and their responses over one `Wire`."""

    def __init__(self, wire: Wire, alerts: list[str] | None = None) -> None:
        self.wire = wire
        self.alerts = alerts if alerts is not None else []
        self._tags = (f"a{n}" for n in itertools.count(1))

    def next_tag(self) -> str:
        return next(self._tags)

    def read_line(self, wait: float | None = None) -> str:
        """One response line with its literals read (bounded) and shown as `{n bytes}`."""
        raw = self.wire.read_line(wait)
        parts = [raw]
        total = len(raw)
        while (match := _LITERAL.search(raw)) is not None:
            if len(parts) > MAX_LITERALS_PER_LINE:
                raise ResponseTooLarge(Worded(N_("the server sent an endless chain of pieces")))
            size = int(match.group(1))
            if size > MAX_LITERAL:
                self.wire.transcript.append(f"S: {clean_text(raw, 120)}")
                raise ResponseTooLarge(
                    Worded(N_("the server announced {size} bytes in one piece"), size=size)
                )
            self.wire.read_exact(size)
            total += size
            if total > MAX_RESPONSE_BYTES:
                raise ResponseTooLarge(Worded(N_("the server's answer is far too long")))
            parts[-1] = raw[: match.start()] + f"{{{size} bytes}}".encode()
            raw = self.wire.read_line(wait)
            parts.append(raw)
            total += len(raw)
        line = b"".join(parts)
        self.wire.transcript.append(f"S: {clean_text(line)}")
        return clean_text(line, PARSE_LIMIT)

    def read_response(self, tag: str, continuation: bool = False) -> tuple[Reply, list[str]]:
        """Untagged lines, then the tagged status (or a `+` continuation when one may come)."""
        untagged: list[str] = []
        size = 0
        while True:
            line = self.read_line()
            size += len(line)
            if line.startswith("* "):
                untagged.append(line[2:])
                self.note_alert(line[2:])
                if len(untagged) > MAX_UNTAGGED or size > MAX_RESPONSE_BYTES:
                    raise ResponseTooLarge(Worded(N_("the server sent an endless list of lines")))
                continue
            if continuation and line.startswith("+"):
                return status_reply("+", line[1:].strip()), untagged
            head, _, rest = line.partition(" ")
            status = _STATUS.match(rest)
            if head != tag or status is None or status.group(1).upper() not in ("OK", "NO", "BAD"):
                raise ProtocolError(Worded(N_("not an IMAP response")), clean_text(line, 80))
            self.note_alert(rest)
            return status_reply(status.group(1).upper(), status.group(2).strip()), untagged

    def note_alert(self, text: str) -> None:
        """Keep an [ALERT] to show the person, but only one that came over verified TLS: on a
        plain connection anyone on the way could write "your account is locked, call …"."""
        found = _ALERT.search(text)
        encrypted = isinstance(self.wire.sock, ssl.SSLSocket)
        if found and encrypted and len(self.alerts) < 5:
            self.alerts.append(clean_text(found.group(1).strip()))

    def command(self, command: str, shown: str | None = None) -> tuple[Reply, list[str]]:
        tag = self.next_tag()
        self.wire.send(f"{tag} {command}", shown=None if shown is None else f"{tag} {shown}")
        return self.read_response(tag)


def parse_greeting(line: str) -> Reply:
    if not line.startswith("* "):
        raise ProtocolError(Worded(N_("not an IMAP greeting")), clean_text(line, 80))
    status = _STATUS.match(line[2:])
    if status is None or status.group(1).upper() not in ("OK", "PREAUTH", "BYE"):
        raise ProtocolError(Worded(N_("not an IMAP greeting")), clean_text(line, 80))
    return status_reply(status.group(1).upper(), status.group(2).strip())


def capability_list(untagged: list[str]) -> list[str]:
    caps: list[str] = []
    for line in untagged:
        words = line.split()
        if words and words[0].upper() == "CAPABILITY":
            caps.extend(w.upper() for w in words[1:] if w.upper() not in caps)
    return caps


class ImapConversation(IncomingConversation):
    preferred_methods = ("PLAIN", "LOGIN")
    starttls_word = "STARTTLS"

    def __init__(self) -> None:
        super().__init__()
        self.imap: ImapWire | None = None
        self.sasl_ir = False
        self.alerts: list[str] = []

    def _on(self, wire: Wire) -> ImapWire:
        """One tag sequence per probe; a new `Wire` (after TLS) keeps counting."""
        if self.imap is None:
            self.imap = ImapWire(wire, self.alerts)
        elif self.imap.wire is not wire:
            self.imap.wire = wire
        return self.imap

    def greets_in_plain(self, first_line: bytes) -> bool:
        return first_line.startswith((b"* OK", b"* PREAUTH"))

    def open_starttls(self, wire: Wire) -> None:
        imap = ImapWire(wire)
        parse_greeting(imap.read_line())
        reply, _ = imap.command("STARTTLS")
        if reply.status != "OK":
            raise ProtocolError(Worded(N_("STARTTLS refused on second look")))
        wire.take_unexpected()

    def read_greeting(self, wire: Wire, encrypted: bool) -> Reply:
        imap = self._on(wire)
        line = imap.read_line()
        imap.note_alert(line)
        return parse_greeting(line)

    def capabilities(self, wire: Wire) -> list[str] | None:
        reply, untagged = self._on(wire).command("CAPABILITY")
        if reply.status != "OK":
            return None
        caps = capability_list(untagged)
        self.sasl_ir = "SASL-IR" in caps
        return caps

    def start_tls_command(self, wire: Wire) -> Reply:
        reply, _ = self._on(wire).command("STARTTLS")
        return reply

    def starttls_accepted(self, reply: Reply) -> bool:
        return reply.status == "OK"

    def password_methods(self, caps: list[str] | None) -> list[str]:
        if caps is None:
            return []
        methods = [c[5:] for c in caps if c.startswith("AUTH=")]
        if "LOGINDISABLED" not in caps and "LOGIN" not in methods:
            methods.append("LOGIN")  # the LOGIN command every IMAP server has unless it says not
        return methods

    def authenticate_token(
        self, wire: Wire, mechanism: str, creds: OAuthCredentials, host: str, port: int
    ) -> TokenAnswer:
        imap = self._on(wire)
        return authenticate_imap(
            wire, imap.next_tag(), mechanism, creds, sasl_ir=self.sasl_ir, host=host, port=port
        )

    def authenticate(self, wire: Wire, method: str, username: str, password: str) -> Reply:
        imap = self._on(wire)
        if method == "PLAIN":
            token = base64.b64encode(f"\0{username}\0{password}".encode()).decode("ascii")
            tag = imap.next_tag()
            if self.sasl_ir:
                wire.send(
                    f"{tag} AUTHENTICATE PLAIN {token}",
                    shown=f"{tag} AUTHENTICATE PLAIN {REDACTED}",
                )
                return imap.read_response(tag)[0]
            wire.send(f"{tag} AUTHENTICATE PLAIN")
            reply, _ = imap.read_response(tag, continuation=True)
            if reply.status != "+":
                return reply
            wire.send(token, shown=REDACTED)
            return imap.read_response(tag)[0]
        if _QUOTABLE.match(username) and _QUOTABLE.match(password):
            return imap.command(
                f"LOGIN {_quote(username)} {_quote(password)}", shown=f"LOGIN {REDACTED}"
            )[0]
        return self._login_with_literals(imap, username, password)

    def _login_with_literals(self, imap: ImapWire, username: str, password: str) -> Reply:
        """LOGIN with synchronising literals, for names or passwords a quoted string cannot hold."""
        tag = imap.next_tag()
        user, secret = username.encode("utf-8"), password.encode("utf-8")
        imap.wire.send(f"{tag} LOGIN {{{len(user)}}}", shown=f"{tag} LOGIN {REDACTED}")
        reply, _ = imap.read_response(tag, continuation=True)
        if reply.status != "+":
            return reply
        imap.wire.send(f"{username} {{{len(secret)}}}", shown=REDACTED)
        reply, _ = imap.read_response(tag, continuation=True)
        if reply.status != "+":
            return reply
        imap.wire.send(password, shown=REDACTED)
        return imap.read_response(tag)[0]

    def logout(self, wire: Wire) -> None:
        imap = self._on(wire)
        tag = imap.next_tag()
        wire.send(f"{tag} LOGOUT")
        wait = min(QUIT_WAIT_S, max(0.01, wire.stopper.remaining()))
        for _ in range(3):  # "* BYE", then the tagged OK
            if imap.read_line(wait).startswith(tag):
                return

    def converse(self, session: ProbeSession, wire: Wire, mode: Security) -> None:
        self.alerts = session.ev.alerts  # [ALERT] texts go straight into the evidence
        super().converse(session, wire, mode)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
