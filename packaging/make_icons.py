"""Render resources/icons/jbdesk.svg to jbdesk.png (256x256) and jbdesk.ico (16..256).

Re-run after editing the SVG:

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/make_icons.py

Each ICO size is rendered from the SVG at that size (not downscaled from 256 px), so the small
sizes stay sharp; 16 and 24 px come from the simplified jbdesk-small.svg.
Needs PySide6 (QtSvg) and Pillow; this script is a dev tool and is not shipped.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
SVG = ICONS / "jbdesk.svg"
SMALL_SVG = ICONS / "jbdesk-small.svg"  # simplified drawing for the tiniest sizes
SMALL_MAX = 24
PNG = ICONS / "jbdesk.png"
ICO = ICONS / "jbdesk.ico"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(renderer: QSvgRenderer, size: int) -> Image.Image:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return Image.open(io.BytesIO(bytes(data))).convert("RGBA")


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (keeps Qt alive)
    renderer = QSvgRenderer(str(SVG))
    small = QSvgRenderer(str(SMALL_SVG)) if SMALL_SVG.is_file() else renderer
    for path, r in ((SVG, renderer), (SMALL_SVG, small)):
        if not r.isValid():
            print(f"invalid SVG: {path}", file=sys.stderr)
            return 1
    images = {size: render(small if size <= SMALL_MAX else renderer, size) for size in ICO_SIZES}
    images[256].save(PNG, format="PNG", optimize=True)
    # Pillow writes one entry per size in `sizes`, taking each from the matching image in
    # append_images (so every size is a real render, not a resample of the 256 px one).
    largest = images[ICO_SIZES[-1]]
    largest.save(
        ICO,
        format="ICO",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[images[s] for s in ICO_SIZES[:-1]],
    )
    print(f"wrote {PNG.relative_to(ROOT)} and {ICO.relative_to(ROOT)} ({', '.join(map(str, ICO_SIZES))})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
