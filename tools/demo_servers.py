"""Demo mail servers on loopback, for the screenshots in docs/ and for trying the wizard by hand.

Starts, on 127.0.0.1 (the real port numbers when run as root, else 8000 + the last three digits):
  465   implicit TLS (SSL/TLS) with sign-in        → the recommendation
  587   STARTTLS with sign-in                      → "works too"
  25    a listener that never answers (full backlog) → "Blocked", like a home ISP blocking port 25
  26, 2525  closed                                 → "Not offered"
  993   IMAP, implicit TLS, with sign-in           → the receiving recommendation
  143   IMAP, STARTTLS, with sign-in
  995   POP3, implicit TLS, with sign-in
  110   POP3, closed
Certificates come from a throwaway trustme CA for `localhost` and 127.0.0.1; the CA is written to a
file and SSL_CERT_FILE must point at it, so the assistant's normal trust path (truststore → OpenSSL
default paths, which honour SSL_CERT_FILE on Linux) verifies the servers exactly as it would a real one.

    .venv/bin/python tools/demo_servers.py --screenshots docs/screenshots you@example.com
    .venv/bin/python tools/demo_servers.py            # keep running; prints the command to use

The results page in three situations (docs/screenshots/results-*.png):
    .venv/bin/python tools/demo_servers.py --screenshots DIR you@example.com --size 800x1000
    .venv/bin/python tools/demo_servers.py --screenshots DIR you@example.com --size 800x1000 \
        --password wrong-password                        # the password refused
    .venv/bin/python tools/demo_servers.py --screenshots DIR bob@gmial.com --size 800x1000 \
        --no-such-names                                  # a mistyped domain: no server name exists
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aiosmtpd.controller import Controller  # noqa: E402

from tests.servers.certs import TestPKI  # noqa: E402
from tests.servers.farm import CANARY_PASSWORD, _Sink, password_authenticator  # noqa: E402
from tests.servers.scripted import ScriptedServer  # noqa: E402
from tests.servers.scripted_incoming import (  # noqa: E402
    ImapScript,
    Pop3Script,
    imap_handler,
    pop3_handler,
)

HOST = "localhost"


class Blackhole:
    """A listener on a fixed port whose accept queue is full: connects get no answer (a firewall)."""

    def __init__(self, port: int) -> None:
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", port))
        self.listener.listen(0)
        self.port = port
        self.fillers: list[socket.socket] = []
        for _ in range(64):
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(("127.0.0.1", port))
            self.fillers.append(filler)
            if self._full():
                break

    def _full(self) -> bool:
        with socket.socket() as probe:
            probe.settimeout(0.2)
            return probe.connect_ex(("127.0.0.1", self.port)) != 0

    def close(self) -> None:
        for sock in (*self.fillers, self.listener):
            sock.close()


def start(low_ports: bool, refuse_sign_in: bool = False) -> tuple[dict[str, int], Path, list[object]]:
    """The demo servers. The SMTP ones check the password; the scripted IMAP/POP3 ones answer
    from a script, so `refuse_sign_in` makes them refuse it as a real server would refuse a wrong
    one (else a wrong password would be "accepted" for receiving and refused for sending)."""
    pki = TestPKI.create()
    ctx = pki.server_context(HOST, "127.0.0.1")
    base = 0 if low_ports else 8000
    ports = {"tls": base + 465, "starttls": base + 587}
    keep: list[object] = []
    tls = Controller(
        _Sink([]), hostname="127.0.0.1", port=ports["tls"], server_hostname=HOST, ssl_context=ctx,
        authenticator=password_authenticator(), auth_require_tls=False,
    )
    starttls = Controller(
        _Sink([]), hostname="127.0.0.1", port=ports["starttls"], server_hostname=HOST, tls_context=ctx,
        require_starttls=True, auth_require_tls=True, authenticator=password_authenticator(),
    )
    for controller in (tls, starttls):
        controller.start()
        keep.append(controller)
    backlog = Blackhole(base + 25)
    keep.append(backlog)
    ports["blocked"] = backlog.port
    imap_no = {"auth_replies": (b"NO [AUTHENTICATIONFAILED] Authentication failed.",)}
    pop3_no = {"auth_replies": (b"-ERR [AUTH] Authentication failed.\r\n",)}
    imap_words: dict[str, Any] = imap_no if refuse_sign_in else {}
    pop3_words: dict[str, Any] = pop3_no if refuse_sign_in else {}
    incoming = {
        "imaps": imap_handler(ImapScript(tls_context=ctx, implicit_tls=True, **imap_words)),
        "imap": imap_handler(ImapScript(tls_context=ctx, **imap_words)),
        "pop3s": pop3_handler(Pop3Script(tls_context=ctx, implicit_tls=True, **pop3_words)),
    }
    for name, handler in incoming.items():
        port = base + {"imaps": 993, "imap": 143, "pop3s": 995}[name]
        keep.append(ScriptedServer(handler, port=port))
        ports[name] = port
    ports["pop3"] = base + 110
    ca = pki.ca_pem_file()
    return ports, ca, keep


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--screenshots", nargs=2, metavar=("DIR", "ADDRESS"))
    parser.add_argument("--dark", action="store_true")
    parser.add_argument(
        "--scale", default=None, help="QT_SCALE_FACTOR for the pictures (on a 1280x900 screen)"
    )
    parser.add_argument("--size", default=None, help="window size (default: what fits the screen)")
    parser.add_argument("--password", default=CANARY_PASSWORD, help="typed on the sign-in page")
    parser.add_argument(
        "--no-such-names",
        action="store_true",
        help="no server name exists (a mistyped domain): the usual guesses are tested, offline",
    )
    parser.add_argument(
        "extra", nargs=argparse.REMAINDER, help="after --: more options for the screenshots"
    )
    args = parser.parse_args()
    if args.no_such_names and args.screenshots:
        return _no_such_names(*args.screenshots, args.size)
    low = os.geteuid() == 0 if hasattr(os, "geteuid") else False
    ports, ca, keep = start(low, refuse_sign_in=args.password != CANARY_PASSWORD)
    extra = "26,2525" if low else "8026,8525"
    spec = f"{ports['tls']}/tls,{ports['starttls']}/starttls,{ports['blocked']}/starttls,{extra}"
    env = dict(os.environ, SSL_CERT_FILE=str(ca))
    both = (
        f"{spec},imap:{ports['imaps']}/tls,imap:{ports['imap']}/starttls,"
        f"pop3:{ports['pop3s']}/tls,pop3:{ports['pop3']}/starttls"
    )
    try:
        if args.screenshots:
            folder, address = args.screenshots
            code = (
                "import sys; from assistant.gui.screenshots import run_screenshots; "
                "sys.exit(run_screenshots(sys.argv[1:]))"
            )
            # The demo servers accept this password, so the sign-in shows as accepted.
            # Both halves, as the wizard tests them: receiving (IMAP, POP3) and sending (SMTP).
            cmd = [sys.executable, "-c", code, folder, address, "--host", HOST, "--ports", both,
                   "--timeout", "4", "--password-stdin"]
            if args.size:
                cmd += ["--size", args.size]
            if args.dark:
                cmd.append("--dark")
            cmd += [a for a in args.extra if a != "--"]
            if args.scale:
                import tempfile

                screen = Path(tempfile.mkstemp(suffix=".json")[1])
                screen.write_text(
                    '{"screens": [{"name": "s", "x": 0, "y": 0, "width": 1280, "height": 900}]}'
                )
                env.update(
                    QT_SCALE_FACTOR=args.scale, QT_QPA_PLATFORM=f"offscreen:configfile={screen}"
                )
            return subprocess.run(
                cmd, env=env, cwd=ROOT, input=args.password + "\n", text=True, check=False
            ).returncode
        print(f"SSL_CERT_FILE={ca} mailsetup check you@example.com --host {HOST} --ports {spec}")
        print(
            f"both halves: SSL_CERT_FILE={ca} mailsetup check you@example.com --host {HOST} --ports {both}"
        )
        print("Press Ctrl+C to stop.")
        try:
            import threading

            threading.Event().wait()
        except KeyboardInterrupt:
            pass
        return 0
    finally:
        for item in keep:
            stop = getattr(item, "stop", None) or getattr(item, "close", None)
            if stop is not None:
                stop()
        ca.unlink(missing_ok=True)


def _no_such_names(folder: str, address: str, size: str | None) -> int:
    """The wizard for an address whose domain has no servers: discovery finds nothing in the
    built-in list, and the engine's resolver hook answers "no such name" for every guess, so
    nothing leaves this machine (not even a DNS question)."""
    from assistant.core.network import NameNotFound
    from assistant.core.probe import ProbeSettings
    from assistant.gui.screenshots import run_screenshots

    def nothing_exists(host: str, port: int) -> list[object]:
        raise NameNotFound(host)

    return run_screenshots(
        [folder, address, "--offline", "--timeout", "4", *(["--size", size] if size else [])],
        settings_factory=lambda: ProbeSettings(timeout=4, resolver=nothing_exists),
    )


if __name__ == "__main__":
    raise SystemExit(main())
