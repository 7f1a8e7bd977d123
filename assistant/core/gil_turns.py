"""One probe thread runs Python at a time; any number wait on the network at once.

Why: probes spend their life waiting on sockets with the GIL released. When several wake together
(ten TLS handshakes finishing within a few milliseconds), all of them want the GIL, and the window's
thread, asking for it too, can wait behind every one of them: CPython hands the GIL over in no
particular order, one switch interval at a time. Taking a turn first means at most one probe
competes with the window for the GIL; the others wait on this lock, which releases the GIL while
they wait. Network waits happen outside the turn, so probes still overlap fully (the benchmark
`bench/bench_probe.py` checks that parallelism is intact).

Waiting for a turn is bounded by the probe's stopper, so a deadline or a Cancel still ends a probe
on time even if another one misbehaved while holding the turn.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from assistant.core.stopper import Stopper

_turn = threading.Lock()
_holding = threading.local()
_POLL_S = 0.05


def _take(stopper: Stopper) -> None:
    while not _turn.acquire(timeout=min(_POLL_S, max(0.0, stopper.remaining()))):
        stopper.check()  # raises Stopped on deadline or cancel
    _holding.value = True


def _give() -> None:
    if getattr(_holding, "value", False):
        _holding.value = False
        _turn.release()


@contextmanager
def turn(stopper: Stopper) -> Iterator[None]:
    """Hold the turn for a whole probe (released around every network wait)."""
    _take(stopper)
    try:
        yield
    finally:
        _give()


@contextmanager
def waiting(stopper: Stopper) -> Iterator[None]:
    """Around a blocking network call: let another probe run Python meanwhile."""
    held = getattr(_holding, "value", False)
    if held:
        _give()
    try:
        yield
    finally:
        if held:
            _take(stopper)
