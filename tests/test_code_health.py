"""The code-health gate (issue 19): ruff, the formatter and mypy report nothing; modules and functions stay small.

mypy's settings are in pyproject.toml ([tool.mypy]): strict for the whole package, the Qt pages relaxed to checked
bodies. A finding fails the suite, so `.ci/run` (which runs the suite) fails on it too.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "jbdesk"
MAX_MODULE_LINES = 800
MAX_FUNCTION_LINES = 60
SMALL_FUNCTION_LAYERS = ("services", "store", "bundle", "domain")

# Modules over the limit that another change of this round is rewriting, at the size they may not grow past.
# An entry fails the test once its module is back under the limit, so the list only shrinks.
OVER_LIMIT_FOR_NOW = {
    "jbdesk/exports/pdf_monthly.py": 1526,  # the monthly PDF: its internals are being replaced (issue 19 item 3)
    "jbdesk/ui/pages/report_page.py": 864,  # strings being rewritten for tr() (issue 19 item 2)
    "jbdesk/ui/pages/safety_page.py": 833,  # strings being rewritten for tr() (issue 19 item 2)
}


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True)


@pytest.mark.parametrize(
    "command",
    [
        ("ruff", "check", "jbdesk", "tests", "bench"),
        ("ruff", "format", "--check", "jbdesk", "tests", "bench"),
        ("mypy",),  # the package, with the settings in pyproject.toml
    ],
    ids=["ruff", "ruff-format", "mypy"],
)
def test_tool_reports_nothing(command: tuple[str, ...]) -> None:
    result = _run(*command)
    assert result.returncode == 0, f"{' '.join(command)}:\n{result.stdout}{result.stderr}"


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name


def test_no_module_over_800_lines() -> None:
    sizes = {_name(p): len(p.read_text(encoding="utf-8").splitlines()) for p in _modules()}
    too_long = {name: n for name, n in sizes.items() if n > MAX_MODULE_LINES and n > OVER_LIMIT_FOR_NOW.get(name, 0)}
    assert too_long == {}, f"split these modules (at most {MAX_MODULE_LINES} lines): {too_long}"
    back_under = [name for name in OVER_LIMIT_FOR_NOW if sizes.get(name, 0) <= MAX_MODULE_LINES]
    assert back_under == [], f"under {MAX_MODULE_LINES} lines now: remove from OVER_LIMIT_FOR_NOW: {back_under}"


def _long_functions_without_reason(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    found = []
    for node in ast.walk(ast.parse("\n".join(lines))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or node.end_lineno is None:
            continue
        first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        length = node.end_lineno - first + 1
        before = lines[first - 2].strip() if first >= 2 else ""
        if length > MAX_FUNCTION_LINES and not before.startswith("#"):
            found.append(f"{_name(path)}:{node.lineno} {node.name} ({length} lines)")
    return found


def test_long_functions_say_why() -> None:
    """In services/, store/, bundle/ and domain/, a function over 60 lines has a comment on the line before it."""
    offenders = [
        entry
        for path in _modules()
        if path.relative_to(PACKAGE).parts[0] in SMALL_FUNCTION_LAYERS
        for entry in _long_functions_without_reason(path)
    ]
    assert offenders == []


def test_the_size_checks_catch_what_they_look_for(tmp_path: Path) -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    long_one = tmp_path / "long.py"
    long_one.write_text(f"def f():\n{body}\n", encoding="utf-8")
    explained = tmp_path / "explained.py"
    explained.write_text(f"# Over 60 lines: a table of constants.\ndef f():\n{body}\n", encoding="utf-8")

    assert _long_functions_without_reason(long_one) == ["long.py:1 f (61 lines)"]
    assert _long_functions_without_reason(explained) == []
