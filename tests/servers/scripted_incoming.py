"""Hand-written IMAP and POP3 servers that misbehave on purpose (security-and-faults.md, IMAP/POP3).

Like `scripted.smtp_handler`: every byte received is recorded, split into before and after TLS, so a
test can prove that no password (in any encoding) ever crossed a plain connection.
"""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass

from tests.servers.scripted import Handler, ScriptedServer, _Lines, tarpit


@dataclass
class ImapScript:
    """What a scripted IMAP server says. Raw bytes are sent exactly as given (CRLF included)."""

    greeting: bytes = b"* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] scripted ready\r\n"
    after_greeting: bytes = b""
    caps: str = "IMAP4rev1 STARTTLS LOGINDISABLED"
    caps_tls: str = "IMAP4rev1 SASL-IR AUTH=PLAIN"
    capability_extra: bytes = b""
    """Sent before the capability response (untagged floods, literals)."""
    capability_extra_tls: bytes | None = None
    """The same after TLS (None: as before TLS)."""
    starttls_status: bytes = b"OK Begin TLS negotiation now"
    after_starttls: bytes = b""
    tls_context: ssl.SSLContext | None = None
    implicit_tls: bool = False
    auth_replies: tuple[bytes, ...] = (b"OK [CAPABILITY IMAP4rev1] Logged in",)
    """The tagged status for each sign-in attempt in turn (the last one repeats)."""
    auth_untagged: bytes = b""


def _greet(
    conn: socket.socket, server: ScriptedServer, script: ImapScript | Pop3Script, ok: bytes
) -> tuple[socket.socket, bool] | None:
    """TLS first on an implicit-TLS port, then the scripted greeting; (socket, tls) to go on
    with, or None after a greeting that is not `ok` (the server then says nothing more)."""
    sock: socket.socket = conn
    tls = False
    if script.implicit_tls:
        assert script.tls_context is not None
        sock = script.tls_context.wrap_socket(conn, server_side=True)
        server.track(sock)
        tls = True
    sock.sendall(script.greeting + script.after_greeting)
    if not script.greeting.startswith(ok):
        tarpit(sock, server)
        return None
    return sock, tls


def imap_handler(script: ImapScript) -> Handler:
    def handle(conn: socket.socket, server: ScriptedServer) -> None:
        opened = _greet(conn, server, script, b"* OK")
        if opened is None:
            return
        sock, tls = opened
        attempts = 0
        lines = _Lines(sock, server.received.tls if tls else server.received.plain)
        while True:
            raw = lines.readline()
            if raw is None:
                return
            command = raw.decode("utf-8", "replace")
            (server.received.commands_tls if tls else server.received.commands_plain).append(
                command
            )
            tag, _, rest = command.partition(" ")
            verb = rest.split(" ", 1)[0].upper()
            reply: bytes
            if verb == "CAPABILITY":
                caps = script.caps_tls if tls else script.caps
                extra = script.capability_extra
                if tls and script.capability_extra_tls is not None:
                    extra = script.capability_extra_tls
                sock.sendall(extra)
                reply = f"* CAPABILITY {caps}\r\n{tag} OK done\r\n".encode()
            elif verb == "STARTTLS" and not tls:
                # One write: the injected bytes travel with the go-ahead, as in the real attack.
                sock.sendall(
                    f"{tag} ".encode() + script.starttls_status + b"\r\n" + script.after_starttls
                )
                if not script.starttls_status.startswith(b"OK") or script.tls_context is None:
                    continue
                sock = script.tls_context.wrap_socket(sock, server_side=True)
                server.track(sock)
                tls = True
                lines = _Lines(sock, server.received.tls)
                continue
            elif verb in ("AUTHENTICATE", "LOGIN"):
                if verb == "AUTHENTICATE" and len(rest.split()) == 2:
                    sock.sendall(b"+ \r\n")
                    if lines.readline() is None:
                        return
                status = script.auth_replies[min(attempts, len(script.auth_replies) - 1)]
                attempts += 1
                sock.sendall(script.auth_untagged)
                reply = f"{tag} ".encode() + status + b"\r\n"
            elif verb == "LOGOUT":
                sock.sendall(f"* BYE Logging out\r\n{tag} OK Logout completed.\r\n".encode())
                return
            else:
                reply = f"{tag} BAD unknown command\r\n".encode()
            sock.sendall(reply)

    return handle


@dataclass
class Pop3Script:
    greeting: bytes = b"+OK scripted POP3 ready\r\n"
    after_greeting: bytes = b""
    caps: tuple[str, ...] = ("TOP", "UIDL", "STLS")
    caps_tls: tuple[str, ...] = ("TOP", "UIDL", "USER", "SASL PLAIN")
    capa_supported: bool = True
    stls_reply: bytes = b"+OK Begin TLS\r\n"
    after_stls: bytes = b""
    tls_context: ssl.SSLContext | None = None
    implicit_tls: bool = False
    auth_replies: tuple[bytes, ...] = (b"+OK Logged in.\r\n",)


def pop3_handler(script: Pop3Script) -> Handler:
    def handle(conn: socket.socket, server: ScriptedServer) -> None:
        opened = _greet(conn, server, script, b"+OK")
        if opened is None:
            return
        sock, tls = opened
        attempts = 0
        lines = _Lines(sock, server.received.tls if tls else server.received.plain)
        while True:
            raw = lines.readline()
            if raw is None:
                return
            command = raw.decode("utf-8", "replace")
            (server.received.commands_tls if tls else server.received.commands_plain).append(
                command
            )
            verb = command.split(" ", 1)[0].upper()
            if verb == "CAPA":
                if not script.capa_supported:
                    sock.sendall(b"-ERR unknown command\r\n")
                    continue
                caps = script.caps_tls if tls else script.caps
                sock.sendall(("+OK\r\n" + "".join(f"{c}\r\n" for c in caps) + ".\r\n").encode())
            elif verb == "STLS" and not tls:
                sock.sendall(script.stls_reply + script.after_stls)
                if not script.stls_reply.startswith(b"+OK") or script.tls_context is None:
                    continue
                sock = script.tls_context.wrap_socket(sock, server_side=True)
                server.track(sock)
                tls = True
                lines = _Lines(sock, server.received.tls)
            elif verb == "USER":
                sock.sendall(b"+OK\r\n")
            elif verb in ("PASS", "AUTH"):
                status = script.auth_replies[min(attempts, len(script.auth_replies) - 1)]
                attempts += 1
                sock.sendall(status)
            elif verb == "QUIT":
                sock.sendall(b"+OK Bye\r\n")
                return
            else:
                sock.sendall(b"-ERR unknown command\r\n")

    return handle
