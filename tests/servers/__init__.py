"""Real SMTP servers on loopback for the tests: aiosmtpd ones, scripted hostile ones, and faults.

Everything listens on 127.0.0.1 (or ::1) on a free port chosen at start; nothing here ever talks to
another address. `Loopback` (the `loopback` fixture) starts them and hands out `ProbeSettings` whose
resolver maps the test names to loopback and whose TLS context trusts only the test CA.
"""

from tests.servers.farm import Loopback, Server

__all__ = ["Loopback", "Server"]
