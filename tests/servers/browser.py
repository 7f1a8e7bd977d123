"""A scripted stand-in for the person's web browser.

Given the sign-in address, it does what a browser and a person agreeing would do: GET the
authorization page over HTTPS (trusting only the test CA), take the redirect it answers with, and
GET that address on the loopback listener, keeping the page shown. `behaviour="close"` is the
person closing the window: the address is noted and nothing is followed.

Used in-process as the injected opener, and as a program (`python -m tests.servers.browser URL`,
CA file in $MAILSETUP_TEST_CA) for `$BROWSER` in a real `mailsetup check --oauth` run.
"""

from __future__ import annotations

import http.client
import os
import ssl
import sys
import threading
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class ScriptedBrowser:
    context: ssl.SSLContext
    behaviour: str = "follow"
    opened: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    url_seen: threading.Event = field(default_factory=threading.Event)
    finished: threading.Event = field(default_factory=threading.Event)

    def __call__(self, url: str) -> bool:
        self.opened.append(url)
        self.url_seen.set()
        if self.behaviour == "close":
            return True
        threading.Thread(target=self._follow, args=(url,), daemon=True).start()
        return True

    def _follow(self, url: str) -> None:
        try:
            self.pages.append(follow(url, self.context))
        except Exception as exc:  # a test asserts on `errors`
            self.errors.append(repr(exc))
        finally:
            self.finished.set()


def follow(url: str, context: ssl.SSLContext) -> str:
    """GET the authorization URL, then the loopback redirect it points to; the final page text."""
    parts = urlsplit(url)
    assert parts.scheme == "https" and parts.hostname in ("127.0.0.1", "::1"), url
    conn = http.client.HTTPSConnection(parts.hostname, parts.port, context=context, timeout=10)
    conn.request("GET", f"{parts.path}?{parts.query}")
    answer = conn.getresponse()
    location = answer.getheader("Location") or ""
    answer.read()
    conn.close()
    if answer.status != 302:
        raise RuntimeError(f"authorization page answered {answer.status}")
    back = urlsplit(location)
    assert back.scheme == "http" and back.hostname == "127.0.0.1", location
    plain = http.client.HTTPConnection(back.hostname, back.port, timeout=10)
    plain.request("GET", f"{back.path or '/'}?{back.query}")
    page = plain.getresponse().read().decode("utf-8", "replace")
    plain.close()
    return page


def main(argv: list[str]) -> int:
    context = ssl.create_default_context(cafile=os.environ["MAILSETUP_TEST_CA"])
    follow(argv[0], context)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
