"""The bundled NanumGothic registered with reportlab once, embedded (subset) in every PDF.

Never a CID font: reportlab's built-in Korean CID fonts are not embedded and print blank or substituted on PCs
without the viewer's Korean language pack (docs: stack-notes §4).
"""

from __future__ import annotations

import threading

from jbdesk.resources import resource

REGULAR = "NanumGothic"
BOLD = "NanumGothic-Bold"
_lock = threading.Lock()
_registered = False


def register_fonts() -> tuple[str, str]:
    """Register NanumGothic and its bold as one family (so ``<b>`` works in Paragraphs); returns the names."""
    global _registered
    with _lock:
        if not _registered:
            from reportlab.lib.fonts import addMapping
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFont

            pdfmetrics.registerFont(TTFont(REGULAR, str(resource("fonts", "NanumGothic.ttf"))))
            pdfmetrics.registerFont(TTFont(BOLD, str(resource("fonts", "NanumGothicBold.ttf"))))
            addMapping(REGULAR, 0, 0, REGULAR)
            addMapping(REGULAR, 1, 0, BOLD)
            addMapping(REGULAR, 0, 1, REGULAR)
            addMapping(REGULAR, 1, 1, BOLD)
            _registered = True
    return REGULAR, BOLD
