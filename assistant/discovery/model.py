"""What a source knows about a provider: its servers, the username form and what the person must do.

One shape for every source (bundled database, autoconfig XML, ISPDB, DNS, guesses), so that merging
and turning the winner into engine candidates never depends on where the answer came from.
Host names may hold the placeholders of the autoconfig format (`%EMAILDOMAIN%` …); they are filled in
for one address by `ProviderConfig.for_address`.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from assistant.core.address import ParsedAddress
from assistant.core.models import Protocol, Security

__all__ = ["Protocol", "Security"]


class ProviderKind(enum.StrEnum):
    """A mailbox provider runs one set of servers; a hosting company serves mail on each customer's
    own name (mail.<domain>), where hosts also open the non-standard ports 26 and 2525."""

    MAILBOX = "mailbox"
    HOSTING = "hosting"


class PortPolicy(enum.StrEnum):
    """Which ports to test beyond the documented ones, on the documented hosts."""

    DOCUMENTED = "documented"  # only what the provider documents (e.g. a local bridge)
    SUBMISSION = "submission"  # plus 465 and 587
    ALL = "all"  # plus every default port: 465, 587, 25, 26, 2525


class RequirementKind(enum.StrEnum):
    """The one thing a person must know before a password can work."""

    APP_PASSWORD = "app_password"
    OAUTH_ONLY = "oauth_only"
    ENABLE_ACCESS = "enable_access"
    ADMIN_MUST_ENABLE = "admin_must_enable"
    BRIDGE = "bridge"
    NO_SMTP = "no_smtp"
    OTHER = "other"


PLACEHOLDERS = ("%EMAILADDRESS%", "%EMAILLOCALPART%", "%EMAILDOMAIN%")
DEFAULT_USERNAME = "%EMAILADDRESS%"
DEFAULT_AUTH = ("password-cleartext",)
"""What a server wants when its description leaves it out (in the provider file and in
config-v1.1.xml alike): the full address as user name, and a password."""


def fill(template: str, address: ParsedAddress) -> str:
    """Replace the autoconfig placeholders with the parts of `address`."""
    return (
        template.replace("%EMAILADDRESS%", address.ascii_address)
        .replace("%EMAILLOCALPART%", address.local)
        .replace("%EMAILDOMAIN%", address.domain)
    )


@dataclass(frozen=True, slots=True)
class ServerSetting:
    """One server entry: where, how it is encrypted, and which username it wants."""

    protocol: Protocol
    host: str
    port: int
    security: Security
    username: str = DEFAULT_USERNAME
    auth: tuple[str, ...] = DEFAULT_AUTH

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any], protocol: Protocol | None = None) -> ServerSetting:
        """The inverse of `to_dict`, as the provider file writes it: user name and auth may be left
        out, and `protocol` is given where the place in the file already says it (its "smtp" list).
        KeyError, TypeError or ValueError names a field that is missing or wrong."""
        return cls(
            protocol=protocol or Protocol(raw["protocol"]),
            host=str(raw["host"]),
            port=int(raw["port"]),
            security=Security(raw["security"]),
            username=str(raw.get("username", DEFAULT_USERNAME)),
            auth=tuple(str(a) for a in raw.get("auth", DEFAULT_AUTH)),
        )

    def for_address(self, address: ParsedAddress) -> ServerSetting:
        return replace(self, host=fill(self.host, address).lower())

    def username_for(self, address: ParsedAddress) -> str:
        return fill(self.username, address)

    @property
    def oauth_only(self) -> bool:
        return bool(self.auth) and all(a.lower() == "oauth2" for a in self.auth)

    def to_dict(self) -> dict[str, object]:
        return {
            "protocol": self.protocol.value,
            "host": self.host,
            "port": self.port,
            "security": self.security.value,
            "username": self.username,
            "auth": list(self.auth),
        }


@dataclass(frozen=True, slots=True)
class Requirement:
    kind: RequirementKind
    text: str

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Requirement:
        """The inverse of `to_dict` (the provider file's form); KeyError or ValueError if wrong."""
        return cls(RequirementKind(raw["kind"]), str(raw["text"]))

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind.value, "text": self.text}


@dataclass(frozen=True, slots=True)
class ProviderConfig:
    """Settings for one provider; `outgoing` is in the provider's own order of preference."""

    provider_id: str
    name: str
    outgoing: tuple[ServerSetting, ...]
    incoming: tuple[ServerSetting, ...] = ()
    kind: ProviderKind = ProviderKind.MAILBOX
    port_policy: PortPolicy = PortPolicy.SUBMISSION
    requirements: tuple[Requirement, ...] = ()
    help_url: str = ""
    domains: tuple[str, ...] = field(default=())
    oauth: str = ""
    """The provider's own sign-in window for mail programs: an account kind of resources/oauth.json
    ("microsoft-consumer", "microsoft-work", "google"), or "" when a password is what works."""

    def for_address(self, address: ParsedAddress) -> ProviderConfig:
        """This provider's settings with the placeholders filled in for one address."""
        return replace(
            self,
            outgoing=tuple(s.for_address(address) for s in self.outgoing),
            incoming=tuple(s.for_address(address) for s in self.incoming),
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.provider_id,
            "name": self.name,
            "kind": self.kind.value,
            "outgoing": [s.to_dict() for s in self.outgoing],
            "incoming": [s.to_dict() for s in self.incoming],
            "requirements": [r.to_dict() for r in self.requirements],
            "help_url": self.help_url,
            "oauth": self.oauth or None,
        }
