"""`page_button`: a push button inside a wizard page.

Why one place: in a QWizard every push button is an "auto default" unless told otherwise, and the
one with focus then takes the Enter key from Next. Each page's own buttons are made here, never
default, already connected; their words come from the page's `retranslate()`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QPushButton, QWidget


def page_button(parent: QWidget, on_click: Callable[[], object]) -> QPushButton:
    button = QPushButton(parent)
    button.setAutoDefault(False)
    button.clicked.connect(on_click)
    return button
