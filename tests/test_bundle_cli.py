"""The bundle commands as a clerk and head office run them: set-up with fingerprints read over the phone, export,
verify, import --json with its exit codes, revisions; key file permissions; the size of a month's file."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

import pytest

from jbdesk.cli import main
from jbdesk.domain.forms import FormKind
from tests.bundle_factory import MONTH, Network, fill_budget, fill_staffing, open_ws, ref, rezip_member

SHORT = re.compile(r"[0-9A-HJKMNP-TV-Z]{4}(?:-[0-9A-HJKMNP-TV-Z]{4}){4}")  # Crockford base32, 5 groups


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def cli_world(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    """Head office and F03 set up through the CLI alone; returns (hq dir, facility dir, files dir)."""
    hq, f03, files = tmp_path / "hq", tmp_path / "f03", tmp_path / "files"
    files.mkdir()
    code, out, _ = run(capsys, "--data-dir", hq, "hq", "init", "--name", "전북특별자치도사회서비스원")
    assert code == 0
    hq_short = SHORT.search(out).group(0)
    code, out, _ = run(capsys, "--data-dir", hq, "hq", "provision", "F03", "--out", files)
    assert code == 0 and Path(out.strip()) == files / "jbdesk-provision-F03.jbp"
    code, out, _ = run(
        capsys, "--data-dir", f03, "facility", "setup", files / "jbdesk-provision-F03.jbp", "--out", files
    )
    assert code == 0
    shorts = SHORT.findall(out)
    # the head office key fingerprint the facility reads back equals the one head office read out
    assert shorts[0] == hq_short and "전북학대피해노인전용쉼터" in out
    request = Path(out.strip().splitlines()[-1])
    assert request == files / "jbdesk-enrol-F03.jbe"
    code, out, _ = run(capsys, "--data-dir", hq, "hq", "enroll", request)
    assert code == 0
    assert SHORT.search(out).group(0) == shorts[1]  # and head office sees the facility key the clerk read out
    return hq, f03, files


def _fill(f03: Path, month: str = "2026-03") -> list[dict]:
    ws = open_ws(f03)
    try:
        return fill_staffing(ws, "F03", month)
    finally:
        ws.close()


def test_export_verify_import_revisions(cli_world, tmp_path: Path, capsys) -> None:
    hq, f03, _ = cli_world
    rows = _fill(f03)
    usb = tmp_path / "usb"

    code, out, err = run(capsys, "--data-dir", f03, "export", "--out", usb)
    assert code == 0, err
    path = Path(out.strip())
    assert path.parent == usb and path.is_file() and re.fullmatch(r"jbdesk-F03-0001-\d{8}-\d{6}\.jbd", path.name)

    code, out, err = run(capsys, "--data-dir", hq, "verify", path)
    assert (code, err) == (0, "")
    assert "서명과 내용이 모두 올바릅니다" in out
    assert "시설 F03, 일련번호 1, 보고 1건" in out and "월별 인력 현황 2026년 3월 1판" in out

    code, out, err = run(capsys, "--data-dir", hq, "import", usb, "--json")
    assert code == 0, err
    [line] = out.splitlines()
    result = json.loads(line)
    assert (result["outcome"], result["facility"], result["sequence"], result["reason"]) == ("accepted", "F03", 1, "")
    assert result["instances"] == [
        {"form": "월별 인력 현황", "period": "2026년 3월", "revision": 1, "state": "current"}
    ]

    code, out, _ = run(capsys, "--data-dir", hq, "import", path, "--json")
    assert code == 0 and json.loads(out)["outcome"] == "already_imported"

    code, out, _ = run(capsys, "--data-dir", hq, "hq", "revisions", "F03", "staffing", "2026-03")
    assert code == 0 and out.startswith("1판 (현재)")
    ws = open_ws(hq)
    try:
        assert ws.forms.get(ref("F03", FormKind.STAFFING, MONTH)).data.rows[1].current == rows[1]["current"]
    finally:
        ws.close()


def test_import_json_one_object_per_bundle_and_exit_1_when_any_refused(cli_world, tmp_path: Path, capsys) -> None:
    hq, f03, _ = cli_world
    _fill(f03)
    usb = tmp_path / "usb"
    assert run(capsys, "--data-dir", f03, "export", "--out", usb)[0] == 0
    good = next(usb.glob("*.jbd"))
    (usb / "zz-broken.jbd").write_bytes(good.read_bytes()[:300])
    (usb / "zz-tampered.jbd").write_bytes(rezip_member(good.read_bytes(), b'"current":1', b'"current":7'))
    (usb / "notes.txt").write_text("폴더의 .jbd 파일만 가져옵니다")

    code, out, err = run(capsys, "--data-dir", hq, "import", usb, "--json")

    results = [json.loads(line) for line in out.splitlines()]
    assert [(r["file"], r["outcome"], r["reason"]) for r in results] == [
        (good.name, "accepted", ""),
        ("zz-broken.jbd", "refused", "not_zip"),
        ("zz-tampered.jbd", "refused", "tampered"),
    ]
    assert all(re.search("[가-힣]", r["message"]) for r in results)
    assert code == 1 and err == ""


def test_import_exit_codes_for_stale_and_conflict(tmp_path: Path, capsys) -> None:
    r = ref("F03", FormKind.STAFFING, MONTH)
    with Network(tmp_path / "net") as net:
        ws = net.add("F03")
        fill_staffing(ws, "F03")
        copy = net.backup("F03")
        rev1 = net.export("F03", out=tmp_path / "a")
        ws.forms.reopen(r)
        ws.forms.set_value(r, "rows/2/probation", 1)
        ws.forms.mark_ready(r)
        rev2 = net.export("F03", out=tmp_path / "b")
        ws = net.restore("F03", copy)  # the backup from before the first export: a different revision 1
        ws.forms.set_value(r, "rows/0/side_job_reports", 0)
        ws.forms.mark_ready(r)
        other = net.export("F03", out=tmp_path / "c")
        hq = net.hq.paths.root

    code, out, _ = run(capsys, "--data-dir", hq, "import", rev2.path, rev1.path, "--json")
    assert [json.loads(x)["outcome"] for x in out.splitlines()] == ["accepted", "stale"]
    assert code == 0  # stale is kept as history: nothing for the operator to fix

    code, out, _ = run(capsys, "--data-dir", hq, "import", other.path, "--json")
    assert json.loads(out)["outcome"] == "conflict" and code == 1

    code, out, _ = run(capsys, "--data-dir", hq, "import", other.path)  # the plain listing for people
    assert code == 1 and "충돌(거부)" in out


def test_verify_refusal_exit_1_with_korean_reason_on_stderr(cli_world, tmp_path: Path, capsys) -> None:
    hq, _, files = cli_world
    provision = files / "jbdesk-provision-F03.jbp"
    code, out, err = run(capsys, "--data-dir", hq, "verify", provision)
    assert (code, out) == (1, "")
    assert err.startswith("jbdesk: jbdesk-provision-F03.jbp: ") and "시설 보고 파일(.jbd)이 아닙니다" in err

    junk = tmp_path / "사진.jbd"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    code, _, err = run(capsys, "--data-dir", hq, "verify", junk)
    assert code == 1 and "손상" in err

    code, _, err = run(capsys, "--data-dir", hq, "verify", tmp_path / "없는파일.jbd")
    assert code == 1 and "파일을 읽을 수 없습니다" in err


def test_import_of_an_empty_folder_exits_1(cli_world, tmp_path: Path, capsys) -> None:
    hq, _, _ = cli_world
    (tmp_path / "empty").mkdir()
    code, out, err = run(capsys, "--data-dir", hq, "import", tmp_path / "empty", "--json")
    assert (code, out) == (1, "") and "가져올 파일(.jbd)이 없습니다" in err


def test_export_with_nothing_ready_exits_1(cli_world, tmp_path: Path, capsys) -> None:
    _, f03, _ = cli_world
    code, out, err = run(capsys, "--data-dir", f03, "export", "--out", tmp_path / "usb")
    assert (code, out) == (1, "") and "보낼 보고가 없습니다" in err


def test_enroll_of_a_request_from_another_head_office_exits_1(cli_world, tmp_path: Path, capsys) -> None:
    hq, _, _ = cli_world
    with Network(tmp_path / "other", hq_name="다른 사회서비스원") as other:
        other.add("F04", enrol=False)
        request = other.requests["F04"]
    code, _, err = run(capsys, "--data-dir", hq, "hq", "enroll", request)
    assert code == 1 and "다른 본부" in err


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_key_files_are_owner_only(cli_world, capsys) -> None:
    hq, f03, files = cli_world
    assert run(capsys, "--data-dir", f03, "facility", "reenroll", "--out", files)[0] == 0  # a replaced key too
    for key in (hq / "keys" / "hq.key", f03 / "keys" / "facility.key"):
        assert stat.S_IMODE(key.stat().st_mode) == 0o600, key
        assert stat.S_IMODE(key.parent.stat().st_mode) == 0o700, key.parent
        assert b"PRIVATE KEY" in key.read_bytes()
    assert not list((f03 / "keys").glob("*.tmp"))
    # nothing written outside the keys folder holds a private key
    for path in [*files.iterdir(), *(f03 / "exports").glob("*")]:
        assert b"PRIVATE KEY" not in path.read_bytes()


def test_a_facility_month_bundle_is_small(tmp_path: Path) -> None:
    """The largest facility (F12, 19 staff) with a month's staffing, the year's budget plan (every account line)
    and the monthly check: still a small file for a USB stick or an e-mail attachment."""
    with Network(tmp_path) as net:
        ws = net.add("F12")
        fill_staffing(ws, "F12")
        fill_budget(ws, "F12")
        result = net.export("F12")
    assert len(result.instances) == 3
    assert result.size == result.path.stat().st_size < 64 * 1024


def test_provisioning_twice_in_the_same_second(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Re-issuing a facility's file at once gives the same bytes; it used to crash on the digest's UNIQUE index."""
    import jbdesk.services.trust as trust

    monkeypatch.setattr(trust, "now_iso", lambda: "2026-04-05T09:00:00+09:00")
    with Network(tmp_path) as net:
        first = net.provision("F03").read_bytes()
        second = net.provision("F03").read_bytes()
    assert first == second


def test_format_document_matches_the_code() -> None:
    """docs/bundle-format.md is what another implementation follows: its numbers, names and vectors are the code's."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from jbdesk.bundle import container
    from jbdesk.bundle.errors import Reason
    from jbdesk.bundle.keys import SigningKey, b64

    doc = (Path(__file__).resolve().parent.parent / "docs" / "bundle-format.md").read_text(encoding="utf-8")
    assert container._NAME.pattern in doc
    limits = container.Limits()
    for text in (
        f"`max_file` ({limits.max_file // 2**20} MiB)",
        f"`max_members` ({limits.max_members:,}".replace(",", " "),
        f"`max_member` ({limits.max_member // 2**20} MiB)",
        f"`max_total` ({limits.max_total // 2**20} MiB)",
        f"`max_ratio` ({limits.max_ratio})",
        f"`max_manifest` ({limits.max_manifest // 2**20} MiB)",
        f"Format version **{container.FORMAT_VERSION}**",
    ):
        assert text in doc, text
    for reason in Reason:
        assert f"| `{reason.value}` |" in doc, reason
    for field in container.Manifest.__struct_fields__ + container.InstanceEntry.__struct_fields__:
        assert f"| `{field}` |" in doc, field
    key = SigningKey(Ed25519PrivateKey.from_private_bytes(bytes.fromhex(
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")))  # fmt: skip
    message = b'{"format":"jbdesk-bundle"}'
    for value in (key.public.hex, key.public.fingerprint, key.public.short, container.sha256(message)):
        assert f"`{value}`" in doc, value
    assert b64(key.sign(message)) in doc
