"""Korean public-sector number formatting: thousands separators, negatives with △, 천원/백만원 units."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from jbdesk.errors import InvalidInputError

NEGATIVE_MARK = "△"
_NEGATIVE_MARKS = ("△", "▲", "-", "−")


def fmt_int(value: int | None, *, zero: str = "0", blank: str = "") -> str:
    """1234 -> '1,234'; -10 -> '△10'; None -> blank."""
    if value is None:
        return blank
    if value == 0:
        return zero
    text = f"{abs(value):,}"
    return f"{NEGATIVE_MARK}{text}" if value < 0 else text


def fmt_decimal(value: float | Decimal | None, places: int = 1, *, blank: str = "") -> str:
    """Rounded half-up (as Korean reports do), separators, △ for negatives: -2.25 -> '△2.3'."""
    if value is None:
        return blank
    quant = Decimal(1).scaleb(-places)
    rounded = Decimal(str(value)).quantize(quant, rounding=ROUND_HALF_UP)
    text = f"{abs(rounded):,.{places}f}"
    return f"{NEGATIVE_MARK}{text}" if rounded < 0 else text


def fmt_percent(value: float | None, places: int = 1, *, blank: str = "") -> str:
    """0.8754 -> '87.5%'."""
    if value is None:
        return blank
    return fmt_decimal(value * 100, places) + "%"


def won_to_unit(amount: int, unit: int) -> Decimal:
    """원 amount in 천원 (unit=1_000) or 백만원 (unit=1_000_000), rounded half-up to an integer."""
    return (Decimal(amount) / unit).quantize(Decimal(1), rounding=ROUND_HALF_UP)


_NUMBER = re.compile(r"^\d+$")


def parse_int(text: str, *, allow_negative: bool = True) -> int | None:
    """Parse what a clerk types or pastes: '1,234', '△5', '-5', ' 12 원'. Empty -> None."""
    cleaned = text.strip().replace(",", "").replace(" ", "").removesuffix("원").removesuffix("명")
    if not cleaned:
        return None
    negative = cleaned[0] in _NEGATIVE_MARKS
    if negative:
        cleaned = cleaned[1:]
    if cleaned.endswith(".0"):  # Excel copies whole numbers as '12.0' now and then
        cleaned = cleaned[:-2]
    if not _NUMBER.match(cleaned):
        raise InvalidInputError(f"숫자가 아닙니다: '{text.strip()}'")
    if negative and not allow_negative:
        raise InvalidInputError(f"음수는 입력할 수 없습니다: '{text.strip()}'")
    value = int(cleaned)
    return -value if negative else value
