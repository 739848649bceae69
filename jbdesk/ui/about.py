"""About box: version, data location and the licences of what jbdesk ships."""

from __future__ import annotations

from PySide6 import __version__ as pyside_version
from PySide6.QtWidgets import QMessageBox, QWidget

from jbdesk import __version__
from jbdesk.i18n import tr
from jbdesk.resources import resource

LICENCES = (
    ("NanumGothic 글꼴", "SIL Open Font License 1.1 (© 2010 NAVER Corporation)"),
    ("Qt 6 / PySide6", "LGPL v3"),
    ("SQLAlchemy, Alembic, openpyxl, platformdirs, msgspec", "MIT / BSD"),
    ("reportlab", "BSD"),
    ("cryptography", "Apache 2.0 / BSD"),
)


def about_text() -> str:
    rows = "".join(f"<tr><td>{name}</td><td>&nbsp;{lic}</td></tr>" for name, lic in LICENCES)
    return (
        f"<h3>jbdesk {__version__}</h3>"
        + tr("<p>전북특별자치도사회서비스원 소속시설 보고 프로그램</p>")
        + f"<p>PySide6 {pyside_version}</p>"
        + tr("<p><b>포함된 소프트웨어와 라이선스</b></p>")
        + f"<table>{rows}</table>"
        + tr("<p>글꼴 라이선스 전문: ")
        + f"{resource('fonts', 'OFL.txt')}</p>"
    )


def show_about(parent: QWidget | None) -> None:
    QMessageBox.about(parent, tr("jbdesk 정보"), about_text())
