"""Render the app icon (packaging/icons/mailsetup.svg) into every size the installers need.

    python packaging/make_icons.py OUTDIR

writes OUTDIR/mailsetup-{16,24,32,48,64,128,256,512}.png (Linux hicolor theme, AppImage, Flatpak),
OUTDIR/mailsetup.ico (Windows: 16–256 px) and OUTDIR/mailsetup.icns (macOS: 16–1024 px).

Qt's own SVG renderer (QtSvg, part of PySide6-Essentials) draws each size from the vector source, so
small sizes are rendered, not shrunk; Pillow (a build tool only) assembles the .ico and .icns files.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SOURCE = Path(__file__).resolve().parent / "icons" / "mailsetup.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def render(sizes: set[int], outdir: Path) -> dict[int, Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: {SOURCE} is not a valid SVG file")
    written: dict[int, Path] = {}
    for size in sorted(sizes):
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        path = outdir / f"mailsetup-{size}.png"
        if not image.save(str(path), "PNG"):
            raise SystemExit(f"make_icons: could not write {path}")
        written[size] = path
    del app
    return written


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    outdir = Path(argv[0])
    outdir.mkdir(parents=True, exist_ok=True)
    pngs = render(set(PNG_SIZES) | set(ICO_SIZES) | set(ICNS_SIZES), outdir)

    from PIL import Image

    images = {size: Image.open(path).convert("RGBA") for size, path in pngs.items()}
    largest_ico = images[max(ICO_SIZES)]
    largest_ico.save(
        outdir / "mailsetup.ico",
        format="ICO",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[images[s] for s in ICO_SIZES if s != max(ICO_SIZES)],
    )
    largest_icns = images[max(ICNS_SIZES)]
    largest_icns.save(
        outdir / "mailsetup.icns",
        format="ICNS",
        append_images=[images[s] for s in ICNS_SIZES if s != max(ICNS_SIZES)],
    )
    (outdir / "mailsetup-1024.png").unlink(missing_ok=True)  # only needed inside the .icns
    for name in ("mailsetup.ico", "mailsetup.icns"):
        Image.open(outdir / name).verify()
    print(
        f"make_icons: wrote {len(PNG_SIZES)} PNG sizes, mailsetup.ico and mailsetup.icns to {outdir}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
