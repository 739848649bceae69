"""Layers hold: Qt only in jbdesk.ui, SQLAlchemy only in jbdesk.store, heavy libraries loaded lazily."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "jbdesk"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def _modules() -> list[tuple[str, set[str]]]:
    return [(str(p.relative_to(PACKAGE.parent)), _imports(p)) for p in PACKAGE.rglob("*.py")]


def test_only_ui_imports_qt() -> None:
    offenders = [m for m, imps in _modules() if imps & {"PySide6", "shiboken6"} and not m.startswith("jbdesk/ui/")]
    assert offenders == []


def test_only_store_imports_sqlalchemy_and_alembic() -> None:
    offenders = [m for m, imps in _modules() if imps & {"sqlalchemy", "alembic"} and not m.startswith("jbdesk/store/")]
    assert offenders == []


def test_import_linter_contracts() -> None:
    pytest.importorskip("importlinter")
    root = PACKAGE.parent
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())",
        ],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken" in result.stdout


def test_services_and_cli_do_not_load_qt_or_heavy_libraries() -> None:
    code = (
        "import sys, jbdesk.cli, jbdesk.services.workspace, jbdesk.services.registry;"
        "print(sorted(m for m in ('PySide6','openpyxl','reportlab','alembic') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
