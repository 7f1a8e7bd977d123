"""A bug shows one calm sentence, keeps the window open, and puts the details on stderr only."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from assistant.gui import errors


def test_unexpected_error_is_a_friendly_box(
    qtbot: QtBot, capsys: pytest.CaptureFixture[str]
) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    try:
        raise ValueError("internal detail: candidate list empty")
    except ValueError:
        errors._hook(*sys.exc_info())  # type: ignore[arg-type]
    boxes = [w for w in QApplication.topLevelWidgets() if w.objectName() == "unexpected-error"]
    assert boxes, "a box is shown"
    box = boxes[-1]
    assert isinstance(box, QMessageBox)
    assert box.text() == errors.friendly_message()
    assert "Traceback" not in box.text() and "internal detail" not in box.text()
    assert window.isVisible()
    err = capsys.readouterr().err
    assert "internal detail: candidate list empty" in err
    box.close()
