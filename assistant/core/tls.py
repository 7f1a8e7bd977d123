"""TLS contexts, certificate reading, and the classification of certificate failures.

Verification always uses the operating system's trust store (`truststore`), so the assistant trusts
exactly what the person's computer trusts — including a company's TLS-inspection root. A second,
non-verifying handshake exists only to *read* a certificate that failed, in order to explain the
failure; no credentials ever travel on it (the probe never gives it any).
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import re
import ssl
import sys
import threading
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
    """A verifying client context backed by the OS trust store.

    Windows and macOS: `truststore`, which asks the system's own verifier. Elsewhere (OpenSSL
    platforms) truststore reloads the whole CA bundle on *every* wrap (30-40 ms of CPU each) and
    serialises handshakes behind one lock; ten probes at once then saturate a small machine just
    when the window is busiest. So there we do once what truststore does each time — the same
    OpenSSL default paths, or the same well-known bundle files — and share the result.
    """
    if sys.platform in ("win32", "darwin"):
        import truststore

        return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    with _shared_lock:
        global _shared_context
        if _shared_context is None:
            _shared_context = _openssl_system_context()
        return _shared_context


_shared_lock = threading.Lock()
_shared_context: ssl.SSLContext | None = None

# Where distributions keep their CA bundle when OpenSSL's compiled-in paths are empty (the same
# list, in the same order, as truststore's OpenSSL backend).
_CA_FILE_CANDIDATES = (
    "/etc/ssl/cert.pem",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    "/etc/pki/tls/cert.pem",
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/ssl/ca-bundle.pem",
)


def _openssl_system_context() -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # verifies certificates and host names
    defaults = ssl.get_default_verify_paths()
    capath_has_certs = bool(defaults.capath) and _has_hashed_certs(defaults.capath)
    if defaults.cafile or capath_has_certs:
        ctx.set_default_verify_paths()
    else:
        for cafile in _CA_FILE_CANDIDATES:
            if os.path.isfile(cafile):
                ctx.load_verify_locations(cafile=cafile)
                break
    return ctx


def _has_hashed_certs(capath: str) -> bool:
    if not os.path.isdir(capath):
        return False
    return any(re.match(r"^[0-9a-fA-F]{8}\.[0-9]$", name) for name in os.listdir(capath))


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
