"""The log file and the last resort for unexpected errors.

``setup`` sends the program's log to ``logs/jbdesk.log`` in the data folder (rotating: 1 MiB, 5 old files kept;
readable by the user only), and Python's own crash dumps (``faulthandler``: a segmentation fault in Qt, say) to
``logs/crash.log``. ``install_hooks`` makes an unexpected error anywhere (``sys.excepthook``, and
``threading.excepthook`` for other threads) write its traceback there, then tell the user: the CLI prints one Korean
line naming the log file; the window passes a callback that shows its dialog (``jbdesk.ui.errors``). The Windows
build has no console, so without this a crash there left no trace at all.
"""

from __future__ import annotations

import contextlib
import faulthandler
import io
import logging
import os
import sys
import threading
import traceback
from collections.abc import Callable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from jbdesk import __version__
from jbdesk.fileio import private_dir, private_file
from jbdesk.i18n import tr
from jbdesk.paths import DataPaths

LOG_NAME = "jbdesk.log"
CRASH_NAME = "crash.log"
MAX_BYTES = 1 << 20
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)s [%(process)d %(threadName)s] %(name)s: %(message)s"

log = logging.getLogger("jbdesk")

# (exception type, exception, traceback, where it happened): what the window shows after the log has it
OnError = Callable[[type[BaseException], BaseException, TracebackType | None, str], None]

_state: dict[str, object] = {}  # the handler and crash file of this process, replaced when setup runs again


class _PrivateRotatingHandler(RotatingFileHandler):
    """A rotating log whose files are all the user's only: at each rollover the new file is made (0600) before the
    handler reopens it, through the handler's public ``rotator`` hook."""

    def __init__(self, path: Path) -> None:
        private_file(path)
        super().__init__(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8")
        self.rotator = self._rotate

    @staticmethod
    def _rotate(source: str, dest: str) -> None:
        os.replace(source, dest)
        private_file(Path(source))


def log_file() -> Path | None:
    """Where this process logs, once ``setup`` has succeeded."""
    handler = _state.get("handler")
    return Path(handler.baseFilename) if isinstance(handler, RotatingFileHandler) else None


def setup(paths: DataPaths, *, level: int = logging.INFO) -> Path | None:
    """Log to the data folder's ``logs``. Safe to call again (another data folder replaces the file). A folder that
    cannot be written leaves the program running without a log file (None)."""
    folder = paths.logs
    path = folder / LOG_NAME
    if log_file() == path:
        return path
    try:
        paths.ensure()  # the data dir itself first, private (mkdir's parents would get the default mode)
        private_dir(folder)
        handler = _PrivateRotatingHandler(path)
        crash = private_file(folder / CRASH_NAME).open("a", encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger()
    old = _state.get("handler")
    if isinstance(old, logging.Handler):
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    if root.level > level or root.level == logging.NOTSET:
        root.setLevel(level)
    old_crash = _state.get("crash")
    with contextlib.suppress(RuntimeError, ValueError):
        faulthandler.enable(file=crash)  # a hard crash (no Python exception) still leaves its stack here
    if isinstance(old_crash, io.TextIOBase):
        old_crash.close()
    _state.update(handler=handler, crash=crash)
    log.info("jbdesk %s started (pid %s, data folder %s)", __version__, os.getpid(), paths.root)
    return path


def record_unexpected(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None, where: str = ""
) -> str:
    """Write an unexpected error's traceback to the log; returns the traceback text (the dialog's details)."""
    details = "".join(traceback.format_exception(exc_type, exc, tb)).strip()
    log.critical("unexpected error%s\n%s", f" in {where}" if where else "", details)
    return details


def _print_for_console(exc_type: type[BaseException], exc: BaseException) -> None:
    if sys.stderr is None:  # the windowed Windows build: the log file is all there is
        return
    where = log_file()
    message = tr("jbdesk: 예상하지 못한 오류가 났습니다 ({kind}: {text}).").format(kind=exc_type.__name__, text=exc)
    if where is not None:
        message += " " + tr("자세한 내용은 로그 파일에 있습니다: {path}").format(path=where)
    with contextlib.suppress(OSError, ValueError):
        print(message, file=sys.stderr)


def install_hooks(on_error: OnError | None = None) -> None:
    """Unexpected errors (``sys.excepthook``; ``threading.excepthook`` for other threads) go to the log, then to
    ``on_error`` (the window's dialog) or, without one, a line on stderr. Ctrl+C stays Python's."""

    def handle(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None, where: str) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        try:
            record_unexpected(exc_type, exc, tb, where)
        except Exception:  # never let the hook itself fail: fall back to Python's own printout
            sys.__excepthook__(exc_type, exc, tb)
        if on_error is not None:
            on_error(exc_type, exc, tb, where)
        else:
            _print_for_console(exc_type, exc)

    def main_hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        handle(exc_type, exc, tb, "")

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:  # SystemExit in a thread ends it quietly
            return
        name = args.thread.name if args.thread is not None else "?"
        handle(args.exc_type, args.exc_value, args.exc_traceback, tr("{name} 스레드").format(name=name))

    sys.excepthook = main_hook
    threading.excepthook = thread_hook
