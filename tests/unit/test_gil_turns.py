"""Probe threads take turns to run Python, but wait on the network side by side."""

from __future__ import annotations

import threading
import time

import pytest

from assistant.core.gil_turns import turn, waiting
from assistant.core.stopper import Stopped, Stopper, StopReason


def test_a_thread_waiting_on_the_network_lets_another_run() -> None:
    first_waiting = threading.Event()
    release_first = threading.Event()
    second_ran = threading.Event()
    stopper_a, stopper_b = Stopper(10), Stopper(10)

    def first() -> None:
        with turn(stopper_a), waiting(stopper_a):
            first_waiting.set()
            release_first.wait(5)

    def second() -> None:
        first_waiting.wait(5)
        with turn(stopper_b):
            second_ran.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    assert second_ran.wait(5), "the second probe got its turn while the first waited"
    release_first.set()
    for t in threads:
        t.join(5)
    stopper_a.finish()
    stopper_b.finish()


def test_waiting_for_a_turn_ends_on_cancel() -> None:
    holder_in = threading.Event()
    done = threading.Event()
    holder_stopper = Stopper(10)

    def holder() -> None:
        with turn(holder_stopper):
            holder_in.set()
            done.wait(5)

    thread = threading.Thread(target=holder)
    thread.start()
    assert holder_in.wait(5)
    waiter = Stopper(10)
    threading.Timer(0.2, waiter.stop, args=(StopReason.CANCELLED,)).start()
    started = time.monotonic()
    with pytest.raises(Stopped), turn(waiter):
        pass
    assert waiter.reason is StopReason.CANCELLED
    assert time.monotonic() - started < 1.0
    done.set()
    thread.join(5)
    holder_stopper.finish()
    waiter.finish()
