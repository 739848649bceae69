"""연간 예산 (본예산·추경) and 월별 예산집행 점검: budget in force, execution, rates and their rules."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import msgspec

from jbdesk.domain.numbers import fmt_int, fmt_percent
from jbdesk.domain.reference import AccountingCheck, BudgetAccount
from jbdesk.domain.validation import Problem, ValidationResult, error, warning
from jbdesk.errors import InvalidInputError

SIDES = ("세입", "세출")
INCOME, EXPENSE = SIDES
VERSION_NAMES = ("본예산", "1차 추경", "2차 추경", "3차 추경")
SOURCE_FIELDS: dict[str, str] = {"national": "국비", "province": "도비", "city": "시군비", "other": "기타"}
CALC_FIELDS = ("calc_unit", "calc_qty", "calc_freq")
CHECK_STATUSES = ("적합", "부적합", "해당없음")
DEFAULT_DEVIATION_THRESHOLD = 0.25


# ---------------------------------------------------------------------------------------------------------
# yearly budget (본예산 + up to 3 추경)


class BudgetLine(msgspec.Struct, frozen=True, kw_only=True):
    side: str = EXPENSE
    gwan: str = ""
    hang: str = ""
    mok: str = ""
    semok: str = ""  # a facility may split a 목 into 세목 of its own
    national: int = 0
    province: int = 0
    city: int = 0
    other: int = 0
    total: int | None = None  # the stated 계; None = derived from the sources
    calc_unit: int | None = None  # 산출내역: unit × quantity × frequency
    calc_qty: int | None = None
    calc_freq: int | None = None
    calc_note: str = ""

    @property
    def key(self) -> str:
        return f"{self.side}/{self.gwan}/{self.hang}/{self.mok}/{self.semok}"

    @property
    def account_key(self) -> str:
        """The 관·항·목 as in ``BudgetAccount.key`` (without the facility's 세목)."""
        return f"{self.side}/{self.gwan}/{self.hang}/{self.mok}"

    @property
    def sources_sum(self) -> int:
        return self.national + self.province + self.city + self.other

    @property
    def amount(self) -> int:
        """The budget of the line: the stated 계 (what was approved), else the sum of the sources."""
        return self.total if self.total is not None else self.sources_sum


class BudgetVersion(msgspec.Struct, frozen=True, kw_only=True):
    name: str = VERSION_NAMES[0]
    effective_month: int = 1  # first month whose execution is measured against this version
    lines: list[BudgetLine] = []


class BudgetPlanData(msgspec.Struct, frozen=True, kw_only=True):
    versions: list[BudgetVersion] = []
    explanations: dict[str, str] = {}


def new_budget_plan(accounts: tuple[BudgetAccount, ...]) -> BudgetPlanData:
    """본예산 from month 1 with one empty line per account, 세입 and 세출 alike.

    A facility's 예산서 is a 세입세출예산서 whose two sides balance, and the monthly check follows 세입 too
    (subsidies received), so a clerk expects both sides; lines the facility does not use are deleted.
    """
    lines = [BudgetLine(side=a.side, gwan=a.gwan, hang=a.hang, mok=a.mok) for a in accounts]
    return BudgetPlanData(versions=[BudgetVersion(name=VERSION_NAMES[0], effective_month=1, lines=lines)])


def add_revision(plan: BudgetPlanData, effective_month: int) -> BudgetPlanData:
    """The next 추경, starting as a copy of the latest version's lines."""
    if not plan.versions:
        raise InvalidInputError("본예산을 먼저 입력하세요.")
    if len(plan.versions) >= len(VERSION_NAMES):
        raise InvalidInputError("추경은 3차까지만 입력할 수 있습니다.")
    latest = plan.versions[-1]
    if not latest.effective_month < effective_month <= 12:
        raise InvalidInputError(f"추경 적용 월은 {latest.effective_month + 1}월에서 12월 사이여야 합니다.")
    revision = BudgetVersion(
        name=VERSION_NAMES[len(plan.versions)], effective_month=effective_month, lines=list(latest.lines)
    )
    return msgspec.structs.replace(plan, versions=[*plan.versions, revision])


def budget_in_force(plan: BudgetPlanData, month: int) -> BudgetVersion | None:
    """The version with the greatest effective month ≤ ``month`` (a tie goes to the later version)."""
    found: BudgetVersion | None = None
    for version in plan.versions:
        if version.effective_month <= month and (found is None or version.effective_month >= found.effective_month):
            found = version
    return found


def _account_label(line: BudgetLine) -> str:
    parts = [line.side, line.gwan, line.hang, line.mok, line.semok]
    return " ".join(p for p in parts if p)


def _line_problems(path: str, line: BudgetLine, accounts: set[str]) -> list[Problem]:
    out: list[Problem] = []
    if line.side not in SIDES:
        out.append(error("budget.line.side", "구분은 세입 또는 세출이어야 합니다.", f"{path}/side"))
    names = (line.gwan, line.hang, line.mok, line.semok)
    if any("/" in n for n in names):
        out.append(error("budget.line.slash", "과목명에 '/'를 쓸 수 없습니다.", f"{path}/mok"))
    elif line.account_key not in accounts:
        # A 세목 of the facility's own is fine as long as its 목 is in the chart of accounts.
        message = f"예산과목 '{_account_label(line)}'의 관·항·목이 과목표에 없습니다."
        out.append(error("budget.line.account", message, f"{path}/mok"))
    amounts = {**SOURCE_FIELDS, "total": "계", "calc_unit": "단가", "calc_qty": "수량", "calc_freq": "횟수"}
    negative = [name for name in amounts if (getattr(line, name) or 0) < 0]
    for name in negative:
        out.append(error("budget.line.negative", f"{amounts[name]} 금액은 0 이상이어야 합니다.", f"{path}/{name}"))
    if negative:
        return out
    if line.total is not None and line.total != line.sources_sum:
        message = f"재원 합계 {fmt_int(line.sources_sum)}원이 계 {fmt_int(line.total)}원과 다릅니다."
        out.append(error("budget.line.sources", message, f"{path}/total"))
    calc = [getattr(line, name) for name in CALC_FIELDS]
    if any(v is not None for v in calc) and any(v is None for v in calc):
        message = "산출내역의 단가·수량·횟수를 모두 입력하세요."
        out.append(warning("budget.line.calc_incomplete", message, f"{path}/calc_unit"))
    elif calc[0] is not None and calc[1] is not None and calc[2] is not None:
        product = calc[0] * calc[1] * calc[2]
        if product != line.amount:
            message = (
                f"산출내역 {fmt_int(calc[0])} × {fmt_int(calc[1])} × {fmt_int(calc[2])} = {fmt_int(product)}원이 "
                f"금액 {fmt_int(line.amount)}원과 다릅니다."
            )
            out.append(warning("budget.line.calc", message, f"{path}/calc_unit"))
    return out


def _version_problems(vi: int, version: BudgetVersion, accounts: set[str]) -> list[Problem]:
    out: list[Problem] = []
    seen: set[str] = set()
    for li, line in enumerate(version.lines):
        path = f"versions/{vi}/lines/{li}"
        if line.key in seen:
            message = f"예산과목 '{_account_label(line)}'이(가) 중복됩니다."
            out.append(error("budget.line.duplicate", message, f"{path}/mok"))
        seen.add(line.key)
        out.extend(_line_problems(path, line, accounts))
    income = sum(line.amount for line in version.lines if line.side == INCOME)
    expense = sum(line.amount for line in version.lines if line.side == EXPENSE)
    if income != expense:
        # 세입세출예산 must balance; the plan's own tables sometimes do not (notes §3.4), so explain, not block.
        message = f"세입 합계 {fmt_int(income)}원과 세출 합계 {fmt_int(expense)}원이 다릅니다."
        out.append(warning("budget.balance", message, f"versions/{vi}"))
    return out


def validate_budget_plan(plan: BudgetPlanData, accounts: tuple[BudgetAccount, ...]) -> ValidationResult:
    problems: list[Problem] = []
    known = {a.key for a in accounts}
    if not plan.versions:
        problems.append(error("budget.versions.empty", "본예산을 입력하세요.", "versions"))
    if len(plan.versions) > len(VERSION_NAMES):
        field = f"versions/{len(VERSION_NAMES)}"
        problems.append(error("budget.versions.too_many", "추경은 3차까지만 입력할 수 있습니다.", field))
    for vi, version in enumerate(plan.versions):
        field = f"versions/{vi}/effective_month"
        if not 1 <= version.effective_month <= 12:
            problems.append(error("budget.version.month", "적용 월은 1에서 12 사이여야 합니다.", field))
        elif vi > 0 and version.effective_month <= plan.versions[vi - 1].effective_month:
            before = plan.versions[vi - 1]
            message = f"적용 월은 앞 예산({before.name}, {before.effective_month}월)보다 뒤여야 합니다."
            problems.append(error("budget.version.order", message, field))
        problems.extend(_version_problems(vi, version, known))
    return ValidationResult.of(problems)


# ---------------------------------------------------------------------------------------------------------
# monthly execution check


class ExecutionLine(msgspec.Struct, frozen=True, kw_only=True):
    key: str = ""  # BudgetLine.key
    this_month: int | None = None  # None = nothing spent; negative = refund (반납·여입), needs a reason
    reason: str = ""  # 비고: reason for over-spending, variance from plan or a refund


class CheckAnswer(msgspec.Struct, frozen=True, kw_only=True):
    code: str = ""  # AccountingCheck.code
    status: str = ""  # 적합 / 부적합 / 해당없음; "" = not answered
    note: str = ""
    bank_balance: int | None = None  # status+amounts checks (AC-01) only
    book_balance: int | None = None


class BudgetCheckData(msgspec.Struct, frozen=True, kw_only=True):
    budget_version: str = ""  # name of the version in force when the check was prepared
    lines: list[ExecutionLine] = []
    checks: list[CheckAnswer] = []
    explanations: dict[str, str] = {}


@dataclass(frozen=True)
class Amounts:
    """Execution figures of a line or a subtotal, in 원."""

    budget: int
    previous_cumulative: int
    this_month: int
    cumulative: int
    planned: int  # straight-line plan to the end of the month: budget × month / 12

    @property
    def rate(self) -> float | None:
        """집행률 = cumulative / budget; None when there is no budget."""
        return self.cumulative / self.budget if self.budget else None

    @property
    def remainder(self) -> int:
        """잔액; negative when over budget."""
        return self.budget - self.cumulative

    @property
    def deviation(self) -> int:
        return self.cumulative - self.planned


@dataclass(frozen=True)
class ExecutionRow:
    key: str
    side: str
    gwan: str
    hang: str
    mok: str
    semok: str
    amounts: Amounts
    reason: str
    over_budget: bool  # 세출 cumulative above budget
    off_plan: bool  # 세출 rate further than the threshold from month/12
    refund: bool  # negative this month

    @property
    def needs_reason(self) -> bool:
        return self.over_budget or self.off_plan or self.refund

    @property
    def unexplained(self) -> bool:
        return self.needs_reason and not self.reason.strip()


@dataclass(frozen=True)
class ExecutionTotal:
    """A subtotal: per side (gwan = hang = ""), per 관 (hang = "") or per 관·항."""

    side: str
    gwan: str
    hang: str
    amounts: Amounts

    @property
    def label(self) -> str:
        return " ".join(p for p in (self.side, self.gwan, self.hang) if p)


@dataclass(frozen=True)
class BudgetExecution:
    month: int
    version_name: str | None  # None: no budget in force for the month
    threshold: float
    rows: tuple[ExecutionRow, ...]
    side_totals: tuple[ExecutionTotal, ...]
    gwan_totals: tuple[ExecutionTotal, ...]
    hang_totals: tuple[ExecutionTotal, ...]

    @property
    def unexplained(self) -> tuple[str, ...]:
        """Keys of the lines that need a reason and have none."""
        return tuple(r.key for r in self.rows if r.unexplained)

    @property
    def variance_status(self) -> str:
        """The answer of the computed check (AC-08): every line that strays from plan has a reason."""
        return CHECK_STATUSES[1] if self.unexplained else CHECK_STATUSES[0]


@lru_cache(maxsize=8192)  # the same chart of accounts for every facility and month
def key_parts(key: str) -> tuple[str, str, str, str, str]:
    """side, 관, 항, 목, 세목 of a budget line key (``세출/사무비/인건비/급여/``)."""
    parts = [*key.split("/", 4), "", "", "", ""][:5]
    return parts[0], parts[1], parts[2], parts[3], parts[4]


def subject_label(*names: str, sep: str = " · ") -> str:
    """관·항·목·세목 joined; a name equal to the one before it (항 보조금수입 under 관 보조금수입) shown once."""
    parts: list[str] = []
    for name in names:
        if name and (not parts or parts[-1] != name):
            parts.append(name)
    return sep.join(parts)


@lru_cache(maxsize=64)
def _limit(threshold: float) -> Fraction:
    return Fraction(str(threshold))


def _planned(budget: int, month: int) -> int:
    return (budget * month + 6) // 12  # rounded half up to the 원


def _off_plan(side: str, amounts: Amounts, month: int, threshold: Fraction) -> bool:
    """|cumulative / budget − month / 12| > threshold, exactly, in integers (every line of every month of every
    facility goes through here; Fraction objects were a tenth of import time)."""
    if side != EXPENSE or amounts.budget <= 0:
        return False
    gap = abs(amounts.cumulative * 12 - month * amounts.budget)  # = |rate − month/12| × 12 × budget
    return gap * threshold.denominator > threshold.numerator * 12 * amounts.budget


def _totals(rows: tuple[ExecutionRow, ...], depth: int) -> tuple[ExecutionTotal, ...]:
    """Subtotals by side (depth 1), 관 (2) or 관·항 (3), in order of first appearance."""
    sums: dict[tuple[str, str, str], list[int]] = {}  # running sums: every check of every month goes through here
    for row in rows:
        group = (row.side, row.gwan if depth >= 2 else "", row.hang if depth >= 3 else "")
        a = row.amounts
        total = sums.get(group)
        if total is None:
            sums[group] = [a.budget, a.previous_cumulative, a.this_month, a.cumulative, a.planned]
        else:
            total[0] += a.budget
            total[1] += a.previous_cumulative
            total[2] += a.this_month
            total[3] += a.cumulative
            total[4] += a.planned
    return tuple(ExecutionTotal(side, gwan, hang, Amounts(*total)) for (side, gwan, hang), total in sums.items())


def compute_budget_check(
    plan: BudgetPlanData,
    month: int,
    this_check: BudgetCheckData,
    previous_cumulative: dict[str, int],
    *,
    threshold: float = DEFAULT_DEVIATION_THRESHOLD,
) -> BudgetExecution:
    """Figures for ``month`` against the version in force. Rows: that version's lines, then any line with a
    cumulative carried from earlier months or an entry this month but no budget now (budget 0), so no 원
    spent ever drops out of the totals."""
    version = budget_in_force(plan, month)
    budgets: dict[str, int] = {line.key: line.amount for line in version.lines} if version else {}
    entered: dict[str, ExecutionLine] = {}
    for line in this_check.lines:
        entered.setdefault(line.key, line)
    carried = [key for key, value in previous_cumulative.items() if value]
    keys = dict.fromkeys([*budgets, *carried, *entered])
    limit = _limit(threshold)
    rows: list[ExecutionRow] = []
    for key in keys:
        side, gwan, hang, mok, semok = key_parts(key)
        budget, before = budgets.get(key, 0), previous_cumulative.get(key, 0)
        entry = entered.get(key)
        this_month = (entry.this_month if entry else None) or 0
        amounts = Amounts(budget, before, this_month, before + this_month, _planned(budget, month))
        rows.append(
            ExecutionRow(
                key=key,
                side=side,
                gwan=gwan,
                hang=hang,
                mok=mok,
                semok=semok,
                amounts=amounts,
                reason=entry.reason if entry else "",
                # Only 세출 has a spending limit: 세입 above budget is money received, settled by 추경 or 결산.
                over_budget=side == EXPENSE and amounts.cumulative > budget,
                off_plan=_off_plan(side, amounts, month, limit),
                refund=this_month < 0,
            )
        )
    frozen = tuple(rows)
    return BudgetExecution(
        month=month,
        version_name=version.name if version else None,
        threshold=threshold,
        rows=frozen,
        side_totals=_totals(frozen, 1),
        gwan_totals=_totals(frozen, 2),
        hang_totals=_totals(frozen, 3),
    )


def cumulative_after(
    plan: BudgetPlanData, month: int, check: BudgetCheckData, previous_cumulative: dict[str, int]
) -> dict[str, int]:
    """Cumulative execution per line key at the end of ``month``: the ``previous_cumulative`` of the next.

    The same keys, in the same order, as the rows of ``compute_budget_check`` (a test holds them equal), without
    building its rows and subtotals: import and the reports chain this over every month of the year.
    """
    version = budget_in_force(plan, month)
    entered: dict[str, int] = {}
    for line in check.lines:
        if line.key not in entered:  # the first line of a key counts, as in compute_budget_check
            entered[line.key] = line.this_month or 0
    budget_keys = [line.key for line in version.lines] if version else []
    carried = [key for key, value in previous_cumulative.items() if value]
    keys = dict.fromkeys([*budget_keys, *carried, *entered])
    return {key: previous_cumulative.get(key, 0) + entered.get(key, 0) for key in keys}


def prefill_budget_check(
    plan: BudgetPlanData,
    previous_check: BudgetCheckData | None,
    month: int,
    checks: tuple[AccountingCheck, ...],
) -> BudgetCheckData:
    """One empty line per line of the version in force and one unanswered item per accounting check.

    Last month's reasons are carried over for the same line: variance is judged on cumulative figures, so
    its cause usually lasts (over-spending until the next 추경); the clerk edits it rather than retypes it.
    Amounts, answers and balances are never carried: each month is checked afresh.
    """
    version = budget_in_force(plan, month)
    reasons = {line.key: line.reason for line in previous_check.lines} if previous_check else {}
    lines = [ExecutionLine(key=line.key, reason=reasons.get(line.key, "")) for line in version.lines] if version else []
    return BudgetCheckData(
        budget_version=version.name if version else "",
        lines=lines,
        checks=[CheckAnswer(code=c.code) for c in checks],
    )


def remap_explanations(
    explanations: dict[str, str], old: BudgetCheckData, lines: list[ExecutionLine], checks: list[CheckAnswer]
) -> dict[str, str]:
    """Explanations are keyed by field path (``code@lines/3/reason``): follow each line and check to its new
    place so a reason never lands on another line; those whose line is gone are dropped."""
    new_line = {line.key: i for i, line in reversed(list(enumerate(lines)))}
    new_check = {answer.code: i for i, answer in enumerate(checks)}
    out: dict[str, str] = {}
    for key, text in explanations.items():
        code, _, field = key.partition("@")
        parts = field.split("/")
        if len(parts) >= 2 and parts[0] in ("lines", "checks") and parts[1].isdigit():
            i = int(parts[1])
            if parts[0] == "lines":
                j = new_line.get(old.lines[i].key) if i < len(old.lines) else None
            else:
                j = new_check.get(old.checks[i].code) if i < len(old.checks) else None
            if j is None:
                continue
            key = f"{code}@{'/'.join([parts[0], str(j), *parts[2:]])}"
        out[key] = text
    return out


def rebuild_check(
    current: BudgetCheckData,
    execution: BudgetExecution,
    plan: BudgetPlanData,
    previous: BudgetCheckData | None,
    month: int,
    checks: tuple[AccountingCheck, ...],
) -> tuple[BudgetCheckData, list[ExecutionLine]]:
    """The check re-made from the budget in force, keeping what was entered (amounts, reasons, answers) by key.

    Lines the budget dropped stay when spending was carried into them (their reason needs a place); other
    entries on dropped lines are returned so the page can say what was removed."""
    fresh = prefill_budget_check(plan, previous, month, checks)
    old: dict[str, ExecutionLine] = {}
    for line in current.lines:
        old.setdefault(line.key, line)
    lines: list[ExecutionLine] = []
    for line in fresh.lines:
        kept = old.get(line.key)
        reason = kept.reason if kept is not None and kept.reason.strip() else line.reason
        lines.append(ExecutionLine(key=line.key, this_month=kept.this_month if kept else None, reason=reason))
    present = {line.key for line in lines}
    for row in execution.rows:
        if row.key not in present and row.amounts.previous_cumulative:
            kept = old.get(row.key)
            lines.append(kept or ExecutionLine(key=row.key))
            present.add(row.key)
    dropped = [
        line for key, line in old.items() if key not in present and (line.this_month is not None or line.reason.strip())
    ]
    answers = {a.code: a for a in current.checks}
    new_checks = [answers.get(a.code, a) for a in fresh.checks]
    explanations = remap_explanations(dict(current.explanations), current, lines, new_checks)
    data = BudgetCheckData(
        budget_version=fresh.budget_version, lines=lines, checks=new_checks, explanations=explanations
    )
    return data, dropped


def line_has_amounts(line: BudgetLine) -> bool:
    return bool(line.sources_sum or line.total or line.calc_unit or line.calc_note.strip())


def balance_difference(answer: CheckAnswer) -> int | None:
    """통장 잔액 − 장부 잔액 (AC-01); None until both are entered."""
    if answer.bank_balance is None or answer.book_balance is None:
        return None
    return answer.bank_balance - answer.book_balance


def check_status(check: AccountingCheck, answer: CheckAnswer | None, execution: BudgetExecution) -> str:
    """The status to print for a check: computed checks are answered by the figures, others by the clerk."""
    if check.kind == "computed":
        return execution.variance_status
    return answer.status if answer else ""


def _key_label(key: str) -> str:
    return " ".join(part for part in key.split("/") if part)


def _missing_line(row: ExecutionRow, budgeted: set[str]) -> Problem | None:
    """A row with no line in the check: a budget line the check lacks, or spending carried from a line a
    revision dropped (it needs a line to hold its reason)."""
    label = _key_label(row.key)
    if row.key in budgeted:
        message = f"예산과목 '{label}'이(가) 점검표에 없습니다. 점검표를 다시 불러오세요."
        return error("budget.exec.missing_line", message, "lines")
    if row.unexplained:
        message = f"예산에서 빠진 과목 '{label}'에 누계 집행액이 있습니다. 과목을 추가하고 사유를 입력하세요."
        return error("budget.exec.over_budget", message, "lines")
    return None


def _row_problems(i: int, row: ExecutionRow, execution: BudgetExecution) -> list[Problem]:
    out: list[Problem] = []
    a, reason_field = row.amounts, f"lines/{i}/reason"
    if a.cumulative < 0:
        message = f"누계 집행액이 {fmt_int(a.cumulative)}원으로 0보다 작습니다. 반납액을 확인하세요."
        out.append(error("budget.exec.cumulative_negative", message, f"lines/{i}/this_month"))
    if not row.unexplained:
        return out
    if row.over_budget:
        message = "누계 집행액이 예산을 초과합니다. 사유를 입력하세요."
        out.append(error("budget.exec.over_budget", message, reason_field))
    if row.off_plan:
        message = (
            f"집행률 {fmt_percent(a.rate)}가 계획 {fmt_percent(execution.month / 12)}와 "
            f"{fmt_percent(execution.threshold, 0)}p 넘게 차이 납니다. 사유를 입력하세요."
        )
        out.append(warning("budget.exec.off_plan", message, reason_field))
    if row.refund:
        message = "당월 집행액이 음수(반납·여입)입니다. 사유를 입력하세요."
        out.append(warning("budget.exec.refund", message, reason_field))
    return out


def _execution_problems(data: BudgetCheckData, execution: BudgetExecution, budgeted: set[str]) -> list[Problem]:
    out: list[Problem] = []
    index: dict[str, int] = {}
    for i, line in enumerate(data.lines):
        if line.key in index:
            out.append(error("budget.exec.duplicate", "같은 예산과목이 두 번 있습니다.", f"lines/{i}/key"))
        index.setdefault(line.key, i)
    for row in execution.rows:
        at = index.get(row.key)
        if at is not None:
            out.extend(_row_problems(at, row, execution))
        elif (found := _missing_line(row, budgeted)) is not None:
            out.append(found)
    return out


def _answer_problems(i: int, answer: CheckAnswer, check: AccountingCheck | None) -> list[Problem]:
    out: list[Problem] = []
    path = f"checks/{i}"
    if check is not None and check.kind == "computed":
        return out  # answered by the figures (check_status)
    if answer.status not in ("", *CHECK_STATUSES):
        out.append(error("budget.check.status", "적합·부적합·해당없음 중에서 고르세요.", f"{path}/status"))
    elif not answer.status:
        out.append(error("budget.check.unanswered", "점검 결과를 선택하세요.", f"{path}/status"))
    elif answer.status == "부적합" and not answer.note.strip():
        out.append(error("budget.check.note", "부적합 사유와 조치 내용을 입력하세요.", f"{path}/note"))
    if check is not None and check.kind == "status+amounts" and answer.status != "해당없음":
        if answer.bank_balance is None:
            out.append(error("budget.check.bank", "통장 잔액을 입력하세요.", f"{path}/bank_balance"))
        if answer.book_balance is None:
            out.append(error("budget.check.book", "장부 잔액을 입력하세요.", f"{path}/book_balance"))
        difference = balance_difference(answer)
        if difference:
            message = f"통장 잔액과 장부 잔액이 {fmt_int(difference)}원 차이 납니다. 사유를 적어 주세요."
            out.append(warning("budget.check.balance", message, f"{path}/book_balance"))
    return out


def validate_budget_check(
    plan: BudgetPlanData,
    month: int,
    data: BudgetCheckData,
    previous_cumulative: dict[str, int],
    checks: tuple[AccountingCheck, ...],
    *,
    threshold: float = DEFAULT_DEVIATION_THRESHOLD,
) -> ValidationResult:
    problems: list[Problem] = []
    version = budget_in_force(plan, month)
    if version is None:
        message = f"{month}월에 적용할 예산이 없습니다. 연간 예산을 먼저 입력하세요."
        problems.append(error("budget.version.missing", message, "budget_version"))
    elif data.budget_version != version.name:
        message = f"{month}월에 적용되는 예산은 {version.name}입니다. 점검표를 다시 불러오세요."
        problems.append(error("budget.version.stale", message, "budget_version"))
    known = {line.key for line in version.lines} if version else set()
    for i, line in enumerate(data.lines):
        if line.key not in known and not previous_cumulative.get(line.key):
            problems.append(error("budget.exec.unknown_line", "예산에 없는 과목입니다.", f"lines/{i}/key"))
    if data.lines and all(line.this_month is None for line in data.lines):
        message = "당월 집행액을 입력하세요. 집행이 없는 과목은 비워 두어도 됩니다."
        problems.append(error("budget.exec.empty", message, "lines"))
    execution = compute_budget_check(plan, month, data, previous_cumulative, threshold=threshold)
    problems.extend(_execution_problems(data, execution, known))
    by_code = {c.code: c for c in checks}
    answered = set()
    for i, answer in enumerate(data.checks):
        answered.add(answer.code)
        problems.extend(_answer_problems(i, answer, by_code.get(answer.code)))
    for check in checks:
        if check.code not in answered and check.kind != "computed":
            problems.append(error("budget.check.missing", f"점검 항목 {check.code}이(가) 없습니다.", "checks"))
    return ValidationResult.of(problems)
