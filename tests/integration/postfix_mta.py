"""A real Debian Postfix (with Dovecot SASL) on loopback, installed and configured by the test itself.

The assistant is judged against real MTAs (security-and-faults.md, "Loopback test servers"), so this
starts a *separate* Postfix instance (`postfix -c DIR`, nothing in /etc/postfix is used or changed)
and a separate Dovecot (`dovecot -c FILE`, auth service only) in a temporary directory:

- plain port (like 25): no TLS, no AUTH;
- plain port offering AUTH without TLS (a misconfigured server: the engine must never sign in there);
- submission (like 587): STARTTLS required, AUTH only after TLS, via Dovecot SASL;
- submissions (like 465): implicit TLS (wrapper mode), AUTH via Dovecot SASL.

Safety: every listener is bound to 127.0.0.1 on a free high port, `inet_interfaces` is loopback
only, and every transport is `error:` and no SMTP client service exists in master.cf, so nothing can
leave the machine. The server certificate comes from a throw-away trustme CA.

When the packages are missing they are installed with apt-get (only as root); the package install is
kept from starting system services, and a system Postfix or Dovecot that the install left running
anyway is stopped again, so no MTA stays on port 25 of every interface.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import trustme

from assistant.core.network import Address, NameNotFound

MAIL_HOST = "mail.postfix.test"
OTHER_NAME = "smtp.postfix.test"
"""Resolves to the same server but is not in its certificate (the shared-hosting case)."""
HOSTING_NAME = "server1.hosting.test"
"""The hosting company's own server name, outside the address's domain: the certificate of
`hosted_port` names only this (the shared-hosting case where the person must confirm the name)."""
USER_ADDRESS = "alice@postfix.test"
USER_PASSWORD = "correct horse battery staple"

POSTFIX = Path("/usr/sbin/postfix")
DOVECOT = Path("/usr/sbin/dovecot")
PACKAGES = ("postfix", "dovecot-core", "dovecot-imapd", "dovecot-pop3d")
POLICY_RC_D = Path("/usr/sbin/policy-rc.d")

INSTALL_TIMEOUT_S = 500.0
READY_TIMEOUT_S = 30.0


class Unavailable(Exception):
    """Postfix/Dovecot cannot be installed or run here; the message is the reason to skip."""


# -- installing ------------------------------------------------------------------------------------


def install_needed() -> bool:
    return bool(_missing_packages())


def _missing_packages() -> list[str]:
    missing = []
    if not (POSTFIX.exists() and Path("/usr/sbin/postconf").exists()):
        missing.append("postfix")
    if not (DOVECOT.exists() and Path("/usr/lib/dovecot/auth").exists()):
        missing.append("dovecot-core")
    # The IMAP and POP3 servers of tests/integration/dovecot_mail.py.
    if not Path("/usr/lib/dovecot/imap").exists():
        missing.append("dovecot-imapd")
    if not Path("/usr/lib/dovecot/pop3").exists():
        missing.append("dovecot-pop3d")
    return missing


def _run(
    cmd: list[str], timeout: float, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def _run_daemon(cmd: list[str], log: Path, timeout: float) -> tuple[int, str]:
    """Run a command that leaves a daemon behind. Its output goes to a file, not a pipe: a pipe
    inherited by the daemon would never reach end-of-file."""
    with log.open("a+") as out:
        start = out.tell()
        proc = subprocess.run(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=timeout,
            check=False,
        )
        out.seek(start)
        return proc.returncode, out.read()


def ensure_installed() -> None:
    """Install Postfix and Dovecot when missing; raise `Unavailable` with a reason when we cannot."""
    if not hasattr(os, "geteuid"):
        raise Unavailable("a real Postfix needs a Debian-like system (this is not POSIX)")
    missing = _missing_packages()
    if not missing:
        if os.geteuid() != 0:
            raise Unavailable("Postfix is installed, but running a Postfix instance needs root")
        return
    if os.geteuid() != 0:
        raise Unavailable(
            f"{' and '.join(missing)} not installed and installing needs root "
            f"(run as root, or: apt-get install {' '.join(PACKAGES)})"
        )
    apt = shutil.which("apt-get")
    if apt is None:
        raise Unavailable(f"{' and '.join(missing)} not installed and there is no apt-get here")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive", LC_ALL="C")
    # "No configuration": the package then writes no main.cf and has nothing to start.
    if shutil.which("debconf-set-selections"):
        subprocess.run(
            ["debconf-set-selections"],
            input="postfix postfix/main_mailer_type select No configuration\n",
            text=True,
            capture_output=True,
            timeout=60,
            check=False,
        )
    install = [
        apt,
        "install",
        "-y",
        "--no-install-recommends",
        "-o",
        "DPkg::Lock::Timeout=300",
        "-o",
        "Dpkg::Options::=--force-confdef",
        "-o",
        "Dpkg::Options::=--force-confold",
        *PACKAGES,
    ]
    with _services_not_started():
        proc = _run(install, INSTALL_TIMEOUT_S, env)
        if proc.returncode != 0:
            # A fresh machine may have no (or stale) package lists.
            _run([apt, "update", "-o", "DPkg::Lock::Timeout=300"], INSTALL_TIMEOUT_S, env)
            proc = _run(install, INSTALL_TIMEOUT_S, env)
    _stop_system_services()
    if proc.returncode != 0 or _missing_packages():
        raise RuntimeError(
            f"apt-get install {' '.join(PACKAGES)} failed (exit {proc.returncode}):\n"
            f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
        )


@contextlib.contextmanager
def _services_not_started() -> Iterator[None]:
    """Keep maintainer scripts from starting services (the Debian policy-rc.d convention)."""
    if POLICY_RC_D.exists():
        yield
        return
    POLICY_RC_D.write_text(
        "#!/bin/sh\n# temporary, written by tests/integration/postfix_mta.py\nexit 101\n"
    )
    POLICY_RC_D.chmod(0o755)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            POLICY_RC_D.unlink()


def _stop_system_services() -> None:
    """If the install started the system Postfix or Dovecot anyway, stop them (we just installed
    them, so nobody relies on them): nothing must stay listening on port 25 of every interface."""
    if Path("/etc/postfix/main.cf").exists() and _run([str(POSTFIX), "status"], 30).returncode == 0:
        _run([str(POSTFIX), "stop"], 60)
    if Path("/run/dovecot/master.pid").exists():
        _run([str(DOVECOT), "stop"], 60)
    systemctl = shutil.which("systemctl")
    if systemctl and Path("/run/systemd/system").exists():
        for unit in ("postfix.service", "dovecot.service"):
            _run([systemctl, "stop", unit], 60)


# -- the instance ----------------------------------------------------------------------------------


def free_ports(count: int) -> list[int]:
    """Distinct free loopback ports (held open together so they differ, then released)."""
    socks = []
    try:
        for _ in range(count):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def _dovecot_version() -> tuple[int, int]:
    out = _run([str(DOVECOT), "--version"], 30).stdout.strip()
    try:
        major, minor = out.split()[0].split(".")[:2]
        return int(major), int(minor)
    except (ValueError, IndexError):
        raise RuntimeError(f"cannot read the Dovecot version from {out!r}") from None


@dataclass
class PostfixMTA:
    """One running Postfix + Dovecot pair. Use `start()` / `stop()` or `running()`."""

    base: Path
    ca: trustme.CA
    plain_port: int
    plain_auth_port: int
    submission_port: int
    smtps_port: int
    hosted_port: int
    host: str = MAIL_HOST
    address: str = USER_ADDRESS
    password: str = USER_PASSWORD
    _postfix_started: bool = field(default=False, repr=False)
    _dovecot_started: bool = field(default=False, repr=False)

    @classmethod
    def create(cls) -> PostfixMTA:
        base = Path(tempfile.mkdtemp(prefix="postfix-mta-"))
        base.chmod(0o755)  # postfix and dovecot's unprivileged users must reach their files
        plain, plain_auth, submission, smtps, hosted = free_ports(5)
        return cls(base, trustme.CA(), plain, plain_auth, submission, smtps, hosted)

    # paths
    @property
    def conf(self) -> Path:
        return self.base / "postfix"

    @property
    def queue(self) -> Path:
        return self.base / "queue"

    @property
    def maillog(self) -> Path:
        return self.base / "maillog"

    @property
    def dovecot_conf(self) -> Path:
        return self.base / "dovecot" / "dovecot.conf"

    @property
    def dovecot_log(self) -> Path:
        return self.base / "dovecot" / "dovecot.log"

    @property
    def auth_socket(self) -> Path:
        return self.queue / "private" / "auth"

    # -- for the probe ---------------------------------------------------------------------------

    def resolver(self, host: str, port: int) -> list[Address]:
        """Only our test names exist, and they are loopback (`OTHER_NAME` is not in the cert)."""
        if host.rstrip(".").lower() in (self.host, OTHER_NAME, HOSTING_NAME):
            return [(socket.AF_INET, ("127.0.0.1", port))]
        raise NameNotFound(host)

    def tls_context(self) -> ssl.SSLContext:
        """A verifying client context that trusts only the test CA."""
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        self.ca.configure_trust(ctx)
        return ctx

    def log_lines(self, service: str, containing: str, timeout: float = 10.0) -> list[str]:
        """Postfix's log lines of one listener (`plain`, `plainauth`, `submission`, `smtps`) that
        contain a text, waiting (bounded) for the first one: the log is written asynchronously."""
        tag = f"postfix/{service}/smtpd["
        deadline = time.monotonic() + timeout
        while True:
            try:
                text = self.maillog.read_text(errors="replace")
            except OSError:
                text = ""
            found = [line for line in text.splitlines() if tag in line and containing in line]
            if found or time.monotonic() > deadline:
                return found
            time.sleep(0.05)

    def log_tail(self, chars: int = 4000) -> str:
        parts = []
        for path in (self.maillog, self.dovecot_log):
            with contextlib.suppress(OSError):
                parts.append(f"--- {path.name} ---\n{path.read_text(errors='replace')[-chars:]}")
        return "\n".join(parts)

    # -- life cycle ------------------------------------------------------------------------------

    def start(self) -> None:
        try:
            self._write_files()
            self._start_dovecot()
            self._start_postfix()
            self._wait_ready()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        if self._postfix_started:
            _run([str(POSTFIX), "-c", str(self.conf), "stop"], 60)
            self._postfix_started = False
        if self._dovecot_started:
            pidfile = self.base / "dovecot" / "run" / "master.pid"
            pid = _read_pid(pidfile)
            _run([str(DOVECOT), "-c", str(self.dovecot_conf), "stop"], 60)
            if pid:
                _wait_gone(pid, 10.0)
            self._dovecot_started = False
        shutil.rmtree(self.base, ignore_errors=True)

    @contextlib.contextmanager
    def running(self) -> Iterator[PostfixMTA]:
        self.start()
        try:
            yield self
        finally:
            self.stop()

    @classmethod
    @contextlib.contextmanager
    def started(cls, attempts: int = 3) -> Iterator[PostfixMTA]:
        """Create and start an instance; new ports if one was taken between choosing and binding."""
        for attempt in range(1, attempts + 1):
            mta = cls.create()
            try:
                mta.start()
            except RuntimeError as exc:
                if "Address already in use" in str(exc) and attempt < attempts:
                    continue
                raise
            break
        try:
            yield mta
        finally:
            mta.stop()

    # -- configuration ---------------------------------------------------------------------------

    def _write_files(self) -> None:
        postfix_user = pwd.getpwnam("postfix")
        self.conf.mkdir()
        self.queue.mkdir(mode=0o755)
        data = self.base / "data"
        data.mkdir(mode=0o700)
        os.chown(data, postfix_user.pw_uid, postfix_user.pw_gid)  # postfix insists on this
        (self.base / "dovecot").mkdir()

        cert = self.ca.issue_cert(self.host)
        key_file, chain_file = self.conf / "key.pem", self.conf / "chain.pem"
        cert.private_key_pem.write_to_path(str(key_file))
        key_file.chmod(0o600)
        with chain_file.open("wb") as fh:
            for blob in cert.cert_chain_pems:
                fh.write(blob.bytes())

        hosting = self.ca.issue_cert(HOSTING_NAME)
        hosting_key, hosting_chain = self.conf / "hosting-key.pem", self.conf / "hosting-chain.pem"
        hosting.private_key_pem.write_to_path(str(hosting_key))
        hosting_key.chmod(0o600)
        with hosting_chain.open("wb") as fh:
            for blob in hosting.cert_chain_pems:
                fh.write(blob.bytes())

        (self.conf / "main.cf").write_text(self._main_cf(key_file, chain_file))
        (self.conf / "master.cf").write_text(self._master_cf())

        passwd = self.base / "dovecot" / "passwd"
        passwd.write_text(f"{self.address}:{{PLAIN}}{self.password}::::::\n")
        passwd.chmod(0o644)
        self.dovecot_conf.write_text(self._dovecot_conf(passwd))

    def _main_cf(self, key_file: Path, chain_file: Path) -> str:
        never = "error:this test server never delivers mail"
        return f"""\
# Written by tests/integration/postfix_mta.py: a loopback-only test instance.
compatibility_level = 3.6
queue_directory = {self.queue}
data_directory = {self.base / "data"}
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = {self.host}
mydomain = postfix.test
myorigin = $myhostname
mydestination =
relay_domains =
mynetworks = 127.0.0.0/8
alias_maps =
alias_database =
local_recipient_maps =
# Nothing may leave the machine: every transport is an error, there is no smtp client in master.cf.
default_transport = {never}
relay_transport = {never}
local_transport = {never}
virtual_transport = {never}
fallback_transport =
# No DNS either: the client's name is not looked up (it would be a query to the system resolver).
smtpd_peername_lookup = no
smtpd_relay_restrictions = permit_sasl_authenticated, reject
smtpd_recipient_restrictions = reject
smtpd_banner = $myhostname ESMTP test instance
biff = no
# Without syslog start-up errors are silent unless they go to a file.
maillog_file = {self.maillog}
maillog_file_prefixes = {self.base}
smtpd_tls_chain_files = {key_file}, {chain_file}
smtpd_tls_security_level = may
smtpd_tls_loglevel = 1
smtpd_tls_auth_only = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = private/auth
smtpd_sasl_auth_enable = no
smtpd_sasl_security_options = noanonymous
smtpd_error_sleep_time = 0
tls_random_source = dev:/dev/urandom
"""

    def _master_cf(self) -> str:
        def smtpd(port: int, name: str, *options: str) -> str:
            # A syslog_name per listener tells the ports apart in the log (see `log_lines`).
            lines = [f"127.0.0.1:{port} inet n - n - - smtpd", f"  -o syslog_name=postfix/{name}"]
            lines += [f"  -o {opt}" for opt in options]
            return "\n".join(lines)

        listeners = [
            smtpd(
                self.plain_port,
                "plain",
                "smtpd_tls_security_level=none",
                "smtpd_sasl_auth_enable=no",
            ),
            smtpd(
                self.plain_auth_port,
                "plainauth",
                "smtpd_tls_security_level=none",
                "smtpd_tls_auth_only=no",
                "smtpd_sasl_auth_enable=yes",
            ),
            smtpd(
                self.submission_port,
                "submission",
                "smtpd_tls_security_level=encrypt",
                "smtpd_tls_auth_only=yes",
                "smtpd_sasl_auth_enable=yes",
            ),
            smtpd(
                self.smtps_port,
                "smtps",
                "smtpd_tls_wrappermode=yes",
                "smtpd_tls_security_level=encrypt",
                "smtpd_sasl_auth_enable=yes",
            ),
            # Like smtps, but the certificate names only the hosting company's server.
            smtpd(
                self.hosted_port,
                "hosted",
                "smtpd_tls_wrappermode=yes",
                "smtpd_tls_security_level=encrypt",
                "smtpd_sasl_auth_enable=yes",
                f"smtpd_tls_chain_files={self.conf / 'hosting-key.pem'},"
                f"{self.conf / 'hosting-chain.pem'}",
            ),
        ]
        # The internal services Postfix needs; chroot off. No smtp/relay/local/virtual delivery.
        services = """\
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
"""
        return (
            "# Written by tests/integration/postfix_mta.py\n"
            + "\n".join(listeners)
            + "\n"
            + services
        )

    def _dovecot_conf(self, passwd: Path) -> str:
        run_dir = self.base / "dovecot" / "run"
        state_dir = self.base / "dovecot" / "state"
        major, minor = _dovecot_version()
        if (major, minor) >= (2, 4):
            # Dovecot 2.4 renamed most settings. Written from its documentation; the machines this
            # project runs on (Debian 12) have 2.3, the branch below, which is what CI exercises.
            return f"""\
# Written by tests/integration/postfix_mta.py: auth service only, for Postfix SASL.
dovecot_config_version = {major}.{minor}.0
dovecot_storage_version = {major}.{minor}.0
base_dir = {run_dir}
state_dir = {state_dir}
log_path = {self.dovecot_log}
protocols =
listen = 127.0.0.1
ssl = no
auth_allow_cleartext = yes
auth_mechanisms = plain login
auth_failure_delay = 0
# Dovecot delays failed sign-ins from one address more and more (2, 4, 8 … s, the "auth penalty"):
# keep the wrong-password tests fast by switching it off, the documented way.
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
passdb passwd-file {{
  passwd_file_path = {passwd}
}}
userdb static {{
  fields {{
    uid = nobody
    gid = nogroup
    home = /nonexistent
  }}
}}
service auth {{
  unix_listener {self.auth_socket} {{
    mode = 0660
    user = postfix
    group = postfix
  }}
}}
"""
        return f"""\
# Written by tests/integration/postfix_mta.py: auth service only, for Postfix SASL.
base_dir = {run_dir}
state_dir = {state_dir}
log_path = {self.dovecot_log}
protocols = none
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
# Dovecot delays failed sign-ins from one address more and more (2, 4, 8 … s, the "auth penalty"):
# keep the wrong-password tests fast by switching it off, the documented way.
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
  args = uid=nobody gid=nogroup home=/nonexistent
}}
service auth {{
  unix_listener {self.auth_socket} {{
    mode = 0660
    user = postfix
    group = postfix
  }}
}}
"""

    # -- starting --------------------------------------------------------------------------------

    def _start_postfix(self) -> None:
        conf = str(self.conf)
        # `check` creates the queue's subdirectories with the right owners and validates the config.
        check = _run([str(POSTFIX), "-c", conf, "check"], 60)
        if check.returncode != 0:
            raise RuntimeError(
                f"postfix check failed:\n{check.stdout}{check.stderr}\n{self.log_tail()}"
            )
        self._postfix_started = True
        code, output = _run_daemon([str(POSTFIX), "-c", conf, "start"], self.base / "start.log", 60)
        if code != 0:
            raise RuntimeError(f"postfix start failed:\n{output}\n{self.log_tail()}")

    def _start_dovecot(self) -> None:
        # The auth listener lives in Postfix's private/ directory; it must exist before Dovecot.
        private = self.queue / "private"
        private.mkdir(exist_ok=True)
        postfix_user = pwd.getpwnam("postfix")
        os.chown(private, postfix_user.pw_uid, -1)
        private.chmod(0o700)
        self._dovecot_started = True
        code, output = _run_daemon(
            [str(DOVECOT), "-c", str(self.dovecot_conf)], self.base / "start.log", 60
        )
        if code != 0:
            raise RuntimeError(f"dovecot failed to start:\n{output}\n{self.log_tail()}")
        deadline = time.monotonic() + READY_TIMEOUT_S
        while not self.auth_socket.exists():
            if time.monotonic() > deadline:
                raise RuntimeError(f"dovecot's auth socket never appeared\n{self.log_tail()}")
            time.sleep(0.05)

    def _wait_ready(self) -> None:
        """Poll until every port accepts and the plain ones greet (bounded, no fixed sleep)."""
        deadline = time.monotonic() + READY_TIMEOUT_S
        pending = {
            self.plain_port: True,
            self.plain_auth_port: True,
            self.submission_port: True,
            self.smtps_port: False,  # implicit TLS: the server waits for our handshake
            self.hosted_port: False,
        }
        last_error = ""
        while pending:
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"postfix did not answer on ports {sorted(pending)} within {READY_TIMEOUT_S:g} s "
                    f"({last_error})\n{self.log_tail()}"
                )
            for port, greets in list(pending.items()):
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=2.0) as sock:
                        if greets:
                            sock.settimeout(5.0)
                            first = sock.recv(512)
                            if not first.startswith(b"220"):
                                last_error = f"port {port} said {first[:80]!r}"
                                continue
                            sock.sendall(b"QUIT\r\n")
                    del pending[port]
                except OSError as exc:
                    last_error = f"port {port}: {exc}"
            if pending:
                time.sleep(0.1)


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _wait_gone(pid: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        except PermissionError:
            return
        time.sleep(0.05)
