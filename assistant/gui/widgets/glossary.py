"""Technical words with a plain explanation one hover or one click away (DESIGN §2, last paragraph).

Text marks a word as `[[key|shown words]]`; `GlossaryLabel` turns it into a link whose tooltip is the
explanation from `resources/glossary.json`. Clicking it (or Tab to it and Enter) shows the same text
in a small popup, so it works without a mouse too.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QPoint
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QLabel, QToolTip, QWhatsThis, QWidget

from assistant.gui import first_paint_enums as early
from assistant.i18n import gettext
from assistant.marks import MARK, strip_marks
from assistant.resources import resources_dir


def _escape(text: str) -> str:
    # html.escape, without importing `html` (and its entity tables) before the first paint.
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


_MARK = MARK


@lru_cache(maxsize=1)
def glossary() -> dict[str, tuple[str, str]]:
    """key → (term, explanation), untranslated."""
    import json

    with (resources_dir() / "glossary.json").open(encoding="utf-8") as handle:
        data = json.load(handle)
    return {key: (str(v["term"]), str(v["text"])) for key, v in data.items()}


def explanation(key: str) -> tuple[str, str]:
    term, text = glossary()[key]
    return gettext(term), gettext(text)


def to_html(text: str) -> str:
    """Escape `text` and turn its `[[key|words]]` marks into glossary links."""
    out: list[str] = []
    last = 0
    for match in _MARK.finditer(text):
        out.append(_escape(text[last : match.start()]))
        key, words = match.group(1), match.group(2)
        # Every key used in the program's texts exists (tests/gui/test_startup.py checks), so the
        # glossary file is only read when someone points at a word, not before the first paint.
        out.append(f'<a href="glossary:{key}">{_escape(words)}</a>')
        last = match.end()
    out.append(_escape(text[last:]))
    return "".join(out).replace("\n", "<br>")


class GlossaryLabel(QLabel):
    """A word-wrapped label whose marked words explain themselves on hover, click or Enter."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        # Set as numbers: this label is on the first page (see assistant/gui/first_paint_enums.py).
        early.set_early(self, "textFormat", early.RICH_TEXT)
        early.set_early(
            self,
            "textInteractionFlags",
            early.LINKS_ACCESSIBLE_BY_MOUSE
            | early.LINKS_ACCESSIBLE_BY_KEYBOARD
            | early.TEXT_SELECTABLE_BY_MOUSE,
        )
        self.linkHovered.connect(self._hovered)
        self.linkActivated.connect(self._activated)
        self.set_marked_text(text)

    def set_marked_text(self, text: str) -> None:
        self._plain = strip_marks(text)
        self.setText(to_html(text))
        self.setAccessibleName(self._plain)
        has_links = "glossary:" in self.text()
        early.set_early(self, "focusPolicy", early.STRONG_FOCUS if has_links else early.NO_FOCUS)

    def plain_text(self) -> str:
        return self._plain

    def _hovered(self, link: str) -> None:
        if link.startswith("glossary:"):
            term, text = explanation(link.removeprefix("glossary:"))
            QToolTip.showText(QCursor.pos(), f"<b>{_escape(term)}</b><br>{_escape(text)}", self)
        else:
            QToolTip.hideText()

    def _activated(self, link: str) -> None:
        if not link.startswith("glossary:"):
            return
        term, text = explanation(link.removeprefix("glossary:"))
        anchor = self.mapToGlobal(QPoint(0, self.height()))
        QWhatsThis.showText(anchor, f"<b>{_escape(term)}</b><br>{_escape(text)}", self)
