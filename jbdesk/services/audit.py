"""The audit log: every change of entered data, export, import, refusal, enrolment, revocation and rollback,
with time, OS user and the name the user gave, hash-chained so that an edit of the log itself is detected."""

from __future__ import annotations

import getpass
import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jbdesk import clock
from jbdesk.i18n import tr
from jbdesk.store import Session
from jbdesk.store import audit as store
from jbdesk.store.settings import get_setting

if TYPE_CHECKING:
    from jbdesk.services.audit_anchor import AuditCheck
    from jbdesk.services.workspace import Workspace

ACTION_LABELS = {
    "create": "보고 만듦", "edit": "입력", "insert": "행 추가", "remove": "행 삭제", "explain": "경고 사유",
    "replace": "다시 불러옴", "status": "상태 변경", "reopen": "수정하기(새 판)", "export": "보내기",
    "import": "가져오기", "enroll": "키 등록", "revoke": "키 폐기", "provision": "설정 파일 발급",
    "setup": "시설 설정", "reenroll": "키 다시 만듦", "hq_init": "본부 초기화", "rollback": "가져오기 되돌림",
    "feedback_write": "회신 만듦", "feedback_apply": "회신 반영", "config": "설정 새 판", "registry": "시설 등록부",
    "review": "검토", "anchor": "감사 기록 서명", "recovery_write": "복구 파일 만듦", "recovery_apply": "복구 파일 반영",
    "export_recovered": "중단된 보내기 정리",
}  # fmt: skip


@cache  # asked for every entry; a process runs as one OS user
def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name on some locked-down PCs
        return "?"


def record(s: Session, action: str, subject: str = "", detail: Any = "") -> None:
    """Append one entry inside the caller's transaction: it lands with the change or not at all."""
    text = detail if isinstance(detail, str) else json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)
    operator = get_setting(s, "operator_name", "") or ""
    store.append(s, at=clock.now(), os_user=os_user(), operator=operator, action=action, subject=subject, detail=text)


class AuditService:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def entries(self, limit: int | None = None) -> list[store.AuditEntry]:
        """Newest first."""
        with self.ws.db.reading() as s:
            return store.entries(s, limit)

    def verify(self) -> AuditCheck:
        """The hash chain, the signed anchors and the anchor file (``jbdesk.services.audit_anchor``)."""
        from jbdesk.services import audit_anchor

        return audit_anchor.check(self.ws)

    def anchor(self, reason: str, passphrase: str | None = None) -> int | None:
        """Sign the log's head now with this PC's key (nothing when the key needs a passphrase not given)."""
        from jbdesk.services import audit_anchor

        return audit_anchor.make(self.ws, reason, passphrase=passphrase)

    def export_xlsx(self, path: Path) -> Path:
        """The whole log (oldest first) and the verification result, every text kept as text."""
        from jbdesk.exports.audit_xlsx import write_audit_workbook

        rows = [
            [e.id, e.at, e.os_user, e.operator, ACTION_LABELS.get(e.action, e.action), e.subject, e.detail, e.hash]
            for e in reversed(self.entries())
        ]
        check = self.verify()
        return write_audit_workbook(rows, [(tr("결과"), check.message), (tr("확인 시각"), clock.now())], path)
