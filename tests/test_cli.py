"""The headless CLI: version, registry listing, exit codes 0 / 1 / 2 with Korean messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from jbdesk import __version__
from jbdesk.cli import main


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "jbdesk", *args], capture_output=True, text=True, encoding="utf-8")


def test_version_via_python_m() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"jbdesk {__version__}"


def test_facilities_json_lists_the_plan(tmp_path: Path) -> None:
    result = run("--data-dir", str(tmp_path / "d"), "facilities", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data) == 15
    assert sum(f["headcount_authorized"] for f in data) == 114
    assert sum(f["headcount_current"] for f in data) == 104
    assert (tmp_path / "d" / "jbdesk.sqlite").is_file()


def test_facilities_table_prints_totals_with_triangle(tmp_path: Path, capsys) -> None:
    assert main(["--data-dir", str(tmp_path), "facilities"]) == 0
    out = capsys.readouterr().out
    assert "계 15개소\t정원 114\t현원 104\t결원 △10" in out


def test_refused_operation_exits_1_with_korean_message(tmp_path: Path, capsys) -> None:
    code = main(["--data-dir", str(tmp_path), "registry", "status", "F05", "운영종료", "--from", "2027-01-01"])
    assert code == 1
    assert "본부 PC에서만" in capsys.readouterr().err


def test_bad_usage_exits_2(tmp_path: Path) -> None:
    result = run("--data-dir", str(tmp_path), "registry", "status", "F05", "운영종료", "--from", "어제")
    assert result.returncode == 2
    assert "날짜 형식" in result.stderr


def test_head_office_registry_edit_round_trip(tmp_path: Path, capsys) -> None:
    d = ["--data-dir", str(tmp_path)]
    assert main([*d, "mode", "hq"]) == 0
    assert (
        main(
            [
                *d,
                "registry",
                "add",
                "F16",
                "신규센터",
                "--type",
                "센터",
                "--group",
                "국·공립 시설",
                "--authorized",
                "3",
                "--current",
                "2",
                "--from",
                "2027-01-01",
            ]
        )
        == 0
    )
    assert main([*d, "registry", "status", "F16", "운영종료", "--from", "2027-07-01"]) == 0
    capsys.readouterr()
    assert main([*d, "due", "F16", "2027-07", "--json"]) == 0
    due = json.loads(capsys.readouterr().out)
    assert {(x["form"], x["period"]) for x in due} == {
        ("staffing", "2027-06"),
        ("budget", "2027-06"),
        ("quarterly", "2027-Q2"),
    }
    assert main([*d, "facilities", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 16
