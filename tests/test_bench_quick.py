"""The benchmark runner works: ``python -m bench --quick`` runs every case on tiny data and writes the table.

No timing is asserted here; docs/performance.md holds the measured figures.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_quick_benchmark_runs_and_writes_a_table(tmp_path: Path) -> None:
    out = tmp_path / "performance.md"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--out", str(out), "--cache", str(tmp_path / "cache")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    text = out.read_text(encoding="utf-8")
    assert "| Case | Measured | Floor | Ratio | Target | Met | Runs | Notes |" in text
    for case in ("Import 3×2", "Bundle size", "Start-up to head-office window"):
        assert f"| {case}" in text, case
    for heading in ("## Machine", "## Versions", "## Data", "## Results"):
        assert heading in text
    assert "Python" in text and "SQLite" in text and "PySide6" in text and "cryptography" in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and " s |" in line]
    assert len(rows) >= 2
