"""Status changes told to screen readers, in words (never by a colour or an icon alone).

`announce()` sends Qt's accessibility announcement event (read out by NVDA, Orca, VoiceOver without
moving the focus) and a NameChanged event for the label that holds the words. Listeners (tests) see
every announcement too, so what a screen reader is told can be asserted.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

_listeners: list[Callable[[QWidget, str], None]] = []


def on_announce(listener: Callable[[QWidget, str], None]) -> Callable[[], None]:
    """Call `listener(widget, text)` on every announcement; returns a function that stops it."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener)


def prepare_announcements() -> tuple[object, ...]:
    """Load the accessibility classes and have PySide build the enums an announcement uses
    (~10 ms on first use), so the first one, as a run starts, does not hold the window. Returns
    what it touched (nothing needs it)."""
    from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent

    return (
        QAccessibleAnnouncementEvent,
        QAccessible.Event.NameChanged,
        QAccessible.AnnouncementPoliteness.Polite,
    )


def announce(widget: QWidget, text: str, urgent: bool = False) -> None:
    from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QAccessibleEvent

    if not text:
        return
    QAccessible.updateAccessibility(QAccessibleEvent(widget, QAccessible.Event.NameChanged))
    event = QAccessibleAnnouncementEvent(widget, text)
    politeness = QAccessible.AnnouncementPoliteness
    event.setPoliteness(politeness.Assertive if urgent else politeness.Polite)
    QAccessible.updateAccessibility(event)
    for listener in list(_listeners):
        listener(widget, text)
