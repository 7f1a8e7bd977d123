"""Scripted SMTP and IMAP servers that accept XOAUTH2 / OAUTHBEARER only with a token that the
loopback authorization server (`oauth_server.AuthServer`) issued, unexpired, for that user.

They refuse the way the real ones do: Google answers a bad token with a base64 JSON error challenge
(`{"status":"401",…}`), waits for the client's empty line and then sends 535 5.7.8; Microsoft sends
535 5.7.3, or 5.7.139 when the tenant switched SMTP AUTH off. Everything received is recorded,
split into before and after TLS, so a test can prove the token only ever travelled encrypted.
"""

from __future__ import annotations

import base64
import json
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass

from tests.servers.scripted import Handler, ScriptedServer, _Lines

Validator = Callable[
    [str, str], str
]  # (user, token) -> "ok" | "expired" | "wrong_user" | "unknown"


def parse_sasl(mechanism: str, response: str) -> tuple[str, str]:
    """(user, token) from an XOAUTH2 or OAUTHBEARER initial response ("", "") if malformed."""
    try:
        raw = base64.b64decode(response, validate=True).decode("utf-8")
    except ValueError:
        return "", ""
    user = token = ""
    if mechanism == "OAUTHBEARER":
        header, _, rest = raw.partition("\x01")
        for item in header.split(","):
            if item.startswith("a="):
                user = item[2:].replace("=2C", ",").replace("=3D", "=")
        fields = rest.split("\x01")
    else:
        fields = raw.split("\x01")
    for item in fields:
        if item.startswith("user="):
            user = item[5:]
        elif item.startswith("auth=Bearer "):
            token = item[12:]
    return user, token


def _challenge(status: str) -> str:
    body = {"status": status, "schemes": "Bearer", "scope": "https://mail.google.com/"}
    return base64.b64encode(json.dumps(body).encode()).decode()


@dataclass
class MailBehaviour:
    validator: Validator
    style: str = "google"  # or "microsoft"
    mechanisms: tuple[str, ...] = ("XOAUTH2", "OAUTHBEARER")
    tenant_disabled: bool = False


def smtp_oauth_handler(behaviour: MailBehaviour, context: ssl.SSLContext) -> Handler:
    """STARTTLS submission: AUTH (OAuth mechanisms only) offered only after TLS."""

    def handle(conn: socket.socket, server: ScriptedServer) -> None:
        sock: socket.socket = conn
        tls = False
        sock.sendall(b"220 smtp.example.test ESMTP oauth test server\r\n")
        lines = _Lines(sock, server.received.plain)
        while True:
            raw = lines.readline()
            if raw is None:
                return
            command = raw.decode("utf-8", "replace")
            (server.received.commands_tls if tls else server.received.commands_plain).append(
                command
            )
            verb = command.split(" ", 1)[0].upper()
            if verb == "EHLO":
                features = (
                    ["AUTH " + " ".join(behaviour.mechanisms), "ENHANCEDSTATUSCODES"]
                    if tls
                    else ["STARTTLS"]
                )
                reply = ["250-smtp.example.test", *[f"250-{f}" for f in features]]
                reply[-1] = "250 " + reply[-1][4:]
                sock.sendall(("\r\n".join(reply) + "\r\n").encode())
            elif verb == "STARTTLS" and not tls:
                sock.sendall(b"220 2.0.0 Ready to start TLS\r\n")
                sock = context.wrap_socket(sock, server_side=True)
                server.track(sock)
                tls = True
                lines = _Lines(sock, server.received.tls)
            elif verb == "AUTH":
                parts = command.split()
                if not tls or len(parts) < 2 or parts[1].upper() not in behaviour.mechanisms:
                    sock.sendall(b"504 5.5.4 Unrecognized authentication type\r\n")
                    continue
                mechanism = parts[1].upper()
                if len(parts) == 2:
                    sock.sendall(b"334 \r\n")
                    answer = lines.readline()
                    if answer is None:
                        return
                    parts.append(answer.decode())
                user, token = parse_sasl(mechanism, parts[2])
                status = behaviour.validator(user, token)
                if status == "ok" and behaviour.tenant_disabled:
                    sock.sendall(
                        b"535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is "
                        b"disabled for the Tenant.\r\n"
                    )
                elif status == "ok":
                    sock.sendall(b"235 2.7.0 Authentication successful\r\n")
                elif behaviour.style == "microsoft":
                    sock.sendall(b"535 5.7.3 Authentication unsuccessful\r\n")
                else:
                    code = "400" if status == "wrong_user" else "401"
                    sock.sendall(f"334 {_challenge(code)}\r\n".encode())
                    if lines.readline() is None:
                        return
                    sock.sendall(
                        b"535-5.7.8 Username and Password not accepted. For more information, "
                        b"go to\r\n535 5.7.8 https://support.google.com/mail/?p=BadCredentials\r\n"
                    )
            elif verb == "QUIT":
                sock.sendall(b"221 2.0.0 Bye\r\n")
                return
            else:
                sock.sendall(b"250 2.0.0 OK\r\n")

    return handle


def imap_oauth_handler(
    behaviour: MailBehaviour, context: ssl.SSLContext, sasl_ir: bool = True
) -> Handler:
    """Implicit TLS (993-style) IMAP with AUTHENTICATE for the OAuth mechanisms only."""

    def handle(conn: socket.socket, server: ScriptedServer) -> None:
        sock = context.wrap_socket(conn, server_side=True)
        server.track(sock)
        caps = ["IMAP4rev1", *(["SASL-IR"] if sasl_ir else [])]
        caps += [f"AUTH={m}" for m in behaviour.mechanisms]
        sock.sendall(f"* OK [CAPABILITY {' '.join(caps)}] imap.example.test ready\r\n".encode())
        lines = _Lines(sock, server.received.tls)
        while True:
            raw = lines.readline()
            if raw is None:
                return
            command = raw.decode("utf-8", "replace")
            server.received.commands_tls.append(command)
            tag, _, rest = command.partition(" ")
            verb, _, args = rest.partition(" ")
            verb = verb.upper()
            if verb == "CAPABILITY":
                sock.sendall(f"* CAPABILITY {' '.join(caps)}\r\n{tag} OK done\r\n".encode())
            elif verb == "AUTHENTICATE":
                mechanism, _, response = args.partition(" ")
                mechanism = mechanism.upper()
                if mechanism not in behaviour.mechanisms:
                    sock.sendall(f"{tag} NO unsupported mechanism\r\n".encode())
                    continue
                if not response:
                    sock.sendall(b"+ \r\n")
                    answer = lines.readline()
                    if answer is None:
                        return
                    response = answer.decode()
                user, token = parse_sasl(mechanism, response)
                status = behaviour.validator(user, token)
                if status == "ok":
                    sock.sendall(
                        f"* CAPABILITY IMAP4rev1 IDLE\r\n{tag} OK AUTHENTICATE completed\r\n".encode()
                    )
                    continue
                code = "400" if status == "wrong_user" else "401"
                sock.sendall(f"+ {_challenge(code)}\r\n".encode())
                if lines.readline() is None:
                    return
                sock.sendall(f"{tag} NO [AUTHENTICATIONFAILED] Invalid credentials\r\n".encode())
            elif verb == "LOGOUT":
                sock.sendall(f"* BYE\r\n{tag} OK LOGOUT completed\r\n".encode())
                return
            else:
                sock.sendall(f"{tag} BAD unknown command\r\n".encode())

    return handle


def pop3_oauth_handler(behaviour: MailBehaviour, context: ssl.SSLContext) -> Handler:
    """Implicit TLS (995-style) POP3 with AUTH for the OAuth mechanisms only (RFC 5034)."""

    def handle(conn: socket.socket, server: ScriptedServer) -> None:
        sock = context.wrap_socket(conn, server_side=True)
        server.track(sock)
        sock.sendall(b"+OK pop.example.test ready\r\n")
        lines = _Lines(sock, server.received.tls)
        while True:
            raw = lines.readline()
            if raw is None:
                return
            command = raw.decode("utf-8", "replace")
            server.received.commands_tls.append(command)
            verb, _, args = command.partition(" ")
            verb = verb.upper()
            if verb == "CAPA":
                sasl = " ".join(behaviour.mechanisms)
                sock.sendall(f"+OK\r\nUSER\r\nSASL {sasl}\r\n.\r\n".encode())
            elif verb == "AUTH":
                mechanism, _, response = args.partition(" ")
                mechanism = mechanism.upper()
                if mechanism not in behaviour.mechanisms:
                    sock.sendall(b"-ERR unsupported mechanism\r\n")
                    continue
                if not response:
                    sock.sendall(b"+ \r\n")
                    answer = lines.readline()
                    if answer is None:
                        return
                    response = answer.decode()
                user, token = parse_sasl(mechanism, response)
                status = behaviour.validator(user, token)
                if status == "ok":
                    sock.sendall(b"+OK User successfully authenticated.\r\n")
                    continue
                code = "400" if status == "wrong_user" else "401"
                sock.sendall(f"+ {_challenge(code)}\r\n".encode())
                if lines.readline() is None:
                    return
                sock.sendall(b"-ERR [AUTH] Authentication failure: bad token\r\n")
            elif verb == "QUIT":
                sock.sendall(b"+OK bye\r\n")
                return
            else:
                sock.sendall(b"-ERR unknown command\r\n")

    return handle
