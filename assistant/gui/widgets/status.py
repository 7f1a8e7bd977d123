"""Icons for states. They come from the current style (so they suit light and dark themes and scale
on high-DPI screens) and are always shown next to words: nothing is told by colour alone."""

from __future__ import annotations

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle

from assistant.gui.wording import Tone

_ICONS: dict[Tone, QStyle.StandardPixmap] = {
    Tone.WAITING: QStyle.StandardPixmap.SP_FileDialogInfoView,
    Tone.RUNNING: QStyle.StandardPixmap.SP_BrowserReload,
    Tone.GOOD: QStyle.StandardPixmap.SP_DialogApplyButton,
    Tone.WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
    Tone.BAD: QStyle.StandardPixmap.SP_DialogCancelButton,
    Tone.STOPPED: QStyle.StandardPixmap.SP_MediaStop,
}


_cache: dict[tuple[int, Tone], QIcon] = {}


def tone_icon(tone: Tone) -> QIcon:
    style = QApplication.style()
    key = (id(style), tone)
    icon = _cache.get(key)
    if icon is None:
        icon = _cache[key] = style.standardIcon(_ICONS[tone])
    return icon
