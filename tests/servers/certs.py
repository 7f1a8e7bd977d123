"""Certificates for the loopback servers: one trustme CA, and good and bad server certificates."""

from __future__ import annotations

import datetime as dt
import ssl
import tempfile
from dataclasses import dataclass
from pathlib import Path

import trustme
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass
class TestPKI:
    ca: trustme.CA

    @classmethod
    def create(cls) -> TestPKI:
        return cls(trustme.CA(organization_name="Mail Setup Assistant Test CA"))

    def client_context(self) -> ssl.SSLContext:
        """What the engine uses in tests instead of the OS store: trusts the test CA only."""
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        self.ca.configure_trust(ctx)
        return ctx

    def server_context(self, *names: str, expired: bool = False) -> ssl.SSLContext:
        now = dt.datetime.now(dt.UTC)
        if expired:
            cert = self.ca.issue_cert(
                *names,
                not_before=now - dt.timedelta(days=400),
                not_after=now - dt.timedelta(days=3),
            )
        else:
            cert = self.ca.issue_cert(*names)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        cert.configure_cert(ctx)
        return ctx

    def ca_pem_file(self) -> Path:
        """The CA as a PEM file (for SSL_CERT_FILE in subprocesses that use the OS store)."""
        with tempfile.NamedTemporaryFile("wb", suffix=".pem", delete=False) as handle:
            handle.write(self.ca.cert_pem.bytes())
        return Path(handle.name)


def self_signed_context(name: str) -> ssl.SSLContext:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    directory = Path(tempfile.mkdtemp(prefix="selfsigned-"))
    (directory / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (directory / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(directory / "cert.pem", directory / "key.pem")
    return ctx
