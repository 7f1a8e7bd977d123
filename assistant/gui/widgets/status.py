"""Icons for states, always shown next to words: nothing is told by colour alone.

They are drawn here rather than taken from the style: the style's "stop" icon is a dark grey square
that vanished on a dark background. Each state has its own shape *and* colour, on a disc outlined in
the palette's text colour (so it stands out on light and dark windows alike), with a white or black
mark chosen for contrast against the disc.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QApplication

from assistant.gui.palette import contrast_ratio
from assistant.gui.wording import Tone

COLOURS: dict[Tone, str] = {
    Tone.WAITING: "#5b6b7d",
    Tone.RUNNING: "#1f63c6",
    Tone.GOOD: "#1a7f37",
    Tone.WARNING: "#d9822b",
    Tone.BAD: "#c62828",
    Tone.STOPPED: "#6e5494",
}

SIZES = (16, 20, 24, 32, 48, 64)

_cache: dict[tuple[int, Tone], QIcon] = {}


def _mark(tone: Tone, size: float) -> QPainterPath:
    """The shape inside the disc, in a size × size box."""
    s = size
    path = QPainterPath()
    if tone is Tone.GOOD:  # a tick
        path.moveTo(s * 0.28, s * 0.52)
        path.lineTo(s * 0.44, s * 0.68)
        path.lineTo(s * 0.73, s * 0.35)
    elif tone is Tone.BAD:  # a cross
        path.moveTo(s * 0.33, s * 0.33)
        path.lineTo(s * 0.67, s * 0.67)
        path.moveTo(s * 0.67, s * 0.33)
        path.lineTo(s * 0.33, s * 0.67)
    elif tone is Tone.WARNING:  # an exclamation mark
        path.moveTo(s * 0.5, s * 0.25)
        path.lineTo(s * 0.5, s * 0.58)
        path.moveTo(s * 0.5, s * 0.72)
        path.lineTo(s * 0.5, s * 0.74)
    elif tone is Tone.STOPPED:  # a square, like a stop button
        path.addRect(QRectF(s * 0.35, s * 0.35, s * 0.3, s * 0.3))
    elif tone is Tone.RUNNING:  # an arrow going round
        path.arcMoveTo(QRectF(s * 0.28, s * 0.28, s * 0.44, s * 0.44), 90)
        path.arcTo(QRectF(s * 0.28, s * 0.28, s * 0.44, s * 0.44), 90, 270)
        path.moveTo(s * 0.5, s * 0.2)
        path.lineTo(s * 0.6, s * 0.28)
        path.lineTo(s * 0.5, s * 0.36)
    else:  # waiting: three dots
        for x in (0.3, 0.5, 0.7):
            path.addEllipse(QPointF(s * x, s * 0.5), s * 0.04, s * 0.04)
    return path


def draw(tone: Tone, size: int, outline: QColor, ratio: float = 1.0) -> QPixmap:
    pixmap = QPixmap(int(size * ratio), int(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    fill = QColor(COLOURS[tone])
    white, black = QColor("#ffffff"), QColor("#000000")
    ink = white if contrast_ratio(white, fill) >= contrast_ratio(black, fill) else black
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    line = max(1.0, size / 14)
    painter.setPen(QPen(outline, line))
    painter.setBrush(fill)
    painter.drawEllipse(QRectF(line / 2, line / 2, size - line, size - line))
    pen = QPen(ink, max(1.5, size / 9))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(ink if tone in (Tone.STOPPED, Tone.WAITING) else Qt.BrushStyle.NoBrush)
    painter.drawPath(_mark(tone, size))
    painter.end()
    return pixmap


def tone_icon(tone: Tone) -> QIcon:
    palette = QApplication.palette()
    outline = palette.color(QPalette.ColorRole.WindowText)
    key = (outline.rgba(), tone)
    icon = _cache.get(key)
    if icon is None:
        icon = QIcon()
        for size in SIZES:
            for ratio in (1.0, 2.0):
                icon.addPixmap(draw(tone, size, outline, ratio))
        _cache[key] = icon
    return icon
