"""Table cells whose words wrap onto more lines instead of being cut off with "…".

QTreeView paints wrapped text when `wordWrap` is on, but sizes each row for one line, so a narrow
column (a 640×480 screen, long Spanish words) showed "Works, encrypted …". `WrappedCells` measures
a cell's words at its column's real width when the words change, and stores the height in the
item (Qt's size-hint role), measuring again only when a wrapping column changes width.

Why not a Python item delegate: the view asks its delegate for every cell's size on each layout,
paint and change, and each such call from Qt into Python must take the GIL back from the probe
threads. With a run under way that cost the window up to a millisecond per call, hundreds of times
a second. Stored heights are read by Qt's own delegate without Python.

The other columns are sized to their words once (`fit_column`), not kept "resize to contents" by
the header: that mode measures every row again after each change of any cell, and a live table
changes a cell every few milliseconds (a 19-row run spent over 100 ms at a time on it).
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QRect, QSize, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QStyle, QTreeView, QTreeWidget, QTreeWidgetItem

_SIZE_HINT = Qt.ItemDataRole.SizeHintRole
_FONT = Qt.ItemDataRole.FontRole


def fit_column(view: QTreeView, column: int, *later: str) -> None:
    """Make `column` as wide as its header, its shown rows' words and the words in `later` (what
    a cell will show later, such as a clock's readings), as Qt's "resize to contents" would, once."""
    view.resizeColumnToContents(column)
    if later:
        margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1
        metrics = view.fontMetrics()
        needed = max(metrics.horizontalAdvance(words) for words in later) + 2 * margin + 2
        if needed > view.header().sectionSize(column):
            view.header().resizeSection(column, needed)


class WrappedCells:
    """Keeps the rows of `tree` as tall as their words wrapped in the `wrapping` columns (and in a
    first column spanned across the row: a group heading or a detail line)."""

    def __init__(self, tree: QTreeWidget, wrapping: tuple[int, ...]) -> None:
        self.tree = tree
        self.wrapping = wrapping
        tree.setWordWrap(True)
        tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self._widths: dict[int, int] = {}
        self._refit = QTimer(tree)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self.fit_all)
        tree.header().sectionResized.connect(self._resized)

    def _resized(self, column: int, _old: int, new: int) -> None:
        if column not in self.wrapping or self._widths.get(column) == new:
            return  # a one-line column's rows are as tall at any width
        self._widths[column] = new
        # One pass for however many columns a resize moves (fitting one column moves the
        # stretched ones too, and the window's edge moves them all), at the next turn.
        self._refit.start()

    def fit_all(self) -> None:
        self._refit.stop()
        for item in self._items():
            self.fit(item)

    def _items(self) -> Iterator[QTreeWidgetItem]:
        stack = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            item = stack.pop()
            if item is None:
                continue
            yield item
            stack.extend(item.child(i) for i in range(item.childCount()))

    def fit(self, item: QTreeWidgetItem) -> None:
        """Measure `item`'s wrapping cells again (after its words changed)."""
        spanned = item.isFirstColumnSpanned()
        for column in (0,) if spanned else self.wrapping:
            height = self._wrapped_height(item, column, spanned)
            hint = QSize(-1, height) if height else None
            if item.data(column, _SIZE_HINT) != hint:
                item.setData(column, _SIZE_HINT, hint)

    def _wrapped_height(self, item: QTreeWidgetItem, column: int, spanned: bool) -> int:
        """The cell's height when its words need more than one line, else 0 (Qt's own measure)."""
        text = item.text(column)
        if not text:
            return 0
        tree = self.tree
        width = tree.viewport().width() if spanned else tree.header().sectionSize(column)
        if width <= 0:
            return 0
        font = item.data(column, _FONT)
        metrics = QFontMetrics(font if isinstance(font, QFont) else tree.font())
        style = tree.style()
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) * 2 + 2
        icon = tree.iconSize().width() if tree.iconSize().isValid() else 0
        if icon <= 0:
            icon = style.pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        icon_room = icon + margin if not item.icon(column).isNull() else 0
        depth, parent = 0, item.parent()
        while parent is not None:
            depth, parent = depth + 1, parent.parent()
        # Each level of the tree (a group, its rows, a row's details) is indented once more.
        indent = tree.indentation() * (depth + 1) if column == 0 else 0
        # A few pixels to spare: the style's own text margins and the icon's spacing vary.
        room = max(20, width - icon_room - 3 * margin - indent - 6)
        bounds = metrics.boundingRect(QRect(0, 0, room, 100_000), int(Qt.TextFlag.TextWordWrap), text)
        if bounds.height() <= metrics.height():
            return 0
        return max(bounds.height() + margin, icon + margin)
