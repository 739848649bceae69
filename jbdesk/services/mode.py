"""What a data dir is for: a facility PC or head office (light: the window's shell needs it before the database)."""

from __future__ import annotations

from enum import StrEnum


class Mode(StrEnum):
    FACILITY = "facility"
    HQ = "hq"

    @property
    def label(self) -> str:
        return "시설" if self is Mode.FACILITY else "본부"
