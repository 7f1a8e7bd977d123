"""Reading Thunderbird's `config-v1.1.xml` (provider autoconfig and ISPDB) safely.

The file comes from the network, so it is treated as hostile: defusedxml refuses any DTD (which
stops entity-expansion "billion laughs" and external entities), the caller caps the size, and every
field is checked before use. A file we cannot use becomes `ConfigError` with a plain reason, never
an exception from deep inside the XML library.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import defusedxml
import defusedxml.ElementTree as SafeET

from assistant.discovery.model import (
    DEFAULT_AUTH,
    DEFAULT_USERNAME,
    PLACEHOLDERS,
    PortPolicy,
    Protocol,
    ProviderConfig,
    ProviderKind,
    Requirement,
    RequirementKind,
    Security,
    ServerSetting,
)
from assistant.i18n import N_, WordedError

MAX_SERVERS = 10
_HOST = re.compile(
    r"^(?=.{1,253}$)([a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$"
)
_IPV4 = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")
SOCKET_TYPES = {
    Security.IMPLICIT_TLS: "SSL",
    Security.STARTTLS: "STARTTLS",
    Security.PLAIN: "plain",
}
"""The format's `socketType` word for each encryption: what our writer (assistant/export/autoconfig.py)
puts in a file, and what this reader takes back, in any case. "TLS" is an older spelling of SSL."""
_SECURITY = {word.lower(): security for security, word in SOCKET_TYPES.items()} | {
    "tls": Security.IMPLICIT_TLS
}
_USERNAME = re.compile(r"^[^\x00-\x1f\x7f]{0,254}$")


class ConfigError(WordedError):
    """The file is not a usable config-v1.1.xml; the message says why in plain words (worded in
    the current language when shown)."""


def parse_config(data: bytes | str) -> ProviderConfig:
    """Parse a config-v1.1.xml document into a ProviderConfig (placeholders left in place)."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    if not data.strip():
        raise ConfigError(N_("the settings file is empty"))
    try:
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DTDForbidden:
        raise ConfigError(
            N_("the settings file contains a DTD, which is refused for safety")
        ) from None
    except defusedxml.DefusedXmlException:
        raise ConfigError(
            N_("the settings file contains entities, which are refused for safety")
        ) from None
    except (ET.ParseError, ValueError, UnicodeError, RecursionError):
        raise ConfigError(N_("the settings file is not valid XML")) from None
    if _local(root.tag) != "clientConfig":
        raise ConfigError(N_("the file is not an email settings file (no clientConfig)"))
    provider = _child(root, "emailProvider")
    if provider is None:
        raise ConfigError(N_("the settings file names no email provider"))
    outgoing = _servers(provider, "outgoingServer", {"smtp"})
    if not outgoing:
        raise ConfigError(N_("the settings file has no usable outgoing (SMTP) server"))
    incoming = _servers(provider, "incomingServer", {"imap", "pop3"})
    ident = (provider.get("id") or "").strip()[:100]
    name = _text(_child(provider, "displayName")) or ident or "your provider"
    domains = tuple(
        d for d in (_text(e).lower() for e in _children(provider, "domain")) if _HOST.match(d)
    )
    return ProviderConfig(
        provider_id=ident or (domains[0] if domains else "autoconfig"),
        name=name[:100],
        outgoing=outgoing,
        incoming=incoming,
        kind=ProviderKind.MAILBOX,
        port_policy=PortPolicy.SUBMISSION,
        requirements=_requirements(provider, outgoing),
        help_url=_documentation(provider),
        domains=domains[:50],
    )


def _servers(provider: ET.Element, tag: str, types: set[str]) -> tuple[ServerSetting, ...]:
    found: list[ServerSetting] = []
    for element in _children(provider, tag):
        kind = (element.get("type") or "").strip().lower()
        if kind not in types:
            continue
        server = _server(element, Protocol(kind))
        if server is not None and server not in found:
            found.append(server)
        if len(found) >= MAX_SERVERS:
            break
    return tuple(found)


def _server(element: ET.Element, protocol: Protocol) -> ServerSetting | None:
    host = _text(_child(element, "hostname")).lower()
    for placeholder in PLACEHOLDERS:  # placeholders keep their spelling, filled in later
        host = host.replace(placeholder.lower(), placeholder)
    port_text = _text(_child(element, "port"))
    socket_type = _SECURITY.get(_text(_child(element, "socketType")).lower())
    if not _valid_host(host) or not port_text.isdigit() or socket_type is None:
        return None
    port = int(port_text)
    if not 0 < port < 65536:
        return None
    username = _text(_child(element, "username")) or DEFAULT_USERNAME
    if not _USERNAME.match(username):
        username = DEFAULT_USERNAME
    auth = tuple(a for a in (_text(e) for e in _children(element, "authentication")) if a)[:10]
    return ServerSetting(
        protocol=protocol,
        host=host,
        port=port,
        security=socket_type,
        username=username,
        auth=auth or DEFAULT_AUTH,
    )


def _valid_host(host: str) -> bool:
    """A DNS name or IPv4 address, after the placeholders a host may use are filled in."""
    probe = host
    for placeholder in PLACEHOLDERS:
        probe = probe.replace(placeholder, "example")
    if "%" in probe:
        return False
    return bool(_HOST.match(probe) or _IPV4.match(probe))


def _requirements(
    provider: ET.Element, outgoing: tuple[ServerSetting, ...]
) -> tuple[Requirement, ...]:
    found: list[Requirement] = []
    if all(s.oauth_only for s in outgoing):
        found.append(
            Requirement(
                RequirementKind.OAUTH_ONLY,
                "This provider accepts only its own sign-in window (OAuth), not a typed password.",
            )
        )
    for enable in _children(provider, "enable"):
        instruction = _text(_child(enable, "instruction"))[:500]
        url = (enable.get("visiturl") or "").strip()[:300]
        text = instruction or "Mail programs must be allowed in your account's web settings first."
        if url.startswith("https://"):
            text = f"{text} ({url})"
        found.append(Requirement(RequirementKind.ENABLE_ACCESS, text))
    return tuple(found)


def _documentation(provider: ET.Element) -> str:
    for doc in _children(provider, "documentation"):
        url = (doc.get("url") or "").strip()
        if url.startswith("https://") and len(url) < 500 and not any(c.isspace() for c in url):
            return url
    return ""


def _local(tag: object) -> str:
    """Tag name without a namespace (some servers add one)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(parent: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in parent if _local(child.tag) == name]


def _child(parent: ET.Element, name: str) -> ET.Element | None:
    for child in parent:
        if _local(child.tag) == name:
            return child
    return None


def _text(element: ET.Element | None) -> str:
    if element is None or element.text is None:
        return ""
    return " ".join(element.text.split())
