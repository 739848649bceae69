"""Run as its own process by the start-up case: print the wall-clock time at which the main window is shown.

    python bench/startup_probe.py jbdesk DATA_DIR   # jbdesk's own start: CLI → workspace → head-office window
    python bench/startup_probe.py bare              # the floor: a bare PySide6 QMainWindow

"Shown" is the first turn of the event loop after ``show()`` once pending events (expose, paint) are processed.
jbdesk shows its window (navigation, a 불러오는 중 page) before it opens the database; "ready" is when the
workspace is attached and the first page has been painted with its data (never before "shown").
The parent process notes the time just before it starts this one, so interpreter start-up is included.
Nothing else is changed: jbdesk runs exactly as ``jbdesk --data-dir DIR gui`` does; ``MainWindow.show`` and
``MainWindow.attach`` are only wrapped to note the moments and quit.
"""

from __future__ import annotations

import json
import sys
import time


def _report_and_quit() -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    app.processEvents()
    print(json.dumps({"shown": time.time()}), flush=True)
    app.quit()


def bare() -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1180, 760)
    window.show()
    QTimer.singleShot(0, _report_and_quit)
    return app.exec()


def jbdesk(data_dir: str) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from jbdesk.cli import main
    from jbdesk.ui import main_window

    show, attach = main_window.MainWindow.show, main_window.MainWindow.attach
    seen: dict[str, float] = {}

    def note(moment: str) -> None:
        app = QApplication.instance()
        app.processEvents()
        seen.setdefault(moment, time.time())
        if "shown" in seen and "ready" in seen:
            seen["ready"] = max(seen["ready"], seen["shown"])  # attached before the first show (first start)
            print(json.dumps(seen), flush=True)
            app.quit()

    def patched_show(self) -> None:
        show(self)
        QTimer.singleShot(0, lambda: note("shown"))

    def patched_attach(self, ws) -> None:
        attach(self, ws)
        QTimer.singleShot(0, lambda: note("ready"))

    main_window.MainWindow.show = patched_show
    main_window.MainWindow.attach = patched_attach
    return main(["--data-dir", data_dir, "gui"])


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        sys.exit(bare())
    sys.exit(jbdesk(sys.argv[2]))
