"""Extract, update, check and compile the translation catalogs (Babel; no gettext tools needed).

    python -m tools.translations update     extract every string, merge it into each .po
    python -m tools.translations check      exit 1 if any string lacks a finished translation
    python -m tools.translations compile    .po -> .mo (the build runs this; .mo is not committed)

Strings come from two places:
- Python code under assistant/: `_()`, `N_()`, `ngettext()`, `pgettext()`, Qt's `self.tr()` and
  `QCoreApplication.translate(context, text)`;
- data files under resources/: the JSON fields listed in DATA_FIELDS (client guides, glossary,
  sign-in replies, provider requirements, engine explanations).
A client guide's strings carry the guide's id as context ("client:thunderbird"): each program has
its own words, and the Spanish label of a field must be the one that program shows.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "resources" / "locale"
DOMAIN = "mailsetup"
LANGUAGES = ("es",)

KEYWORDS: dict[str, Any] = {
    "_": None,
    "_t": None,
    "_tr": None,
    "N_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "tr": None,  # QObject.tr (routed to the same catalogs by assistant/gui/i18n.py)
    "translate": (2,),  # QCoreApplication.translate(context, text): Qt's context is not ours
}
COMMENT_TAGS = ("Translators:",)

# (glob under resources/, JSON paths to translatable strings, context maker).
# A path is a tuple of keys; "*" is every item of a list or every value of an object.
DataPath = tuple[str, ...]


@dataclass(frozen=True)
class DataFields:
    pattern: str
    paths: tuple[DataPath, ...]
    context: str | None = None  # "client:{id}" is filled from the file's own "id"


DATA_FIELDS: tuple[DataFields, ...] = (
    DataFields(
        "clients/*.json",
        (
            ("name",),
            ("section",),
            ("steps", "*"),
            ("edit_steps", "*"),
            ("fields", "*", "label"),
            ("fields", "*", "value"),
            ("fields", "*", "note"),
            ("security", "*"),
            ("auth", "*"),
            ("notes", "*"),
            ("accounts", "*", "steps", "*"),
            ("accounts", "*", "notes", "*"),
            ("oauth_notes", "*"),
            ("incoming", "section"),
            ("incoming", "fields", "*", "label"),
            ("incoming", "fields", "*", "value"),
            ("incoming", "fields", "*", "note"),
            ("incoming", "protocol", "*"),
            ("incoming", "security", "*"),
            ("incoming", "auth", "*"),
        ),
        context="client:{id}",
    ),
    DataFields("glossary.json", (("*", "term"), ("*", "text"))),
    DataFields(
        "signin.json",
        (
            ("replies", "*", "meaning"),
            ("incoming_replies", "*", "meaning"),
            ("providers", "*", "steps", "*"),
            ("providers", "*", "incoming_steps", "*"),
            ("oauth_explanation",),
        ),
    ),
    DataFields("providers/providers.json", (("providers", "*", "requirements", "*", "text"),)),
    DataFields(
        "explanations.json",
        (
            ("verdicts", "*", "status"),
            ("verdicts", "*", "headline"),
            ("verdicts", "*", "headline_guess"),
            ("verdicts", "*", "meaning"),
            ("details", "*", "meaning"),
            ("sign_in", "*", "status"),
            ("sign_in", "*", "sentence"),
            ("sign_in", "*", "todo"),
            ("next_steps", "*", "window"),
            ("next_steps", "*", "cli"),
            ("next_steps", "*", "window_receiving"),
            ("next_steps", "*", "cli_receiving"),
            ("sentences", "*"),
            ("before_sign_in", "*", "text"),
        ),
    ),
    DataFields("domain_typos.json", ()),
    DataFields("oauth.json", (("sentences", "*"), ("refusals", "*", "meaning"), ("refusals", "*", "it_step"))),
)

_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def _walk(data: Any, path: DataPath) -> Iterator[str]:
    if not path:
        if isinstance(data, str):
            yield data
        return
    key, rest = path[0], path[1:]
    if key == "*":
        items = data.values() if isinstance(data, dict) else data if isinstance(data, list) else ()
        for item in items:
            yield from _walk(item, rest)
    elif isinstance(data, dict) and key in data:
        yield from _walk(data[key], rest)


def worth_translating(text: str) -> bool:
    """A string with words in it (not just "{host}", not a bare "$comment")."""
    return bool(re.search(r"[A-Za-z]", _PLACEHOLDER.sub("", text)))


def data_messages(resources: Path) -> Iterator[tuple[str, str | None, str]]:
    """(message, context, file) for every translatable string in the data files."""
    for spec in DATA_FIELDS:
        for path in sorted(resources.glob(spec.pattern)):
            data = json.loads(path.read_text(encoding="utf-8"))
            context = None
            if spec.context is not None:
                context = spec.context.format(id=data.get("id", path.stem))
            relative = path.relative_to(resources.parent).as_posix()
            for field in spec.paths:
                for text in _walk(data, field):
                    if worth_translating(text):
                        yield text, context, relative


def extract(root: Path = ROOT) -> Any:
    """A fresh template catalog of every string in code and data."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    catalog = Catalog(project="Mail Setup Assistant", domain=DOMAIN, charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root / "assistant"),
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=COMMENT_TAGS,
        strip_comment_tags=True,
    ):
        if isinstance(message, tuple):
            msgid: Any = message if len(message) > 1 and message[1] else message[0]
        else:
            msgid = message
        if not (msgid[0] if isinstance(msgid, tuple) else msgid):
            continue
        flags = ("python-brace-format",) if "{" in str(msgid) else ()
        catalog.add(
            msgid,
            locations=[(f"assistant/{filename}", lineno)],
            auto_comments=comments,
            context=context,
            flags=flags,
        )
    for text, context, where in data_messages(root / "resources"):
        flags = ("python-brace-format",) if _PLACEHOLDER.search(text) else ()
        catalog.add(text, locations=[(where, 0)], context=context, flags=flags)
    return catalog


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_po(language: str) -> Any:
    from babel.messages.pofile import read_po as _read

    path = po_path(language)
    if not path.is_file():
        from babel.messages.catalog import Catalog

        return Catalog(locale=language, domain=DOMAIN)
    with path.open("rb") as handle:
        return _read(handle, locale=language, domain=DOMAIN)


def write_po(catalog: Any, language: str) -> None:
    from babel.messages.pofile import write_po as _write

    path = po_path(language)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    _write(buffer, catalog, width=100, sort_output=True, include_lineno=False, ignore_obsolete=True)
    path.write_bytes(buffer.getvalue())


def update(languages: tuple[str, ...] = LANGUAGES) -> None:
    template = extract()
    for language in languages:
        catalog = read_po(language)
        catalog.update(template, no_fuzzy_matching=True)
        write_po(catalog, language)
        print(f"{po_path(language).relative_to(ROOT)}: {len(catalog)} strings")


def _key(message: Any) -> tuple[str, str | None]:
    msgid = message.id[0] if isinstance(message.id, tuple) else message.id
    return msgid, message.context


_BRACES = re.compile(r"\{([a-z_]*)\}")
_MARK_KEYS = re.compile(r"\[\[([a-z0-9-]+)\|")


def problems(language: str, template: Any | None = None, catalog: Any | None = None) -> list[str]:
    """Every string in code or data without a finished translation, or whose translation loses a
    placeholder or a glossary mark. Empty means complete."""
    template = template if template is not None else extract()
    catalog = catalog if catalog is not None else read_po(language)
    found: list[str] = []
    for message in template:
        if not message.id:
            continue
        msgid, context = _key(message)
        where = f"{msgid!r}" + (f" [{context}]" if context else "")
        translated = catalog.get(message.id, context=context)
        if translated is None:
            found.append(f"{language}: not translated: {where}")
            continue
        if translated.fuzzy:
            found.append(f"{language}: left fuzzy (unfinished): {where}")
            continue
        strings = translated.string if isinstance(translated.string, tuple) else (translated.string,)
        if not all(strings):
            found.append(f"{language}: empty translation: {where}")
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = set(_BRACES.findall(ids[-1]))
        for text in strings:
            if set(_BRACES.findall(text)) != wanted and not (
                len(ids) > 1 and set(_BRACES.findall(text)) <= wanted
            ):
                found.append(f"{language}: placeholders differ: {where} -> {text!r}")
            if set(_MARK_KEYS.findall(text)) - set(_MARK_KEYS.findall(ids[0])):
                found.append(f"{language}: glossary mark not in the original: {where}")
    return found


def compile_catalogs(languages: tuple[str, ...] = LANGUAGES, quiet: bool = False) -> list[Path]:
    """Write each .mo next to its .po (skipping fuzzy entries), when the .po is newer."""
    from babel.messages.mofile import write_mo

    written = []
    for language in languages:
        source = po_path(language)
        if not source.is_file():
            continue
        target = source.with_suffix(".mo")
        if target.is_file() and target.stat().st_mtime >= source.stat().st_mtime:
            continue
        catalog = read_po(language)
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        target.write_bytes(buffer.getvalue())
        written.append(target)
        if not quiet:
            print(f"{target.relative_to(ROOT)}")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.translations")
    parser.add_argument("action", choices=("update", "check", "compile"))
    args = parser.parse_args(argv)
    if args.action == "update":
        update()
        return 0
    if args.action == "compile":
        compile_catalogs()
        return 0
    template = extract()
    found = [p for language in LANGUAGES for p in problems(language, template)]
    for line in found:
        print(line)
    print(f"{len(template)} strings; {len(found)} problems")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
