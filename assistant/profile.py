"""IT profiles: a small JSON file with which an office's IT person presets the assistant.

Looked for in this order: `--profile FILE`, `profile.json` next to the installed program, then the
system-wide configuration folder. A profile that cannot be used never stops the assistant: the
person gets one sentence naming the field that is wrong, and the assistant runs without it.
The schema is documented in docs/profile.schema.json.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.core.models import Protocol, Security
from assistant.core.small_file import (
    MAX_SETTINGS_BYTES,
    FileProblem,
    SmallFileError,
    read_small_file,
)
from assistant.i18n import N_, Worded, WordedError
from assistant.profile_location import search_paths

__all__ = [
    "Profile",
    "ProfileError",
    "ProfileOAuth",
    "find_profile",
    "load_profile",
    "search_paths",
]

if TYPE_CHECKING:
    from assistant.core.ports import PortSpec

KNOWN_PROGRAMS = (
    "outlook-classic",
    "outlook-new",
    "outlook-mac",
    "thunderbird",
    "apple-mail",
    "iphone",
    "android-gmail",
)
_KEYS = {
    "company",
    "support",
    "provider",
    "servers",
    "domains",
    "allowed_ports",
    "online_lookup",
    "mail_programs",
    "oauth",
    "$schema",
}
_OAUTH_KEYS = {
    "authorization_endpoint",
    "token_endpoint",
    "client_id",
    "client_secret",
    "scopes",
    "tenant",
}


class ProfileError(WordedError):
    """The profile cannot be used; the message names the file and the field, in plain words.

    It holds the sentence untranslated with its values apart (a value may itself be a sentence
    with values, an `i18n.Worded`) and words itself in the current language."""


@dataclass(frozen=True)
class Support:
    name: str = ""
    email: str = ""
    phone: str = ""
    url: str = ""


@dataclass(frozen=True)
class ProfileServer:
    host: str
    port: int
    security: Security
    protocol: Protocol = Protocol.SMTP
    """Sending (SMTP) unless the profile names a receiving server (IMAP or POP3)."""


@dataclass(frozen=True)
class ProfileOAuth:
    """The company's app registration for sign-in through the provider's window (docs/OAUTH.md).

    Applies to the profile's servers. Both endpoints are HTTPS; `{tenant}` in them is replaced by
    `tenant`. `client_secret` only for a Google "Desktop app" client (not confidential there)."""

    authorization_endpoint: str
    token_endpoint: str
    client_id: str
    scopes: tuple[str, ...]
    tenant: str = ""
    client_secret: str = field(default="", repr=False)


@dataclass(frozen=True)
class Profile:
    company: str
    source: Path
    support: Support = Support()
    provider: str | None = None
    servers: tuple[ProfileServer, ...] = ()
    domains: tuple[str, ...] = ()
    allowed_ports: tuple[int, ...] = ()
    online_lookup: bool = True
    mail_programs: tuple[str, ...] = field(default=())
    oauth: ProfileOAuth | None = None

    def applies_to(self, domain: str) -> bool:
        return not self.domains or domain.lower() in self.domains

    @property
    def hosts(self) -> tuple[str, ...]:
        """The preset server names, each once, in the profile's order (they are what is tested
        instead of looking the servers up)."""
        return tuple(dict.fromkeys(s.host for s in self.servers))

    @property
    def presets_receiving(self) -> bool:
        """The profile names a receiving (IMAP or POP3) server, not only sending ones."""
        return any(s.protocol.incoming for s in self.servers)

    def hosts_for(self, protocol: Protocol) -> tuple[str, ...]:
        """The preset names of one protocol's servers, each once, in the profile's order."""
        return tuple(dict.fromkeys(s.host for s in self.servers if s.protocol is protocol))

    def port_specs(self) -> list[PortSpec]:
        from assistant.core.ports import PortSpec

        return [PortSpec(s.port, s.security, s.protocol) for s in self.servers]

    def allows(self, port: int) -> bool:
        return not self.allowed_ports or port in self.allowed_ports


def find_profile(
    explicit: str | os.PathLike[str] | None = None,
) -> tuple[Profile | None, str | None]:
    """(profile or None, a sentence for the person if a profile was found but cannot be used)."""
    for path in search_paths(explicit):
        if explicit is None and not path.is_file():
            continue
        try:
            return load_profile(path), None
        except ProfileError as exc:
            return None, str(exc)
    return None, None


_FILE_PROBLEMS = {
    FileProblem.MISSING: N_("The company profile {path} does not exist."),
    FileProblem.NOT_A_FILE: N_(
        "The company profile {path} is not a file (a profile is a small JSON file)."
    ),
    FileProblem.TOO_LARGE: N_("The company profile {path} is far too large to be a profile."),
    FileProblem.UNREADABLE: N_("The company profile {path} could not be read."),
}


def path_problem(path: str | os.PathLike[str]) -> str | None:
    """A sentence when `path` can never be a profile (a device such as /dev/zero, a FIFO, a folder,
    a huge file), else None. The command line refuses such a `--profile` outright (exit 2); a
    profile that is a file but wrong inside is reported and the run goes on without it."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None  # missing or unreadable: load_profile words it
    if not stat.S_ISREG(info.st_mode):
        return str(ProfileError(_FILE_PROBLEMS[FileProblem.NOT_A_FILE], path=path))
    if info.st_size > MAX_SETTINGS_BYTES:
        return str(ProfileError(_FILE_PROBLEMS[FileProblem.TOO_LARGE], path=path))
    return None


def load_profile(path: Path) -> Profile:
    """Read and check one profile. Only a regular file of modest size is read (never a FIFO or a
    device such as /dev/zero), so a wrong path cannot hang or exhaust the computer."""
    try:
        raw = read_small_file(path).decode("utf-8-sig")
    except SmallFileError as exc:
        raise ProfileError(_FILE_PROBLEMS[exc.problem], path=path) from None
    except UnicodeDecodeError:
        raise ProfileError(_FILE_PROBLEMS[FileProblem.UNREADABLE], path=path) from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ProfileError(
            N_("The company profile {path} is not valid JSON (line {line}, column {column})."),
            path=path,
            line=exc.lineno,
            column=exc.colno,
        ) from None
    if not isinstance(data, dict):
        raise ProfileError(
            N_("The company profile {path} must hold one JSON object {braces}."),
            path=path,
            braces="{ … }",
        )
    return _parse(data, path)


def _parse(data: dict[str, Any], path: Path) -> Profile:
    # Imported here: most computers have no profile, and the window should not wait for these.
    from assistant.core.ports import InputError, normalise_domain

    def fail(field_name: str, problem: str, **values: object) -> ProfileError:
        return ProfileError(
            N_("The company profile {path}: “{field}” {problem}"),
            path=path,
            field=field_name,
            problem=Worded(problem, **values),
        )

    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise fail(unknown[0], N_("is not a field a profile can have."))
    company = data.get("company")
    if not isinstance(company, str) or not company.strip():
        raise fail("company", N_("must be the company's name (text)."))
    support = _support(data.get("support", {}), fail)
    provider = data.get("provider")
    if provider is not None and (not isinstance(provider, str) or not provider.strip()):
        raise fail("provider", N_("must be a provider's id from the provider list, like “gmail”."))
    servers = tuple(_server(i, s, fail) for i, s in enumerate(_list(data, "servers", fail)))
    domains = []
    for i, domain in enumerate(_list(data, "domains", fail)):
        try:
            domains.append(normalise_domain(str(domain)))
        except InputError:
            raise fail(
                f"domains[{i}]", N_("“{domain}” is not a domain name."), domain=domain
            ) from None
    ports = []
    for i, port in enumerate(_list(data, "allowed_ports", fail)):
        if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
            raise fail(f"allowed_ports[{i}]", N_("must be a port number from 1 to 65535."))
        ports.append(port)
    online = data.get("online_lookup", True)
    if not isinstance(online, bool):
        raise fail("online_lookup", N_("must be true or false."))
    programs = []
    for i, program in enumerate(_list(data, "mail_programs", fail)):
        if program not in KNOWN_PROGRAMS:
            raise fail(
                f"mail_programs[{i}]",
                N_("must be one of: {programs}."),
                programs=", ".join(KNOWN_PROGRAMS),
            )
        programs.append(program)
    oauth = _oauth(data["oauth"], fail) if "oauth" in data else None
    return Profile(
        oauth=oauth,
        company=company.strip(),
        source=path,
        support=support,
        provider=provider.strip() if isinstance(provider, str) else None,
        servers=servers,
        domains=tuple(domains),
        allowed_ports=tuple(ports),
        online_lookup=online,
        mail_programs=tuple(programs),
    )


def _list(data: dict[str, Any], key: str, fail: Any) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise fail(key, N_("must be a list {brackets}."), brackets="[ … ]")
    return value


def _support(value: Any, fail: Any) -> Support:
    if not isinstance(value, dict):
        raise fail("support", N_("must be an object with name, email, phone or url."))
    for key, text in value.items():
        if key not in ("name", "email", "phone", "url"):
            raise fail(f"support.{key}", N_("is not a field (use name, email, phone or url)."))
        if not isinstance(text, str):
            raise fail(f"support.{key}", N_("must be text."))
    return Support(**{k: v.strip() for k, v in value.items()})


def _oauth(value: Any, fail: Any) -> ProfileOAuth:
    from urllib.parse import urlsplit

    if not isinstance(value, dict):
        raise fail(
            "oauth",
            N_(
                "must be an object with authorization_endpoint, token_endpoint, client_id and scopes."
            ),
        )
    for key in value:
        if key not in _OAUTH_KEYS:
            raise fail(
                f"oauth.{key}",
                N_("is not a field (use {fields})."),
                fields=", ".join(sorted(_OAUTH_KEYS)),
            )
    texts = {}
    for key in ("authorization_endpoint", "token_endpoint", "client_id", "tenant", "client_secret"):
        text = value.get(key, "")
        if not isinstance(text, str):
            raise fail(f"oauth.{key}", N_("must be text."))
        texts[key] = text.strip()
    for key in ("authorization_endpoint", "token_endpoint"):
        parts = urlsplit(texts[key])
        if parts.scheme != "https" or not parts.hostname:
            raise fail(
                f"oauth.{key}",
                N_("must be an https:// address, like {example}."),
                example="https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
            )
    if not texts["client_id"]:
        raise fail(
            "oauth.client_id",
            N_("must be the app's client id (application id) from its registration."),
        )
    scopes = value.get("scopes")
    if (
        not isinstance(scopes, list)
        or not scopes
        or not all(isinstance(s, str) and s.strip() and " " not in s.strip() for s in scopes)
    ):
        raise fail(
            "oauth.scopes",
            N_("must be a list of scopes, like {example}."),
            example='["https://outlook.office.com/SMTP.Send", "offline_access"]',
        )
    return ProfileOAuth(
        authorization_endpoint=texts["authorization_endpoint"],
        token_endpoint=texts["token_endpoint"],
        client_id=texts["client_id"],
        scopes=tuple(s.strip() for s in scopes),
        tenant=texts["tenant"],
        client_secret=texts["client_secret"],
    )


def _server(index: int, value: Any, fail: Any) -> ProfileServer:
    from assistant.core.ports import InputError, normalise_host

    name = f"servers[{index}]"
    if not isinstance(value, dict):
        raise fail(name, N_("must be an object with host, port and security."))
    try:
        protocol = Protocol(value.get("protocol", "smtp"))
    except ValueError:
        raise fail(f"{name}.protocol", N_("must be “smtp”, “imap” or “pop3”.")) from None
    try:
        host = normalise_host(str(value.get("host", "")))
    except InputError:
        raise fail(f"{name}.host", N_("must be a server name like smtp.example.com.")) from None
    port = value.get("port")
    if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
        raise fail(f"{name}.port", N_("must be a port number from 1 to 65535."))
    try:
        security = Security(value.get("security", ""))
    except ValueError:
        raise fail(f"{name}.security", N_("must be “tls” (SSL/TLS) or “starttls”.")) from None
    if security in (Security.AUTO, Security.PLAIN):
        raise fail(f"{name}.security", N_("must be “tls” (SSL/TLS) or “starttls”."))
    return ProfileServer(host, port, security, protocol)
