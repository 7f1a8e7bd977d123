"""TLS contexts, certificate reading, and the classification of certificate failures.

Verification always uses the operating system's trust store (`truststore`), so the assistant trusts
exactly what the person's computer trusts — including a company's TLS-inspection root. A second,
non-verifying handshake exists only to *read* a certificate that failed, in order to explain the
failure; no credentials ever travel on it (the probe never gives it any).
"""

from __future__ import annotations

import hashlib
import ipaddress
import ssl
from collections.abc import Callable
from datetime import UTC, datetime

from cryptography import x509
from cryptography.x509.oid import NameOID

from assistant.core.models import CertificateInfo, Detail, Verdict

TlsContextFactory = Callable[[], ssl.SSLContext]

GOOD_TLS_VERSIONS = ("TLSv1.2", "TLSv1.3")

# OpenSSL's X509_V_ERR_* codes as seen in SSLCertVerificationError.verify_code.
_EXPIRED = {10}
_NOT_YET_VALID = {9}
_SELF_SIGNED = {18, 19}
_UNKNOWN_ISSUER = {2, 20, 21}
_HOSTNAME_MISMATCH = {62, 64}


def system_trust_context() -> ssl.SSLContext:
    """A verifying client context backed by the OS trust store."""
    import truststore

    ctx = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    # Let the handshake succeed with TLS 1.0/1.1 where OpenSSL still allows it, so we can *name*
    # an outdated server instead of reporting an anonymous handshake failure; the verdict then
    # refuses it (see GOOD_TLS_VERSIONS).
    return ctx


def inspection_context() -> ssl.SSLContext:
    """Non-verifying context used only to read a failed certificate. Never carries a password."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def parse_certificate(der: bytes) -> CertificateInfo:
    cert = x509.load_der_x509_certificate(der)
    try:
        cn_attrs = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        subject_cn = str(cn_attrs[0].value) if cn_attrs else None
    except ValueError:
        subject_cn = None
    names: list[str] = []
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        names.extend(san.get_values_for_type(x509.DNSName))
        names.extend(str(ip) for ip in san.get_values_for_type(x509.IPAddress))
    except x509.ExtensionNotFound:
        pass
    if not names and subject_cn:
        names.append(subject_cn)
    issuer = _short_name(cert.issuer) or "unknown"
    return CertificateInfo(
        subject_cn=subject_cn,
        names=tuple(names),
        issuer=issuer,
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        self_signed=cert.issuer == cert.subject,
        fingerprint_sha256=hashlib.sha256(der).hexdigest(),
    )


def _short_name(name: x509.Name) -> str:
    for oid in (NameOID.ORGANIZATION_NAME, NameOID.COMMON_NAME):
        attrs = name.get_attributes_for_oid(oid)
        if attrs:
            return str(attrs[0].value)
    return name.rfc4514_string()


def name_matches(host: str, names: tuple[str, ...]) -> bool:
    """RFC 6125 matching: exact, or one wildcard as the whole left-most label."""
    host = host.rstrip(".").lower()
    try:
        ip = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        ip = None
    for name in names:
        name = name.rstrip(".").lower()
        if ip is not None:
            try:
                if ipaddress.ip_address(name) == ip:
                    return True
            except ValueError:
                continue
            continue
        if name == host:
            return True
        if name.startswith("*.") and "." in host:
            head, _, rest = host.partition(".")
            if head and rest == name[2:] and rest.count(".") >= 1:
                return True
    return False


def classify_failure(
    host: str, cert: CertificateInfo | None, verify_code: int | None, now: datetime | None = None
) -> tuple[Verdict, Detail]:
    """Say which certificate problem it is, from OpenSSL's code when we have it, else the cert."""
    now = now or datetime.now(UTC)
    code = verify_code or 0
    if code in _HOSTNAME_MISMATCH:
        return Verdict.CERT_NAME_MISMATCH, Detail.NONE
    if code in _EXPIRED:
        return Verdict.CERT_EXPIRED, Detail.NONE
    if code in _NOT_YET_VALID:
        return Verdict.CERT_EXPIRED, Detail.NOT_YET_VALID
    if code in _SELF_SIGNED:
        return Verdict.CERT_UNTRUSTED, Detail.SELF_SIGNED
    if code in _UNKNOWN_ISSUER:
        return Verdict.CERT_UNTRUSTED, Detail.UNKNOWN_ISSUER
    # No usable code (other platforms' verifiers): judge from the certificate itself.
    if cert is not None:
        if cert.not_after < now:
            return Verdict.CERT_EXPIRED, Detail.NONE
        if cert.not_before > now:
            return Verdict.CERT_EXPIRED, Detail.NOT_YET_VALID
        if cert.self_signed:
            return Verdict.CERT_UNTRUSTED, Detail.SELF_SIGNED
        if not name_matches(host, cert.names):
            return Verdict.CERT_NAME_MISMATCH, Detail.NONE
    return Verdict.CERT_UNTRUSTED, Detail.UNKNOWN_ISSUER
