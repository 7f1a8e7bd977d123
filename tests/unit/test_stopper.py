"""Why a probe stopped is kept in one place, its `Stopper`; `Stopped` only says that it did."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from assistant.core.stopper import Stopped, Stopper, StopReason
from assistant.core.wire import PeerClosed, Wire


@pytest.fixture
def stopper() -> Iterator[Stopper]:
    stopper = Stopper(60)
    yield stopper
    stopper.finish()


def _deadline_passed_before_the_watchdog(stopper: Stopper) -> None:
    """The moment the rule is for: time is up, but the watchdog timer has not fired (yet)."""
    stopper.finish()  # the watchdog will not fire at all: only the probe's own socket can tell
    stopper.deadline = stopper.started
    assert stopper.remaining() <= 0
    assert stopper.reason is None


def test_a_time_out_past_the_deadline_is_the_deadline_and_is_recorded(stopper: Stopper) -> None:
    _deadline_passed_before_the_watchdog(stopper)
    stop = stopper.stopped_by(TimeoutError("timed out"))
    assert isinstance(stop, Stopped)
    assert stopper.reason is StopReason.DEADLINE
    with pytest.raises(Stopped):
        stopper.check()  # the stopper itself now says it fired, not just this one exception


def test_a_cancelled_stopper_stays_cancelled_even_for_a_time_out(stopper: Stopper) -> None:
    stopper.stop(StopReason.CANCELLED)
    assert isinstance(stopper.stopped_by(TimeoutError("timed out")), Stopped)
    assert stopper.reason is StopReason.CANCELLED
    stopper.stop(StopReason.DEADLINE)  # the watchdog, late: the first reason is kept
    assert stopper.reason is StopReason.CANCELLED


def test_once_fired_any_socket_error_is_the_stoppers_doing(stopper: Stopper) -> None:
    stopper.stop(StopReason.DEADLINE)
    assert isinstance(stopper.stopped_by(ConnectionResetError()), Stopped)
    assert stopper.reason is StopReason.DEADLINE


@pytest.mark.parametrize(
    "error", [ConnectionResetError(), BrokenPipeError(), OSError("network is unreachable")]
)
def test_an_unrelated_error_is_the_peers_while_the_stopper_has_not_fired(
    stopper: Stopper, error: OSError
) -> None:
    assert stopper.stopped_by(error) is None
    assert stopper.reason is None


def test_check_raises_stopped_and_the_reason_is_read_from_the_stopper(stopper: Stopper) -> None:
    _deadline_passed_before_the_watchdog(stopper)
    with pytest.raises(Stopped) as raised:
        stopper.check()
    assert raised.value.args == ()
    assert stopper.reason is StopReason.DEADLINE


# The same rule seen through `Wire`, on a socket pair whose far end never answers.


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    ours, theirs = socket.socketpair()
    yield ours, theirs
    ours.close()
    theirs.close()


def test_a_short_wait_running_out_is_a_quiet_peer_not_the_deadline(
    stopper: Stopper, pair: tuple[socket.socket, socket.socket]
) -> None:
    wire = Wire(pair[0], stopper, [])
    assert wire.wait_for_data(0.01) is False
    assert stopper.reason is None


def test_a_read_that_times_out_at_the_deadline_records_the_deadline(
    stopper: Stopper, pair: tuple[socket.socket, socket.socket]
) -> None:
    wire = Wire(pair[0], stopper, [])
    stopper.finish()  # no watchdog: the read's own time-out (the time left) is all there is
    stopper.deadline = time.monotonic() + 0.05
    with pytest.raises(Stopped):
        wire.read_line()
    assert stopper.reason is StopReason.DEADLINE


def test_a_cancelled_read_reports_cancelled(
    stopper: Stopper, pair: tuple[socket.socket, socket.socket]
) -> None:
    stopper.register(pair[0])
    wire = Wire(pair[0], stopper, [])
    stopper.stop(StopReason.CANCELLED)
    with pytest.raises(Stopped):
        wire.read_line()
    assert stopper.reason is StopReason.CANCELLED


def test_a_peer_that_hangs_up_is_not_a_stop(
    stopper: Stopper, pair: tuple[socket.socket, socket.socket]
) -> None:
    wire = Wire(pair[0], stopper, [])
    pair[1].close()
    with pytest.raises(PeerClosed):
        wire.read_line()
    assert stopper.reason is None
