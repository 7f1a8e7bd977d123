"""The one background mechanism: work off the GUI thread, answers in it, stale answers dropped."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread
from pytestqt.qtbot import QtBot

from assistant.gui.background import Background


def test_the_answer_arrives_in_the_gui_thread_and_the_job_ends(qtbot: QtBot) -> None:
    helper = Background()
    gui_thread = QThread.currentThread()
    worker_threads: list[threading.Thread] = []
    answers: list[tuple[int, bool]] = []

    def work() -> int:
        worker_threads.append(threading.current_thread())
        return 42

    job = helper.submit(work, lambda n: answers.append((n, QThread.currentThread() is gui_thread)))
    assert helper.is_live(job) and helper.busy == 1
    qtbot.waitUntil(lambda: answers == [(42, True)])
    assert worker_threads[0] is not threading.main_thread()
    assert not helper.is_live(job) and helper.busy == 0 and helper.dropped == 0


def test_a_cancelled_job_says_so_and_its_late_answer_is_dropped(qtbot: QtBot) -> None:
    helper = Background()
    release = threading.Event()
    answers: list[object] = []
    job = helper.submit(lambda: release.wait(10), answers.append)
    with qtbot.waitSignal(helper.cancelled) as cancelled:
        assert helper.cancel_job(job)
    assert cancelled.args == [job]
    assert not helper.cancel_job(job), "cancelling twice is nothing"
    release.set()
    qtbot.waitUntil(lambda: helper.dropped == 1)
    assert answers == []


def test_serial_jobs_run_one_after_another_in_order_on_one_thread(qtbot: QtBot) -> None:
    helper = Background(serial=True, name="serial test")
    threads: set[str] = set()
    done: list[int] = []

    def work(n: int) -> int:
        threads.add(threading.current_thread().name)
        return n

    for n in range(5):
        helper.submit(lambda n=n: work(n), done.append)  # type: ignore[misc]
    qtbot.waitUntil(lambda: len(done) == 5)
    assert done == [0, 1, 2, 3, 4]
    assert len(threads) == 1 and next(iter(threads)).startswith("serial test")
    helper.shutdown()


def test_work_that_raises_ends_its_job_without_an_answer(qtbot: QtBot) -> None:
    helper = Background()
    answers: list[object] = []

    def broken() -> None:
        raise RuntimeError("secret-ish text that must not reach the screen")

    job = helper.submit(broken, answers.append)
    qtbot.waitUntil(lambda: not helper.is_live(job))
    assert answers == [] and helper.dropped == 0


def test_a_job_kept_open_takes_more_deliveries_from_any_thread_until_it_ends(qtbot: QtBot) -> None:
    helper = Background()
    news: list[str] = []
    job = helper.submit(lambda: None, lambda _: news.append("started"), keep_open=True)
    qtbot.waitUntil(lambda: news == ["started"])
    worker = threading.Thread(target=helper.deliver, args=(job, news.append, "more"))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: news == ["started", "more"])
    helper.end_job(job)
    helper.deliver(job, news.append, "late")
    qtbot.waitUntil(lambda: helper.dropped == 1)
    assert news == ["started", "more"]


def test_work_that_only_starts_something_delivers_nothing_itself(qtbot: QtBot) -> None:
    """A probe run's start: its own threads say everything, so a late "started" notice can
    never count as a dropped answer or arrive after the run's last word."""
    helper = Background()
    started = threading.Event()
    job = helper.submit(started.set, None, keep_open=True)
    assert started.wait(5)
    helper.deliver(job, helper.end_job, job)  # the run's last word
    qtbot.waitUntil(lambda: not helper.is_live(job))
    helper.deliver(job, lambda: None)  # anything later is stale
    qtbot.waitUntil(lambda: helper.dropped == 1)
