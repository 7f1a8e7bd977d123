"""Name resolution and connecting, bounded by the probe's stopper.

Connecting tries every address of a name, IPv6 and IPv4 interleaved, starting the next attempt when
the previous one fails or after a short stagger (RFC 8305 "happy eyeballs"), so a dead address family
never costs the whole deadline. It runs on non-blocking sockets in the probe's own thread.
"""

from __future__ import annotations

import errno
import selectors
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from assistant.core.gil_turns import waiting
from assistant.core.stopper import Stopped, Stopper, StopReason
from assistant.i18n import N_, Worded

Address = tuple[int, tuple[object, ...]]
"""(address family, socket address) as getaddrinfo returns them."""

Resolver = Callable[[str, int], list[Address]]
"""Looks a host name up. Raises `NameNotFound` or `LookupUnavailable`. Tests inject their own."""

STAGGER_S = 0.25


class NameNotFound(Exception):
    """The name does not exist (NXDOMAIN / no address records)."""


class LookupUnavailable(Exception):
    """Names cannot be looked up at all right now: usually no network."""


@dataclass(frozen=True, slots=True)
class ConnectFailure(Exception):
    """No address accepted the connection. `kind` is the most telling failure over all addresses."""

    kind: str  # "timeout" | "refused" | "reset" | "unreachable"
    message: str | Worded
    """The system's name for the failure ("ECONNREFUSED"), or our sentence when it has none."""


def system_resolver(host: str, port: int) -> list[Address]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except UnicodeError as exc:
        raise NameNotFound(str(exc)) from None
    except socket.gaierror as exc:
        if exc.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", -5)):
            raise NameNotFound(exc.strerror or "") from None
        raise LookupUnavailable(exc.strerror or "") from None
    return [(family, sockaddr) for family, _t, _p, _c, sockaddr in infos]


def resolve(resolver: Resolver, host: str, port: int, stopper: Stopper) -> list[Address]:
    """Run the resolver in a helper thread so a hanging lookup cannot outlive the deadline."""
    box: dict[str, object] = {}

    def work() -> None:
        try:
            box["result"] = resolver(host, port)
        except BaseException as exc:  # handed to the probe thread below
            box["error"] = exc

    thread = threading.Thread(target=work, name=f"resolve {host}", daemon=True)
    thread.start()
    with waiting(stopper):
        while thread.is_alive():
            thread.join(min(0.05, stopper.op_timeout()))
    stopper.check()
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return _interleave(box["result"])  # type: ignore[arg-type]


def _interleave(addresses: list[Address]) -> list[Address]:
    """IPv6, IPv4, IPv6, … without duplicates, keeping the resolver's order within a family."""
    seen: set[tuple[int, object]] = set()
    v6: list[Address] = []
    v4: list[Address] = []
    for family, sockaddr in addresses:
        key = (family, sockaddr[0])
        if key in seen:
            continue
        seen.add(key)
        (v6 if family == socket.AF_INET6 else v4).append((family, sockaddr))
    out: list[Address] = []
    for i in range(max(len(v6), len(v4))):
        out.extend(v6[i : i + 1])
        out.extend(v4[i : i + 1])
    return out


def connect(addresses: list[Address], stopper: Stopper) -> tuple[socket.socket, str]:
    """Return a connected blocking socket and the address it reached."""
    selector = selectors.DefaultSelector()
    pending: dict[socket.socket, Address] = {}
    failures: list[tuple[str, str]] = []
    queue = list(addresses)
    next_start = time.monotonic()
    try:
        while queue or pending:
            now = time.monotonic()
            if queue and (not pending or now >= next_start):
                family, sockaddr = queue.pop(0)
                sock = socket.socket(family, socket.SOCK_STREAM)
                sock.setblocking(False)
                stopper.register(sock)
                code = sock.connect_ex(sockaddr)
                if code in (0, errno.EINPROGRESS, errno.EWOULDBLOCK, errno.EALREADY):
                    pending[sock] = (family, sockaddr)
                    selector.register(sock, selectors.EVENT_WRITE)
                else:
                    failures.append(_classify(code))
                    _close(sock, stopper)
                next_start = time.monotonic() + STAGGER_S
                continue
            wait = min(0.1, stopper.remaining())
            if queue:
                wait = max(0.0, min(wait, next_start - now))
            _check(stopper)
            with waiting(stopper):
                ready = selector.select(wait)
            _check(stopper)  # a stopper firing shuts the sockets down, which also wakes select
            for key, _mask in ready:
                sock = key.fileobj  # type: ignore[assignment]
                assert isinstance(sock, socket.socket)
                selector.unregister(sock)
                family, sockaddr = pending.pop(sock)
                code = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if code == 0:
                    sock.setblocking(True)
                    return sock, _format_address(family, sockaddr)
                failures.append(_classify(code))
                _close(sock, stopper)
        kinds = [k for k, _ in failures]
        for kind in ("timeout", "refused", "reset", "unreachable"):
            if kind in kinds:
                raise ConnectFailure(kind, next(m for k, m in failures if k == kind))
        raise ConnectFailure("unreachable", Worded(N_("no address to connect to")))
    finally:
        for sock in pending:
            _close(sock, stopper)
        selector.close()


def _check(stopper: Stopper) -> None:
    try:
        stopper.check()
    except Stopped:
        if stopper.reason is StopReason.DEADLINE:
            raise ConnectFailure("timeout", Worded(N_("no answer before the time limit"))) from None
        raise


def _classify(code: int) -> tuple[str, str]:
    message = errno.errorcode.get(code, str(code))
    if code == errno.ECONNREFUSED:
        return "refused", message
    if code in (errno.ETIMEDOUT,):
        return "timeout", message
    if code in (errno.ECONNRESET, errno.ECONNABORTED, errno.EPIPE):
        return "reset", message
    return "unreachable", message


def _close(sock: socket.socket, stopper: Stopper) -> None:
    stopper.unregister(sock)
    sock.close()


def _format_address(family: int, sockaddr: tuple[object, ...]) -> str:
    host = str(sockaddr[0])
    return f"[{host}]:{sockaddr[1]}" if family == socket.AF_INET6 else f"{host}:{sockaddr[1]}"
