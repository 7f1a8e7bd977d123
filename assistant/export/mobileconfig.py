"""An Apple configuration profile (`.mobileconfig`) that adds the account on an iPhone, iPad or Mac.

One `com.apple.mail.managed` payload with both servers and no password: the device asks for it when
the profile is installed. The PayloadIdentifier is derived from the address, so installing a newer
profile for the same account replaces the old one; the PayloadUUIDs are new every time.

Unsigned, iOS and macOS show the profile as "Unverified" (it still installs). When IT has a signing
certificate and key, `sign_profile` wraps it in CMS/PKCS#7 signed data, the form Apple devices verify.
"""

from __future__ import annotations

import hashlib
import plistlib
import uuid
from collections.abc import Callable
from typing import Any

from assistant.core.models import Protocol, Security
from assistant.export.account import (
    AccountSettings,
    AuthMethod,
    ExportError,
    ServerHalf,
    ascii_domain,
)
from assistant.i18n import N_

FILE_SUFFIX = ".mobileconfig"
IDENTIFIER_ROOT = "org.mailsetupassistant.mail"

_ACCOUNT_TYPE = {Protocol.IMAP: "EmailTypeIMAP", Protocol.POP3: "EmailTypePOP"}
_AUTHENTICATION = {AuthMethod.PASSWORD: "EmailAuthPassword", AuthMethod.NONE: "EmailAuthNone"}

UNSIGNED_NOTE = N_(
    "This profile is not signed, so your iPhone or Mac shows it as “Unverified”. "
    "That is expected: it still installs, and it asks for your password."
)


def payload_identifier(address: str) -> str:
    """Stable for one account: the same address always gives the same identifier."""
    digest = hashlib.sha256(address.strip().lower().encode("utf-8")).hexdigest()[:16]
    domain = ascii_domain(address.rsplit("@", 1)[-1])
    reversed_domain = ".".join(reversed(domain.split(".")))
    return f"{IDENTIFIER_ROOT}.{reversed_domain}.{digest}"


def mobileconfig(account: AccountSettings, new_uuid: Callable[[], uuid.UUID] = uuid.uuid4) -> bytes:
    """The profile as an XML property list. Raises ExportError when Apple Mail cannot use it."""
    outgoing = account.require_outgoing()
    incoming = account.incoming
    if incoming is None:
        raise ExportError(
            N_(
                "An Apple profile needs the incoming mail server too, and it is not known yet for "
                "this address. Use the settings sheet instead."
            )
        )
    account.require_vouched()
    for half in (incoming, outgoing):
        if half.auth not in _AUTHENTICATION:
            raise ExportError(
                N_(
                    "This provider only accepts its own sign-in window, which an Apple profile cannot "
                    "set up. Add the account in Settings instead."
                )
            )
    identifier = payload_identifier(account.address)
    description = account.company or account.domain
    mail: dict[str, Any] = {
        "PayloadType": "com.apple.mail.managed",
        "PayloadVersion": 1,
        "PayloadIdentifier": identifier + ".account",
        "PayloadUUID": str(new_uuid()).upper(),
        "PayloadDisplayName": f"Email: {account.address}",
        "EmailAccountDescription": description,
        "EmailAccountType": _ACCOUNT_TYPE[incoming.protocol],
        "EmailAddress": account.address,
        **_half("Incoming", incoming),
        **_half("Outgoing", outgoing),
        "OutgoingPasswordSameAsIncomingPassword": True,
        "PreventMove": False,
        "PreventAppSheet": False,
        "SMIMEEnabled": False,
    }
    if account.display_name:
        mail["EmailAccountName"] = account.display_name
    profile: dict[str, Any] = {
        "PayloadType": "Configuration",
        "PayloadVersion": 1,
        "PayloadIdentifier": identifier,
        "PayloadUUID": str(new_uuid()).upper(),
        "PayloadDisplayName": f"Email for {account.address}",
        "PayloadDescription": (
            "Adds your email account with settings tested by Mail Setup Assistant. "
            "Your password is not in this file: you type it when you install it."
        ),
        "PayloadRemovalDisallowed": False,
        "PayloadContent": [mail],
    }
    if account.company:
        profile["PayloadOrganization"] = account.company
    return plistlib.dumps(profile, fmt=plistlib.FMT_XML, sort_keys=True)


def _half(prefix: str, half: ServerHalf) -> dict[str, Any]:
    return {
        f"{prefix}MailServerHostName": half.host,
        f"{prefix}MailServerPortNumber": half.port,
        f"{prefix}MailServerUseSSL": half.security is not Security.PLAIN,
        f"{prefix}MailServerAuthentication": _AUTHENTICATION[half.auth],
        f"{prefix}MailServerUsername": half.username,
    }


def sign_profile(
    profile: bytes, certificate_pem: bytes, key_pem: bytes, chain_pem: bytes = b""
) -> bytes:
    """The profile wrapped in CMS/PKCS#7 signed data (DER), as Apple devices expect it.

    `chain_pem` holds any intermediate certificates, so the device can build the path to a root it
    trusts. Raises ExportError in plain words when the certificate or key cannot be used."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.hazmat.primitives.serialization import pkcs7

    try:
        certificate = x509.load_pem_x509_certificate(certificate_pem)
    except ValueError:
        raise ExportError(N_("The signing certificate is not a PEM certificate.")) from None
    try:
        key = serialization.load_pem_private_key(key_pem, password=None)
    except (ValueError, TypeError):
        raise ExportError(
            N_(
                "The signing key is not an unencrypted PEM private key (remove its passphrase first)."
            )
        ) from None
    if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
        raise ExportError(N_("The signing key must be an RSA or EC key."))
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    mine = key.public_key().public_bytes(serialization.Encoding.DER, spki)
    if certificate.public_key().public_bytes(serialization.Encoding.DER, spki) != mine:
        raise ExportError(N_("The signing key does not belong to the signing certificate."))
    try:
        chain = x509.load_pem_x509_certificates(chain_pem) if chain_pem.strip() else []
    except ValueError:
        raise ExportError(N_("The certificate chain file is not PEM certificates.")) from None
    builder = pkcs7.PKCS7SignatureBuilder().set_data(profile)
    builder = builder.add_signer(certificate, key, hashes.SHA256())
    for extra in chain:
        builder = builder.add_certificate(extra)
    return builder.sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary])
