"""A real window under Xvfb: the app starts, draws Korean text with the bundled font, and is captured."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def _require_xvfb() -> None:
    if shutil.which("xvfb-run") is None:
        if os.environ.get("JBDESK_REQUIRE_XVFB"):
            pytest.fail("xvfb-run is missing but this run requires the screenshot test (scripts/setup.sh installs it)")
        pytest.skip("xvfb-run not installed")


@pytest.mark.parametrize("mode", ["hq", "facility"])
def test_real_window_screenshot_has_legible_korean(tmp_path: Path, mode: str, qapp) -> None:
    _require_xvfb()
    from PySide6.QtGui import QImage

    data = tmp_path / "data"
    setup = ["hq"] if mode == "hq" else ["facility", "F03"]
    subprocess.run(
        [sys.executable, "-m", "jbdesk", "--data-dir", str(data), "mode", *setup], check=True, capture_output=True
    )
    shot = tmp_path / f"{mode}.png"
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env["QT_QPA_PLATFORM"] = "xcb"
    page = "registry" if mode == "hq" else "home"
    result = subprocess.run(
        [
            "xvfb-run",
            "-a",
            "-s",
            "-screen 0 1280x800x24",
            sys.executable,
            "-m",
            "jbdesk",
            "--data-dir",
            str(data),
            "gui",
            "--screenshot",
            str(shot),
            "--page",
            page,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    image = QImage(str(shot))
    assert image.width() >= 800 and image.height() >= 500
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 20  # a drawn window, not a blank frame
    if out := os.environ.get("SCREENSHOT_DIR"):
        Path(out).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(out) / shot.name)
