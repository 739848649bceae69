"""Where the shipped resources (fonts, icons, reference data) are, in a checkout, a wheel or a frozen build."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path


@cache
def resources_dir() -> Path:
    here = Path(__file__).resolve().parent
    candidates = [
        Path(getattr(sys, "_MEIPASS", "")) / "resources" if getattr(sys, "frozen", False) else None,
        here / "resources",  # wheel: resources/ is force-included inside the package
        here.parent / "resources",  # checkout or editable install
    ]
    for candidate in candidates:
        if candidate is not None and (candidate / "data" / "facilities.csv").is_file():
            return candidate
    raise FileNotFoundError("jbdesk resources folder not found next to the program")


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
