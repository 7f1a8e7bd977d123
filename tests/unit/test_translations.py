"""Every string a person can see — in code or in resources/ — has a finished Spanish translation.

The strings are extracted afresh from the source (Babel: `_()`, `N_()`, `tr()` … and the JSON data
fields listed in tools/translations.py), so a new sentence without its translation fails here at once.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tools import translations

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def template() -> object:
    return translations.extract()


def test_every_visible_string_has_a_finished_spanish_translation(template: object) -> None:
    assert translations.problems("es", template) == []


def test_the_check_catches_a_missing_a_fuzzy_and_a_broken_translation(template: object) -> None:
    from babel.messages.catalog import Catalog

    catalog = translations.read_po("es")
    catalog.delete("Results")
    catalog.get("Port").flags.add("fuzzy")
    catalog.get(
        "Use {host}, port {port}, SSL/TLS — encrypted from the start."
    ).string = "Usa {host}, puerto {puerto}."
    catalog.get(
        "Tested just now from this computer: the connection is [[encryption|encrypted]] "
        "and the server's [[certificate|certificate]] checked out. Press Next to see "
        "where to type it."
    ).string = "Probado [[glossary-typo|cifrada]]."
    extra = Catalog()
    for message in template:  # type: ignore[attr-defined]
        extra[message.id] = message
    extra.add("A sentence nobody translated yet.")
    found = "\n".join(translations.problems("es", extra, catalog))
    assert "not translated: 'Results'" in found
    assert "left fuzzy (unfinished): 'Port'" in found
    assert "placeholders differ: 'Use {host}, port {port}, SSL/TLS" in found
    assert "glossary mark not in the original" in found
    assert "not translated: 'A sentence nobody translated yet.'" in found


def test_data_files_are_extracted_with_their_program_as_context(template: object) -> None:
    ids = {(m.context, m.id) for m in template if m.id}  # type: ignore[attr-defined]
    assert ("client:thunderbird", "Connection security") in ids
    assert ("client:outlook-classic", "Encryption method") in ids
    assert (
        None,
        "The server's identity card. It proves you are talking to your provider's real "
        "server and not an impostor. It has a name on it and an expiry date.",
    ) in ids
    assert not any(m == "{host}" for _, m in ids)  # bare placeholders are not words


def test_no_sentence_is_filled_before_it_is_translated() -> None:
    """`_(f"…")` or `tr(f"…")` can never match a catalogue entry."""
    pattern = re.compile(r"\b(?:_|N_|gettext|ngettext|tr|translate)\(\s*f[\"']")
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in (ROOT / "assistant").rglob("*.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


def test_compiled_catalogs_are_built_not_committed() -> None:
    tracked = subprocess.run(
        ["git", "ls-files", "*.mo", "*.qm"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert tracked == []
    assert "*.mo" in (ROOT / ".gitignore").read_text().splitlines()
    assert (ROOT / "resources/locale/es/LC_MESSAGES/mailsetup.po").is_file()
    makefile = (ROOT / "Makefile").read_text()
    assert "run: translations" in makefile and "test: translations" in makefile
    assert "tools.translations" in (ROOT / "packaging/mailsetup.spec").read_text()


def test_qt_ships_its_own_spanish_for_the_standard_buttons() -> None:
    from PySide6.QtCore import QLibraryInfo

    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    assert (folder / "qtbase_es.qm").is_file()


def test_every_translating_function_is_known_to_the_extractor() -> None:
    """A sentence passed to a wrapper the extractor does not know (`_tr("…")`) would never be
    extracted, so it could not fail the completeness test above: every such name is listed."""
    called = set()
    for path in (ROOT / "assistant").rglob("*.py"):
        for name in re.findall(r"\b(\w*(?:tr|translate|gettext|_t))\(\s*[\"']", path.read_text()):
            called.add(name)
    called.discard("str")
    assert called <= set(translations.KEYWORDS), sorted(called - set(translations.KEYWORDS))


def test_every_sentence_given_to_a_translating_call_reaches_the_catalogue(template: object) -> None:
    """Babel's extractor does not look inside f-strings, so `f"<h2>{tr('Settings to use')}</h2>"`
    left a heading English in every language while the completeness test stayed green. Python's
    own parser sees every call, wherever it is written: each literal it finds must be extracted."""
    import ast

    from babel.messages.catalog import Catalog

    assert isinstance(template, Catalog)
    extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id}
    missing: list[str] = []
    for path in sorted((ROOT / "assistant").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name not in translations.KEYWORDS:
                continue
            spec = translations.KEYWORDS[name]
            index = 0 if spec is None else (spec[0] if isinstance(spec[0], int) else spec[1]) - 1
            if len(node.args) <= index:
                continue
            arg = node.args[index]
            literal = arg.value if isinstance(arg, ast.Constant) else None
            if isinstance(literal, str) and literal and literal not in extracted:
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno}: {literal[:60]}")
    assert missing == []


# The data files whose every string is for people, but their codes and names: keys whose strings
# are codes (tones, outcomes, reply words matched against a server's text, host names) or names.
_CODE_KEYS = {
    "explanations.json": {"$comment", "tone", "next_step", "domains", "prefixes"},
    "signin.json": {
        "$comment",
        "words",
        "outcome",
        "enhanced",
        "id",
        "name",
        "smtp_hosts",
        "incoming_hosts",
    },
}


def _sentences(data: object, codes: set[str], key: str = "") -> list[str]:
    if isinstance(data, str):
        return [] if key in codes else [data]
    if isinstance(data, dict):
        return [s for k, v in data.items() for s in _sentences(v, codes, str(k))]
    if isinstance(data, list):
        return [s for item in data for s in _sentences(item, codes, key)]
    return []


@pytest.mark.parametrize("name", sorted(_CODE_KEYS))
def test_every_sentence_of_the_data_tables_reaches_the_catalogue(
    template: object, name: str
) -> None:
    """The extractor reads a data file's fields by name, so a field it was never told about is
    silently left English. The receiving half's next steps (`window_receiving`, `cli_receiving`)
    and its sign-in refusals (`incoming_replies`, `incoming_steps`) were: a Spanish run asked for
    the incoming server, and explained a refused IMAP password, in English. Every string of these
    tables but their codes must be a catalogue entry."""
    import json

    table = json.loads((ROOT / "resources" / name).read_text(encoding="utf-8"))
    ids = {m.id for m in template if m.id}  # type: ignore[attr-defined]
    found = _sentences(table, _CODE_KEYS[name])
    missing = [s for s in found if translations.worth_translating(s) and s not in ids]
    assert found and missing == []


def test_every_kept_sentence_is_a_catalogue_sentence_with_its_values_apart(
    template: object,
) -> None:
    """An error for the person (`WordedError` and its kinds) and a `Worded` keep their sentence
    untranslated and word it when shown, so the sentence must be the catalogue's own: written out
    (not filled first in an f-string) and extracted (marked `N_`). Two were not, and a Spanish
    export said "Nothing vouches for the name … yet" and "This report has a receiving setting that
    cannot be read." in English. A sentence held in a table or a variable is checked where the
    table is written."""
    import ast

    from babel.messages.catalog import Catalog

    assert isinstance(template, Catalog)
    extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id}
    trees = {
        path: ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted((ROOT / "assistant").rglob("*.py"))
    }
    keepers = {"WordedError", "Worded"}
    grew = True
    while grew:  # every class that is a WordedError, however far down
        before = len(keepers)
        for tree in trees.values():
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and any(
                    getattr(base, "id", None) in keepers for base in node.bases
                ):
                    keepers.add(node.name)
        grew = len(keepers) > before
    assert {"ExportError", "InputError", "HostHasPort", "ProfileError"} <= keepers

    wrong: list[str] = []
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name not in keepers:
                continue
            arg = node.args[0]
            if isinstance(arg, ast.Call) and getattr(arg.func, "id", None) == "N_":
                arg = arg.args[0]
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            if isinstance(arg, ast.JoinedStr | ast.BinOp):
                wrong.append(f"{where}: filled before it is kept: {ast.unparse(arg)[:60]}")
            elif (
                isinstance(arg, ast.Constant)
                and isinstance(arg.value, str)
                and translations.worth_translating(arg.value)
                and arg.value not in extracted
            ):
                wrong.append(f"{where}: not in the catalogue: {arg.value[:60]}")
    assert wrong == []
