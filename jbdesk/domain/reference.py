"""Reference data the forms are built from: safety and survey items, budget accounts, checks, targets."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class TargetUnit(StrEnum):
    POINT100 = "POINT100"
    PERCENT = "PERCENT"
    COUNT = "COUNT"

    @property
    def suffix(self) -> str:
        return {"POINT100": "점", "PERCENT": "%", "COUNT": "건"}[self.value]


@dataclass(frozen=True)
class SafetyItem:
    code: str
    category: str
    question: str
    response: str  # status, status+file, status+count, count, date, computed, ... (safety-items.csv)
    default_severity: str  # 상 / 중 / 하
    applies_to: str  # all, gas, kitchen, medication, home_visit, residential_or_childcare, direct_users, extra_premises
    basis: str


@dataclass(frozen=True)
class SurveyItem:
    survey: str  # USER_SAT or STAFF_SAT
    code: str
    dimension: str
    question: str
    scale_points: int
    reverse: bool


@dataclass(frozen=True)
class BudgetAccount:
    side: str  # 세입 / 세출
    gwan: str
    hang: str
    mok: str
    note: str

    @property
    def key(self) -> str:
        return f"{self.side}/{self.gwan}/{self.hang}/{self.mok}"


@dataclass(frozen=True)
class AccountingCheck:
    code: str
    text: str
    kind: str  # status, status+amounts, computed


@dataclass(frozen=True)
class Target:
    year: int
    indicator: str
    scope: str
    value: float
    unit: TargetUnit
    basis: str
    note: str


@dataclass(frozen=True)
class ReferenceData:
    """One configuration version of everything the forms need; head office may ship newer ones."""

    version: int
    safety_items: tuple[SafetyItem, ...]
    survey_items: tuple[SurveyItem, ...]
    budget_accounts: tuple[BudgetAccount, ...]
    accounting_checks: tuple[AccountingCheck, ...]
    targets: tuple[Target, ...]

    def target(self, year: int, indicator: str) -> Target | None:
        found = [t for t in self.targets if t.indicator == indicator and t.year <= year]
        return max(found, key=lambda t: t.year) if found else None

    def survey(self, survey: str) -> tuple[SurveyItem, ...]:
        return tuple(i for i in self.survey_items if i.survey == survey)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:  # -sig: Excel saves CSV with a BOM
        return list(csv.DictReader(fh))


def load_reference(data_dir: Path, version: int = 1) -> ReferenceData:
    """Read the shipped CSV files (``resources/data``)."""
    return ReferenceData(
        version=version,
        safety_items=tuple(
            SafetyItem(
                r["code"],
                r["category_ko"],
                r["question_ko"],
                r["response"],
                r["default_severity"],
                r["applies_to"],
                r["basis"],
            )
            for r in _rows(data_dir / "safety-items.csv")
        ),
        survey_items=tuple(
            SurveyItem(
                r["survey"],
                r["code"],
                r["dimension_ko"],
                r["question_ko"],
                int(r["scale_points"]),
                r["reverse"].strip().lower() == "yes",
            )
            for r in _rows(data_dir / "survey-items.csv")
        ),
        budget_accounts=tuple(
            BudgetAccount(r["side"], r["gwan"], r["hang"], r["mok"], r["note"])
            for r in _rows(data_dir / "budget-accounts.csv")
        ),
        accounting_checks=tuple(
            AccountingCheck(r["code"], r["check_ko"], r["kind"]) for r in _rows(data_dir / "accounting-checks.csv")
        ),
        targets=tuple(
            Target(
                int(r["year"]),
                r["indicator"],
                r["scope"],
                float(r["target"]),
                TargetUnit(r["unit"]),
                r["basis"],
                r["note"],
            )
            for r in _rows(data_dir / "targets.csv")
        ),
    )
