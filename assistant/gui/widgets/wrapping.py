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
from contextlib import contextmanager

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QStyle, QTreeView, QTreeWidget, QTreeWidgetItem

_SIZE_HINT = Qt.ItemDataRole.SizeHintRole
_FONT = Qt.ItemDataRole.FontRole
_WRAP = int(Qt.TextFlag.TextWordWrap)


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
        self._fonts: dict[str, QFontMetrics] = {}
        self._default: tuple[str, QFontMetrics] | None = None
        self._style: tuple[int, int] | None = None
        self._heights: dict[tuple[str, int, str], int] = {}
        """Measured words by (font, room, words): rows repeat the same words ("Waiting")."""
        self._held = 0
        self._fitting = False
        self._again = False
        tree.header().sectionResized.connect(self._resized)

    def _resized(self, column: int, _old: int, new: int) -> None:
        if column not in self.wrapping or self._widths.get(column) == new:
            return  # a one-line column's rows are as tall at any width
        self._widths[column] = new
        # At once, inside the layout that moved the column, so that the table is painted once,
        # already at its new heights (a pass over twenty rows costs about a millisecond).
        self.fit_all()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Put in or change many rows, then measure them all once (not once per row and again
        for every layout the changes cause)."""
        self._held += 1
        try:
            yield
        finally:
            self._held -= 1
            if not self._held:
                self.fit_all()

    def fit_all(self) -> None:
        if self._held or self._fitting:
            self._again = True  # measuring moved a column (a scroll bar came): once more after
            return
        self._fitting = True
        try:
            for _ in range(3):  # a scroll bar that comes and goes must not loop for ever
                self._again = False
                self._style = self._default = None  # the style or font may have changed
                for item in self._items():
                    self._fit(item)
                if not self._again:
                    break
        finally:
            self._fitting = False

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
        if self._held or item.treeWidget() is None:
            return  # measured with the others at the end of the batch, or once it is put in
        self._fit(item)

    def _fit(self, item: QTreeWidgetItem) -> None:
        spanned = item.isFirstColumnSpanned()
        for column in (0,) if spanned else self.wrapping:
            height = self._wrapped_height(item, column, spanned)
            hint = QSize(-1, height) if height else None
            if item.data(column, _SIZE_HINT) != hint:
                item.setData(column, _SIZE_HINT, hint)

    def _metrics(self, font: object) -> tuple[str, QFontMetrics]:
        if not isinstance(font, QFont):  # most cells: the table's own font
            if self._default is None:
                self._default = self._metrics(self.tree.font())
            return self._default
        key = font.key()
        metrics = self._fonts.get(key)
        if metrics is None:
            metrics = self._fonts[key] = QFontMetrics(font)
        return key, metrics

    def _spacing(self) -> tuple[int, int]:
        """(the style's text margin, its small icon's width), read once: every cell asks."""
        if self._style is None:
            style = self.tree.style()
            margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) * 2 + 2
            size = self.tree.iconSize()
            icon = size.width() if size.isValid() and size.width() > 0 else 0
            if icon <= 0:
                icon = style.pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
            self._style = (margin, icon)
        return self._style

    def _wrapped_height(self, item: QTreeWidgetItem, column: int, spanned: bool) -> int:
        """The cell's height when its words need more than one line, else 0 (Qt's own measure)."""
        text = item.text(column)
        if not text:
            return 0
        tree = self.tree
        width = tree.viewport().width() if spanned else tree.header().sectionSize(column)
        if width <= 0:
            return 0
        margin, icon = self._spacing()
        icon_room = icon + margin if not item.icon(column).isNull() else 0
        indent = 0
        if column == 0:  # each level of the tree (a group, its rows, details) is indented more
            depth, parent = 1, item.parent()
            while parent is not None:
                depth, parent = depth + 1, parent.parent()
            indent = tree.indentation() * depth
        # A few pixels to spare: the style's own text margins and the icon's spacing vary.
        room = max(20, width - icon_room - 3 * margin - indent - 6)
        font_key, metrics = self._metrics(item.data(column, _FONT))
        key = (font_key, room, text)
        known = self._heights.get(key)
        if known is None:
            bounds = metrics.boundingRect(QRect(0, 0, room, 100_000), _WRAP, text)
            lines = bounds.height() > metrics.height()
            known = max(bounds.height() + margin, icon + margin) if lines else 0
            if len(self._heights) > 4096:
                self._heights.clear()
            self._heights[key] = known
        return known
