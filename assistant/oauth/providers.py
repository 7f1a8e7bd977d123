"""Which authorization server to ask, with which app registration and scopes.

Endpoints and scopes are data (resources/oauth.json, per issuer: Microsoft identity platform v2.0,
Google). The app registration — the client id, and for Microsoft the tenant — is not ours to ship:
it comes from the IT profile's `oauth` object (which also names its own endpoints and applies to
the profile's servers) or from the build's resources/oauth-client.json, which is empty in the
repository. Without one, `client_for` returns None and the caller says so in one sentence
(`assistant.core.oauth_explain.no_registration_sentence`). docs/OAUTH.md tells IT how to register.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assistant.i18n import Translate, gettext
from assistant.resources import load_json

if TYPE_CHECKING:
    from assistant.profile import ProfileOAuth


class RegistrationError(ValueError):
    """A registration that cannot be used (an IT or build mistake), in one plain sentence."""


@dataclass(frozen=True)
class OAuthClient:
    """Everything the browser flow needs. A Google "Desktop app" secret is not confidential
    (Google says so for installed programs) but is still kept out of every repr."""

    provider: str
    """Shown to the person: "Microsoft", "Google", or the company's name for a profile's server."""
    authorization_endpoint: str
    token_endpoint: str
    client_id: str
    scopes: tuple[str, ...]
    client_secret: str = field(default="", repr=False)
    authorize_params: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        for url in (self.authorization_endpoint, self.token_endpoint):
            require_https(url)
        if not self.client_id:
            raise RegistrationError("An app registration needs a client id.")


def require_https(url: str) -> None:
    """Endpoints must be HTTPS with a host: a code or a token never travels over plain HTTP."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise RegistrationError(f"“{url}” is not an https:// address.")


def _data() -> dict[str, Any]:
    data: dict[str, Any] = load_json("oauth.json")
    return data


def account_kinds() -> tuple[str, ...]:
    return tuple(_data()["accounts"])


def issuer_of(kind: str) -> str:
    """ "microsoft" or "google" for an account kind of the provider list."""
    return str(_data()["accounts"][kind]["issuer"])


def provider_name(kind: str) -> str:
    """ "Microsoft" or "Google": the name in the sentences the person reads."""
    return str(_data()["issuers"][issuer_of(kind)]["name"])


def build_registration() -> dict[str, Any]:
    """The build's own registrations (resources/oauth-client.json; empty in the repository)."""
    try:
        data: dict[str, Any] = load_json("oauth-client.json")
    except FileNotFoundError:
        return {}
    return data


def client_for(
    kind: str | None,
    profile_oauth: ProfileOAuth | None = None,
    registration: dict[str, Any] | None = None,
    profile_name: str = "",
) -> OAuthClient | None:
    """The client to use for an account kind ("microsoft-work" …), or None without a registration.

    An IT profile's `oauth` object wins (its own endpoints, scopes and tenant); otherwise the
    issuer's endpoints from oauth.json with the build's client id."""
    data = _data()
    if profile_oauth is not None:
        tenant = profile_oauth.tenant or (
            str(data["accounts"][kind]["tenant"]) if kind in data["accounts"] else "common"
        )
        return OAuthClient(
            provider=provider_name(kind) if kind and kind in data["accounts"] else profile_name,
            authorization_endpoint=profile_oauth.authorization_endpoint.replace("{tenant}", tenant),
            token_endpoint=profile_oauth.token_endpoint.replace("{tenant}", tenant),
            client_id=profile_oauth.client_id,
            scopes=profile_oauth.scopes,
            client_secret=profile_oauth.client_secret,
        )
    if kind is None or kind not in data["accounts"]:
        return None
    account = data["accounts"][kind]
    issuer = data["issuers"][account["issuer"]]
    built = (build_registration() if registration is None else registration).get(
        account["issuer"], {}
    )
    client_id = str(built.get("client_id", "")).strip()
    if not client_id:
        return None
    tenant = str(built.get("tenant", "")).strip() or str(account["tenant"]) or "common"
    return OAuthClient(
        provider=str(issuer["name"]),
        authorization_endpoint=str(issuer["authorization_endpoint"]).replace("{tenant}", tenant),
        token_endpoint=str(issuer["token_endpoint"]).replace("{tenant}", tenant),
        client_id=client_id,
        scopes=tuple(str(s) for s in issuer["scopes"]),
        client_secret=str(built.get("client_secret", "")),
        authorize_params=tuple((str(k), str(v)) for k, v in issuer["authorize_params"].items()),
    )


def unregistered_notice(
    kind: str,
    profile_oauth: ProfileOAuth | None = None,
    tr: Translate = gettext,
) -> str:
    """The one sentence for a provider that signs in through its own window when this copy has no
    registration for it ("" when it has one, or when the provider is not such a provider)."""
    if not kind or kind not in _data()["accounts"]:
        return ""
    if client_for(kind, profile_oauth) is not None:
        return ""
    from assistant.core.oauth_explain import no_registration_sentence

    return no_registration_sentence(tr(provider_name(kind)), tr)
