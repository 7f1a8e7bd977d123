"""The wizard in Spanish from start to finish, the language switch, and access for everyone:
accessible names and descriptions, one Alt letter per thing, focus in reading order, screen-reader
announcements, a window that fits the screen at 200 %, icons and text readable light and dark."""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QStyleFactory,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot

from assistant import i18n
from assistant.gui.i18n import use_language
from assistant.gui.palette import contrast_ratio, failing, readable
from assistant.gui.screenshots import _dark_palette
from assistant.gui.state import PageId
from assistant.gui.widgets import announce
from assistant.gui.widgets.status import COLOURS, draw
from assistant.gui.wizard import MailSetupWizard
from assistant.gui.wording import Tone
from tests.gui.conftest import ADDRESS, MakeWizard, go_to_testing, wait_for_run
from tests.servers import Loopback
from tests.servers.farm import MAIL_HOST
from tools import translations

ROOT = Path(__file__).resolve().parents[2]
CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QPlainTextEdit, QProgressBar)


@pytest.fixture
def spanish(qapp: QApplication) -> Iterator[None]:
    use_language("es", qapp)
    yield
    use_language("en", qapp)


@pytest.fixture(scope="module")
def english_left() -> list[str]:
    """Every English source string whose Spanish differs: none of them may be on screen in Spanish."""
    catalog = translations.read_po("es")
    out = []
    for message in catalog:
        if not message.id or isinstance(message.id, tuple) or message.string == message.id:
            continue
        text = re.sub(r"\[\[[a-z0-9-]+\|([^\]]+)\]\]", r"\1", message.id).replace("&", "")
        if "{" not in text and len(text) >= 4:
            out.append(text)
    return out


def _visible_texts(wizard: MailSetupWizard) -> list[str]:
    page = wizard.currentPage()
    texts = [page.title(), page.subTitle()]
    for widget in wizard.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel):
            texts.append(re.sub(r"<[^>]+>", "", widget.text()))
        elif isinstance(widget, QAbstractButton):
            texts.append(widget.text().replace("&", ""))
        if isinstance(widget, (QLabel, *CONTROLS)):
            texts.append(widget.accessibleName())
    tree = getattr(page, "tree", None)
    if tree is not None and tree.isVisible():
        header = tree.headerItem()
        texts += [header.text(c) for c in range(header.columnCount())]
        for i in range(tree.topLevelItemCount()):
            item = tree.topLevelItem(i)
            texts += [item.text(c) for c in range(item.columnCount())]
    return [t for t in texts if t]


def _assert_spanish(wizard: MailSetupWizard, english_left: list[str]) -> None:
    shown = _visible_texts(wizard)
    left = [e for e in english_left for t in shown if t == e or (len(e) >= 25 and e in t)]
    assert left == [], (wizard.page_id(), left)
    # Longer Spanish words must not push the page wider than the window (nothing cut at the side).
    QApplication.processEvents()
    page = wizard.currentPage()
    bar = page.scroll_area.horizontalScrollBar()  # type: ignore[attr-defined]
    assert bar.maximum() == 0, (wizard.page_id(), "wider than the window")


def test_the_whole_wizard_in_spanish(
    qtbot: QtBot,
    loopback: Loopback,
    make_wizard: MakeWizard,
    spanish: None,
    english_left: list[str],
) -> None:
    tls, plain = loopback.implicit_tls(), loopback.plain()
    wizard = make_wizard([tls, plain])
    assert wizard.currentPage().title() == "Haz que tu correo funcione"
    assert wizard.welcome.language.currentText() == "Español"
    assert wizard.button(QWizard.WizardButton.NextButton).text() == "Siguie&nte >"
    _assert_spanish(wizard, english_left)
    wizard.next()
    qtbot.keyClicks(wizard.address.address, "ana@")
    assert "Falta la parte después de la @." in wizard.address.address_message.text()
    wizard.address.address.clear()
    qtbot.keyClicks(wizard.address.address, ADDRESS)
    assert wizard.address.address_message.text() == "✓ Parece una dirección de correo."
    assert wizard.address.servers_info.plain_text() == f"Vamos a probar {MAIL_HOST}."
    _assert_spanish(wizard, english_left)
    wizard.next()
    assert wizard.sign_in.remember.text().startswith("&Recordar esta contraseña en el almacén")
    _assert_spanish(wizard, english_left)
    wizard.next()
    wait_for_run(qtbot, wizard)
    assert wizard.testing.summary.text() == (
        "Terminado: se encontró una forma segura de enviar correo. Presiona Siguiente para verla."
    )
    assert wizard.testing.status_text(tls.candidate()) == "Funciona, cifrado (SSL/TLS)"
    _assert_spanish(wizard, english_left)
    wizard.next()
    assert wizard.results.recommendation.text() == (
        f"Usa {MAIL_HOST}, puerto {tls.port}, SSL/TLS: cifrado desde el principio."
    )
    _assert_spanish(wizard, english_left)
    wizard.next()
    settings = wizard.settings
    for guide in settings.guides:
        settings.select_program(guide.id)
        _assert_spanish(wizard, english_left)
    settings.select_program("thunderbird")
    assert list(settings.values()) == [
        "Nombre del servidor",
        "Puerto",
        "Seguridad de la conexión",
        "Método de autenticación",
        "Nombre de usuario",
    ]
    assert settings.values()["Seguridad de la conexión"] == "SSL/TLS"
    # The Account Hub's own es-MX words (accountHub.ftl, appmenu.ftl), no colons as in the hub.
    assert settings.section.text() == "Servidor de salida"
    steps = settings.steps.plain_text()
    assert steps == (
        "1. Abre Thunderbird. Si no aparece la bienvenida, elige ≡ > Nueva cuenta > Correo "
        "electrónico.\n"
        "2. Escribe tu nombre completo y tu correo, y haz clic en Continuar y en Configurar "
        "manualmente.\n"
        "3. Completa Servidor entrante y haz clic en Continuar; luego Servidor de salida, y "
        "Continuar.\n"
        "4. Escribe tu contraseña y haz clic en Continuar: Thunderbird comprueba el servidor "
        "entrante y crea la cuenta."
    )
    assert "Volver a probar" not in steps and "Hecho" not in steps
    assert "≡ > Configuración de cuenta:" in settings.after.plain_text()
    assert "no se pudieron comprobar" not in settings.after.text()  # all confirmed in es-MX
    settings.select_program("outlook-classic")
    assert "Método de cifrado" in settings.values()
    assert "no se pudieron comprobar en el propio programa" in settings.after.text()
    first, second = settings.sheet_text().splitlines()[:2]
    assert first.startswith("Recibir correo no formó parte de esta prueba")
    assert second.startswith(f"Usa {MAIL_HOST}, puerto {tls.port}")


def test_switching_language_keeps_what_was_typed_and_tested(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard, qapp: QApplication
) -> None:
    tls = loopback.implicit_tls()
    wizard = make_wizard([tls])
    go_to_testing(qtbot, wizard, password="not-a-real-one")
    wait_for_run(qtbot, wizard)
    wizard.next()
    assert wizard.results.recommendation.text().startswith("Use ")
    assert wizard.state.outcome is not None
    tested = wizard.state.outcome.results[0]
    run_id = wizard.bridge.current_run_id
    try:
        # From the results page, the way the person would: back to the first page, choose Español.
        while wizard.page_id() is not PageId.WELCOME:
            wizard.back()
        combo = wizard.welcome.language
        combo.setCurrentIndex(combo.findData("es"))
        qtbot.waitUntil(lambda: wizard.currentPage().title().startswith("Haz que"))
        assert wizard.button(QWizard.WizardButton.BackButton).text() == "< &Atrás"
        assert wizard.button(QWizard.WizardButton.CustomButton1).text() == "Acerca &de"
        wizard.next()
        assert wizard.address.address.text() == ADDRESS  # typed text kept
        assert wizard.address.address_label.text() == "&Correo electrónico:"
        wizard.next()
        assert wizard.sign_in.password.text() == "not-a-real-one"
        wizard.next()
        # Nothing changed: the results stay (no new run), now in Spanish.
        assert wizard.testing.isComplete()
        assert wizard.bridge.current_run_id == run_id
        assert wizard.state.outcome is not None and wizard.state.outcome.results[0] is tested
        assert wizard.testing.status_text(tls.candidate()) == "Funciona, cifrado (SSL/TLS)"
        wizard.next()
        assert wizard.results.recommendation.text().startswith("Usa ")
        # And back again, in place, on the page that is showing.
        use_language("en", qapp)
        qtbot.waitUntil(lambda: wizard.results.recommendation.text().startswith("Use "))
        assert wizard.results.title() == "Results"
    finally:
        use_language("en", qapp)


# -- access: names, descriptions, mnemonics, focus order ------------------------------------------


def _controls(wizard: MailSetupWizard) -> list[QWidget]:
    out = []
    for widget in wizard.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or not widget.isVisible():
            continue
        if isinstance(widget.parent(), (QLineEdit, QComboBox)) or widget.objectName().startswith(
            "qt_"
        ):
            continue
        if type(widget).__name__.startswith("QLineEditIconButton"):
            continue
        out.append(widget)
    return out


def _mnemonic(text: str) -> str | None:
    match = re.search(r"&([^&\s])", text.replace("&&", ""))
    return match.group(1).lower() if match else None


def _problems(wizard: MailSetupWizard) -> list[str]:
    found = []
    letters: dict[str, str] = {}
    for widget in _controls(wizard):
        label = f"{wizard.page_id().name}: {type(widget).__name__} {widget.accessibleName()!r}"
        if not widget.accessibleName():
            found.append(f"{label} has no accessible name")
        if not widget.accessibleDescription() and not isinstance(widget, QAbstractItemView):
            found.append(f"{label} has no accessible description")
    for widget in wizard.findChildren(QWidget):
        if not widget.isVisible() or not isinstance(widget, (QAbstractButton, QLabel)):
            continue
        if isinstance(widget, QLabel) and widget.buddy() is None:
            continue
        letter = _mnemonic(widget.text())
        if letter is None:
            continue
        if letter in letters:
            found.append(
                f"{wizard.page_id().name}: Alt+{letter.upper()} is both "
                f"{letters[letter]!r} and {widget.text()!r}"
            )
        letters[letter] = widget.text()
    return found


def _focus_chain(wizard: MailSetupWizard) -> list[QWidget]:
    """The page's widgets a Tab can reach."""
    return [
        w
        for w in wizard.currentPage().findChildren(QWidget)
        if w.isVisible()
        and w.isEnabled()
        and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        and not isinstance(w.parent(), (QLineEdit, QComboBox))
        and not type(w).__name__.startswith("QLineEditIconButton")
    ]


def _reading_order_problems(wizard: MailSetupWizard) -> list[str]:
    # Start from the first widget in reading order and follow Tab: no step may go back up.
    chain = _focus_chain(wizard)
    if not chain:
        return []
    tops = {w: w.mapTo(wizard, QPoint(0, 0)) for w in chain}
    first = min(chain, key=lambda w: (tops[w].y(), tops[w].x()))
    ordered, widget = [first], first.nextInFocusChain()
    while widget is not first and len(ordered) < len(chain):
        if widget in tops:
            ordered.append(widget)
        widget = widget.nextInFocusChain()
    out = []
    for before, after in itertools.pairwise(ordered):
        a, b = tops[before], tops[after]
        same_row = abs(a.y() - b.y()) < before.height()
        if b.y() < a.y() - 4 and not same_row:
            out.append(
                f"{wizard.page_id().name}: Tab goes up from {before.accessibleName()!r} "
                f"to {after.accessibleName()!r}"
            )
    return out


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_widget_of_every_page_is_named_and_has_its_own_alt_letter(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard, qapp: QApplication, language: str
) -> None:
    use_language(language, qapp)
    try:
        wizard = make_wizard([loopback.implicit_tls(), loopback.plain()])
        seen: list[str] = []

        def check() -> None:
            seen.extend(_problems(wizard))
            seen.extend(_reading_order_problems(wizard))

        check()
        wizard.next()
        qtbot.keyClicks(wizard.address.address, ADDRESS)
        check()
        wizard.next()
        qtbot.keyClicks(wizard.sign_in.password, "not-a-real-one")
        check()
        wizard.next()
        check()  # running
        wait_for_run(qtbot, wizard)
        wizard.testing.details_button.click()
        check()
        wizard.next()
        check()
        wizard.next()
        for guide in wizard.settings.guides:
            wizard.settings.select_program(guide.id)
            check()
        assert seen == []
    finally:
        use_language("en", qapp)


def test_the_check_finds_a_duplicate_alt_letter(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    wizard = make_wizard([loopback.implicit_tls()])
    wizard.welcome.language_label.setText("&Next thing")  # N is already "&Next >"
    assert any("Alt+N" in p for p in _problems(wizard))


def test_the_check_finds_tab_going_back_up(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    wizard = make_wizard([loopback.implicit_tls()])
    wizard.next()
    qtbot.keyClicks(wizard.address.address, ADDRESS)
    wizard.next()
    page = wizard.sign_in
    qtbot.waitUntil(page.remember.isEnabled)
    assert _reading_order_problems(wizard) == []
    QWidget.setTabOrder(page.password, page.remember)  # skip "Show the password", come back to it
    QWidget.setTabOrder(page.remember, page.show_password)
    assert any("Tab goes up" in p for p in _reading_order_problems(wizard))


def test_status_changes_are_announced_in_words(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    heard: list[tuple[str, str]] = []
    stop = announce.on_announce(lambda widget, text: heard.append((widget.objectName(), text)))
    try:
        tls = loopback.implicit_tls()
        wizard = make_wizard([tls])
        go_to_testing(qtbot, wizard)
        wait_for_run(qtbot, wizard)
        wizard.next()
    finally:
        stop()
    texts = [text for _, text in heard]
    assert texts[0] == f"Testing 1 way to send mail for {ADDRESS}…"
    assert f"{MAIL_HOST} port {tls.port}: Works, encrypted (SSL/TLS)" in texts
    assert "Done: a safe way to send mail was found. Press Next to see it." in texts
    assert texts[-1].startswith(f"Use {MAIL_HOST}, port {tls.port}")


# -- the window on small and scaled screens ---------------------------------------------------------

FIT_SCRIPT = r"""
import json, sys
from PySide6.QtWidgets import QApplication, QWizard
app = QApplication([])
from assistant.gui.wizard import MailSetupWizard
from assistant.discovery import DiscoveryOptions
wizard = MailSetupWizard(discovery_options=lambda: DiscoveryOptions(offline=True))
wizard.show()
app.processEvents()
screen = wizard.screen().availableGeometry()
out = {"screen": [screen.x(), screen.y(), screen.width(), screen.height()], "pages": []}
def record(name):
    app.processEvents()
    frame = wizard.frameGeometry()
    buttons = {}
    for which in ("BackButton", "NextButton", "CancelButton", "CustomButton1"):
        b = wizard.button(getattr(QWizard.WizardButton, which))
        if b.isVisible():
            tl = b.mapToGlobal(b.rect().topLeft()); br = b.mapToGlobal(b.rect().bottomRight())
            buttons[which] = [tl.x(), tl.y(), br.x(), br.y()]
    out["pages"].append({"page": name, "frame": [frame.x(), frame.y(), frame.right(), frame.bottom()],
                         "buttons": buttons})
record("welcome")
wizard.next()
wizard.address.address.setText("ana@example.test")
record("address")
wizard.next()
record("sign-in")
print(json.dumps(out))
wizard.shutdown()
"""


@pytest.mark.parametrize(
    ("width", "height", "scale"), [(1280, 900, "2"), (1024, 768, "1"), (1024, 768, "2")]
)
def test_the_window_fits_the_free_screen_area(
    tmp_path: Path, width: int, height: int, scale: str
) -> None:
    """QT_SCALE_FACTOR=2 in a fresh process (it must be set before Qt starts): every button the
    person needs is on the screen."""
    config = tmp_path / "screen.json"
    config.write_text(
        json.dumps(
            {
                "screens": [
                    {
                        "name": "s",
                        "x": 0,
                        "y": 0,
                        "width": width,
                        "height": height,
                        "logicalDpi": 96,
                    }
                ]
            }
        )
    )
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM=f"offscreen:configfile={config}",
        QT_SCALE_FACTOR=scale,
        PYTHONPATH=str(ROOT),
    )
    proc = subprocess.run(
        [sys.executable, "-c", FIT_SCRIPT],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    x, y, w, h = result["screen"]
    assert (w, h) == (width // int(scale), height // int(scale))
    for page in result["pages"]:
        left, top, right, bottom = page["frame"]
        assert x <= left and y <= top and right < x + w and bottom < y + h, page
        assert {"NextButton", "CancelButton"} <= set(page["buttons"]), page
        for name, (bl, bt, br, bb) in page["buttons"].items():
            assert x <= bl and br < x + w and y <= bt and bb < y + h, (page["page"], name)


def test_testing_page_at_640_by_480_shows_whole_server_names(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard
) -> None:
    wizard = make_wizard([loopback.implicit_tls(), loopback.starttls(), loopback.closed()])
    wizard.resize(640, 480)
    go_to_testing(qtbot, wizard, password="not-a-real-one")
    wait_for_run(qtbot, wizard)
    tree = wizard.testing.tree
    qtbot.waitUntil(lambda: tree.header().sectionSize(0) > 0)
    metrics = tree.fontMetrics()
    needed = max(metrics.horizontalAdvance(text) for text, _ in wizard.testing.candidates_shown())
    assert tree.header().sectionSize(0) >= needed
    header_needed = metrics.horizontalAdvance(tree.headerItem().text(0))
    assert tree.header().sectionSize(0) >= header_needed
    # The status words are never cut off with "…": a narrow column wraps them onto more lines.
    status_width = tree.header().sectionSize(2)
    wrapped = 0
    rows = [wizard.testing.row_item(c) for c in wizard.state.candidates()]  # under their groups
    for item in rows:
        words = item.text(2)
        one_line = metrics.horizontalAdvance(words) + tree.iconSize().width() + 12
        if one_line > status_width:
            wrapped += 1
            assert tree.visualItemRect(item).height() > metrics.height() * 1.5, words
    assert wrapped, "at 640×480 some status words are longer than their column"


# -- dark mode: icons and text ------------------------------------------------------------------------


@pytest.mark.parametrize("dark", [False, True])
def test_every_state_icon_stands_out_on_the_window(qapp: QApplication, dark: bool) -> None:
    palette = _dark_palette() if dark else QStyleFactory.create("Fusion").standardPalette()
    assert isinstance(palette, QPalette)
    background = palette.color(QPalette.ColorRole.Window)
    outline = palette.color(QPalette.ColorRole.WindowText)
    for tone in Tone:
        image = draw(tone, 16, outline).toImage().convertToFormat(QImage.Format.Format_ARGB32)
        strong = 0
        for px in range(image.width()):
            for py in range(image.height()):
                colour = QColor.fromRgba(image.pixel(px, py))
                if colour.alpha() > 200 and contrast_ratio(colour, background) >= 3.0:
                    strong += 1
        assert strong >= 40, (tone, dark, strong)  # the outline and mark, not a faint smudge
    assert len(set(COLOURS.values())) == len(Tone)  # and each state has its own colour + shape


def test_text_contrast_is_at_least_4_5_in_light_and_dark(qapp: QApplication) -> None:
    light = QStyleFactory.create("Fusion").standardPalette()
    dark = _dark_palette()
    assert isinstance(dark, QPalette)
    assert failing(readable(light)) == []
    assert failing(readable(dark)) == []
    assert failing(dark) == []  # the screenshots' dark palette needs no fixing at all
    # A palette that already passes is left exactly as it was.
    assert readable(dark).color(QPalette.ColorRole.PlaceholderText) == dark.color(
        QPalette.ColorRole.PlaceholderText
    )


def test_the_language_list_names_each_language_in_itself(make_wizard: MakeWizard) -> None:
    wizard = make_wizard([])
    combo = wizard.welcome.language
    names = [combo.itemText(i) for i in range(combo.count())]
    assert names == ["English", "Español"]
    assert i18n.current_language() == "en"


# -- plain words: every technical word on a page is linked to its explanation ---------------------

TERMS: dict[str, str] = {
    "ssl-tls": r"SSL/TLS",
    "starttls": r"STARTTLS",
    "smtp": r"\bSMTP\b",
    "incoming-server": r"\bIMAP\b|\bPOP\b",
    "spa": r"\bSPA\b",
    "port": r"(?i)\bports?\b|\bpuertos?\b",
    "certificate": r"(?i)certificat|certificad",
    "encryption": r"(?i)encrypt|cifra",
    "oauth": r"OAuth",
    "password-store": r"(?i)password store|credential manager|keychain|almacén de contraseñas|"
    r"administrador de credenciales|llavero",
}


def _unexplained(wizard: MailSetupWizard) -> list[str]:
    from assistant.gui.widgets.glossary import GlossaryLabel

    linked = {
        key
        for label in wizard.currentPage().findChildren(GlossaryLabel)
        if label.isVisible()
        for key in re.findall(r'href="glossary:([a-z0-9-]+)"', label.text())
    }
    shown = "\n".join(_visible_texts(wizard)[2:])  # the words on the page itself
    return [
        f"{wizard.page_id().name}: {key}"
        for key, pattern in TERMS.items()
        if re.search(pattern, shown) and key not in linked
    ]


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_technical_word_on_a_page_links_to_its_explanation(
    qtbot: QtBot, loopback: Loopback, make_wizard: MakeWizard, qapp: QApplication, language: str
) -> None:
    use_language(language, qapp)
    try:
        wizard = make_wizard([loopback.implicit_tls(), loopback.starttls()])
        found = _unexplained(wizard)
        wizard.next()
        qtbot.keyClicks(wizard.address.address, ADDRESS)
        found += _unexplained(wizard)
        wizard.next()
        qtbot.keyClicks(wizard.sign_in.password, "not-a-real-one")
        qtbot.waitUntil(lambda: wizard.keychain.is_open)
        found += _unexplained(wizard)
        wizard.next()
        wait_for_run(qtbot, wizard)
        found += _unexplained(wizard)
        wizard.next()
        found += _unexplained(wizard)
        wizard.next()
        for guide in wizard.settings.guides:
            wizard.settings.select_program(guide.id)
            found += [f"{p} ({guide.id})" for p in _unexplained(wizard)]
        assert found == []
    finally:
        use_language("en", qapp)


def test_nothing_safe_is_explained_in_spanish(
    qtbot: QtBot,
    loopback: Loopback,
    make_wizard: MakeWizard,
    spanish: None,
    english_left: list[str],
) -> None:
    """The other road: only an unencrypted server and a closed port. The advice, the next steps
    and the "I understand the risks" choice are Spanish too."""
    wizard = make_wizard([loopback.plain(), loopback.closed()])
    go_to_testing(qtbot, wizard, password="not-a-real-one")
    wait_for_run(qtbot, wizard)
    assert wizard.testing.summary.text().startswith("Terminado, pero no se encontró")
    _assert_spanish(wizard, english_left)
    wizard.next()
    assert wizard.results.recommendation.text() == "No se encontró una forma segura de enviar."
    assert wizard.results.risk.isVisible() and wizard.results.risk.text().startswith("Entiendo")
    _assert_spanish(wizard, english_left)
    wizard.results.risk.click()
    wizard.next()
    assert "NO está cifrada" in wizard.settings.risk_banner.plain_text()
    _assert_spanish(wizard, english_left)
