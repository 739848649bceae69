"""Unexpected errors leave a trace: the rotating, private log file in the data folder, and the window's Korean crash
dialog with "자세한 내용 복사" (issue 18 item 9)."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from jbdesk import __version__, logs
from jbdesk.paths import DataPaths

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def hooks_restored(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The hooks and the root logger's handlers as they were (the log goes to this test's own folder)."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for h in root.handlers:
        if h not in handlers:
            root.removeHandler(h)
            h.close()
    root.setLevel(level)
    logs._state.clear()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_log_rotates_and_is_readable_by_the_user_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hooks_restored: None
) -> None:
    monkeypatch.setattr(logs, "MAX_BYTES", 4096)
    path = logs.setup(DataPaths(tmp_path / "data"))
    assert path == tmp_path / "data" / "logs" / "jbdesk.log"
    for i in range(200):
        logging.getLogger("jbdesk.test").warning("줄 %d: 한글도 그대로 남습니다", i)
    files = sorted(p.name for p in path.parent.iterdir())
    assert files == ["crash.log", "jbdesk.log", *(f"jbdesk.log.{n}" for n in range(1, logs.BACKUP_COUNT + 1))]
    assert all(p.stat().st_size <= 4096 + 200 for p in path.parent.glob("jbdesk.log*"))
    assert "줄 199: 한글도 그대로 남습니다" in path.read_text(encoding="utf-8")
    if os.name == "posix":
        assert _mode(path.parent) == 0o700
        assert {p.name: _mode(p) for p in path.parent.iterdir()} == {name: 0o600 for name in files}


def _child(code: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), JBDESK_HOME=str(home))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)


def test_an_unexpected_error_in_a_command_is_logged_and_named_in_korean(tmp_path: Path) -> None:
    code = (
        "import sys, jbdesk.commands.backup as b\n"
        "def boom(args):\n    raise RuntimeError('계산이 틀어졌습니다')\n"
        "b._cmd_backup = boom\n"
        "from jbdesk.cli import main\nsys.exit(main(['backup']))\n"
    )
    done = _child(code, tmp_path / "data")
    log_file = tmp_path / "data" / "logs" / "jbdesk.log"
    assert done.returncode == 1
    assert "예상하지 못한 오류가 났습니다 (RuntimeError: 계산이 틀어졌습니다)" in done.stderr
    assert f"자세한 내용은 로그 파일에 있습니다: {log_file}" in done.stderr
    text = log_file.read_text(encoding="utf-8")
    assert "CRITICAL" in text and "Traceback (most recent call last)" in text and "in boom" in text
    assert "RuntimeError: 계산이 틀어졌습니다" in text and f"jbdesk {__version__} started" in text
    if os.name == "posix":  # the data folder the first command made is the user's only, as the log is
        assert (_mode(tmp_path / "data"), _mode(log_file.parent), _mode(log_file)) == (0o700, 0o700, 0o600)


def test_an_error_in_another_thread_is_logged(tmp_path: Path) -> None:
    code = (
        "import threading\nfrom jbdesk import logs\nfrom jbdesk.paths import DataPaths\nfrom pathlib import Path\n"
        "import os\nlogs.setup(DataPaths(Path(os.environ['JBDESK_HOME'])))\nlogs.install_hooks()\n"
        "def work():\n    raise ValueError('작업 스레드 오류')\n"
        "t = threading.Thread(target=work, name='가져오기')\nt.start()\nt.join()\n"
    )
    done = _child(code, tmp_path / "data")
    assert done.returncode == 0
    text = (tmp_path / "data" / "logs" / "jbdesk.log").read_text(encoding="utf-8")
    assert "unexpected error in 가져오기 스레드" in text and "ValueError: 작업 스레드 오류" in text
    assert "예상하지 못한 오류가 났습니다 (ValueError: 작업 스레드 오류)" in done.stderr


def test_the_crash_dialog_shows_korean_text_and_copies_the_details(
    qtbot: QtBot, tmp_path: Path, hooks_restored: None
) -> None:
    from jbdesk.ui.errors import CrashDialog, install_crash_handler

    log_file = logs.setup(DataPaths(tmp_path / "data"))
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    relay = install_crash_handler(app)

    def work() -> None:
        raise KeyError("없는 열쇠")

    thread = threading.Thread(target=work, name="worker")
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: relay.dialog is not None and relay.dialog.isVisible(), timeout=5000)
    dialog = relay.dialog
    assert isinstance(dialog, CrashDialog)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "jbdesk 오류"
    assert "예상하지 못한 오류가 났습니다" in dialog.message.text()
    assert f"같은 내용이 기록 파일에도 남았습니다: {log_file}" in dialog.message.text()
    assert [dialog.copy_button.text(), dialog.close_button.text()] == ["자세한 내용 복사(&C)", "닫기"]
    assert "KeyError: '없는 열쇠'" in dialog.details.toPlainText()
    if os.environ.get("SCREENSHOT_DIR"):
        dialog.grab().save(str(Path(os.environ["SCREENSHOT_DIR"]) / "crash-dialog.png"))
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith(f"jbdesk {__version__}\n") and f"log: {log_file}" in copied
    assert "KeyError: '없는 열쇠'" in copied and "Traceback (most recent call last)" in copied
    assert dialog.copy_button.text() == "복사했습니다"
    assert "KeyError: '없는 열쇠'" in log_file.read_text(encoding="utf-8")  # type: ignore[union-attr]
    dialog.close_button.click()
    assert not dialog.isVisible()


def test_a_worker_error_shows_the_crash_dialog(qtbot: QtBot, tmp_path: Path, hooks_restored: None) -> None:
    """Work run by jbdesk.ui.worker that fails with something unexpected: the same dialog, the same log."""
    from PySide6.QtWidgets import QWidget

    from jbdesk.ui.errors import CrashDialog
    from jbdesk.ui.worker import run_task

    log_file = logs.setup(DataPaths(tmp_path / "data"))
    parent = QWidget()
    qtbot.addWidget(parent)
    seen: list[tuple[str, list[str]]] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, CrashDialog):
            QTimer.singleShot(20, answer)
            return
        seen.append((dialog.details.toPlainText(), [dialog.copy_button.text(), dialog.close_button.text()]))
        dialog.reject()

    def work(report: object, cancelled: object) -> None:
        raise ZeroDivisionError("0으로 나눔")

    QTimer.singleShot(20, answer)
    task = run_task(parent, "계산", work, lambda result: None)
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert "ZeroDivisionError: 0으로 나눔" in seen[0][0] and seen[0][1] == ["자세한 내용 복사(&C)", "닫기"]
    assert "ZeroDivisionError: 0으로 나눔" in log_file.read_text(encoding="utf-8")  # type: ignore[union-attr]
    del task


def test_a_refusal_is_logged_with_its_korean_message(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    data = tmp_path / "data"
    done = subprocess.run(
        [sys.executable, "-m", "jbdesk", "--data-dir", str(data), "due", "F77", "2026-12"],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert done.returncode == 1 and "F77" in done.stderr
    text = (data / "logs" / "jbdesk.log").read_text(encoding="utf-8")
    assert "WARNING" in text and "due refused:" in text and "F77" in text
