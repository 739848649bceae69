"""What a clerk types, read as the forms store it: dates in any usual writing, a choice by its number or start."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

_DATE_SEPARATED = re.compile(r"^(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})\s*\.?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def normalize_date(text: str) -> str:
    """What a clerk types (2026.3.5, 2026/03/05, 20260305) as ISO 2026-03-05; anything else unchanged."""
    stripped = text.strip()
    match = _DATE_SEPARATED.match(stripped) or _DATE_COMPACT.match(stripped)
    if match is None:
        return stripped
    try:
        return date(*(int(g) for g in match.groups())).isoformat()
    except ValueError:
        return stripped  # validation names the bad date


def resolve_choice(text: str, choices: Sequence[str]) -> str:
    """Typed text -> a choice: the choice itself, its number (1 = first) or an unambiguous beginning ('부분')."""
    stripped = text.strip()
    if not stripped or stripped in choices:
        return stripped
    if stripped.isdigit() and 1 <= int(stripped) <= len(choices):
        return choices[int(stripped) - 1]
    starting = [c for c in choices if c.startswith(stripped)]
    return starting[0] if len(starting) == 1 else stripped  # ambiguous or unknown: the grid names the choices
