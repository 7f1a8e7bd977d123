"""Translation helpers: every string the person sees goes through Qt's translation system.

Widgets use `self.tr()`; text that comes from elsewhere (the engine's sentences, guide data, the
glossary) is passed through `QCoreApplication.translate` with a fixed context, so a later `.ts` file
can translate it without code changes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QCoreApplication

Translate = Callable[[str], str]

ENGINE_CONTEXT = "explain"
CLIENTS_CONTEXT = "clients"
GLOSSARY_CONTEXT = "glossary"
INPUT_CONTEXT = "input"


def _translate(context: str, text: str) -> str:
    if not text:
        return text
    return QCoreApplication.translate(context, text)


def translator(context: str) -> Translate:
    """A `tr(text)` function for the engine and the guides, bound to one translation context."""
    return partial(_translate, context)


def install_translations(app: QCoreApplication, language: str | None = None) -> list[object]:
    """Load Qt's own strings (wizard buttons) and ours for the system language, if available.

    Returns the translators so the caller keeps them alive.
    """
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    from assistant.resources import resources_dir

    locale = QLocale(language) if language else QLocale.system()
    loaded: list[object] = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    ours = str(resources_dir() / "translations")
    for name, folder in (("qtbase", qt_dir), ("mailsetup", ours)):
        translator_ = QTranslator(app)
        if translator_.load(locale, name, "_", folder):
            app.installTranslator(translator_)
            loaded.append(translator_)
    return loaded
