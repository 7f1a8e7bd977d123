"""Export tests share the process with the GUI tests: the Qt application they need is pytest-qt's
QApplication (a QGuiApplication made here first would stop every later widget test)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest


@pytest.fixture(autouse=True)
def _qt_application(qapp: object) -> None:
    """Fonts for the PDF sheet need an application; `mailsetup export` makes its own."""
