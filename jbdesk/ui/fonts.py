"""Load the bundled NanumGothic so Hangul renders on PCs without a Korean font."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from jbdesk.resources import resource

FAMILY = "NanumGothic"


def load_fonts() -> str:
    """Register the bundled TTFs; return the family name to use."""
    family = FAMILY
    for name in ("NanumGothic.ttf", "NanumGothicBold.ttf"):
        font_id = QFontDatabase.addApplicationFont(str(resource("fonts", name)))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if families:
            family = families[0]
    return family


def apply_app_font(app: QApplication, point_size: int = 10) -> QFont:
    font = QFont(load_fonts(), point_size)
    app.setFont(font)
    return font
