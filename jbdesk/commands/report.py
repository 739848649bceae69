"""Head-office reports: the monthly sheet (PDF) and workbook (Excel); review decisions; the due day."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from jbdesk.commands.common import Groups, workspace

if TYPE_CHECKING:
    from jbdesk.commands.common import SubParsers


def register(sub: SubParsers, groups: Groups) -> None:
    report = sub.add_parser("report", help="본부: 월별 소속시설 운영 현황 (PDF·엑셀)")
    kinds = report.add_subparsers(dest="report_command", metavar="KIND", required=True)
    monthly = kinds.add_parser("monthly", help="월별 운영 현황 보고서")
    monthly.add_argument("--period", required=True, help="기준 월 (예: 2026-03)")
    monthly.add_argument("--pdf", metavar="FILE", help="PDF 파일 (결재용)")
    monthly.add_argument("--xlsx", metavar="FILE", help="엑셀 파일")
    monthly.set_defaults(handler=_cmd_monthly)

    review = groups["hq"].add_parser("review", help="받은 보고 검토: 접수 또는 보완요청")
    review.add_argument("code", help="시설 코드")
    review.add_argument("form", choices=["staffing", "budget", "budget_plan", "quarterly", "safety", "survey"])
    review.add_argument("period", help="기간 (예: 2026-03, 2026-H1, 2026)")
    decision = review.add_mutually_exclusive_group(required=True)
    decision.add_argument("--accept", action="store_true", help="접수")
    decision.add_argument("--return", dest="returned", action="store_true", help="보완요청")
    review.add_argument("--comment", default="", help="의견")
    review.add_argument("--field", action="append", default=[], metavar="PATH=의견", help="항목별 의견 (여러 번)")
    review.add_argument("--revision", type=int, help="검토한 판 (그사이 새 판이 오면 거부)")
    review.set_defaults(handler=_cmd_review)

    due = groups["hq"].add_parser("due-day", help="월별 보고 제출 기한(다음 달 며칠) 보기/설정")
    due.add_argument("day", nargs="?", type=int)
    due.set_defaults(handler=_cmd_due_day)


def _cmd_monthly(args: argparse.Namespace) -> int:
    from jbdesk.domain.periods import Period
    from jbdesk.services.consolidation import ConsolidationService, require_received

    month = Period.parse(args.period)
    pdf = Path(args.pdf) if args.pdf else None
    xlsx = Path(args.xlsx) if args.xlsx else None
    if pdf is None and xlsx is None:
        pdf = Path(f"소속시설운영현황-{month}.pdf")
        xlsx = Path(f"소속시설운영현황-{month}.xlsx")
    with workspace(args) as ws:
        service = ConsolidationService(ws)
        report = service.monthly_report(month)
        require_received(report)
        written = []
        if pdf is not None:
            written.append(service.write_monthly_pdf(report, pdf))
        if xlsx is not None:
            written.append(service.write_monthly_xlsx(report, xlsx))
    board = report.staffing_board.total
    for path in written:
        print(f"저장: {path}")
    missing = f" (미제출 {board.missing}개소)" if board.missing else ""
    print(f"{report.title}: {board.received}/{board.facilities}개소 · {board.totals_line}{missing}")
    return 0


def _cmd_review(args: argparse.Namespace) -> int:
    from jbdesk.domain.forms import FormKind, FormRef
    from jbdesk.domain.hq import ReviewDecision
    from jbdesk.domain.periods import Period
    from jbdesk.errors import InvalidInputError
    from jbdesk.services.review import ReviewService

    fields: dict[str, str] = {}
    for item in args.field:
        path, sep, text = item.partition("=")
        if not sep or not path.strip():
            raise InvalidInputError(f"항목별 의견은 경로=의견 형식으로 쓰세요: '{item}' (예: rows/2/current=현원 확인)")
        fields[path.strip()] = text
    ref = FormRef(args.code.strip().upper(), FormKind(args.form), Period.parse(args.period))
    decision = ReviewDecision.ACCEPTED if args.accept else ReviewDecision.RETURNED
    with workspace(args) as ws:
        info = ReviewService(ws).decide(ref, decision, args.comment, fields, revision=args.revision)
    print(f"{ref.facility_code} {ref.label} {info.revision}판: {info.decision.value} ({info.decided_by})")
    return 0


def _cmd_due_day(args: argparse.Namespace) -> int:
    from jbdesk.services.consolidation import ConsolidationService

    with workspace(args) as ws:
        service = ConsolidationService(ws)
        if args.day is not None:
            service.set_due_day(args.day)
        day = service.due_day
    print(f"월별 보고 제출 기한: 다음 달 {day}일")
    return 0
