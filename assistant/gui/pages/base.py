"""Common page helpers: a scrollable body (so every page fits 800×600 at any font size), and
retranslation when the language changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget, QWizardPage

from assistant.gui import first_paint_enums as early

if TYPE_CHECKING:
    from assistant.gui.state import WizardState


class Page(QWizardPage):
    def __init__(self, state: WizardState) -> None:
        super().__init__()
        self.state = state
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        # Tab moves between the controls; the area scrolls to whichever has focus.
        early.set_early(self.scroll_area, "focusPolicy", early.NO_FOCUS)
        body = QWidget()
        self.body = QVBoxLayout(body)
        self.body.setSpacing(max(6, self.fontMetrics().height() // 2))
        self.scroll_area.setWidget(body)
        outer.addWidget(self.scroll_area)

    def retranslate(self) -> None:
        """Write every word on the page in the current language, from what the page holds (typed
        text, results). Called once when built and again on every language switch."""

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def focus_later(self, widget: QWidget) -> None:
        """Give `widget` the keyboard focus once the page is on screen (QWizard shows it after
        `initializePage`, and a hidden widget cannot take focus)."""
        from PySide6.QtCore import Qt

        QTimer.singleShot(0, widget, lambda: widget.setFocus(Qt.FocusReason.OtherFocusReason))
