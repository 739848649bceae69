"""Commands that move reports: export (facility), verify, import and revisions (head office)."""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from jbdesk.commands.common import Groups, with_passphrase, workspace
from jbdesk.i18n import tr

if TYPE_CHECKING:
    from jbdesk.commands.common import SubParsers
    from jbdesk.services.workspace import Workspace


def register(sub: SubParsers, groups: Groups) -> None:
    export = sub.add_parser("export", help="작성완료한 보고를 서명된 파일로 내보내기 (시설)")
    export.add_argument("--out", required=True, help="폴더 (USB 등)")
    export.add_argument("--period", help="이 기간의 보고만 (예: 2026-03)")
    export.set_defaults(handler=_cmd_export)

    verify = sub.add_parser("verify", help="파일 검증만 (합치지 않음)")
    verify.add_argument("file")
    verify.set_defaults(handler=_cmd_verify)

    imp = sub.add_parser("import", help="본부: 시설 보고 파일 가져오기 · 시설: 본부 회신·복구 파일 반영")
    imp.add_argument("paths", nargs="+", help="파일 또는 폴더")
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(handler=_cmd_import)

    feedback = groups["hq"].add_parser("feedback", help="시설에 보낼 회신 파일 (접수·보완요청·수신 확인·설정)")
    feedback.add_argument("code", help="시설 코드, 또는 all (새 소식이 있는 모든 시설)")
    feedback.add_argument("--out", required=True, help="폴더")
    feedback.set_defaults(handler=_cmd_hq_feedback)

    recovery = groups["hq"].add_parser(
        "recovery",
        help=tr("PC를 잃은 시설의 새 PC에 줄 복구 파일 (본부가 가진 모든 판, 보완요청과 의견, 일련번호, 설정)"),
    )
    recovery.add_argument("code", help=tr("시설 코드"))
    recovery.add_argument("--out", required=True, help=tr("폴더 또는 파일 (.jbr)"))
    recovery.set_defaults(handler=_cmd_hq_recovery)

    revs = groups["hq"].add_parser("revisions", help="받은 보고의 판과 바뀐 곳")
    revs.add_argument("code")
    revs.add_argument("form", choices=["staffing", "budget", "budget_plan", "quarterly", "safety", "survey"])
    revs.add_argument("period")
    revs.set_defaults(handler=_cmd_hq_revisions)


def _cmd_export(args: argparse.Namespace) -> int:
    from jbdesk.domain.periods import Period
    from jbdesk.services.export import ensure_dir

    period = Period.parse(args.period) if args.period else None
    with workspace(args) as ws:
        result = with_passphrase(lambda secret: ws.exports.export(ensure_dir(Path(args.out)), period, secret))
    print(result.path)
    return 0


def _cmd_verify(args: argparse.Namespace) -> int:
    from jbdesk.services.trust import read_file

    path = Path(args.file)
    with workspace(args) as ws:
        result = ws.imports.verify_bytes(read_file(path), path.name)
    if not result.outcome.ok:
        print(f"jbdesk: {path.name}: {result.message}", file=sys.stderr)
        return 1
    print(f"{path.name}: {result.message}")
    print(f"시설 {result.facility_code}, 일련번호 {result.sequence}, 보고 {len(result.instances)}건")
    for form, period, revision, _ in result.instances:
        print(f"  {form} {period} {revision}판")
    return 0


def _cmd_hq_feedback(args: argparse.Namespace) -> int:
    from jbdesk.services.export import ensure_dir

    out = ensure_dir(Path(args.out))
    with workspace(args) as ws:
        codes = ws.feedback.facilities_with_news() if args.code.lower() == "all" else [args.code.strip().upper()]
        written = [with_passphrase(partial(ws.feedback.write, code, out)) for code in codes]
    for w in written:
        print(f"{w.path}\t결정 {w.reviews}건 (보완요청 {w.returned}건)")
    if not written:
        print("새 소식이 있는 시설이 없습니다.")
    return 0


def _cmd_hq_recovery(args: argparse.Namespace) -> int:
    from jbdesk.i18n import tr
    from jbdesk.services.export import ensure_dir

    out = Path(args.out)
    out = ensure_dir(out) if not out.suffix else out
    with workspace(args) as ws:
        w = with_passphrase(partial(ws.recovery.write, args.code.strip().upper(), out))
    print(w.path)
    print(
        tr(
            "{code}: 본부가 가진 판 {revisions}개, 보완요청 {returned}건, 마지막 일련번호 {sequence}. 새 PC를 설정 "
            "파일로 설정한 뒤 이 파일을 가져오세요 (jbdesk import 파일)."
        ).format(code=w.facility_code, revisions=w.revisions, returned=w.returned, sequence=w.last_sequence)
    )
    return 0


def _cmd_feedback_import(args: argparse.Namespace, ws: Workspace) -> int:
    from jbdesk.errors import JbdeskError

    failed = False
    for p in args.paths:
        try:
            result = ws.feedback.apply_file(Path(p))
        except JbdeskError as exc:
            failed = True
            if args.json:
                print(
                    json.dumps({"file": Path(p).name, "outcome": "refused", "message": exc.message}, ensure_ascii=False)
                )
            else:
                print(f"jbdesk: {Path(p).name}: {exc.message}", file=sys.stderr)
            continue
        if args.json:
            print(json.dumps({"file": result.file_name, "outcome": result.outcome, "message": result.message,
                              "accepted": list(result.accepted), "returned": list(result.returned)},
                             ensure_ascii=False))  # fmt: skip
        else:
            print(f"{result.file_name}\t{result.message}")
            for label in result.returned:
                print(f"\t보완요청: {label}")
    return 1 if failed else 0


def _cmd_import(args: argparse.Namespace) -> int:
    from jbdesk.services.workspace import Mode

    with workspace(args) as ws:
        if ws.mode is Mode.FACILITY:  # a facility imports head office's feedback files
            return _cmd_feedback_import(args, ws)
        results = ws.imports.import_paths([Path(p) for p in args.paths])
    if args.json:
        for r in results:
            print(json.dumps(r.as_json(), ensure_ascii=False))
    else:
        for r in results:
            print(f"{r.file_name}\t{r.outcome.label}\t{r.facility_code}\t{r.message}")
            for line in (*r.notes, *r.detail.splitlines()):
                print(f"\t{line.removeprefix('· ')}")
    if not results:
        print("jbdesk: 가져올 파일(.jbd)이 없습니다.", file=sys.stderr)
        return 1
    return 0 if all(r.outcome.ok for r in results) else 1


def _cmd_hq_revisions(args: argparse.Namespace) -> int:
    from jbdesk.domain.forms import FormKind, FormRef
    from jbdesk.domain.periods import Period

    ref = FormRef(args.code.strip().upper(), FormKind(args.form), Period.parse(args.period))
    with workspace(args) as ws:
        revisions = ws.imports.revisions(ref)
        changes = [ws.reviews.changes(a.record, b.record) for a, b in itertools.pairwise(revisions)]
    if not revisions:
        print(f"{ref.label}: 받은 판이 없습니다.")
        return 0
    current = max(r.record.revision for r in revisions)
    for r in revisions:
        mark = " (현재)" if r.record.revision == current else ""
        print(f"{r.record.revision}판{mark}\t{r.record.submitted_at or ''}\t꾸러미 {str(r.bundle_digest)[:12]}")
    for (a, b), changed in zip(itertools.pairwise(revisions), changes, strict=True):
        print(f"--- {a.record.revision}판 → {b.record.revision}판")
        for c in changed:  # the path too: 'hq review --field PATH=의견' names a field by it
            where = c.label if c.label == c.path else f"{c.label} [{c.path}]"
            print(f"{where}: {json.dumps(c.old, ensure_ascii=False)} → {json.dumps(c.new, ensure_ascii=False)}")
    return 0
