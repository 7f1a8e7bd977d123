"""A loopback OAuth2 authorization server (HTTPS with the test CA) that plays Microsoft or Google.

It checks what a real one checks — the client id, a loopback redirect URI (any port, like
Microsoft's and Google's rule for desktop apps), `response_type=code`, a PKCE S256 challenge, and at
the token endpoint the same redirect URI, the code (once, unexpired) and the verifier against the
challenge — and it issues codes and random tokens that only its own `token_status` recognises, so
the mail servers of `oauth_mail` accept exactly the tokens it issued. `mode` makes it refuse the way
the real ones do (AADSTS codes, Google's invalid_grant, an id token for another account …).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from tests.servers.certs import TestPKI

CLIENT_ID = "11111111-2222-3333-4444-555555555555"

# mode -> (error, error_description) sent back to the redirect instead of a code
REDIRECT_ERRORS = {
    "deny": ("access_denied", "AADSTS65004: User declined to consent to access the app."),
    "consent_required": (
        "consent_required",
        "AADSTS65001: The user or administrator has not consented to use the application.",
    ),
    "other_organisation": (
        "invalid_request",
        "AADSTS50020: User account from identity provider does not exist in tenant.",
    ),
    "google_deny": ("access_denied", ""),
    "admin_policy": ("admin_policy_enforced", "Your administrator has blocked this app."),
}


@dataclass
class Issued:
    user: str
    expires_at: float


@dataclass
class AuthServer:
    pki: TestPKI
    mode: str = "approve"
    """approve, deny, consent_required, other_organisation, google_deny, admin_policy, wrong_state,
    wrong_account, invalid_grant (at the token endpoint), no_id_token."""
    canary_token: str | None = None
    """Issue exactly this access token (for the canary search)."""
    other_account: str = "someone.else@example.test"
    authorize_requests: list[dict[str, str]] = field(default_factory=list)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """What the server found wrong in a client's request (a test asserts it stays empty)."""
    tokens: dict[str, Issued] = field(default_factory=dict)
    _codes: dict[str, dict[str, str]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        context = self.pki.server_context("127.0.0.1")
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._httpd.daemon_threads = True
        self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    @property
    def base(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    @property
    def authorization_endpoint(self) -> str:
        return f"{self.base}/authorize"

    @property
    def token_endpoint(self) -> str:
        return f"{self.base}/token"

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    # -- what the mail servers ask ------------------------------------------------------------

    def token_status(self, user: str, token: str) -> str:
        """ "ok", "expired", "wrong_user" or "unknown" for a token a mail server received."""
        with self._lock:
            issued = self.tokens.get(token)
        if issued is None:
            return "unknown"
        if issued.expires_at <= time.time():
            return "expired"
        if issued.user.casefold() != user.casefold():
            return "wrong_user"
        return "ok"

    def expire_all(self) -> None:
        with self._lock:
            for issued in self.tokens.values():
                issued.expires_at = 0.0

    # -- the two endpoints ----------------------------------------------------------------------

    def authorize(self, params: dict[str, str]) -> tuple[int, dict[str, str], str]:
        """(status, headers, body) for GET /authorize."""
        self.authorize_requests.append(params)
        redirect = params.get("redirect_uri", "")
        if params.get("client_id") != CLIENT_ID:
            return 400, {}, "unknown client"
        if not _is_loopback_redirect(redirect):
            self.problems.append(f"redirect_uri not loopback: {redirect}")
            return 400, {}, "redirect_uri not allowed"
        if params.get("response_type") != "code":
            self.problems.append("response_type is not code")
        if params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
            self.problems.append("no PKCE S256 challenge")
        if not params.get("state"):
            self.problems.append("no state")
        state = params.get("state", "")
        if self.mode in REDIRECT_ERRORS:
            error, description = REDIRECT_ERRORS[self.mode]
            answer = {"error": error, "state": state}
            if description:
                answer["error_description"] = description
            return 302, {"Location": f"{redirect}?{urlencode(answer)}"}, ""
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._codes[code] = {
                "challenge": params.get("code_challenge", ""),
                "redirect_uri": redirect,
                "user": params.get("login_hint", ""),
                "scope": params.get("scope", ""),
                "expires": str(time.time() + 120),
            }
        if self.mode == "wrong_state":
            state = secrets.token_urlsafe(16)  # an answer that belongs to another sign-in
        return 302, {"Location": f"{redirect}?{urlencode({'code': code, 'state': state})}"}, ""

    def token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """(status, JSON) for POST /token."""
        self.token_requests.append({k: v for k, v in form.items() if k != "code_verifier"})
        if form.get("grant_type") != "authorization_code":
            return 400, {"error": "unsupported_grant_type"}
        if form.get("client_id") != CLIENT_ID:
            return 401, {"error": "invalid_client", "error_description": "unknown client"}
        with self._lock:
            grant = self._codes.pop(form.get("code", ""), None)  # a code works once
        if self.mode == "invalid_grant":
            return 400, {"error": "invalid_grant", "error_description": "Bad Request"}
        if grant is None or float(grant["expires"]) < time.time():
            return 400, {"error": "invalid_grant", "error_description": "AADSTS70008: expired"}
        if form.get("redirect_uri") != grant["redirect_uri"]:
            self.problems.append("token redirect_uri differs from the authorization's")
            return 400, {"error": "invalid_grant", "error_description": "redirect_uri mismatch"}
        verifier = form.get("code_verifier", "")
        digest = hashlib.sha256(verifier.encode("ascii")).digest()
        challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
        if not 43 <= len(verifier) <= 128 or challenge != grant["challenge"]:
            self.problems.append("PKCE verifier does not match the challenge")
            return 400, {"error": "invalid_grant", "error_description": "PKCE verification failed"}
        token = self.canary_token or secrets.token_urlsafe(32)
        account = self.other_account if self.mode == "wrong_account" else grant["user"]
        with self._lock:
            self.tokens[token] = Issued(account, time.time() + 3600)
        answer: dict[str, Any] = {
            "token_type": "Bearer",
            "access_token": token,
            "expires_in": 3600,
            "refresh_token": secrets.token_urlsafe(32),
            "scope": grant["scope"],
        }
        if self.mode != "no_id_token":
            answer["id_token"] = _unsigned_jwt({"email": account, "aud": CLIENT_ID})
        return 200, answer


def _is_loopback_redirect(uri: str) -> bool:
    parts = urlsplit(uri)
    return parts.scheme == "http" and parts.hostname == "127.0.0.1" and bool(parts.port)


def _unsigned_jwt(claims: dict[str, Any]) -> str:
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")

    header = b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    return f"{header}.{b64(json.dumps(claims).encode())}.sig"


def _make_handler(server: AuthServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            if parts.path != "/authorize":
                self._send(404, {}, b"not found")
                return
            status, headers, body = server.authorize(dict(parse_qsl(parts.query)))
            self._send(status, headers, body.encode())

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            form = dict(parse_qsl(self.rfile.read(length).decode()))
            if urlsplit(self.path).path != "/token":
                self._send(404, {}, b"not found")
                return
            status, answer = server.token(form)
            body = json.dumps(answer).encode()
            self._send(status, {"Content-Type": "application/json"}, body)

        def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def client_context(pki: TestPKI) -> ssl.SSLContext:
    return pki.client_context()
