"""Hand-written SMTP servers that misbehave on purpose (security-and-faults.md's table).

Each connection runs `Script` in its own thread. The server records every byte it receives, split
into what arrived before and after TLS, so tests can prove what the engine sent in plain text.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Script:
    """What a scripted server says. Bytes are sent exactly as given (CRLF included)."""

    greeting: bytes = b"220 mail.example.test ESMTP scripted\r\n"
    after_greeting: bytes = b""
    features: tuple[str, ...] = ("PIPELINING", "STARTTLS")
    features_tls: tuple[str, ...] = ("PIPELINING", "AUTH PLAIN LOGIN")
    starttls_reply: bytes = b"220 2.0.0 Ready to start TLS\r\n"
    after_starttls: bytes = b""
    tls_context: ssl.SSLContext | None = None
    implicit_tls: bool = False
    auth_reply: bytes = b"235 2.7.0 Authentication successful\r\n"
    auth_replies: tuple[bytes, ...] = ()
    """If given: one reply per AUTH attempt, in order; after the last, the server goes silent."""
    ehlo_reply: bytes | None = None


@dataclass
class Received:
    plain: bytearray = field(default_factory=bytearray)
    tls: bytearray = field(default_factory=bytearray)
    commands_plain: list[str] = field(default_factory=list)
    commands_tls: list[str] = field(default_factory=list)


Handler = Callable[[socket.socket, "ScriptedServer"], None]


class ScriptedServer:
    """A TCP listener on loopback whose connections are handled by `handler` in threads."""

    def __init__(
        self, handler: Handler, host: str = "127.0.0.1", backlog: int = 16, port: int = 0
    ) -> None:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.listener = socket.socket(family, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind((host, port))
        self.listener.listen(backlog)
        self.host = host
        self.port = self.listener.getsockname()[1]
        self.handler = handler
        self.received = Received()
        self.connections = 0
        self._stop = threading.Event()
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._thread.start()

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
                self._open.add(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            self.handler(conn, self)
        except (OSError, ssl.SSLError, ValueError):
            pass  # the client hung up or was cut off: that is what these servers are for
        finally:
            with self._lock:
                self._open.discard(conn)
            with contextlib.suppress(OSError):
                conn.close()

    def track(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.add(sock)

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def wait_stopped(self, seconds: float) -> bool:
        """Sleep-free pause used by dripping servers; returns early when the server stops."""
        return self._stop.wait(seconds)

    def close(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self.listener.close()
        with self._lock:
            conns = list(self._open)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()


class _Lines:
    def __init__(self, sock: socket.socket, sink: bytearray) -> None:
        self.sock = sock
        self.sink = sink
        self.buffer = b""

    def readline(self) -> bytes | None:
        while b"\n" not in self.buffer:
            data = self.sock.recv(4096)
            if not data:
                return None
            self.sink.extend(data)
            self.buffer += data
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line.rstrip(b"\r")


def smtp_handler(script: Script) -> Handler:
    """A small but real SMTP dialogue driven by `script`."""

    def handle(conn: socket.socket, server: ScriptedServer) -> None:
        sock: socket.socket = conn
        tls = False
        auth_attempts = 0
        if script.implicit_tls:
            assert script.tls_context is not None
            sock = script.tls_context.wrap_socket(conn, server_side=True)
            server.track(sock)
            tls = True
        sock.sendall(script.greeting + script.after_greeting)
        if not script.greeting.startswith(b"220"):
            return
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
            if verb in ("EHLO", "HELO"):
                if script.ehlo_reply is not None:
                    sock.sendall(script.ehlo_reply)
                    continue
                features = script.features_tls if tls else script.features
                reply = ["250-mail.example.test"] + [f"250-{f}" for f in features]
                reply[-1] = "250 " + reply[-1][4:]
                sock.sendall(("\r\n".join(reply) + "\r\n").encode())
            elif verb == "STARTTLS" and not tls:
                sock.sendall(script.starttls_reply + script.after_starttls)
                if not script.starttls_reply.startswith(b"220") or script.tls_context is None:
                    continue
                sock = script.tls_context.wrap_socket(sock, server_side=True)
                server.track(sock)
                tls = True
                lines = _Lines(sock, server.received.tls)
            elif verb == "AUTH":
                parts = command.split()
                if len(parts) == 2 and parts[1].upper() == "LOGIN":
                    for prompt in (b"334 VXNlcm5hbWU6\r\n", b"334 UGFzc3dvcmQ6\r\n"):
                        sock.sendall(prompt)
                        if lines.readline() is None:
                            return
                elif len(parts) == 2:
                    sock.sendall(b"334 \r\n")
                    if lines.readline() is None:
                        return
                auth_attempts += 1
                if not script.auth_replies:
                    sock.sendall(script.auth_reply)
                elif auth_attempts <= len(script.auth_replies):
                    sock.sendall(script.auth_replies[auth_attempts - 1])
                else:
                    tarpit(sock, server)
                    return
            elif verb == "QUIT":
                sock.sendall(b"221 2.0.0 Bye\r\n")
                return
            else:
                sock.sendall(b"250 2.0.0 OK\r\n")

    return handle


# -- handlers for servers that are not SMTP at all ---------------------------------------------------


def tarpit(conn: socket.socket, server: ScriptedServer) -> None:
    """Accepts and never says a word."""
    while not server.stopped:
        try:
            if not conn.recv(4096):
                return
        except OSError:
            return


def drip(message: bytes, interval: float) -> Handler:
    """Sends `message` one byte at a time, `interval` seconds apart."""

    def handle(conn: socket.socket, server: ScriptedServer) -> None:
        for i in range(len(message)):
            if server.wait_stopped(interval):
                return
            conn.sendall(message[i : i + 1])
        tarpit(conn, server)

    return handle


def send_then_wait(data: bytes) -> Handler:
    def handle(conn: socket.socket, server: ScriptedServer) -> None:
        conn.sendall(data)
        tarpit(conn, server)

    return handle


def reset_on_accept(conn: socket.socket, server: ScriptedServer) -> None:
    """Closes with a TCP reset straight away (SO_LINGER 0)."""
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    conn.close()


def closed_port() -> int:
    """A loopback port with nothing listening: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class FullBacklog:
    """A listener whose accept queue is full, so new connections get no answer (like a firewall).

    `listen(0)` leaves room for about one pending connection; we fill it with our own connects and
    never accept, so a further SYN is dropped and the client's connect times out.
    """

    def __init__(self) -> None:
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(0)
        self.host = "127.0.0.1"
        self.port = self.listener.getsockname()[1]
        self.fillers: list[socket.socket] = []
        for _ in range(8):
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex((self.host, self.port))
            self.fillers.append(filler)
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline and not self._is_full():
            self._add_filler()

    def _is_full(self) -> bool:
        probe = socket.socket()
        probe.settimeout(0.2)
        try:
            probe.connect((self.host, self.port))
        except (TimeoutError, OSError):
            return True
        self.fillers.append(probe)
        return False

    def _add_filler(self) -> None:
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex((self.host, self.port))
        self.fillers.append(filler)

    def close(self) -> None:
        for sock in self.fillers:
            sock.close()
        self.listener.close()
