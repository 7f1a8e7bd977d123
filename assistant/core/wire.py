"""Reading and writing mail-protocol lines with the safety rules a hostile server demands.

Lines are what SMTP, IMAP and POP3 have in common; `read_reply` is SMTP's reply format, and the IMAP
and POP3 response formats are read line by line in `imap.py` and `pop3.py`.

- Every blocking call is bounded by the probe's deadline (see `stopper`).
- Lines longer than 8 KiB and replies of more than 100 lines are refused: we report them, we do not
  buffer a server's flood.
- Bytes that arrive when no reply was expected (e.g. extra lines after the greeting, or plain text
  buffered before a TLS handshake) are recorded as evidence and thrown away, never interpreted.
- Server text is cleaned (control characters and terminal escapes removed, length capped) before it
  reaches a transcript, so it can be shown without spoofing our own words.
- The transcript never holds what follows AUTH: those lines are replaced by a placeholder.
"""

from __future__ import annotations

import re
import socket
import ssl

from assistant.core.gil_turns import waiting
from assistant.core.models import Reply
from assistant.core.stopper import Stopped, Stopper
from assistant.i18n import N_, Worded

MAX_LINE = 8192
MAX_REPLY_LINES = 100
SHOWN_TEXT_MAX = 200
REDACTED = "<hidden: sign-in data>"

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-Z\\-_]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_REPLY_LINE = re.compile(rb"^(\d{3})([ -]|$)(.*)$", re.DOTALL)


class ProtocolError(Exception):
    """The peer did not speak the protocol. `why` is our sentence (kept untranslated, worded
    where it is shown); `raw` is the cleaned start of what it sent."""

    def __init__(self, why: Worded, raw: str = "") -> None:
        super().__init__(why)
        self.why = why
        self.raw = raw


class LineTooLong(ProtocolError):
    pass


class ResponseTooLarge(ProtocolError):
    """An IMAP literal or a list of untagged lines larger than any sign-in conversation needs."""


class QuietPeer(Exception):
    """The peer sent nothing within a short wait that is not the probe's deadline."""


class PeerClosed(Exception):
    """The peer closed (`reset` True: with a TCP reset) before a complete reply."""

    def __init__(self, reset: bool) -> None:
        self.why = Worded(N_("connection reset") if reset else N_("connection closed"))
        super().__init__(self.why)
        self.reset = reset


def clean_text(raw: bytes | str, limit: int = SHOWN_TEXT_MAX) -> str:
    """Server text made safe to show: no escapes, no control characters, bounded length."""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    text = _CONTROL.sub("", _ANSI.sub("", text))
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Wire:
    def __init__(self, sock: socket.socket, stopper: Stopper, transcript: list[str]) -> None:
        self.sock = sock
        self.stopper = stopper
        self.transcript = transcript
        self._buffer = b""

    # -- reading -------------------------------------------------------------------------------

    def _fill(self, wait: float | None = None) -> None:
        limit = self.stopper.op_timeout()
        self.sock.settimeout(limit if wait is None else min(wait, limit))
        try:
            with waiting(self.stopper):
                data = self.sock.recv(4096)
        except (TimeoutError, ssl.SSLError, OSError) as exc:
            if (
                isinstance(exc, TimeoutError)
                and wait is not None
                and self.stopper.reason is None
                and self.stopper.remaining() > 0
            ):
                raise QuietPeer() from None  # only the shorter `wait` ran out, not the deadline
            if (stop := self.stopper.stopped_by(exc)) is not None:
                raise stop from None
            if isinstance(exc, ConnectionResetError):
                raise PeerClosed(reset=True) from None
            raise PeerClosed(reset=isinstance(exc, ConnectionError)) from None
        if not data:
            if self.stopper.reason is not None:
                raise Stopped()
            raise PeerClosed(reset=False)
        self._buffer += data

    def read_line(self, wait: float | None = None) -> bytes:
        while True:
            end = self._buffer.find(b"\n")
            if end >= 0:
                line, self._buffer = self._buffer[: end + 1], self._buffer[end + 1 :]
                if len(line) > MAX_LINE:
                    raise LineTooLong(Worded(N_("reply line too long")), clean_text(line[:80]))
                return line.rstrip(b"\r\n")
            if len(self._buffer) > MAX_LINE:
                raise LineTooLong(Worded(N_("reply line too long")), clean_text(self._buffer[:80]))
            self._fill(wait)

    def read_exact(self, count: int) -> bytes:
        """Exactly `count` bytes (an IMAP literal); the caller bounds `count` before asking."""
        while len(self._buffer) < count:
            self._fill()
        data, self._buffer = self._buffer[:count], self._buffer[count:]
        return data

    def wait_for_data(self, wait: float) -> bool:
        """True once the peer has sent something; False if it stayed quiet for `wait` seconds."""
        if self._buffer:
            return True
        try:
            self._fill(wait)
        except QuietPeer:
            return False
        return True

    @property
    def has_partial_data(self) -> bool:
        return bool(self._buffer)

    def read_reply(self, wait: float | None = None) -> Reply:
        """Read one complete reply; `wait` caps the time for replies we can live without (QUIT)."""
        code: bytes | None = None
        lines: list[str] = []
        while True:
            raw = self.read_line(wait)
            match = _REPLY_LINE.match(raw)
            if match is None or (code is not None and match.group(1) != code):
                shown = clean_text(raw, 80)
                self.transcript.append(f"S: {shown}")
                raise ProtocolError(Worded(N_("not an SMTP reply")), shown)
            code = match.group(1)
            text = clean_text(match.group(3).strip())
            lines.append(text)
            self.transcript.append(f"S: {code.decode()}{match.group(2).decode() or ' '}{text}")
            if len(lines) > MAX_REPLY_LINES:
                raise ProtocolError(Worded(N_("reply has too many lines")), text)
            if match.group(2) != b"-":
                return Reply(int(code), tuple(lines))

    def take_unexpected(self) -> str | None:
        """Remove and return (cleaned) anything the peer sent that no command asked for."""
        if not self._buffer:
            return None
        data, self._buffer = self._buffer, b""
        return clean_text(data, 300)

    # -- writing -------------------------------------------------------------------------------

    def send(self, line: str, shown: str | None = None) -> None:
        """Send one command. `shown` replaces the line in the transcript (for secrets)."""
        self.transcript.append(f"C: {shown if shown is not None else line}")
        self.sock.settimeout(self.stopper.op_timeout())
        try:
            with waiting(self.stopper):
                self.sock.sendall(line.encode("utf-8") + b"\r\n")
        except OSError as exc:
            if (stop := self.stopper.stopped_by(exc)) is not None:
                raise stop from None
            raise PeerClosed(reset=True) from None

    def command(self, line: str, shown: str | None = None) -> Reply:
        self.send(line, shown)
        return self.read_reply()
