"""The one place where errors become messages the user reads."""

from __future__ import annotations

import logging
import traceback

from PySide6.QtWidgets import QMessageBox, QWidget

from jbdesk.errors import JbdeskError
from jbdesk.i18n import tr

log = logging.getLogger(__name__)


def message_for(exc: BaseException) -> tuple[str, str | None]:
    """(message, detail) for any exception; unexpected ones get a generic Korean message."""
    if isinstance(exc, JbdeskError):
        return exc.message, exc.detail
    return (
        tr("예상하지 못한 오류가 났습니다. 입력한 내용은 저장된 상태입니다. 이 메시지를 담당자에게 알려 주세요."),
        "".join(traceback.format_exception(exc)).strip(),
    )


def show_error(parent: QWidget | None, exc: BaseException, title: str | None = None) -> None:
    message, detail = message_for(exc)
    if not isinstance(exc, JbdeskError):
        log.error("unexpected error", exc_info=exc)
    box = QMessageBox(QMessageBox.Icon.Warning, title or tr("jbdesk"), message, QMessageBox.StandardButton.Ok, parent)
    if detail:
        box.setDetailedText(detail)
    box.exec()
