"""Table cells whose words wrap onto more lines instead of being cut off with "…".

QTreeView paints wrapped text when `wordWrap` is on, but sizes each row for one line, so a narrow
column (a 640×480 screen, long Spanish words) showed "Works, encrypted …". This delegate measures
the text at the column's real width, and the view lays its rows out again when a column resizes.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTreeView


class WrappingDelegate(QStyledItemDelegate):
    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self.view = view
        view.setWordWrap(True)
        view.setTextElideMode(Qt.TextElideMode.ElideNone)
        view.header().sectionResized.connect(lambda *_: view.doItemsLayout())

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        base = super().sizeHint(option, index)
        width = self.view.header().sectionSize(index.column())
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
            if self.view.isFirstColumnSpanned(index.row(), index.parent()):
                width = self.view.viewport().width()
        room = max(20, width - icon - 2 * margin - indent)
        text = opt.fontMetrics.boundingRect(
            QRect(0, 0, room, 100_000),
            int(Qt.TextFlag.TextWordWrap),
            opt.text,
        )
        return QSize(base.width(), max(base.height(), text.height() + margin))
