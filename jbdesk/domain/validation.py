"""Validation results shared by every form: errors block 작성완료, warnings need an explanation."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "오류"
    WARNING = "경고"


@dataclass(frozen=True)
class Problem:
    """One finding of a rule. ``field`` is a path such as ``rows/2/current`` (None: the whole form)."""

    severity: Severity
    code: str
    message: str
    field: str | None = None

    @property
    def key(self) -> str:
        """The key under which a warning's explanation is stored with the form data."""
        return f"{self.code}@{self.field or ''}"


def error(code: str, message: str, field: str | None = None) -> Problem:
    return Problem(Severity.ERROR, code, message, field)


def warning(code: str, message: str, field: str | None = None) -> Problem:
    return Problem(Severity.WARNING, code, message, field)


@dataclass(frozen=True)
class ValidationResult:
    problems: tuple[Problem, ...] = ()

    @classmethod
    def of(cls, problems: Iterable[Problem]) -> ValidationResult:
        return cls(tuple(problems))

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)

    def unexplained(self, explanations: Mapping[str, str]) -> tuple[Problem, ...]:
        return tuple(p for p in self.warnings if not explanations.get(p.key, "").strip())

    def blocking(self, explanations: Mapping[str, str]) -> tuple[Problem, ...]:
        """What stops 작성완료: every error and every warning without an explanation."""
        return self.errors + self.unexplained(explanations)

    def can_complete(self, explanations: Mapping[str, str]) -> bool:
        return not self.blocking(explanations)

    def for_field(self, field: str) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.field == field)
