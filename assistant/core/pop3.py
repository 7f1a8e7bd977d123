"""POP3 (RFC 1939, CAPA RFC 2449, STLS RFC 2595, AUTH RFC 5034) as far as a settings test needs it:
greeting, CAPA, STLS, AUTH PLAIN or USER/PASS, QUIT — on our own wire layer, not `poplib`.

`poplib` has only per-read time-outs and sends USER/PASS whether or not TLS is up. Here every read is
bounded by the probe's deadline, lines by 8 KiB and CAPA's list by `MAX_CAPA_LINES`; a password only
ever follows a verified handshake (see `incoming.py`). `-ERR [AUTH]` and `-ERR [SYS/TEMP]` (RFC 3206)
tell a wrong password from a server problem (resources/signin.json).
"""

from __future__ import annotations

import base64

from assistant.core.incoming import IncomingConversation, status_reply
from assistant.core.models import Reply
from assistant.core.pop3_oauth import authenticate_pop3
from assistant.core.sasl_oauth import OAuthCredentials
from assistant.core.token_exchange import TokenAnswer
from assistant.core.wire import REDACTED, ProtocolError, ResponseTooLarge, Wire, clean_text
from assistant.i18n import N_, Worded

MAX_CAPA_LINES = 100
QUIT_WAIT_S = 1.0


def read_status(wire: Wire, wait: float | None = None, prompt: bool = False) -> Reply:
    """One "+OK …" / "-ERR …" line (or a "+ " SASL prompt when one may come)."""
    raw = wire.read_line(wait)
    line = clean_text(raw)
    wire.transcript.append(f"S: {line}")
    for status in ("+OK", "-ERR"):
        if line == status or line.startswith(status + " "):
            return status_reply(status, line[len(status) :].strip())
    if prompt and line.startswith("+"):
        return status_reply("+", line[1:].strip())
    raise ProtocolError(Worded(N_("not a POP3 reply")), clean_text(raw, 80))


class Pop3Conversation(IncomingConversation):
    preferred_methods = ("PLAIN", "USER")
    starttls_word = "STLS"

    def greets_in_plain(self, first_line: bytes) -> bool:
        return first_line.startswith(b"+OK")

    def open_starttls(self, wire: Wire) -> None:
        if read_status(wire).status != "+OK":
            raise ProtocolError(Worded(N_("greeting refused on second look")))
        wire.send("STLS")
        if read_status(wire).status != "+OK":
            raise ProtocolError(Worded(N_("STLS refused on second look")))
        wire.take_unexpected()

    def read_greeting(self, wire: Wire, encrypted: bool) -> Reply:
        return read_status(wire)

    def capabilities(self, wire: Wire) -> list[str] | None:
        wire.send("CAPA")
        if read_status(wire).status != "+OK":
            return None  # an old server without CAPA
        caps: list[str] = []
        while True:
            raw = wire.read_line()
            if raw == b".":
                wire.transcript.append("S: .")
                return caps
            line = clean_text(raw[1:] if raw.startswith(b"..") else raw)
            wire.transcript.append(f"S: {line}")
            caps.append(line.upper())
            if len(caps) > MAX_CAPA_LINES:
                raise ResponseTooLarge(Worded(N_("the server sent an endless list of features")))

    def offers_starttls(self, caps: list[str]) -> bool:
        return any(c.split(" ", 1)[0] == "STLS" for c in caps)

    def start_tls_command(self, wire: Wire) -> Reply:
        wire.send("STLS")
        return read_status(wire)

    def starttls_accepted(self, reply: Reply) -> bool:
        return reply.status == "+OK"

    def password_methods(self, caps: list[str] | None) -> list[str]:
        if caps is None:
            return ["USER"]  # RFC 1939 servers without CAPA take USER/PASS
        methods: list[str] = []
        for cap in caps:
            words = cap.split()
            if words and words[0] == "SASL":
                methods.extend(w for w in words[1:] if w not in methods)
        if any(c.split(" ", 1)[0] == "USER" for c in caps):
            methods.append("USER")
        return methods

    def authenticate_token(
        self, wire: Wire, mechanism: str, creds: OAuthCredentials, host: str, port: int
    ) -> TokenAnswer:
        return authenticate_pop3(wire, mechanism, creds, host=host, port=port)

    def authenticate(self, wire: Wire, method: str, username: str, password: str) -> Reply:
        if method == "PLAIN":
            token = base64.b64encode(f"\0{username}\0{password}".encode()).decode("ascii")
            wire.send(f"AUTH PLAIN {token}", shown=f"AUTH PLAIN {REDACTED}")
            reply = read_status(wire, prompt=True)
            if reply.status == "+":  # it wants more than the initial response: give up cleanly
                wire.send("*")
                return read_status(wire)
            return reply
        wire.send(f"USER {username}", shown=f"USER {REDACTED}")
        reply = read_status(wire)
        if reply.status != "+OK":
            return reply
        wire.send(f"PASS {password}", shown=f"PASS {REDACTED}")
        return read_status(wire)

    def logout(self, wire: Wire) -> None:
        wire.send("QUIT")
        read_status(wire, wait=min(QUIT_WAIT_S, max(0.01, wire.stopper.remaining())))
