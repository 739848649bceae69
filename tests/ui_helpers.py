"""Helpers for GUI tests: the app font, and a check that Hangul is not drawn as tofu boxes."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QImage, QPainter


def render(text: str, font: QFont) -> QImage:
    img = QImage(400, 60, QImage.Format.Format_RGB32)
    img.fill(QColor("white"))
    p = QPainter(img)
    p.setFont(font)
    p.setPen(QColor("black"))
    p.drawText(5, 40, text)
    p.end()
    return img


def hangul_is_tofu(font: QFont) -> bool:
    """Private-use code points always draw .notdef; Hangul drawn the same way means no Korean glyphs."""
    return render("전북월별보고", font) == render("\ue000\ue001\ue002\ue003\ue004\ue005", font)
