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
        self._memo: dict[tuple[object, ...], QSize] = {}
        """Measured cells by (column, width, depth, icon, text): a layout pass asks for every cell
        again each time a row is added or spanned, and the words and widths rarely change."""
        """Each column's width as last laid out. Asking the header instead (`sectionSize`) makes
        it measure every row again from inside this measurement, once per cell."""
        view.header().sectionResized.connect(self._resized)

    def _resized(self, column: int, _old: int, new: int) -> None:
        if self._widths.get(column) != new:
            self._widths[column] = new
            self._memo.clear()
            self.view.doItemsLayout()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        header = self.view.header()
        column = index.column()
        if column == 0 and self.view.isFirstColumnSpanned(index.row(), index.parent()):
            width = self.view.viewport().width()  # a group heading or a detail line: full width
        elif header.sectionResizeMode(column) is QHeaderView.ResizeMode.ResizeToContents:
            # Such a column is as wide as its words: nothing to wrap. Asking its width here would
            # make the header measure every row again, from inside this measurement.
            return super().sizeHint(option, index)
        else:
            width = self._widths.get(column, 0)
        if width <= 0:
            return super().sizeHint(option, index)
        depth, parent = 0, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        text = index.data(Qt.ItemDataRole.DisplayRole)
        icon_shown = index.data(Qt.ItemDataRole.DecorationRole) is not None
        key = (column, width, depth, icon_shown, text, option.font.key())
        known = self._memo.get(key)
        if known is not None:
            return known
        base = super().sizeHint(option, index)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        if not opt.text:
            return base
        margin = self.view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) * 2 + 2
        icon = opt.decorationSize.width() + margin if not opt.icon.isNull() else 0
        # Each level of the tree (a group, its rows, a row's details) is indented once more.
        indent = self.view.indentation() * (depth + 1) if column == 0 else 0
        # A few pixels to spare: the style's own text margins and the icon's spacing vary.
        room = max(20, width - icon - 3 * margin - indent - 6)
        bounds = opt.fontMetrics.boundingRect(
            QRect(0, 0, room, 100_000),
            int(Qt.TextFlag.TextWordWrap),
            opt.text,
        )
        measured = QSize(base.width(), max(base.height(), bounds.height() + margin))
        self._memo[key] = measured
        return measured
