"""Debian's real Dovecot IMAP and POP3 on loopback, installed and configured by the test itself.

The packages (dovecot-imapd, dovecot-pop3d) are installed by `postfix_mta.ensure_installed` with the
rest of the reference MTA. Two separate Dovecot instances run from their own config files
(`dovecot -c FILE`, nothing in /etc/dovecot is used or changed), each in a temporary directory:

- the secure one: IMAP STARTTLS (like 143), IMAPS (like 993), POP3 STLS (like 110) and POP3S (like
  995), `ssl = required` (on loopback Dovecot would otherwise count a plain connection as secure), so
  the plain ports say
  LOGINDISABLED / offer no USER before TLS;
- the plain one: `ssl = no` and plain-text sign-in allowed (a misconfigured server: the engine must
  never send the password there).

Users come from a passwd-file; the certificate from a throw-away trustme CA for `MAIL_HOST` only,
so `OTHER_NAME` (same address) is "a certificate for another name".

Every listener is on loopback. The secure instance listens on 127.0.0.2 rather than 127.0.0.1:
Dovecot counts a connection whose two ends have the same address as secure and would then allow a
plain-text LOGIN on it (no LOGINDISABLED), which is not what a real remote client sees. Connecting
from 127.0.0.1 to 127.0.0.2 (both on the loopback interface) gives the behaviour of a remote client.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import ssl
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import trustme

from assistant.core.network import Address, NameNotFound
from tests.integration.postfix_mta import (
    DOVECOT,
    _dovecot_version,
    _read_pid,
    _run,
    _run_daemon,
    _wait_gone,
    free_ports,
)

MAIL_HOST = "mail.dovecot.test"
OTHER_NAME = "imap.dovecot.test"
"""Resolves to the same server but is not in its certificate."""
USER_ADDRESS = "bob@dovecot.test"
LOCAL_ONLY_USER = "carol"
"""A mailbox whose user name is only the part before the @ (like iCloud's incoming servers)."""
LOCAL_ONLY_ADDRESS = "carol@dovecot.test"
USER_PASSWORD = "Dovecot-canary-pw-4e1f"

READY_TIMEOUT_S = 30.0
SECURE_ADDRESS = "127.0.0.2"
PLAIN_ADDRESS = "127.0.0.1"


@dataclass
class _Instance:
    name: str
    base: Path
    ports: dict[str, int]
    ssl: bool
    address: str
    started: bool = False

    @property
    def conf(self) -> Path:
        return self.base / "dovecot.conf"

    @property
    def log(self) -> Path:
        return self.base / "dovecot.log"


@dataclass
class DovecotMail:
    """Two running Dovecot instances. Use `started()`."""

    base: Path
    ca: trustme.CA
    imap_port: int
    imaps_port: int
    pop3_port: int
    pop3s_port: int
    plain_imap_port: int
    plain_pop3_port: int
    host: str = MAIL_HOST
    address: str = USER_ADDRESS
    password: str = USER_PASSWORD
    _instances: list[_Instance] = field(default_factory=list, repr=False)

    @classmethod
    def create(cls) -> DovecotMail:
        base = Path(tempfile.mkdtemp(prefix="dovecot-mail-"))
        base.chmod(0o755)  # Dovecot's unprivileged users must reach their files
        return cls(base, trustme.CA(), *free_ports(6))

    # -- for the probe ---------------------------------------------------------------------------

    def resolver(self, host: str, port: int) -> list[Address]:
        if host.rstrip(".").lower() in (self.host, OTHER_NAME):
            return [(socket.AF_INET, (self.address_of(port), port))]
        raise NameNotFound(host)

    def address_of(self, port: int) -> str:
        plain = (self.plain_imap_port, self.plain_pop3_port)
        return PLAIN_ADDRESS if port in plain else SECURE_ADDRESS

    def tls_context(self) -> ssl.SSLContext:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        self.ca.configure_trust(ctx)
        return ctx

    def log_text(self, instance: str | None = None) -> str:
        """The log of both instances, or of one ("secure", "plain")."""
        parts = []
        for inst in self._instances:
            if instance is not None and inst.name != instance:
                continue
            with contextlib.suppress(OSError):
                parts.append(f"--- {inst.name} ---\n{inst.log.read_text(errors='replace')[-4000:]}")
        return "\n".join(parts)

    def log_lines(
        self, containing: str, instance: str | None = None, timeout: float = 10.0
    ) -> list[str]:
        """Dovecot's log lines containing a text, waiting (bounded) for the first one."""
        deadline = time.monotonic() + timeout
        while True:
            text = self.log_text(instance)
            found = [line for line in text.splitlines() if containing in line]
            if found or time.monotonic() > deadline:
                return found
            time.sleep(0.05)

    # -- life cycle ------------------------------------------------------------------------------

    @classmethod
    @contextlib.contextmanager
    def started(cls, attempts: int = 3) -> Iterator[DovecotMail]:
        for attempt in range(1, attempts + 1):
            mail = cls.create()
            try:
                mail.start()
            except RuntimeError as exc:
                if "Address already in use" in str(exc) and attempt < attempts:
                    continue
                raise
            break
        try:
            yield mail
        finally:
            mail.stop()

    def start(self) -> None:
        major, minor = _dovecot_version()
        if (major, minor) >= (2, 4):
            raise RuntimeError(
                "tests/integration/dovecot_mail.py writes Dovecot 2.3 settings; this is "
                f"Dovecot {major}.{minor}, whose settings were renamed: add its config here"
            )
        try:
            self._write_files()
            for inst in self._instances:
                self._start(inst)
            self._wait_ready()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        for inst in self._instances:
            if inst.started:
                pid = _read_pid(inst.base / "run" / "master.pid")
                _run([str(DOVECOT), "-c", str(inst.conf), "stop"], 60)
                if pid:
                    _wait_gone(pid, 10.0)
                inst.started = False
        shutil.rmtree(self.base, ignore_errors=True)

    # -- configuration ---------------------------------------------------------------------------

    def _write_files(self) -> None:
        cert = self.ca.issue_cert(self.host)
        key_file, chain_file = self.base / "key.pem", self.base / "chain.pem"
        cert.private_key_pem.write_to_path(str(key_file))
        key_file.chmod(0o600)
        with chain_file.open("wb") as fh:
            for blob in cert.cert_chain_pems:
                fh.write(blob.bytes())
        passwd = self.base / "passwd"
        passwd.write_text(
            f"{self.address}:{{PLAIN}}{self.password}::::::\n"
            f"{LOCAL_ONLY_USER}:{{PLAIN}}{self.password}::::::\n"
        )
        passwd.chmod(0o644)
        mail = self.base / "mail"
        mail.mkdir()
        mail.chmod(0o1777)  # the mail processes run as nobody
        secure = _Instance(
            "secure",
            self.base / "secure",
            {
                "imap": self.imap_port,
                "imaps": self.imaps_port,
                "pop3": self.pop3_port,
                "pop3s": self.pop3s_port,
            },
            ssl=True,
            address=SECURE_ADDRESS,
        )
        plain = _Instance(
            "plain",
            self.base / "plain",
            {"imap": self.plain_imap_port, "pop3": self.plain_pop3_port},
            ssl=False,
            address=PLAIN_ADDRESS,
        )
        self._instances = [secure, plain]
        for inst in self._instances:
            inst.base.mkdir()
            inst.base.chmod(0o755)
            inst.conf.write_text(self._conf(inst, passwd, mail, key_file, chain_file))

    def _conf(self, inst: _Instance, passwd: Path, mail: Path, key: Path, chain: Path) -> str:
        def listener(name: str, tls: bool) -> str:
            if name not in inst.ports:
                return ""
            extra = "\n    ssl = yes" if tls else ""
            return (
                f"  inet_listener {name} {{\n    address = {inst.address}\n"
                f"    port = {inst.ports[name]}{extra}\n  }}\n"
            )

        tls = (
            f"ssl = required\nssl_cert = <{chain}\nssl_key = <{key}\nssl_min_protocol = TLSv1.2\n"
            "disable_plaintext_auth = yes\n"
            if inst.ssl
            else "ssl = no\ndisable_plaintext_auth = no\n"
        )
        return f"""\
# Written by tests/integration/dovecot_mail.py: a loopback-only test instance ({inst.name}).
base_dir = {inst.base / "run"}
state_dir = {inst.base / "state"}
log_path = {inst.log}
instance_name = dovecot-test-{inst.name}
protocols = imap pop3
listen = {inst.address}
{tls}auth_mechanisms = plain login
auth_failure_delay = 0
mail_location = maildir:{mail}/%n
login_greeting = Dovecot test instance ready.
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {passwd}
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={mail}/%n
}}
service imap-login {{
{listener("imap", False)}{listener("imaps", True)}}}
service pop3-login {{
{listener("pop3", False)}{listener("pop3s", True)}}}
service stats {{
  unix_listener stats-reader {{
    mode = 0600
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""

    def _start(self, inst: _Instance) -> None:
        inst.started = True
        code, output = _run_daemon(
            [str(DOVECOT), "-c", str(inst.conf)], inst.base / "start.log", 60
        )
        if code != 0:
            raise RuntimeError(
                f"dovecot ({inst.name}) failed to start:\n{output}\n{self.log_text()}"
            )

    def _wait_ready(self) -> None:
        """Poll until every port accepts and the plain ones greet (bounded, no fixed sleep)."""
        deadline = time.monotonic() + READY_TIMEOUT_S
        pending = {
            self.imap_port: b"* OK",
            self.imaps_port: None,
            self.pop3_port: b"+OK",
            self.pop3s_port: None,
            self.plain_imap_port: b"* OK",
            self.plain_pop3_port: b"+OK",
        }
        last_error = ""
        while pending:
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"dovecot did not answer on ports {sorted(pending)} ({last_error})\n"
                    f"{self.log_text()}"
                )
            for port, hello in list(pending.items()):
                try:
                    address = (self.address_of(port), port)
                    with socket.create_connection(address, timeout=2.0) as sock:
                        if hello is not None:
                            sock.settimeout(5.0)
                            first = sock.recv(512)
                            if not first.startswith(hello):
                                last_error = f"port {port} said {first[:80]!r}"
                                continue
                    del pending[port]
                except OSError as exc:
                    last_error = f"port {port}: {exc}"
            if pending:
                time.sleep(0.1)
