"""Thunderbird's `config-v1.1.xml` for the tested settings: a file IT can host for a whole domain.

Thunderbird looks for it at https://autoconfig.<domain>/mail/config-v1.1.xml (and
https://<domain>/.well-known/autoconfig/mail/config-v1.1.xml) when someone adds an account, and reads
it from the `isp/` folder of its installation. The username is written as a placeholder
(%EMAILADDRESS% or %EMAILLOCALPART%) so the one file works for everybody at the domain. Our own
reader (assistant/discovery/autoconfig_xml.py) reads it back into the same settings: the tests hold
both sides to that.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from assistant.core.models import Protocol
from assistant.discovery.autoconfig_xml import SOCKET_TYPES
from assistant.export.account import AccountSettings, AuthMethod, ExportError, ServerHalf
from assistant.i18n import N_

FILE_NAME = "config-v1.1.xml"

_AUTHENTICATION = {
    AuthMethod.PASSWORD: "password-cleartext",
    AuthMethod.NONE: "none",
    AuthMethod.OAUTH2: "OAuth2",
}


def hosting_url(domain: str) -> str:
    """Where Thunderbird asks first for a domain's settings file."""
    return f"https://autoconfig.{domain}/mail/{FILE_NAME}"


def autoconfig_xml(account: AccountSettings) -> str:
    """The settings file as text (UTF-8 XML). Needs both halves: Thunderbird rejects a file without
    an incoming server ("Need proper <incomingServer> in XML file", readFromXML), so a file with
    the sending half alone would be one IT hosts for the whole domain and nobody can use."""
    outgoing = account.require_outgoing()
    if account.incoming is None:
        raise ExportError(
            N_(
                "Thunderbird's setup file needs the incoming mail server too, and it is not known "
                "yet for this address. Use the settings sheet instead."
            )
        )
    account.require_vouched()
    root = ET.Element("clientConfig", version="1.1")
    provider = ET.SubElement(root, "emailProvider", id=account.ascii_domain)
    ET.SubElement(provider, "domain").text = account.ascii_domain
    ET.SubElement(provider, "displayName").text = account.company or account.domain
    ET.SubElement(provider, "displayShortName").text = account.company or account.domain
    _server(provider, "incomingServer", account.incoming)
    _server(provider, "outgoingServer", outgoing)
    ET.indent(root, space="  ")
    when = account.tested_at.date().isoformat() if account.tested_at else "an unknown date"
    comment = _comment(
        f"Made by Mail Setup Assistant {account.tool_version} from a live test on {when}. "
        # The readable form of the name: an XML comment cannot hold the "--" of "xn--".
        f"Host it at {hosting_url(account.domain)} or copy it into the isp folder of "
        "Thunderbird's installation."
    )
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<!-- {comment} -->\n{body}\n'


def _server(parent: ET.Element, tag: str, half: ServerHalf) -> None:
    kind = "smtp" if half.protocol is Protocol.SMTP else half.protocol.value
    server = ET.SubElement(parent, tag, type=kind)
    ET.SubElement(server, "hostname").text = half.host
    ET.SubElement(server, "port").text = str(half.port)
    ET.SubElement(server, "socketType").text = SOCKET_TYPES[half.security]
    ET.SubElement(server, "authentication").text = _AUTHENTICATION[half.auth]
    ET.SubElement(server, "username").text = half.username_form


def _comment(text: str) -> str:
    """XML comments may not hold "--" (IDNA names do: xn--); keep it readable and legal."""
    while "--" in text:
        text = text.replace("--", "- -")
    return text.rstrip("-")
