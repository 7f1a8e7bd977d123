"""A flag that goes up once a widget has been painted, for work that should wait for the screen.

Why: starting a probe run spawns about forty threads, and each wants the GIL and a CPU at once.
Done while the testing page is being laid out and painted for the first time, that doubled the
moment the window stood still after "Next" (40-70 ms instead of about 25). The run's starter thread
waits on this flag (never the window's thread), so the page is on screen first and the probes
begin a few milliseconds later.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class Painted(QObject):
    """`flag` is set after `widget`'s next paint has finished (the turn after its paint event)."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.flag = threading.Event()
        self._widget = widget
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self._widget.removeEventFilter(self)  # once: later events stay in C++
            QTimer.singleShot(0, self, self._raise)  # when the whole paint is done
        return False

    def _raise(self) -> None:
        self.flag.set()
        self.deleteLater()  # one per run: not kept for the life of the page
