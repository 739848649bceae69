"""The audit log: every change of entered data, export, import, refusal, enrolment, revocation and rollback,
with time, OS user and the name the user gave, hash-chained so that an edit of the log itself is detected."""

from __future__ import annotations

import getpass
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jbdesk import clock
from jbdesk.store import Session
from jbdesk.store import audit as store
from jbdesk.store.settings import get_setting

if TYPE_CHECKING:
    from jbdesk.services.workspace import Workspace

ACTION_LABELS = {
    "create": "보고 만듦", "edit": "입력", "insert": "행 추가", "remove": "행 삭제", "explain": "경고 사유",
    "replace": "다시 불러옴", "status": "상태 변경", "reopen": "수정하기(새 판)", "export": "보내기",
    "import": "가져오기", "enroll": "키 등록", "revoke": "키 폐기", "provision": "설정 파일 발급",
    "setup": "시설 설정", "reenroll": "키 다시 만듦", "hq_init": "본부 초기화", "rollback": "가져오기 되돌림",
    "feedback_write": "회신 만듦", "feedback_apply": "회신 반영", "config": "설정 새 판", "registry": "시설 등록부",
    "review": "검토",
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


@dataclass(frozen=True)
class AuditCheck:
    ok: bool
    entries: int
    first_broken: int | None

    @property
    def message(self) -> str:
        if self.ok:
            return f"감사 기록 {self.entries:,}건: 변조 흔적이 없습니다."
        return f"감사 기록이 변경되었습니다: {self.first_broken}번 기록부터 연결이 맞지 않습니다."


class AuditService:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def entries(self, limit: int | None = None) -> list[store.AuditEntry]:
        """Newest first."""
        with self.ws.db.reading() as s:
            return store.entries(s, limit)

    def verify(self) -> AuditCheck:
        with self.ws.db.reading() as s:
            broken = store.first_broken(s)
            total = store.count(s)
        return AuditCheck(broken is None, total, broken)

    def export_xlsx(self, path: Path) -> Path:
        from openpyxl import Workbook  # only here: start-up stays lean
        from openpyxl.utils import get_column_letter

        from jbdesk.fileio import atomic_write

        wb = Workbook()
        ws = wb.create_sheet("감사 기록", 0)
        wb.remove(wb.worksheets[1])  # the empty default sheet
        header = ["번호", "일시", "OS 사용자", "입력자", "작업", "대상", "내용", "해시"]
        ws.append(header)
        for e in reversed(self.entries()):
            ws.append([e.id, e.at, e.os_user, e.operator, ACTION_LABELS.get(e.action, e.action), e.subject, e.detail,
                       e.hash])  # fmt: skip
        for col, width in zip(range(1, 9), (7, 20, 12, 10, 14, 36, 80, 20), strict=True):
            ws.column_dimensions[get_column_letter(col)].width = width
        for cell in ws["B"][1:]:
            cell.number_format = "yyyy-mm-dd hh:mm:ss"
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
        check = self.verify()
        info = wb.create_sheet("검증")
        info.append(["결과", check.message])
        info.append(["확인 시각", clock.now()])
        import io

        buf = io.BytesIO()
        wb.save(buf)
        atomic_write(path, buf.getvalue())
        return path
