"""One translation system for every string a person sees: gettext catalogs, used by the engine, the
discovery code, the client guides, the command line and (through a bridge) the Qt window.

Why gettext and not Qt Linguist (see docs/TRANSLATING.md): `assistant/core` and `assistant/discovery`
must not import Qt, the command line runs without Qt, and half of the words live in JSON data files.
gettext reads catalogs with the standard library alone; Babel extracts the strings from Python *and*
from the data files, and compiles `.po` into `.mo` without any system tools.

How a string is written:
- in code: `_("Use {host}, port {port}.").format(host=..., port=...)` — translated first, filled after;
- in a table built at import time: `N_("...")` marks it, `_()` translates it where it is shown;
- in Qt widgets: `self.tr("...")` works too (assistant/gui/i18n.py routes it to these catalogs);
- in data files: the fields listed in `tools/translations.py` are extracted; a client guide's words
  carry the guide as context (`pgettext("client:thunderbird", "Port:")`), because each program has
  its own words for the same thing.

The catalogs are `resources/locale/<lang>/LC_MESSAGES/mailsetup.mo`, compiled by the build (`make`,
packaging) from the `.po` files next to them. Without a compiled catalog the text stays English.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

DOMAIN = "mailsetup"
SOURCE_LANGUAGE = "en"
# Each language named in its own words: that is how a person finds theirs in a list.
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "es": "Español"}

Translate = Callable[[str], str]
"""How a sentence reaches the person's language, handed to whatever words something: `gettext` (the
default everywhere: the current language), a Qt page's `tr`, or a guide's own context. One name for
the idea, so no module's default can quietly mean "English" instead."""

_translations: _gettext.NullTranslations = _gettext.NullTranslations()
_language = SOURCE_LANGUAGE
_listeners: list[Callable[[str], None]] = []


def N_(message: str) -> str:
    """Marks a string for extraction where it is defined; `_()` translates it where it is shown."""
    return message


def gettext(message: str) -> str:
    if not message:
        return message
    return _translations.gettext(message)


_ = gettext


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    if not message:
        return message
    return _translations.pgettext(context, message)


class WordedError(ValueError):
    """An error whose message is a sentence for the person: kept untranslated with its values
    apart, and worded in the current language each time it is shown (`str(exc)`), so a language
    switch after the error still shows it in the new language."""

    def __init__(self, message: str, **values: object) -> None:
        super().__init__(message)
        self.message = message
        self.values = values

    @property
    def worded(self) -> Worded:
        """The same sentence as a `Worded` (to carry inside another sentence)."""
        return Worded(self.message, **self.values)

    def __str__(self) -> str:
        return str(self.worded)  # one rule: translate first, then fill with worded values


@dataclass(frozen=True, slots=True, init=False)
class Worded:
    """A sentence for the person that is not an error: kept untranslated with its values apart (as
    `WordedError` keeps an error's), and worded in the current language each time it is shown
    (`str(worded)`, or `worded.word(tr)` for another `Translate`). A value may itself be a `Worded`
    (a reason inside a reason) and is worded in the same language.

    `Worded(N_("{name} does not exist in DNS"), name=name)`: the `N_` lets the extractor find the
    sentence. A layout without words (`"{url}: {problem}"`) needs no `N_`: it is not in the
    catalogue, so it stays as it is while its values are worded."""

    message: str
    values: tuple[tuple[str, object], ...]

    def __init__(self, message: str, **values: object) -> None:
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "values", tuple(values.items()))

    def word(self, tr: Translate = gettext) -> str:
        text = tr(self.message)
        if not self.values:  # a sentence without values may show braces as they are
            return text
        return text.format(**{k: word(v, tr) for k, v in self.values})

    def __str__(self) -> str:
        return self.word()


def word(value: object, tr: Translate = gettext) -> object:
    """A `Worded` in the language of `tr`; anything else (a host name, a URL, a number, a plain
    string nobody marked) as it is."""
    return value.word(tr) if isinstance(value, Worded) else value


def kept(exc: BaseException) -> str | Worded:
    """What an exception says, kept as a sentence when it is one of ours (`Exception(Worded(…))`)
    so it is worded where it is shown; the system's or a library's words as they are."""
    first = exc.args[0] if len(exc.args) == 1 else None
    return first if isinstance(first, Worded) else str(exc)


def locale_dir() -> Path:
    from assistant.resources import resources_dir

    return resources_dir() / "locale"


def catalog_path(language: str) -> Path:
    return locale_dir() / language / "LC_MESSAGES" / f"{DOMAIN}.mo"


def available_languages() -> list[str]:
    """English, and every language whose catalog was compiled, in the order of LANGUAGE_NAMES."""
    found = [SOURCE_LANGUAGE]
    folder = locale_dir()
    if folder.is_dir():
        for child in sorted(folder.iterdir()):
            if child.name != SOURCE_LANGUAGE and catalog_path(child.name).is_file():
                found.append(child.name)
    order = list(LANGUAGE_NAMES)
    return sorted(
        found, key=lambda code: (order.index(code) if code in order else len(order), code)
    )


def match_language(requested: str | None) -> str | None:
    """`es_MX.UTF-8`, `es-AR`, `es` → `es` (when there is a catalog for it); None when unknown."""
    if not requested:
        return None
    code = requested.split(".", 1)[0].split("@", 1)[0].replace("-", "_").strip()
    if not code or code in ("C", "POSIX"):
        return None
    available = available_languages()
    for candidate in (code, code.split("_", 1)[0].lower()):
        if candidate in available:
            return candidate
    return None


def language_from_environment(environ: Mapping[str, str] | None = None) -> str | None:
    """The language the environment asks for, read as gettext reads it: the first of LANGUAGE (a
    colon list), LC_ALL, LC_MESSAGES, LANG that is set decides. None when nothing is set; English
    when what is asked for has no catalog (LANG=de_DE.UTF-8 and no German yet)."""
    env = os.environ if environ is None else environ
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(variable, "")
        if value:
            for part in value.split(":"):
                found = match_language(part)
                if found is not None:
                    return found
            return SOURCE_LANGUAGE
    return None


def set_language(language: str | None) -> str:
    """Use this language from now on (None or unknown: English). Returns the language in use."""
    global _translations, _language
    chosen = match_language(language) or SOURCE_LANGUAGE
    if chosen == SOURCE_LANGUAGE:
        translations: _gettext.NullTranslations = _gettext.NullTranslations()
    else:
        with catalog_path(chosen).open("rb") as handle:
            translations = _gettext.GNUTranslations(handle)
    _translations, _language = translations, chosen
    for listener in list(_listeners):
        listener(chosen)
    return chosen


def current_language() -> str:
    return _language


def on_language_change(listener: Callable[[str], None]) -> None:
    """Call `listener(language)` after every `set_language` (the window retranslates itself)."""
    _listeners.append(listener)


def language_name(language: str) -> str:
    return LANGUAGE_NAMES.get(language, language)
