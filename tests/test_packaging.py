"""Packaging: the PyInstaller spec builds a working one-folder app; the spec and the Inno Setup script
point at files that exist.

The build test is slow (about a minute, ~250 MB in a temp dir): run it with
`pytest tests/test_packaging.py -m "slow or not slow"`.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
SPEC = PACKAGING / "jbdesk.spec"
ISS = PACKAGING / "jbdesk.iss"
MIGRATIONS = ROOT / "jbdesk" / "store" / "migrations"
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""
FACILITY_COUNT = 15


def _version() -> str:
    text = (ROOT / "jbdesk" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__\s*=\s*"([^"]+)"', text, re.M)
    assert match, "jbdesk/__init__.py has no __version__"
    return match.group(1)


# ---------------------------------------------------------------------------------------------------
# Fast checks: the packaging files reference things that exist
# ---------------------------------------------------------------------------------------------------


def test_icons_exist_and_ico_has_all_sizes() -> None:
    icons = ROOT / "resources" / "icons"
    for name in ("jbdesk.svg", "jbdesk.png", "jbdesk.ico"):
        assert (icons / name).is_file(), f"missing resources/icons/{name} (run packaging/make_icons.py)"
    data = (icons / "jbdesk.ico").read_bytes()
    assert data[:4] == b"\x00\x00\x01\x00", "jbdesk.ico is not an ICO file"
    count = int.from_bytes(data[4:6], "little")
    sizes = set()
    for i in range(count):
        entry = data[6 + 16 * i : 6 + 16 * (i + 1)]
        sizes.add(entry[0] or 256)  # 0 means 256 in an ICO directory entry
    assert sizes >= {16, 24, 32, 48, 64, 128, 256}
    png = (icons / "jbdesk.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png[16:20], "big") == 256 and int.from_bytes(png[20:24], "big") == 256


def test_spec_references_existing_files() -> None:
    text = SPEC.read_text(encoding="utf-8")
    # every ROOT / "a" / "b" path expression in the spec must exist in the checkout
    for parts in re.findall(r'ROOT((?:\s*/\s*"[^"]+")+)', text):
        rel = Path(*re.findall(r'"([^"]+)"', parts))
        assert (ROOT / rel).exists(), f"jbdesk.spec refers to missing {rel}"
    for needed in (
        '"resources" / "fonts"',
        '"resources" / "data"',
        '"resources" / "icons"',
        '"jbdesk" / "store" / "migrations"',
        '"jbdesk/store/migrations"',
        "jbdesk.ico",
    ):
        assert needed in text, f"jbdesk.spec does not mention {needed}"
    assert (PACKAGING / "jbdesk_entry.py").is_file()
    assert "from jbdesk.cli import main" in (PACKAGING / "jbdesk_entry.py").read_text(encoding="utf-8")
    # both executables, one windowed and one console
    assert re.search(r"name=APP,\s*\n\s*console=False", text)
    assert re.search(r'name=f"\{APP\}-cli",\s*\n\s*console=True', text)


def test_iss_references_existing_files_and_current_version() -> None:
    raw = ISS.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "jbdesk.iss must be UTF-8 with BOM (Korean shortcut names)"
    text = raw.decode("utf-8-sig")
    # {#RepoRoot}\a\b paths must exist in the checkout
    refs = re.findall(r"\{#RepoRoot\}\\([^\"\s;]+)", text)
    assert refs, "no {#RepoRoot} references found in jbdesk.iss"
    for ref in refs:
        assert (ROOT / Path(*ref.split("\\"))).exists(), f"jbdesk.iss refers to missing {ref}"
    for needed in (r"resources\fonts\OFL.txt", r"resources\icons\jbdesk.ico", "jbdesk 사회서비스원 보고"):
        assert needed in text, f"jbdesk.iss does not mention {needed}"
    # default AppVersion follows jbdesk.__version__
    match = re.search(r'#define AppVersion "([^"]+)"', text)
    assert match and match.group(1) == _version(), "update the AppVersion default in packaging/jbdesk.iss"
    assert "{autopf}\\{#AppName}" in text
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(";"))
    assert "[UninstallDelete]" not in code, "the uninstaller must not delete anything beyond what it installed"
    assert "{localappdata}" not in code.lower(), "the installer must not touch the user data folder"


def test_make_icons_script_present() -> None:
    assert (PACKAGING / "make_icons.py").is_file()
    assert (PACKAGING / "README.md").is_file()


# ---------------------------------------------------------------------------------------------------
# Slow: actually build and run the frozen app
# ---------------------------------------------------------------------------------------------------


def _frozen_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "JBDESK_"))}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def _run(exe: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(exe), *args],
        cwd=cwd,  # not the checkout, so nothing can be imported from the source tree by accident
        env=_frozen_env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=120,
    )


@pytest.mark.slow
def test_pyinstaller_build_runs(tmp_path: Path) -> None:
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.skip("PyInstaller is not installed in this environment (pip install pyinstaller)")

    dist, work = tmp_path / "dist", tmp_path / "build"
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            str(SPEC),
            "--noconfirm",
            "--distpath",
            str(dist),
            "--workpath",
            str(work),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=900,
    )
    assert build.returncode == 0, f"PyInstaller failed:\n{build.stdout[-4000:]}\n{build.stderr[-8000:]}"

    app = dist / "jbdesk"
    gui_exe, cli_exe = app / f"jbdesk{EXE_SUFFIX}", app / f"jbdesk-cli{EXE_SUFFIX}"
    assert gui_exe.is_file() and cli_exe.is_file()

    # data files, at the paths the frozen code looks for them (sys._MEIPASS == app/_internal)
    internal = app / "_internal"
    for rel in (
        "resources/fonts/NanumGothic.ttf",
        "resources/fonts/NanumGothicBold.ttf",
        "resources/fonts/OFL.txt",
        "resources/data/facilities.csv",
        "resources/icons/jbdesk.png",
        "jbdesk/store/migrations/env.py",
        "jbdesk/store/migrations/script.py.mako",
    ):
        assert (internal / rel).is_file(), f"{rel} missing from the frozen build"
    for src in (MIGRATIONS / "versions").glob("*.py"):
        assert (internal / "jbdesk/store/migrations/versions" / src.name).is_file(), f"migration {src.name} missing"
    assert not list((internal / "jbdesk/store/migrations").rglob("__pycache__"))

    # --version from the console executable (and, off Windows, from the GUI one as well)
    version = _version()
    for exe in (cli_exe,) if sys.platform == "win32" else (cli_exe, gui_exe):
        done = _run(exe, "--version", cwd=tmp_path)
        assert done.returncode == 0, f"{exe.name} --version failed:\n{done.stdout}\n{done.stderr}"
        assert f"jbdesk {version}" in done.stdout + done.stderr

    # a real command: opens (creates and migrates) a database from the shipped migrations and
    # reads facilities.csv from the shipped resources
    done = _run(cli_exe, "--data-dir", str(tmp_path / "d"), "facilities", "--json", cwd=tmp_path)
    assert done.returncode == 0, f"facilities --json failed:\n{done.stdout}\n{done.stderr}"
    facilities = json.loads(done.stdout)
    assert len(facilities) == FACILITY_COUNT

    # the log file and the handler of unexpected errors are in the frozen build too (docs/reliability.md §11)
    log_text = (tmp_path / "d" / "logs" / "jbdesk.log").read_text(encoding="utf-8")
    assert f"jbdesk {version} started" in log_text
    broken = tmp_path / "broken"  # head office set up where "keys" is a file: an error nobody handles
    broken.mkdir()
    (broken / "keys").write_text("not a folder")
    done = _run(cli_exe, "--data-dir", str(broken), "hq", "init", "--name", "본부", cwd=tmp_path)
    assert done.returncode == 1 and "예상하지 못한 오류가 났습니다 (FileExistsError" in done.stderr, done.stderr
    logged = (broken / "logs" / "jbdesk.log").read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged and "FileExistsError" in logged
    if sys.platform != "win32":  # the windowed executable: its window starts, with its log, and closes
        shot = tmp_path / "shot.png"
        done = _run(gui_exe, "--data-dir", str(tmp_path / "g"), "gui", "--screenshot", str(shot), cwd=tmp_path)
        assert done.returncode == 0 and shot.is_file(), done.stderr
        assert f"jbdesk {version} started" in (tmp_path / "g" / "logs" / "jbdesk.log").read_text(encoding="utf-8")
