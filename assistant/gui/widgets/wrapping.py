"""Table cells whose words wrap onto more lines instead of being cut off with "…".

QTreeView paints wrapped text when `wordWrap` is on, but sizes each row for one line, so a narrow
column (a 640×480 screen, long Spanish words) showed "Works, encrypted …". This delegate measures
the text at the column's real width, and the view lays its rows out again when a column resizes.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
)


class WrappingDelegate(QStyledItemDelegate):
    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self.view = view
        view.setWordWrap(True)
        view.setTextElideMode(Qt.TextElideMode.ElideNone)
        self._widths: dict[int, int] = {}
        """Each column's width as last laid out. Asking the header instead (`sectionSize`) makes
        it measure every row again from inside this measurement, once per cell."""
        view.header().sectionResized.connect(self._resized)

    def _resized(self, column: int, _old: int, new: int) -> None:
        if self._widths.get(column) != new:
            self._widths[column] = new
            self.view.doItemsLayout()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        base = super().sizeHint(option, index)
        header = self.view.header()
        if index.column() == 0 and self.view.isFirstColumnSpanned(index.row(), index.parent()):
            width = self.view.viewport().width()  # a group heading or a detail line: full width
        elif header.sectionResizeMode(index.column()) is QHeaderView.ResizeMode.ResizeToContents:
            # Such a column is as wide as its words: nothing to wrap. Asking its width here would
            # make the header measure every row again, from inside this measurement.
            return base
        else:
            width = self._widths.get(index.column(), 0)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        if width <= 0 or not opt.text:
            return base
        margin = self.view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) * 2 + 2
        icon = opt.decorationSize.width() + margin if not opt.icon.isNull() else 0
        indent = 0
        if index.column() == 0:
            # Each level of the tree (a group, its rows, a row's details) is indented once more.
            depth, parent = 1, index.parent()
            while parent.isValid():
                depth, parent = depth + 1, parent.parent()
            indent = self.view.indentation() * depth
        # A few pixels to spare: the style's own text margins and the icon's spacing vary.
        room = max(20, width - icon - 3 * margin - indent - 6)
        text = opt.fontMetrics.boundingRect(
            QRect(0, 0, room, 100_000),
            int(Qt.TextFlag.TextWordWrap),
            opt.text,
        )
        return QSize(base.width(), max(base.height(), text.height() + margin))
