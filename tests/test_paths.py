"""Where data lives: --data-dir, then JBDESK_HOME, then the platform's user data dir."""

from __future__ import annotations

from pathlib import Path

from jbdesk.paths import resolve_data_dir


def test_cli_value_wins_over_environment(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("JBDESK_HOME", str(tmp_path / "env"))
    paths = resolve_data_dir(tmp_path / "cli")
    assert paths.root == (tmp_path / "cli").resolve()
    assert paths.database == (tmp_path / "cli" / "jbdesk.sqlite").resolve()


def test_environment_wins_over_platform_default(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("JBDESK_HOME", str(tmp_path / "env"))
    assert resolve_data_dir(None).root == (tmp_path / "env").resolve()


def test_platform_default_follows_xdg(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("JBDESK_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert resolve_data_dir(None).root == (tmp_path / "xdg" / "jbdesk").resolve()
