"""Test setup: offscreen Qt before anything loads it, and every test gets its own data dir."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # must precede any PySide6 import, or Qt aborts the run

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated_data(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the real user data: JBDESK_HOME and the XDG dirs point into a temp folder."""
    root = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("JBDESK_HOME", str(root / "jbdesk"))
    monkeypatch.setenv("XDG_DATA_HOME", str(root / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(root / "xdg-config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(root / "xdg-state"))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def workspace(data_dir: Path):
    from jbdesk.paths import DataPaths
    from jbdesk.services.workspace import Workspace

    ws = Workspace.open(DataPaths(data_dir))
    yield ws
    ws.close()


@pytest.fixture
def hq(workspace):
    workspace.set_head_office()
    return workspace
