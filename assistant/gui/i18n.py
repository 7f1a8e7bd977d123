"""The window's side of the one translation system (assistant/i18n.py).

Qt widgets keep Qt's habits — `self.tr("…")`, retranslating on `QEvent.LanguageChange` — but the
words come from the same gettext catalogs as the engine and the command line: `CatalogTranslator`
is a QTranslator that answers from them. Qt's own strings (the wizard's Back/Next/Cancel, standard
dialogs) come from Qt's `qtbase_<lang>.qm`, shipped with PySide6.

`use_language()` switches both at run time. Installing the translators makes Qt send
`LanguageChange` to every widget, and each page rewrites its words from what it holds (typed text,
test results), so nothing the person typed or tested is lost.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from assistant import i18n
from assistant.i18n import Translate

# Where a text came from; kept for callers that name it (the catalogs do not need it).
ENGINE_CONTEXT = "explain"
CLIENTS_CONTEXT = "clients"


def translator(context: str = "") -> Translate:
    """A `tr(text)` for text that comes from elsewhere (engine sentences, data): the catalogs."""
    return i18n.gettext


class CatalogTranslator(QTranslator):
    """Answers Qt's `tr()`/`translate()` from our gettext catalogs. No answer means "not ours", so Qt goes on to ask its own translator (standard buttons and dialogs)."""

    def translate(
        self,
        context: str,
        source_text: str,
        disambiguation: str | None = None,
        n: int = -1,
    ) -> str | None:
        # None reaches Qt as a null QString ("no translation here"); "" would be a translation.
        if not source_text or i18n.current_language() == i18n.SOURCE_LANGUAGE:
            return None
        translated = i18n.gettext(source_text)
        return translated if translated != source_text else None

    def isEmpty(self) -> bool:
        return False


class _Installed:
    qt: QTranslator | None = None
    ours: CatalogTranslator | None = None


def system_language() -> str | None:
    """The language the person's desktop uses: the environment on Linux (LANGUAGE/LANG), else Qt's
    reading of the system locale (Windows and macOS have no LANG)."""
    found = i18n.language_from_environment()
    if found is not None:
        return found
    for name in QLocale.system().uiLanguages():
        match = i18n.match_language(name)
        if match is not None:
            return match
    return None


def use_language(language: str | None, app: QCoreApplication | None = None) -> str:
    """Switch every visible word to `language` (None: the system's). Returns the language used."""
    app = app or QCoreApplication.instance()
    chosen = i18n.set_language(language if language is not None else system_language())
    QLocale.setDefault(QLocale(chosen))
    if app is None:
        return chosen
    for old in (_Installed.ours, _Installed.qt):
        if old is not None:
            app.removeTranslator(old)
    _Installed.qt = None
    if chosen != i18n.SOURCE_LANGUAGE:
        qt = QTranslator(app)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt.load(QLocale(chosen), "qtbase", "_", folder):
            app.installTranslator(qt)
            _Installed.qt = qt
    if _Installed.ours is None:
        _Installed.ours = CatalogTranslator(app)
    # Installed last so it is asked first; installing it sends LanguageChange to every widget.
    app.installTranslator(_Installed.ours)
    return chosen


def install_translations(app: QCoreApplication, language: str | None = None) -> list[object]:
    """Start-up: the system's language (or `language`). Returns the translators in use."""
    use_language(language, app)
    return [t for t in (_Installed.qt, _Installed.ours) if t is not None]
