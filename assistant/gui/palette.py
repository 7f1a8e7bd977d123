"""Text contrast: every text colour against its background reaches 4.5:1 (WCAG AA), light or dark.

Desktop palettes mostly do; a few roles (the placeholder in an empty field, links on a dark theme)
often do not. `readable()` moves only those roles toward the text colour until they pass, and
leaves a palette that already passes as it is.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

MINIMUM = 4.5

# (text role, the background it is drawn on)
PAIRS: tuple[tuple[QPalette.ColorRole, QPalette.ColorRole], ...] = (
    (QPalette.ColorRole.WindowText, QPalette.ColorRole.Window),
    (QPalette.ColorRole.Text, QPalette.ColorRole.Base),
    (QPalette.ColorRole.Text, QPalette.ColorRole.AlternateBase),
    (QPalette.ColorRole.ButtonText, QPalette.ColorRole.Button),
    (QPalette.ColorRole.HighlightedText, QPalette.ColorRole.Highlight),
    (QPalette.ColorRole.ToolTipText, QPalette.ColorRole.ToolTipBase),
    (QPalette.ColorRole.PlaceholderText, QPalette.ColorRole.Base),
    (QPalette.ColorRole.Link, QPalette.ColorRole.Window),
    (QPalette.ColorRole.Link, QPalette.ColorRole.Base),
)


def _channel(value: float) -> float:
    value /= 255
    return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4


def luminance(colour: QColor) -> float:
    return (
        0.2126 * _channel(colour.red())
        + 0.7152 * _channel(colour.green())
        + 0.0722 * _channel(colour.blue())
    )


def _over(colour: QColor, background: QColor) -> QColor:
    """A translucent colour as it looks drawn over `background`."""
    a = colour.alphaF()
    return QColor(
        round(colour.red() * a + background.red() * (1 - a)),
        round(colour.green() * a + background.green() * (1 - a)),
        round(colour.blue() * a + background.blue() * (1 - a)),
    )


def contrast_ratio(foreground: QColor, background: QColor) -> float:
    front = _over(foreground, background) if foreground.alpha() < 255 else foreground
    lighter, darker = sorted((luminance(front), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def failing(palette: QPalette) -> list[str]:
    """The text/background pairs below 4.5:1, as readable names (for tests and IT)."""
    out = []
    for text, back in PAIRS:
        fg, bg = palette.color(text), palette.color(back)
        ratio = contrast_ratio(fg, bg)
        if ratio < MINIMUM:
            out.append(f"{text.name} on {back.name}: {ratio:.2f}")
    return out


def readable(palette: QPalette) -> QPalette:
    """A copy where every text role passes against its background (moved toward the main text)."""
    fixed = QPalette(palette)
    for text, back in PAIRS:
        background = fixed.color(back)
        colour = fixed.color(text)
        if contrast_ratio(colour, background) >= MINIMUM:
            continue
        target = fixed.color(
            QPalette.ColorRole.Text
            if back is not QPalette.ColorRole.Window
            else QPalette.ColorRole.WindowText
        )
        if contrast_ratio(target, background) < MINIMUM:
            target = QColor("#000000") if luminance(background) > 0.18 else QColor("#ffffff")
        base = _over(colour, background) if colour.alpha() < 255 else colour
        for step in range(1, 11):
            t = step / 10
            mixed = QColor(
                round(base.red() + (target.red() - base.red()) * t),
                round(base.green() + (target.green() - base.green()) * t),
                round(base.blue() + (target.blue() - base.blue()) * t),
            )
            if contrast_ratio(mixed, background) >= MINIMUM:
                break
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            fixed.setColor(group, text, mixed)
    return fixed


def make_text_readable(app: object) -> None:
    """At start-up: fix the application palette only if some text would be hard to read."""
    from PySide6.QtWidgets import QApplication

    if isinstance(app, QApplication) and failing(app.palette()):
        app.setPalette(readable(app.palette()))
