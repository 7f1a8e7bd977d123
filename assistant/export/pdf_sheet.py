"""The settings sheet on paper: one A4 or Letter page (a second only when even 10 pt text does not
fit on one: nothing is ever cut off), PDF or printer, laid out by one function.

The only export module that imports Qt (QtGui only: no widgets, so the command line can write a PDF
without a window). The old sheet sized its page in the PDF writer's 1200-dpi pixels while the text
was laid out for the screen, which made the whole sheet a 60×20 pt stamp. Here the text layout uses
the page's own resolution (`setPaintDevice`), so a 11 pt font is 11 pt on paper, and the same
`paint_sheet` draws the PDF and the printout.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLocale, QMarginsF, QRectF, QSizeF
from PySide6.QtGui import (
    QFont,
    QFontDatabase,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from assistant.export.sheet import Sheet, sheet_html

BODY_POINTS = (11.0, 10.5, 10.0)
"""Tried in turn until the sheet fits one page; never below 10. A sheet that does not fit even at
10 pt goes on to a second page rather than losing its end (the footer says the password is not on
the sheet and whom to ask for help)."""
MARGIN_MM = 15.0
SPACING = "p, ol, table { margin-top: 5px; margin-bottom: 5px; } h1, h2 { margin-bottom: 4px; }"
"""Qt's default gap around each paragraph is twice this: on a full sheet, a tenth of the page."""

# Where paper is Letter, not A4 (the Americas that follow the US paper sizes, and the Philippines).
_LETTER = {
    QLocale.Country.UnitedStates,
    QLocale.Country.Canada,
    QLocale.Country.Mexico,
    QLocale.Country.Philippines,
    QLocale.Country.Chile,
    QLocale.Country.Colombia,
    QLocale.Country.Venezuela,
    QLocale.Country.Guatemala,
    QLocale.Country.CostaRica,
    QLocale.Country.Panama,
    QLocale.Country.PuertoRico,
    QLocale.Country.DominicanRepublic,
    QLocale.Country.ElSalvador,
    QLocale.Country.Nicaragua,
}


def page_size_for(locale: QLocale | None = None) -> QPageSize:
    locale = locale or QLocale()
    letter = locale.territory() in _LETTER
    return QPageSize(QPageSize.PageSizeId.Letter if letter else QPageSize.PageSizeId.A4)


def page_layout_for(locale: QLocale | None = None) -> QPageLayout:
    margins = QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM)
    return QPageLayout(
        page_size_for(locale),
        QPageLayout.Orientation.Portrait,
        margins,
        QPageLayout.Unit.Millimeter,
    )


def paint_sheet(content: str, device: QPdfWriter | QPagedPaintDevice) -> tuple[float, int]:
    """Lay `content` (sheet HTML) out on `device` and draw it: one page at the largest body size
    that fits, else every page at 10 pt. Returns (body size in points, pages). The layout uses the
    device's resolution, so points are real points."""
    # QPdfWriter and QPrinter both have resolution(); QPagedPaintDevice itself does not.
    rect = device.pageLayout().paintRectPixels(device.resolution())  # type: ignore[union-attr]
    size = QSizeF(rect.width(), rect.height())
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(device)
    doc.setDocumentMargin(0)
    doc.setDefaultStyleSheet(SPACING)
    family = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont).family()
    for points in BODY_POINTS:
        font = QFont(family)
        font.setPointSizeF(points)
        doc.setDefaultFont(font)
        doc.setHtml(content)
        doc.setPageSize(size)
        if doc.pageCount() <= 1:
            break
    pages = doc.pageCount()
    painter = QPainter(device)
    try:
        for page in range(pages):
            if page:
                device.newPage()
            top = page * size.height()  # the layout breaks lines at page edges, never across
            painter.save()
            painter.translate(0, -top)
            doc.drawContents(painter, QRectF(0, top, size.width(), size.height()))
            painter.restore()
    finally:
        painter.end()
    return points, pages


def write_pdf(sheet: Sheet, path: Path, *, locale: QLocale | None = None) -> None:
    """Write the sheet to `path` on the paper `locale` uses (OSError when the file cannot be
    written; nothing else changes)."""
    content = sheet_html(sheet)
    writer = QPdfWriter(str(path))
    writer.setResolution(300)
    writer.setPageLayout(page_layout_for(locale))
    writer.setTitle(sheet.title)
    writer.setCreator("Mail Setup Assistant")
    paint_sheet(content, writer)
    del writer  # finishes the file
    if not path.is_file() or path.stat().st_size == 0:
        raise OSError(f"the PDF could not be written to {path}")


def print_sheet(sheet: Sheet, printer: QPagedPaintDevice) -> None:
    """The same page on a printer (a QPrinter the print dialog has set up)."""
    paint_sheet(sheet_html(sheet), printer)


def ensure_application() -> None:
    """Fonts need a QGuiApplication; the command line makes one without a window (offscreen)."""
    import os

    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        QGuiApplication.setDesktopSettingsAware(False)
        global _APP
        _APP = QGuiApplication(["mailsetup"])


_APP: object = None
