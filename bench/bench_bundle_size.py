"""Bundle size budget (DESIGN §13): our Linux bundle is no larger than a bare PySide6 QWizard app
bundled by PyInstaller with default options (one-folder).

    .venv/bin/python -m bench.bench_bundle_size [--keep DIR]

Builds both in this run, with the same Python, PySide6 and PyInstaller, into a scratch folder:
  - bare:  a ten-line QWizard script, `pyinstaller --onedir` and nothing else;
  - ours:  packaging/mailsetup.spec (what `make package` puts in dist/mailsetup and the .deb).
Size = the bytes of every file in the one-folder output (symbolic links count as links, not as the
file they point to). Prints both figures and ours ÷ bare; exits 1 when ours is larger.
Needs PyInstaller in the environment (pip install -r packaging/requirements-build.txt).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BARE_APP = """\
import sys

from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWizard, QWizardPage

app = QApplication(sys.argv)
wizard = QWizard()
page = QWizardPage()
page.setTitle("Hello")
QVBoxLayout(page).addWidget(QLabel("A bare QWizard."))
wizard.addPage(page)
wizard.show()
sys.exit(app.exec())
"""


def folder_size(folder: Path) -> tuple[int, int]:
    """(bytes, files) of everything under folder, not following symbolic links."""
    total = files = 0
    for dirpath, _dirnames, filenames in os.walk(folder):
        for name in filenames:
            total += os.lstat(os.path.join(dirpath, name)).st_size
            files += 1
    return total, files


def system_libraries_in(folder: Path) -> int:
    """Bytes of the OS libraries in folder that our spec leaves to the OS packages (Linux only)."""
    listing = ROOT / "build" / "system-libraries.txt"  # written by packaging/mailsetup.spec
    if not sys.platform.startswith("linux") or not listing.is_file():
        return 0
    names = set(listing.read_text(encoding="utf-8").split())
    return sum(
        os.lstat(os.path.join(dirpath, name)).st_size
        for dirpath, _dirnames, filenames in os.walk(folder)
        for name in filenames
        if name in names
    )


def pyinstaller(*args: str, cwd: Path) -> float:
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", *args],
        cwd=cwd,
        check=True,
    )
    return time.monotonic() - started


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--keep", type=Path, help="build here and keep the outputs (default: a temporary folder)"
    )
    args = parser.parse_args(argv)
    scratch = args.keep or Path(tempfile.mkdtemp(prefix="bench-bundle-"))
    scratch.mkdir(parents=True, exist_ok=True)
    try:
        (scratch / "bare_wizard.py").write_text(BARE_APP, encoding="utf-8")
        bare_s = pyinstaller(
            "--onedir",
            "--distpath", str(scratch / "bare-dist"),
            "--workpath", str(scratch / "bare-work"),
            "--specpath", str(scratch),
            str(scratch / "bare_wizard.py"),
            cwd=scratch,
        )  # fmt: skip
        ours_s = pyinstaller(
            "--distpath", str(scratch / "ours-dist"),
            "--workpath", str(scratch / "ours-work"),
            str(ROOT / "packaging" / "mailsetup.spec"),
            cwd=ROOT,
        )  # fmt: skip
        bare, bare_files = folder_size(scratch / "bare-dist" / "bare_wizard")
        ours, ours_files = folder_size(scratch / "ours-dist" / "mailsetup")
        system = system_libraries_in(scratch / "bare-dist" / "bare_wizard")
    finally:
        if args.keep is None:
            shutil.rmtree(scratch, ignore_errors=True)

    import PyInstaller
    import PySide6

    print(
        f"PyInstaller {PyInstaller.__version__}, PySide6 {PySide6.__version__}, Python {sys.version.split()[0]}, {sys.platform}"
    )
    print(
        f"bare QWizard, PyInstaller defaults: {bare / 1e6:8.1f} MB in {bare_files:5d} files (built in {bare_s:.0f} s)"
    )
    print(
        f"Mail Setup Assistant bundle:        {ours / 1e6:8.1f} MB in {ours_files:5d} files (built in {ours_s:.0f} s)"
    )
    ratio = ours / bare
    print(f"ours ÷ bare: {ratio:.3f} (budget ≤ 1.0)")
    if system:
        print(
            f"  of the bare bundle, {system / 1e6:.1f} MB are OS libraries (X11, GTK, GLib, CUPS…) that our "
            f"bundle leaves to the .deb's Depends; without them: ours ÷ bare = {ours / (bare - system):.3f}"
        )
    return 0 if ratio <= 1.0 else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
