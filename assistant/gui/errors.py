"""A bug must not greet the person with a traceback, nor close their window.

PySide prints an exception raised in a slot and carries on; a person would see nothing, or (from a
terminal) a wall of text. Instead: one calm sentence in a box, the details for IT on stderr (which
holds no password: the program never puts one in exception text), and the window stays open.
"""

from __future__ import annotations

import sys
import traceback
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from assistant.i18n import N_

FRIENDLY = N_(
    "Something unexpected went wrong inside the assistant. Nothing was sent and nothing was "
    "changed. You can go Back and try again; if it happens again, please tell your IT person."
)


_open_boxes: list[QMessageBox] = []


def friendly_message() -> str:
    return QCoreApplication.translate("errors", FRIENDLY)


def install() -> None:
    sys.excepthook = _hook


def _hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, value, tb)
        return
    print("Mail Setup Assistant: unexpected error (details for IT follow)", file=sys.stderr)
    traceback.print_exception(kind, value, tb, file=sys.stderr)
    app = QApplication.instance()
    if isinstance(app, QApplication):
        box = QMessageBox(app.activeWindow())
        box.setObjectName("unexpected-error")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(QCoreApplication.translate("errors", "Something went wrong"))
        box.setText(friendly_message())
        # Without a parent window the Python object is the only owner: keep it until closed.
        _open_boxes.append(box)
        box.finished.connect(lambda _result: _open_boxes.remove(box))
        box.open()
