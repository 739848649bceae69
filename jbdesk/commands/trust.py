"""Commands on keys and enrolment: head office init, provisioning, enrolment, revocation; facility setup."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from jbdesk.commands.common import Groups, new_passphrase, with_passphrase, workspace
from jbdesk.i18n import tr

if TYPE_CHECKING:
    from jbdesk.commands.common import SubParsers


def register(sub: SubParsers, groups: Groups) -> None:
    hq = groups["hq"]
    init = hq.add_parser("init", help="본부 서명 키 만들기 (한 번)")
    init.add_argument("--name", required=True, help="본부 이름 (예: 전북특별자치도사회서비스원)")
    init.add_argument("--passphrase", action="store_true", help="서명 키에 암호 걸기 (입력을 물음)")
    init.set_defaults(handler=_cmd_hq_init)
    prov = hq.add_parser("provision", help="시설 설정 파일 발급")
    prov.add_argument("code")
    prov.add_argument("--out", required=True, help="파일 또는 폴더")
    prov.set_defaults(handler=_cmd_hq_provision)
    enroll = hq.add_parser("enroll", help="시설 등록 요청 처리 (지문을 전화로 확인한 뒤)")
    enroll.add_argument("request")
    enroll.set_defaults(handler=_cmd_hq_enroll)
    revoke = hq.add_parser("revoke", help="시설 키 폐기")
    revoke.add_argument("code")
    revoke.add_argument("--reason", default="본부가 폐기")
    revoke.set_defaults(handler=_cmd_hq_revoke)

    facility = groups["facility"]
    setup = facility.add_parser("setup", help="본부가 보낸 설정 파일로 이 PC를 시설 PC로 설정")
    setup.add_argument("provision")
    setup.add_argument("--out", required=True, help="등록 요청 파일을 쓸 곳")
    setup.add_argument("--passphrase", action="store_true", help="이 PC의 서명 키에 암호 걸기 (입력을 물음)")
    setup.add_argument(
        "--replace-key",
        action="store_true",
        help=tr("이미 설정한 PC의 서명 키를 새 키로 바꾸기 (본부가 다시 등록해야 함)"),
    )
    setup.set_defaults(handler=_cmd_facility_setup)
    reenrol = facility.add_parser("reenroll", help="새 키를 만들고 등록 요청 파일 쓰기")
    reenrol.add_argument("--out", required=True)
    reenrol.add_argument("--passphrase", action="store_true", help="새 서명 키에 암호 걸기 (입력을 물음)")
    reenrol.set_defaults(handler=_cmd_facility_reenroll)


def _cmd_hq_init(args: argparse.Namespace) -> int:
    with workspace(args) as ws:
        short = ws.trust.hq_init(args.name, new_passphrase(args.passphrase))
    print(f"본부 서명 키를 만들었습니다. 본부 키 지문: {short}")
    print("시설에 설정 파일을 보낼 때 이 지문을 전화로 불러 주세요.")
    return 0


def _cmd_hq_provision(args: argparse.Namespace) -> int:
    with workspace(args) as ws:
        path = with_passphrase(lambda secret: ws.trust.provision(args.code, Path(args.out), secret))
    print(path)
    return 0


def _cmd_hq_enroll(args: argparse.Namespace) -> int:
    with workspace(args) as ws:
        result = ws.trust.enroll(Path(args.request))
    print(f"{result.facility_code} {result.facility_name}: 키를 등록했습니다. 시설 키 지문: {result.facility_short}")
    if result.replaced:
        print(f"이전 키 {result.replaced}개는 폐기되었습니다.")
    return 0


def _cmd_hq_revoke(args: argparse.Namespace) -> int:
    with workspace(args) as ws:
        count = ws.trust.revoke(args.code, args.reason)
    print(f"{args.code.upper()}: 키 {count}개를 폐기했습니다. 이후 이 키로 서명된 파일은 받지 않습니다.")
    return 0


def _cmd_facility_setup(args: argparse.Namespace) -> int:
    with workspace(args) as ws:
        r = ws.trust.setup_facility(
            Path(args.provision), Path(args.out), new_passphrase(args.passphrase), replace_key=args.replace_key
        )
    print(f"{r.facility_code} {r.facility_name} 시설 PC로 설정했습니다 ({r.hq_name}).")
    print(f"본부 키 지문: {r.hq_short}   ← 본부가 불러 주는 지문과 같은지 확인하세요")
    print(f"이 PC 키 지문: {r.facility_short}   ← 본부에 불러 주세요")
    print(r.request_path)
    return 0


def _cmd_facility_reenroll(args: argparse.Namespace) -> int:
    with workspace(args) as ws:
        r = ws.trust.reenroll(Path(args.out), new_passphrase(args.passphrase))
    print(f"새 키를 만들었습니다. 이 PC 키 지문: {r.facility_short}")
    print(r.request_path)
    return 0
