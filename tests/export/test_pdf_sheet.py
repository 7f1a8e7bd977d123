"""The settings sheet: one A4/Letter page, text at least 10 pt, both halves, never the password."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QPointF
from PySide6.QtGui import QFont, QFontDatabase, QPageSize, QPainter, QPdfWriter

from assistant.clients import ClientGuide, load_guides
from assistant.core.models import Protocol, Security, Verdict
from assistant.export import pdf_sheet
from assistant.export.account import PortResult
from assistant.export.sheet import Sheet, half_fields
from tests.export.accounts import account, incoming, outgoing
from tests.export.debian_tools import tool
from tests.servers.farm import CANARY_PASSWORD

SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots"
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


def _words(pdf: Path) -> list[tuple[float, str]]:
    """(height of the word's box in points, word) for every word pdftotext finds."""
    pdftotext = tool("pdftotext", "poppler-utils")
    out = subprocess.run(
        [pdftotext, "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [(float(m[3]) - float(m[1]), html.unescape(m[4])) for m in _WORD.findall(out)]


def _ten_point_box(tmp_path: Path) -> float:
    """How tall pdftotext measures a word set in the sheet's font at exactly 10 pt."""
    path = tmp_path / "ten.pdf"
    writer = QPdfWriter(str(path))
    writer.setResolution(300)
    font = QFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont).family())
    font.setPointSizeF(10.0)
    painter = QPainter(writer)
    painter.setFont(font)
    painter.drawText(QPointF(100, 400), "Calibration")
    painter.end()
    del writer
    ((height, word),) = _words(path)
    assert word == "Calibration"
    return height


def _pages(pdf: Path) -> tuple[int, str]:
    pdfinfo = tool("pdfinfo", "poppler-utils")
    info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])  # type: ignore[index]
    size = re.search(r"^Page size:\s+(.*)$", info, re.M)[1]  # type: ignore[index]
    return pages, size


@pytest.mark.parametrize("guide", load_guides(), ids=lambda g: g.id)
def test_one_page_readable_text_both_halves(tmp_path: Path, guide: object) -> None:
    pdf = tmp_path / "sheet.pdf"
    model = account()
    pdf_sheet.write_pdf(
        Sheet(model, guide),  # type: ignore[arg-type]
        pdf,
        locale=QLocale(QLocale.Language.German, QLocale.Country.Germany),
    )
    pages, size = _pages(pdf)
    assert pages == 1 and "(A4)" in size
    words = _words(pdf)
    ten = _ten_point_box(tmp_path)
    smallest = min(h for h, _ in words)
    assert smallest >= ten * 0.999, f"text below 10 pt: {smallest:.2f} < {ten:.2f}"
    text = " ".join(w for _, w in words)
    for half in (model.incoming, model.outgoing):
        assert half is not None
        for field in half_fields(guide, half):  # type: ignore[arg-type]
            for part in field.label.split():
                assert part in text
            for part in field.value.split():
                assert part in text
    for port in (465, 587, 25, 2525, 993):
        assert f"port {port}" in text.replace("port  ", "port ")
    assert "Example Ltd" in text and "help@example.test," in text
    assert "2026-12-02" in text
    assert CANARY_PASSWORD.encode() not in pdf.read_bytes() and CANARY_PASSWORD not in text


def test_letter_in_the_us_and_the_png_shows_one_page(tmp_path: Path) -> None:
    pdftoppm = tool("pdftoppm", "poppler-utils")
    guide = next(g for g in load_guides() if g.id == "thunderbird")
    pdf = tmp_path / "sheet.pdf"
    pdf_sheet.write_pdf(
        Sheet(account(), guide, made_on=datetime(2026, 12, 2)),
        pdf,
        locale=QLocale(QLocale.Language.English, QLocale.Country.UnitedStates),
    )
    pages, size = _pages(pdf)
    assert pages == 1 and "(letter)" in size
    subprocess.run([pdftoppm, "-r", "80", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pngs = sorted(tmp_path.glob("page*.png"))
    assert len(pngs) == 1
    assert pngs[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if os.environ.get("MAILSETUP_UPDATE_SCREENSHOTS"):
        shutil.copy(pngs[0], SCREENSHOTS / "export-settings-sheet.png")


def test_page_size_follows_the_locale() -> None:
    def size(language: QLocale.Language, country: QLocale.Country) -> QPageSize.PageSizeId:
        return pdf_sheet.page_size_for(QLocale(language, country)).id()

    assert (
        size(QLocale.Language.English, QLocale.Country.UnitedStates) is QPageSize.PageSizeId.Letter
    )
    assert size(QLocale.Language.French, QLocale.Country.Canada) is QPageSize.PageSizeId.Letter
    assert size(QLocale.Language.English, QLocale.Country.UnitedKingdom) is QPageSize.PageSizeId.A4
    assert size(QLocale.Language.Spanish, QLocale.Country.Spain) is QPageSize.PageSizeId.A4


def test_a_full_run_on_one_host_and_a_plain_server_still_fit_one_page(tmp_path: Path) -> None:
    """Both halves' every default port on the one server (nine lines, each listed: they are
    the servers to use), a plain-text warning, on Letter paper. (This test used to triple the
    port list and pass because the sheet painted its first page only, cutting off the rest.)"""
    guide = next(g for g in load_guides() if g.id == "outlook-classic")
    more = [
        PortResult(protocol, host, port, security, Verdict.REFUSED, "Not offered.")
        for protocol, host, port, security in (
            (Protocol.IMAP, "imap.example.test", 143, Security.STARTTLS),
            (Protocol.POP3, "imap.example.test", 995, Security.IMPLICIT_TLS),
            (Protocol.POP3, "imap.example.test", 110, Security.STARTTLS),
            (Protocol.SMTP, "mail.example.test", 26, Security.STARTTLS),
        )
    ]
    ports = (*account().ports, *more)
    model = account(ports=ports, outgoing=outgoing(Security.PLAIN, 2525), incoming=incoming())
    pdf = tmp_path / "sheet.pdf"
    letter = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    pdf_sheet.write_pdf(Sheet(model, guide, made_on=datetime(2026, 12, 2)), pdf, locale=letter)
    assert _pages(pdf)[0] == 1
    text = " ".join(w for _, w in _words(pdf))
    assert "NOT encrypted" in text
    assert all(f"port {p.port} " in text.replace("port  ", "port ") for p in ports)
    assert text.endswith("Made by Mail Setup Assistant on 2026-12-02."), text[-120:]
    assert min(h for h, _ in _words(pdf)) >= _ten_point_box(tmp_path) * 0.999


def test_printing_uses_the_same_page(tmp_path: Path) -> None:
    """The print path paints through the same function: a printer writing to a PDF file shows it."""
    from PySide6.QtPrintSupport import QPrinter

    guide = next(g for g in load_guides() if g.id == "apple-mail")
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    printer.setPageLayout(
        pdf_sheet.page_layout_for(QLocale(QLocale.Language.English, QLocale.Country.Canada))
    )
    pdf_sheet.print_sheet(Sheet(account(), guide), printer)
    del printer
    pages, size = _pages(printed)
    assert pages == 1 and "(letter)" in size
    saved = tmp_path / "saved.pdf"
    pdf_sheet.write_pdf(
        Sheet(account(), guide),
        saved,
        locale=QLocale(QLocale.Language.English, QLocale.Country.Canada),
    )
    assert [w for _, w in _words(printed)] == [w for _, w in _words(saved)]
    assert min(h for h, _ in _words(printed)) >= _ten_point_box(tmp_path) * 0.999


@pytest.mark.parametrize(
    ("language", "receive", "send"),
    [
        (
            "en",
            "Receive with IMAP: use imap.example.test, port 993",
            "Send with SMTP: use mail.example.test, port 465",
        ),
        (
            "es",
            "Recibe con IMAP: usa imap.example.test, puerto 993",
            "Envía con SMTP: usa mail.example.test, puerto 465",
        ),
    ],
)
def test_the_sheet_leads_with_what_to_use_for_each_half(
    tmp_path: Path, language: str, receive: str, send: str
) -> None:
    """Both halves were tested, so the page's first lines say what to use for each, receiving
    first, in the sheet's language (the run's own summary named the sending half only)."""
    from assistant import i18n

    i18n.set_language(language)
    pdf = tmp_path / "sheet.pdf"
    thunderbird = next(g for g in load_guides() if g.id == "thunderbird")
    pdf_sheet.write_pdf(Sheet(account(), thunderbird), pdf)
    pdftotext = tool("pdftotext", "poppler-utils")
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert receive in flat and send in flat
    assert flat.index(receive) < flat.index(send) < flat.index(_where_to_type(language))


def _where_to_type(language: str) -> str:
    return {"en": "Where to type it", "es": "Dónde escribirla"}[language]


@pytest.mark.parametrize("guide", load_guides(), ids=lambda g: g.id)
@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("country", [QLocale.Country.UnitedStates, QLocale.Country.Germany])
def test_every_programs_sheet_fits_one_page_with_its_footer(
    tmp_path: Path, language: str, country: QLocale.Country, guide: ClientGuide
) -> None:
    """Every program's sheet, in both languages, on Letter and A4: one page, ending with its
    footer (help, "your password is not on this sheet", the date). The sheet used to paint its
    first page only, so whatever did not fit was silently lost, the footer first: Outlook
    (classic) in Spanish on Letter paper lost it."""
    from assistant import i18n

    i18n.set_language(language)
    pdf = tmp_path / "sheet.pdf"
    sheet = Sheet(account(), guide, made_on=datetime(2026, 12, 2))
    pdf_sheet.write_pdf(sheet, pdf, locale=QLocale(QLocale.Language.English, country))
    assert _pages(pdf)[0] == 1
    text = " ".join(w for _, w in _words(pdf))
    footer = {
        "en": "Made by Mail Setup Assistant on 2026-12-02.",
        "es": "Hecho por Mail Setup Assistant el 2026-12-02.",
    }[language]
    assert text.endswith(footer), text[-120:]


def _failed_guess(host: str, port: int) -> PortResult:
    return PortResult(
        Protocol.IMAP, host, port, Security.IMPLICIT_TLS, Verdict.NO_SUCH_HOST, "No such server."
    )


def test_ways_that_did_not_work_are_counted_not_listed_and_the_page_keeps_its_end(
    tmp_path: Path,
) -> None:
    """A typed server under the person's domain brings that domain's usual receiving names: a run
    can test two dozen ways. One line for each failed one pushed the footer off the one page the
    sheet printed (in Spanish, on Letter paper), and told the person nothing they could type."""
    from assistant import i18n

    i18n.set_language("es")
    guesses = [
        _failed_guess(f"{name}.example.test", port)
        for name in ("pop", "pop3", "correo", "smtp", "post")  # not the names the sheet uses
        for port in (993, 143, 995, 110)
    ]
    model = account(ports=(*account().ports, *guesses))
    pdf = tmp_path / "sheet.pdf"
    guide = next(g for g in load_guides() if g.id == "outlook-classic")
    sheet = Sheet(model, guide, made_on=datetime(2026, 12, 2))
    pdf_sheet.write_pdf(
        sheet, pdf, locale=QLocale(QLocale.Language.Spanish, QLocale.Country.Mexico)
    )
    assert _pages(pdf) == (1, "612 x 792 pts (letter)")
    text = " ".join(w for _, w in _words(pdf))
    # Every port of the servers to use is still listed, failed or not (587: expired certificate).
    assert "mail.example.test puerto 587 STARTTLS: no se puede usar" in text
    assert f"Otras formas probadas que no funcionaron: {len(guesses)}" in text
    assert "pop3.example.test" not in text and "correo.example.test" not in text
    assert "mail.example.test puerto 2525" in text  # works without encryption: still said
    assert "IMAP imap.example.test puerto 993 SSL/TLS: cifrado, funciona" in text
    assert text.endswith("Hecho por Mail Setup Assistant el 2026-12-02."), text[-120:]


def test_a_sheet_too_long_for_one_page_goes_on_to_a_second_and_loses_nothing(
    tmp_path: Path,
) -> None:
    """Thirty ways that work cannot all be listed at 10 pt on one page: the sheet used to paint
    only its first page, silently dropping the rest, the footer first."""
    working = [
        PortResult(
            Protocol.SMTP,
            f"smtp{n}.example.test",
            465,
            Security.IMPLICIT_TLS,
            Verdict.ENCRYPTED_IMPLICIT,
            "Encrypted.",
        )
        for n in range(40)
    ]
    model = account(ports=(*account().ports, *working))
    pdf = tmp_path / "sheet.pdf"
    guide = next(g for g in load_guides() if g.id == "thunderbird")
    pdf_sheet.write_pdf(Sheet(model, guide, made_on=datetime(2026, 12, 2)), pdf)
    assert _pages(pdf)[0] == 2
    words = _words(pdf)
    text = " ".join(w for _, w in words)
    assert all(f"smtp{n}.example.test" in text for n in range(40))
    assert text.endswith("Made by Mail Setup Assistant on 2026-12-02."), text[-120:]
    assert min(height for height, _ in words) >= _ten_point_box(tmp_path) * 0.999  # 10 pt still


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_sheet_without_a_receiving_server_says_what_to_ask_for(
    tmp_path: Path, language: str
) -> None:
    """Receiving was tested and nothing safe answered, or was not tested and no server is
    documented: the sheet has the sending half only, and said nothing about it, so it looked like
    a whole account. It now says, under "Receiving mail", that there is nothing to type yet, why,
    and what to ask the provider for."""
    from assistant import i18n
    from assistant.core.explanation import sentence
    from assistant.marks import strip_marks

    i18n.set_language(language)
    refused = PortResult(
        Protocol.IMAP, "imap.example.test", 993, Security.IMPLICIT_TLS, Verdict.REFUSED, "Refused."
    )
    model = account(incoming=None, ports=(refused,))
    pdf = tmp_path / "sheet.pdf"
    thunderbird = next(g for g in load_guides() if g.id == "thunderbird")
    pdf_sheet.write_pdf(Sheet(model, thunderbird), pdf)
    assert _pages(pdf)[0] == 1
    flat = _text(pdf)
    missing = " ".join(strip_marks(sentence("no_incoming_to_type")).split())
    receiving = {"en": "Receiving mail", "es": "Recibir correo"}[language]
    sending = {"en": "Sending mail", "es": "Enviar correo"}[language]
    assert flat.index(receiving) < flat.index(missing) < flat.index(sending)
    # A run of the sending half alone (an IT profile naming sending servers only), with no
    # receiving server documented either: it says receiving was not tested, not nothing at all.
    alone = tmp_path / "alone.pdf"
    pdf_sheet.write_pdf(Sheet(account(incoming=None, ports=()), thunderbird), alone)
    assert _pages(alone)[0] == 1
    flat = _text(alone)
    untested = " ".join(strip_marks(sentence("incoming_not_tested")).split())
    assert missing not in flat
    assert flat.index(receiving) < flat.index(untested) < flat.index(sending)


def _text(pdf: Path) -> str:
    pdftotext = tool("pdftotext", "poppler-utils")
    done = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True)
    return " ".join(done.stdout.split())
