"""Common page helpers: a scrollable body (so every page fits 800×600 at any font size), and
retranslation when the language changes (`retranslate`, called on QEvent.LanguageChange).

Where a page is scrolled is decided here, for every page (defect g):
- a page opens at the top: `scroll_to_top()` runs each time the wizard initialises the page
  (`MailSetupWizard.initializePage` calls it after the page's own `initializePage`), so a page shown
  again for a new run does not open where the previous run was left;
- disabling the control that has the keyboard focus (e.g. "Send a test message" while it is sent)
  does not scroll the view: Qt hands the focus to the next control, and a scroll area would scroll to
  it, taking the page's headline out of view. Tab still scrolls to the control it moves to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import QApplication, QFrame, QScrollArea, QVBoxLayout, QWidget, QWizardPage

from assistant.gui import first_paint_enums as early

if TYPE_CHECKING:
    from assistant.gui.state import WizardState


class PageScrollArea(QScrollArea):
    """A scroll area that follows the focus when the person moves it (Tab), not when a control
    that had it was disabled."""

    def focusNextPrevChild(self, next: bool) -> bool:
        leaving = QApplication.focusWidget()
        if leaving is not None and not leaving.isEnabled():
            # Called from QWidget.setEnabled(False) on the focused control: pass the focus on as
            # usual, but skip QScrollArea's ensureWidgetVisible.
            return QWidget.focusNextPrevChild(self, next)
        return super().focusNextPrevChild(next)


class Page(QWizardPage):
    def __init__(self, state: WizardState) -> None:
        super().__init__()
        self.state = state
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = PageScrollArea(self)
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

    def scroll_to_top(self) -> None:
        """Show the page from its first line (its headline)."""
        self.scroll_area.verticalScrollBar().setValue(0)
        self.scroll_area.horizontalScrollBar().setValue(0)

    def focus_later(self, widget: QWidget) -> None:
        """Give `widget` the keyboard focus once the page is on screen (QWizard shows it after
        `initializePage`, and a hidden widget cannot take focus)."""
        from PySide6.QtCore import Qt

        QTimer.singleShot(0, widget, lambda: widget.setFocus(Qt.FocusReason.OtherFocusReason))
