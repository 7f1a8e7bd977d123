"""`mailsetup --screenshots DIR ADDRESS [--host H] [--ports SPEC]`: one PNG per page of a real run.

The wizard is walked the way a person would (type the address, Next, wait for the tests, Next …) and
each page is saved as it looks. IT can use it for their own instructions; the docs use it too.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.gui.state import SettingsFactory
    from assistant.gui.wizard import MailSetupWizard

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
DEFAULT_PROGRAMS = ("outlook-classic", "thunderbird")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mailsetup --screenshots",
        description="Walk the assistant through a real test and save one picture per page.",
    )
    parser.add_argument("directory", type=Path, help="folder to save the PNG files in")
    parser.add_argument("address", help="the email address to type")
    parser.add_argument(
        "--host", action="append", default=[], metavar="H", help="server name (repeatable)"
    )
    parser.add_argument("--ports", default=None, metavar="SPEC", help="ports, like 465,587,25")
    parser.add_argument(
        "--timeout", type=float, default=None, metavar="S", help="time limit per test"
    )
    parser.add_argument(
        "--size",
        default=None,
        metavar="WxH",
        help="window size (default: 800x600, or what fits the screen)",
    )
    parser.add_argument(
        "--program",
        action="append",
        default=[],
        metavar="ID",
        help="mail program(s) for the settings page (default: outlook-classic and thunderbird)",
    )
    parser.add_argument("--dark", action="store_true", help="use a dark colour scheme")
    parser.add_argument(
        "--lang", default=None, metavar="LANG", help="language, like es (default: system)"
    )
    parser.add_argument(
        "--only", action="append", default=[], metavar="NAME", help="save only these pictures"
    )
    parser.add_argument("--prefix", default="", help="put this before each file name")
    parser.add_argument(
        "--offline",
        action="store_true",
        help="find servers only in the built-in provider list (ask nothing on the internet)",
    )
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help="read a password from standard input and type it on the sign-in page "
        "(shown as dots; it is only sent over a verified encrypted connection)",
    )
    return parser


def wait_until(predicate: Callable[[], bool], timeout_s: float) -> bool:
    """Run the event loop until `predicate()` is true (no sleeping: the loop keeps running)."""
    from PySide6.QtCore import QDeadlineTimer, QEventLoop

    # A QEventLoop instance, not the static QCoreApplication.processEvents(): on Python 3.11 the
    # static call in PySide6 6.12.0 drops a reference to None on every call (see docs/GUI.md).
    loop = QEventLoop()
    deadline = QDeadlineTimer(int(timeout_s * 1000))
    while not predicate():
        if deadline.hasExpired():
            return False
        loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    return True


def _dark_palette() -> object:
    from PySide6.QtGui import QColor, QPalette

    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#2b2b2b",
        QPalette.ColorRole.WindowText: "#e8e8e8",
        QPalette.ColorRole.Base: "#1e1e1e",
        QPalette.ColorRole.AlternateBase: "#323232",
        QPalette.ColorRole.Text: "#e8e8e8",
        QPalette.ColorRole.Button: "#3a3a3a",
        QPalette.ColorRole.ButtonText: "#e8e8e8",
        QPalette.ColorRole.Highlight: "#3d6fb4",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#8ab4f8",
        QPalette.ColorRole.ToolTipBase: "#3a3a3a",
        QPalette.ColorRole.ToolTipText: "#e8e8e8",
        QPalette.ColorRole.PlaceholderText: "#9a9a9a",
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#7a7a7a"))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, QColor("#7a7a7a"))
    return palette


def run_screenshots(argv: Sequence[str], settings_factory: SettingsFactory | None = None) -> int:
    args = build_parser().parse_args(list(argv))
    try:
        size = [int(n) for n in args.size.lower().split("x")] if args.size else []
    except ValueError:
        print("mailsetup: --size must look like 800x600", file=sys.stderr)
        return EXIT_BAD_INPUT

    from assistant.core.address import parse
    from assistant.core.ports import InputError, normalise_host, parse_ports

    try:
        parse(args.address)
        hosts = [normalise_host(h) for h in args.host]
        ports = parse_ports(args.ports) if args.ports else None
    except InputError as exc:
        print(f"mailsetup: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT

    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from assistant.gui.app import favour_the_window
    from assistant.gui.wizard import MailSetupWizard

    favour_the_window()
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(["mailsetup"])
    from assistant.gui.i18n import use_language
    from assistant.gui.palette import make_text_readable

    use_language(args.lang, app)
    if args.dark:
        app.setStyle("Fusion")
        app.setPalette(_dark_palette())  # type: ignore[arg-type]
    make_text_readable(app)
    password = sys.stdin.readline().rstrip("\r\n") if args.password_stdin else ""
    args.directory.mkdir(parents=True, exist_ok=True)
    discovery_options = None
    if args.offline:
        from assistant.discovery import DiscoveryOptions

        def discovery_options() -> DiscoveryOptions:
            return DiscoveryOptions(offline=True)

    wizard = MailSetupWizard(
        settings_factory=settings_factory,
        ports=ports,
        hosts=hosts,
        timeout=args.timeout,
        discovery_options=discovery_options,
    )
    if size:
        wizard.resize(size[0], size[1])
    wizard.show()
    try:
        programs = args.program or list(DEFAULT_PROGRAMS)
        saved = _walk(
            wizard, args.directory, args.address, programs, password, args.only, args.prefix
        )
    finally:
        wizard.shutdown()
        wizard.close()
        wizard.deleteLater()
    for path in saved:
        print(path)
    last = saved[-1].name.removeprefix(args.prefix) if saved else ""
    return EXIT_OK if last.startswith(("06", "05")) or args.only else EXIT_FAILED


def _walk(
    wizard: MailSetupWizard,
    folder: Path,
    address: str,
    programs: list[str],
    password: str = "",
    only: Sequence[str] = (),
    prefix: str = "",
) -> list[Path]:
    from assistant.gui.state import PageId

    saved: list[Path] = []

    def snap(name: str) -> None:
        if only and name not in only:
            return
        wait_until(lambda: False, 0.15)  # let layouts settle and deferred deletes run
        path = folder / f"{prefix}{name}.png"
        if not wizard.grab().save(str(path)):
            raise OSError(f"could not write {path}")
        saved.append(path)

    snap("01-welcome")
    wizard.next()
    wizard.address.address.setText(address)
    snap("02-address")
    if not wizard.address.isComplete():
        print("mailsetup: the address page did not accept the input", file=sys.stderr)
        return saved
    wizard.next()
    if password:
        wizard.sign_in.password.setText(password)
    snap("03-sign-in")
    wizard.next()
    timeout = wizard.state.time_limit + 10.0
    wait_until(lambda: wizard.testing.progress.value() >= 1 or wizard.testing.isComplete(), timeout)
    snap("04-testing-running")
    if not wait_until(wizard.testing.isComplete, timeout):
        print("mailsetup: the tests did not finish in time", file=sys.stderr)
        return saved
    snap("04-testing-done")
    wizard.next()
    snap("05-results")
    if wizard.results.nextId() != int(PageId.SETTINGS) or not wizard.results.isComplete():
        return saved  # nothing safe to set up: the results page is the end
    wizard.next()
    for program in programs:
        wizard.settings.select_program(program)
        snap(f"06-settings-{program}")
    return saved
