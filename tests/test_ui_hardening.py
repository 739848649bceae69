"""The window's side of issue 18: 복구 파일 발급 on the registry page and its import on the facility's 본부 회신 page,
replacing a facility PC's key only after a Korean 예/아니요 question, and the export page's note about an export
that was killed half-way."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from jbdesk.domain.forms import FormKind, FormStatus
from jbdesk.ui.app import make_app
from jbdesk.ui.pages.feedback_page import FeedbackPage
from jbdesk.ui.pages.registry_page import RegistryPage
from jbdesk.ui.pages.settings_page import SettingsPage
from tests.bundle_factory import MONTH, Network, fill_staffing, open_ws, ref

MARCH = ref("F03", FormKind.STAFFING, MONTH)


class Boxes:
    """Every QMessageBox shown (title, text, button texts), answered from ``answers`` or with its first button."""

    def __init__(self) -> None:
        self.seen: list[dict[str, Any]] = []
        self.answers: list[QMessageBox.StandardButton] = []

    def exec_box(self, box: QMessageBox) -> int:
        self.seen.append({"title": box.windowTitle(), "text": box.text(), "buttons": [b.text() for b in box.buttons()]})
        if self.answers:
            return int(self.answers.pop(0).value)
        return int(box.standardButton(box.buttons()[0]).value)


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> Boxes:
    shown = Boxes()
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.exec_box(box))
    return shown


def _shot(widget: Any, name: str) -> None:
    if os.environ.get("SCREENSHOT_DIR"):
        widget.resize(1100, 700)
        widget.grab().save(str(Path(os.environ["SCREENSHOT_DIR"]) / name))


def test_recovery_file_from_the_registry_page_and_into_the_new_pc(
    qapp: QApplication, qtbot: QtBot, tmp_path: Path, boxes: Boxes
) -> None:
    make_app()
    with Network(tmp_path / "net") as net:
        old = net.add("F03")
        fill_staffing(old, "F03")
        sent = net.export("F03")
        net.hq.imports.import_paths([sent.path])
        net.hq.reviews.return_for_correction(MARCH, "직종별 인원을 다시 확인해 주세요")

        page = RegistryPage(net.hq)
        qtbot.addWidget(page)
        assert page.recovery_button.isVisible() or not page.isVisible()
        assert page.recovery_button.text() == "복구 파일 발급(&C)…" and page.recovery_button.isEnabled()
        row = next(r for r in range(page.model.rowCount()) if (f := page.model.facility_at(r)) and f.code == "F03")
        page.table.selectRow(row)
        _shot(page, "registry-recovery.png")
        written = page.write_recovery(str(tmp_path / "F03 복구.jbr"))
        assert written is not None and written.is_file()
        info = boxes.seen[-1]
        assert info["title"] == "복구 파일 발급" and info["buttons"] == ["확인"]
        assert "복구 파일을 만들었습니다" in info["text"] and "보완요청 1건" in info["text"]

        new = open_ws(tmp_path / "new-pc")
        setup = new.trust.setup_facility(net.provision("F03"), net.files)
        net.hq.trust.enroll(setup.request_path)
        feedback = FeedbackPage(new)
        qtbot.addWidget(feedback)
        feedback.apply_file(str(written))
        assert "복구 파일을 반영했습니다" in feedback.result.text()
        assert "보완요청: 월별 인력 현황 2026년 3월 1판" in feedback.result.text()
        assert new.forms.get(MARCH).status is FormStatus.RETURNED
        new.close()


def test_replacing_a_facility_key_asks_first_in_korean(
    qapp: QApplication, qtbot: QtBot, tmp_path: Path, boxes: Boxes
) -> None:
    make_app()
    answers = boxes.answers
    with Network(tmp_path / "net") as net:
        ws = net.add("F03")
        before = ws.trust.facility_key().public.fingerprint
        page = SettingsPage(ws)
        qtbot.addWidget(page)
        assert page.replace_key_button.text() == "본부 설정 파일로 다시 설정(키 교체)(&K)…"
        answers.append(QMessageBox.StandardButton.No)
        assert page.replace_key(str(net.provision("F03"))) is False
        question = boxes.seen[-1]
        assert question["title"] == "서명 키 바꾸기" and question["buttons"] == ["예", "아니요"]
        assert "이미 F03" in question["text"] and "새 키가 등록되면 지금 키는 폐기됩니다" in question["text"]
        assert question["text"].endswith("그래도 키를 바꿀까요?")
        assert ws.trust.facility_key().public.fingerprint == before  # 아니요: nothing changed

        answers.append(QMessageBox.StandardButton.Yes)
        assert page.replace_key(str(net.provision("F03"))) is True
        assert "새 서명 키를 만들었습니다" in boxes.seen[-1]["text"] and boxes.seen[-1]["buttons"] == ["확인"]
        assert ws.trust.facility_key().public.fingerprint != before
        assert list(ws.paths.keys.glob("facility.key.replaced-*"))  # the old key kept aside


def test_the_export_page_tells_what_happened_to_an_export_killed_half_way(
    qapp: QApplication, qtbot: QtBot, tmp_path: Path
) -> None:
    """The start-up settled an export that died after writing (see tests/test_env_failures.py for the kill): the
    page says the file counts as sent and where it is."""
    from jbdesk.services import interrupted_export
    from jbdesk.services.export import ensure_dir
    from jbdesk.ui.pages.export_page import ExportPage

    make_app()
    with Network(tmp_path / "net") as net:
        ws = net.add("F03")
        fill_staffing(ws, "F03")
        usb = ensure_dir(tmp_path / "usb")
        done = ws.exports.export(usb)
        # as a kill before the commit leaves it: the files written, the reservation there, the forms 작성완료
        with ws.db.transaction() as s:
            interrupted_export.reserve(s, done.sequence + 1, done.path.name.replace("0001", "0002"), "")
        copy = ws.paths.exports / done.path.name.replace("0001", "0002")
        copy.write_bytes(done.path.read_bytes())  # not the reserved bundle (sequence 1): it does not count
        assert interrupted_export.settle(ws) is not None
        page = ExportPage(ws)
        qtbot.addWidget(page)
        assert "지난번 보내기가 중간에 끊겨 만들던 파일" in page.result_label.text()
        assert not copy.exists()
