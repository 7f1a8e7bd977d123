"""Qt enum values for what is on screen before the first paint, set through Qt's property system.

The first time Python touches PySide6's `Qt` namespace, PySide builds its ~150 enum classes at once
(~35 ms here) — a quarter of what a bare QWizard needs to reach its first paint. The first page only
needs four values, so it sets them as plain numbers on Qt properties (which accept the numeric value
of an enum). `tests/gui/test_startup.py` checks each number against the real enum, so they cannot
drift. Everything after the first paint uses the `Qt` namespace normally.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

RICH_TEXT = 1  # Qt.TextFormat.RichText
TEXT_SELECTABLE_BY_MOUSE = 1  # Qt.TextInteractionFlag.TextSelectableByMouse
LINKS_ACCESSIBLE_BY_MOUSE = 4  # Qt.TextInteractionFlag.LinksAccessibleByMouse
LINKS_ACCESSIBLE_BY_KEYBOARD = 8  # Qt.TextInteractionFlag.LinksAccessibleByKeyboard
NO_FOCUS = 0  # Qt.FocusPolicy.NoFocus
STRONG_FOCUS = 11  # Qt.FocusPolicy.StrongFocus


def set_early(widget: QObject, prop: str, value: int) -> None:
    if not widget.setProperty(prop, value) and widget.property(prop) is None:
        raise AttributeError(f"{type(widget).__name__} has no Qt property {prop!r}")
