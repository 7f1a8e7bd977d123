"""The sign-in through the provider's own window: authorization code + PKCE in the system browser.

RFC 8252 for native apps: the browser the person already uses (never an embedded one), a redirect
to a loopback listener on `http://127.0.0.1:<random port>` (§7.3; the IP literal rather than
`localhost`, §8.3), PKCE with S256 (RFC 7636), `state` compared in constant time, and no client
secret that matters. The HTTP side is authlib's OAuth2 client (URL building, the S256 challenge,
the token request and its error parsing) over httpx2 with our verifying TLS context — the OS trust
store in production — so the code and the tokens only ever travel over verified TLS.

The wait for the browser is bounded and can be cancelled from another thread: `Cancel.cancel()`
wakes the listener at once (a socket pair, no polling), and the token request runs in a helper
thread whose result is dropped when cancelled. Tokens stay in memory, in `BearerToken`, whose repr
hides them; nothing here logs, prints or raises with a token or a code in the text.
"""

from __future__ import annotations

import base64
import contextlib
import hmac
import html
import json
import selectors
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from assistant.core.oauth_explain import SignInProblem, classify_error, sentence
from assistant.core.sasl_oauth import OAuthCredentials
from assistant.core.tls import TlsContextFactory, system_trust_context
from assistant.core.wire import clean_text
from assistant.i18n import Translate, gettext
from assistant.oauth.browser_wait import DEFAULT_BROWSER_WAIT_S
from assistant.oauth.providers import OAuthClient

Opener = Callable[[str], object]

HTTP_TIMEOUT_S = 30.0
"""The token request's own limit (connect, read)."""
REQUEST_READ_S = 0.5
"""A connection to the listener must send its request line this fast; keeps Cancel prompt."""


class Cancel:
    """The person's Cancel, usable from any thread; wakes whatever is waiting straight away."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._wakers: list[Callable[[], None]] = []

    def cancel(self) -> None:
        with self._lock:
            self._event.set()
            wakers = list(self._wakers)
        for wake in wakers:
            with contextlib.suppress(OSError):
                wake()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def wait(self, timeout: float) -> bool:
        return self._event.wait(timeout)

    def _on_cancel(self, wake: Callable[[], None]) -> Callable[[], None]:
        with self._lock:
            self._wakers.append(wake)
            already = self._event.is_set()
        if already:
            wake()

        def remove() -> None:
            with self._lock, contextlib.suppress(ValueError):
                self._wakers.remove(wake)

        return remove


@dataclass(frozen=True)
class BearerToken:
    """What the token endpoint gave: kept in memory only, never shown."""

    access_token: str = field(repr=False)
    refresh_token: str = field(default="", repr=False)
    expires_at: float | None = None
    account: str | None = None
    """Who signed in, when the provider says so (the id token's email / preferred_username)."""

    def __repr__(self) -> str:
        return f"BearerToken(account={self.account!r}, access_token=<hidden>)"


@dataclass(frozen=True)
class SignInResult:
    """How the browser sign-in went: a token, or the problem and the provider's words."""

    provider: str
    token: BearerToken | None = None
    problem: SignInProblem | None = None
    provider_said: str = ""
    """The provider's error description, cleaned and capped (never holds a token)."""
    signed_in_as: str | None = None
    browser_wait: float = DEFAULT_BROWSER_WAIT_S
    """How long this sign-in waited for the browser, in seconds. `sign_in_with_browser` sets it on
    every result it returns, so that the explanation of `BROWSER_CLOSED` ("no answer … within N
    minutes") states the wait this sign-in used, from the result itself: a caller that had to pass
    the wait a second time could state another one (the default) without noticing."""

    @property
    def signed_in(self) -> bool:
        return self.token is not None

    def credentials(self, address: str) -> OAuthCredentials:
        """What the probes need: `ProbeSettings(credentials=result.credentials(address))`."""
        if self.token is None:
            raise ValueError("no token: the sign-in did not succeed")
        return OAuthCredentials(address, self.token.access_token)


# -- the loopback redirect listener ------------------------------------------------------------


class _Listener(HTTPServer):
    allow_reuse_address = False
    timeout = REQUEST_READ_S

    def __init__(self, judge: Callable[[dict[str, str]], bool], tr: Translate) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.judge = judge
        self.tr = tr
        self.params: dict[str, str] | None = None

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a browser that hung up or sent nonsense; never print a traceback (it holds the URL)


class _Handler(BaseHTTPRequestHandler):
    server: _Listener
    timeout = REQUEST_READ_S

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        params = dict(parse_qsl(parts.query))
        if parts.path != "/" or not ({"code", "error", "state"} & set(params)):
            self.send_error(404)  # the browser's favicon request, or anything else: keep waiting
            return
        if self.server.params is not None:
            self.send_error(409)  # only the first answer counts
            return
        good = self.server.judge(params)
        self.server.params = params
        tr = self.server.tr
        text = sentence("page_done" if good else "page_problem", tr)
        body = (
            '<!doctype html><meta charset="utf-8"><title>Mail Setup Assistant</title>'
            f'<p style="font:1.2em sans-serif;margin:3em">{html.escape(text)}</p>'
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the request line holds the code: it must not reach stderr


class LoopbackRedirect:
    """A one-answer HTTP listener on 127.0.0.1 at a port the system picks (RFC 8252 §7.3)."""

    def __init__(self, judge: Callable[[dict[str, str]], bool], tr: Translate = gettext) -> None:
        self._server = _Listener(judge, tr)
        self._wake_r, self._wake_w = socket.socketpair()

    def _wake(self) -> None:
        self._wake_w.send(b"x")

    @property
    def redirect_uri(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def wait(self, seconds: float, cancel: Cancel) -> dict[str, str] | None:
        """The redirect's query parameters; None when time ran out or Cancel was pressed."""
        remove = cancel._on_cancel(self._wake)
        deadline = time.monotonic() + seconds
        try:
            with selectors.DefaultSelector() as selector:
                selector.register(self._server.socket, selectors.EVENT_READ)
                selector.register(self._wake_r, selectors.EVENT_READ)
                while not cancel.cancelled:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        return None
                    for key, _ in selector.select(left):
                        if key.fileobj is self._wake_r:
                            return None
                        self._server.handle_request()
                        if self._server.params is not None:
                            return self._server.params
                return None
        finally:
            remove()

    def close(self) -> None:
        self._server.server_close()
        self._wake_r.close()
        self._wake_w.close()

    def __enter__(self) -> LoopbackRedirect:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# -- the whole sign-in -------------------------------------------------------------------------


def sign_in_with_browser(
    client: OAuthClient,
    address: str,
    *,
    open_browser: Opener,
    on_url: Callable[[str], None] | None = None,
    cancel: Cancel | None = None,
    browser_wait: float = DEFAULT_BROWSER_WAIT_S,
    tls_context: TlsContextFactory = system_trust_context,
    tr: Translate = gettext,
) -> SignInResult:
    """Open the provider's sign-in page, wait for its answer on loopback, exchange the code.

    Never raises for anything the person, the browser or the provider does: every way it can end
    is a `SignInResult` with a `SignInProblem` the caller explains (`explain_result`). Every
    result carries `browser_wait`, the wait it used."""
    result = _sign_in_with_browser(
        client,
        address,
        open_browser=open_browser,
        on_url=on_url,
        cancel=cancel or Cancel(),
        browser_wait=browser_wait,
        tls_context=tls_context,
        tr=tr,
    )
    return replace(result, browser_wait=browser_wait)


def _sign_in_with_browser(
    client: OAuthClient,
    address: str,
    *,
    open_browser: Opener,
    on_url: Callable[[str], None] | None,
    cancel: Cancel,
    browser_wait: float,
    tls_context: TlsContextFactory,
    tr: Translate,
) -> SignInResult:
    """`sign_in_with_browser`'s work; its results do not say the wait yet."""
    from authlib.common.security import generate_token
    from authlib.integrations.httpx_client import OAuth2Client

    verifier = generate_token(64)  # RFC 7636 §4.1: 43-128 unreserved characters
    expected_state: list[str] = []

    def state_ok(params: dict[str, str]) -> bool:
        got = params.get("state", "")
        return bool(expected_state) and hmac.compare_digest(
            got.encode(), expected_state[0].encode()
        )

    def judge(params: dict[str, str]) -> bool:
        return state_ok(params) and "code" in params and "error" not in params

    result = SignInResult(client.provider)
    with LoopbackRedirect(judge, tr) as redirect:
        session = OAuth2Client(
            client_id=client.client_id,
            client_secret=client.client_secret or None,
            token_endpoint_auth_method="client_secret_post" if client.client_secret else "none",
            scope=" ".join(client.scopes),
            redirect_uri=redirect.redirect_uri,
            code_challenge_method="S256",
            verify=tls_context(),
            timeout=HTTP_TIMEOUT_S,
        )
        try:
            url, state = session.create_authorization_url(
                client.authorization_endpoint,
                code_verifier=verifier,
                login_hint=address,
                **dict(client.authorize_params),
            )
            expected_state.append(state)
            if on_url is not None:
                on_url(url)
            with contextlib.suppress(Exception):  # a missing browser: the address is on screen
                open_browser(url)
            params = redirect.wait(browser_wait, cancel)
            if params is None:
                problem = (
                    SignInProblem.CANCELLED if cancel.cancelled else SignInProblem.BROWSER_CLOSED
                )
                return SignInResult(client.provider, problem=problem)
            if not state_ok(params):
                return SignInResult(client.provider, problem=SignInProblem.STATE_MISMATCH)
            if "error" in params or "code" not in params:
                said = clean_text(params.get("error_description", params.get("error", "")))
                problem = classify_error(
                    params.get("error", ""), params.get("error_description", "")
                )
                return SignInResult(client.provider, problem=problem, provider_said=said)
            result = _exchange(session, client, params["code"], verifier, cancel)
        finally:
            session.close()
    account = result.token.account if result.token is not None else None
    if account and account.casefold() != address.casefold():
        return SignInResult(
            client.provider,
            problem=SignInProblem.WRONG_ACCOUNT,
            signed_in_as=account,
        )
    return result


def _exchange(
    session: Any, client: OAuthClient, code: str, verifier: str, cancel: Cancel
) -> SignInResult:
    """The token request, in a helper thread so that Cancel does not wait for the network."""
    from authlib.integrations.base_client.errors import OAuthError

    box: dict[str, Any] = {}
    done = threading.Event()

    def run() -> None:
        try:
            box["token"] = session.fetch_token(
                client.token_endpoint,
                grant_type="authorization_code",
                code=code,
                code_verifier=verifier,
            )
        except OAuthError as exc:
            box["error"] = (str(exc.error or ""), str(exc.description or ""))
        except Exception:  # network, TLS, a page that is not JSON: the provider was not usable
            box["unreachable"] = True
        finally:
            done.set()

    remove = cancel._on_cancel(done.set)
    try:
        threading.Thread(target=run, name="oauth-token", daemon=True).start()
        done.wait(HTTP_TIMEOUT_S + 5)
    finally:
        remove()
    if cancel.cancelled:
        return SignInResult(client.provider, problem=SignInProblem.CANCELLED)
    if "error" in box:
        error, description = box["error"]
        return SignInResult(
            client.provider,
            problem=classify_error(error, description),
            provider_said=clean_text(description or error),
        )
    raw = box.pop("token", None)
    if not isinstance(raw, dict) or not raw.get("access_token"):
        return SignInResult(client.provider, problem=SignInProblem.UNREACHABLE)
    token = BearerToken(
        access_token=str(raw["access_token"]),
        refresh_token=str(raw.get("refresh_token", "")),
        expires_at=float(raw["expires_at"]) if raw.get("expires_at") else None,
        account=_account(raw.get("id_token")),
    )
    raw.clear()
    return SignInResult(client.provider, token=token, signed_in_as=token.account)


def _account(id_token: object) -> str | None:
    """Who signed in, from the id token's claims (OpenID Connect).

    The id token came straight from the token endpoint over verified TLS, which OIDC Core §3.1.3.7
    accepts in place of checking its signature; we only read who it names, to catch a sign-in with
    another account before its token is sent anywhere."""
    if not isinstance(id_token, str) or id_token.count(".") != 2:
        return None
    payload = id_token.split(".")[1]
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (ValueError, UnicodeError):
        return None
    if not isinstance(claims, dict):
        return None
    for claim in ("email", "preferred_username", "upn"):
        value = claims.get(claim)
        if isinstance(value, str) and "@" in value:
            return clean_text(value, 254)
    return None


__all__ = [
    "DEFAULT_BROWSER_WAIT_S",
    "BearerToken",
    "Cancel",
    "LoopbackRedirect",
    "SignInResult",
    "sign_in_with_browser",
]
