"""Fetching a small settings file over HTTP(S), with a deadline, a size cap and an honest trust flag.

Why not plain `urlopen`: a hostile or broken server can send an endless body or drip it one byte at a
time, and a redirect can quietly downgrade https to http. Here the body is read in chunks against the
caller's deadline and stop flag, anything over `max_bytes` is refused, and the result says whether
every hop was https. Socket time-outs apply per read, so a server that drips its headers one byte at
a time would keep the thread for ever: every socket of a fetch is therefore also watched by a
`Stopper` (as the probe's are), which shuts it down from outside at the deadline, and the thread
ends then whatever the server does. Certificates are verified against the OS trust store (`truststore`), like the
probe engine does; tests inject a context that trusts their own CA, and `connect_to` lets them serve
`autoconfig.example.com` from 127.0.0.1 without touching the system's name resolution.
"""

from __future__ import annotations

import enum
import functools
import http.client
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assistant.core.stopper import Stopped, Stopper
from assistant.i18n import N_, Worded

ConnectTo = Callable[[str, int], tuple[str, int]]

DEFAULT_MAX_BYTES = 256 * 1024  # the largest real config-v1.1.xml files are a few kB
USER_AGENT = "MailSetupAssistant (autoconfig)"


def system_tls_context() -> ssl.SSLContext:
    """Verify against the operating system's trust store, TLS 1.2 or newer."""
    import truststore

    ctx = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    return ctx


@dataclass(slots=True)
class HttpSettings:
    """How discovery talks HTTP. `proxies=None` honours the environment (company proxies);
    tests pass `{}` so nothing but loopback is ever contacted."""

    tls_context: Callable[[], ssl.SSLContext] = system_tls_context
    connect_to: ConnectTo | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = 3
    proxies: dict[str, str] | None = field(default=None)
    user_agent: str = USER_AGENT


class FetchFailure(enum.StrEnum):
    NOT_FOUND = "not_found"  # 404/410, or the host does not exist / refuses: nothing published
    TIMEOUT = "timeout"
    TLS = "tls"
    HTTP = "http"
    TOO_LARGE = "too_large"
    NETWORK = "network"
    CANCELLED = "cancelled"


class FetchError(Exception):
    """Why a fetch failed; `message` is a sentence for the report (worded when shown)."""

    def __init__(self, failure: FetchFailure, message: Worded) -> None:
        super().__init__(message)
        self.failure = failure
        self.message = message


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str
    final_url: str
    status: int
    body: bytes

    @property
    def all_https(self) -> bool:
        return self.url.startswith("https://") and self.final_url.startswith("https://")


def fetch(
    url: str, settings: HttpSettings, deadline: float, stop: threading.Event | None = None
) -> Fetched:
    """GET `url` before `deadline` (a `time.monotonic()` value); raise FetchError otherwise."""
    if not url.lower().startswith(("https://", "http://")):
        raise FetchError(FetchFailure.HTTP, Worded(N_("only http and https addresses can be used")))
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchError(FetchFailure.TIMEOUT, Worded(N_("no time was left to ask")))
    watch = _Watch(Stopper(remaining))
    try:
        return _fetch(url, settings, deadline, stop, remaining, watch)
    finally:
        watch.close()


def _fetch(
    url: str,
    settings: HttpSettings,
    deadline: float,
    stop: threading.Event | None,
    remaining: float,
    watch: _Watch,
) -> Fetched:
    opener = _opener(settings, watch)
    request = urllib.request.Request(url, headers={"User-Agent": settings.user_agent})
    try:
        with opener.open(request, timeout=remaining) as response:
            final_url = response.geturl()
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > settings.max_bytes:
                raise FetchError(FetchFailure.TOO_LARGE, _too_large(settings.max_bytes))
            body = _read_capped(response, settings.max_bytes, deadline, stop)
            late = watch.timed_out()  # cut off by the watchdog: the body is not complete
            if late is not None:
                raise late
            return Fetched(url=url, final_url=final_url, status=response.status, body=body)
    except FetchError:
        raise
    except Stopped:
        raise _too_slow() from None
    except urllib.error.HTTPError as exc:
        if exc.code in (404, 410):
            message = Worded(N_("nothing published there (HTTP {code})"), code=exc.code)
            raise FetchError(FetchFailure.NOT_FOUND, message) from None
        message = Worded(N_("the web server answered HTTP {code}"), code=exc.code)
        raise FetchError(FetchFailure.HTTP, message) from None
    except urllib.error.URLError as exc:
        raise watch.timed_out() or _classify(exc.reason) from None
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise watch.timed_out() or _classify(exc) from None


class _Watch:
    """The sockets of one fetch, shut down from outside by a `Stopper` at the deadline.

    A duplicate of each socket is registered: `SHUT_RDWR` on any descriptor of a connection ends
    it, and the duplicate stays valid when http.client wraps the original in TLS (wrapping moves
    the original's descriptor to a new object, even during the handshake)."""

    def __init__(self, stopper: Stopper) -> None:
        self.stopper = stopper
        self._dups: list[socket.socket] = []
        self._lock = threading.Lock()

    def watch(self, sock: socket.socket) -> None:
        dup = sock.dup()
        with self._lock:
            self._dups.append(dup)
        self.stopper.register(dup)

    def timed_out(self) -> FetchError | None:
        if self.stopper.reason is None:
            return None
        return _too_slow()

    def close(self) -> None:
        self.stopper.finish()
        with self._lock:
            dups, self._dups = self._dups, []
        for dup in dups:
            self.stopper.unregister(dup)
            dup.close()


def _read_capped(
    response: Any, max_bytes: int, deadline: float, stop: threading.Event | None
) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        if stop is not None and stop.is_set():
            message = Worded(N_("stopped: another source already answered"))
            raise FetchError(FetchFailure.CANCELLED, message)
        if time.monotonic() > deadline:
            raise FetchError(FetchFailure.TIMEOUT, Worded(N_("the file took too long to arrive")))
        chunk = response.read1(16384) if hasattr(response, "read1") else response.read(16384)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(FetchFailure.TOO_LARGE, _too_large(max_bytes))
        chunks.append(chunk)


def _too_large(max_bytes: int) -> Worded:
    return Worded(
        N_("the file is larger than {size} kB, far too big to be a settings file"),
        size=max_bytes // 1024,
    )


def _too_slow() -> FetchError:
    return FetchError(FetchFailure.TIMEOUT, Worded(N_("the web server took too long to answer")))


def _classify(reason: object) -> FetchError:
    if isinstance(reason, ssl.SSLCertVerificationError):
        if reason.verify_message:  # OpenSSL's own words, quoted as they are
            why = Worded(
                N_("the server's certificate was refused: {detail}"), detail=reason.verify_message
            )
        else:
            why = Worded(N_("the server's certificate was refused: certificate not trusted"))
        return FetchError(FetchFailure.TLS, why)
    if isinstance(reason, ssl.SSLError):
        return _failure(FetchFailure.TLS, N_("the secure connection could not be set up"))
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return _failure(FetchFailure.TIMEOUT, N_("no answer in time"))
    if isinstance(reason, socket.gaierror):
        return _failure(FetchFailure.NOT_FOUND, N_("that web address does not exist"))
    if isinstance(reason, ConnectionRefusedError):
        return _failure(FetchFailure.NOT_FOUND, N_("no web server answers there"))
    if isinstance(reason, http.client.HTTPException):
        return _failure(FetchFailure.HTTP, N_("the web server's answer was broken"))
    if isinstance(reason, str) and "redirect" in reason.lower():
        return _failure(FetchFailure.HTTP, N_("too many redirects"))
    if isinstance(reason, ValueError):
        return _failure(FetchFailure.HTTP, N_("the address or the answer was not valid"))
    return _failure(FetchFailure.NETWORK, N_("the network failed while asking"))


def _failure(failure: FetchFailure, sentence: str) -> FetchError:
    return FetchError(failure, Worded(sentence))


def _redirects(limit: int) -> urllib.request.HTTPRedirectHandler:
    """Follow at most `limit` redirects (only http(s) handlers exist in our opener)."""
    cls = type(
        "_LimitedRedirects",
        (urllib.request.HTTPRedirectHandler,),
        {"max_redirections": limit, "max_repeats": limit},
    )
    handler: urllib.request.HTTPRedirectHandler = cls()
    return handler


def _connection_class(
    base: type[http.client.HTTPConnection], connect_to: ConnectTo | None, watch: _Watch
) -> Any:
    """A connection class whose socket is watched (see `_Watch`) and goes where `connect_to` says
    (certificate still checked against the URL's host name)."""

    def create(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        watch.stopper.check()
        target = connect_to(*address) if connect_to is not None else address
        sock = socket.create_connection(target, *args, **kwargs)
        watch.watch(sock)
        return sock

    class Redirected(base):  # type: ignore[valid-type,misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._create_connection = create

    return Redirected


class _HttpHandler(urllib.request.HTTPHandler):
    def __init__(self, connect_to: ConnectTo | None, watch: _Watch) -> None:
        super().__init__()
        self._conn = _connection_class(http.client.HTTPConnection, connect_to, watch)

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._conn, req)


class _HttpsHandler(urllib.request.HTTPSHandler):
    def __init__(
        self, context: ssl.SSLContext, connect_to: ConnectTo | None, watch: _Watch
    ) -> None:
        super().__init__(context=context)
        self._ctx = context
        self._conn = _connection_class(http.client.HTTPSConnection, connect_to, watch)

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(self._conn, context=self._ctx), req)


def _opener(settings: HttpSettings, watch: _Watch) -> urllib.request.OpenerDirector:
    """Only http and https: no file://, ftp:// or data: handler, whatever a redirect or a
    configured base URL says."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(settings.proxies),
        _HttpHandler(settings.connect_to, watch),
        _HttpsHandler(settings.tls_context(), settings.connect_to, watch),
        _redirects(settings.max_redirects),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener
