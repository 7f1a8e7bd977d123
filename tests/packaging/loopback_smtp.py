"""Run one command beside a plain aiosmtpd server on 127.0.0.1 (used inside a network namespace).

    python -m tests.packaging.loopback_smtp COMMAND ARG… ("{port}" in an argument becomes the port)

Prints the command's standard output and error and exits with its exit code. The server accepts mail
into memory only; it offers no STARTTLS and no AUTH, so the assistant must call it plain text only.
"""

from __future__ import annotations

import socket
import subprocess
import sys

from aiosmtpd.controller import Controller


class _Sink:
    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main(argv: list[str]) -> int:
    port = _free_port()
    controller = Controller(_Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        command = [arg.replace("{port}", str(port)) for arg in argv]
        proc = subprocess.run(command, capture_output=True, text=True, timeout=120)
    finally:
        controller.stop()
    sys.stdout.write(proc.stdout)
    sys.stderr.write(proc.stderr)
    return proc.returncode


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
