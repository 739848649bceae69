"""Every way a file is refused: the stable reason code, a Korean message for the clerk, head office's merged data
exactly as it was, and the attempt written to the import log. One test (or parameter) per refusal class of
docs/bundle-format.md §7.

A module-wide head office holds one accepted F03 bundle (March). ``valid`` is F03's next bundle (April), not
yet imported: the hostile files are variations of it, most re-signed with F03's own enrolled key so that the
check under test — not the signature — is what refuses them.
"""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import msgspec
import pytest

from jbdesk.bundle.container import MANIFEST, SIGNATURE, Limits, read_container
from jbdesk.bundle.errors import BundleError, Reason
from jbdesk.bundle.keys import SigningKey, b64
from jbdesk.domain.forms import FormKind
from jbdesk.errors import JbdeskError
from jbdesk.services.importer import ImportResult, Outcome
from jbdesk.services.workspace import Workspace
from tests.bundle_factory import (
    MONTH,
    Network,
    craft,
    edit_payload,
    entries,
    fill_staffing,
    has_korean,
    open_ws,
    patch_central_size,
    ref,
    resign,
    rezip,
    snapshot,
    unpack,
)

LIMITS = Limits()


@dataclass
class World:
    net: Network
    imported: bytes  # F03's March bundle, imported
    valid: bytes  # F03's April bundle, signed and consistent, not imported
    key: SigningKey  # F03's enrolled key

    @property
    def hq(self) -> Workspace:
        return self.net.hq


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    net = Network(tmp_path_factory.mktemp("refusals"))
    ws = net.add("F03")
    fill_staffing(ws, "F03")
    march = net.export("F03")
    assert net.hq.imports.import_bytes(march.path.read_bytes(), march.path.name).outcome is Outcome.ACCEPTED
    fill_staffing(ws, "F03", "2026-04")
    april = net.export("F03").path.read_bytes()
    yield World(net, march.path.read_bytes(), april, ws.trust.facility_key())
    net.close()


def refuse(
    world: World | Workspace, data: bytes, reason: Reason | tuple[Reason, ...], name: str = "hostile.jbd"
) -> ImportResult:
    """Import ``data`` at head office and check everything a refusal promises (``reason``: the expected one, or
    the acceptable ones where the Python zipfile version decides which check trips first)."""
    hq = world.hq if isinstance(world, World) else world
    reasons = {r.value for r in (reason if isinstance(reason, tuple) else (reason,))}
    before = snapshot(hq)
    log_before = len(hq.imports.log())
    result = hq.imports.import_bytes(data, name)
    assert result.outcome is Outcome.REFUSED and result.reason in reasons, result
    assert has_korean(result.message), result.message
    assert snapshot(hq) == before  # merged data untouched
    log = hq.imports.log()
    assert len(log) == log_before + 1
    assert log[-1][1:] == (name, result.facility_code, "refused", result.reason, result.message)
    # `jbdesk verify` runs the same checks without writing and gives the same answer
    assert hq.imports.verify_bytes(data, name).reason == result.reason
    return result


def test_the_valid_bundle_passes_every_check(world: World) -> None:
    """The baseline the hostile variants are made from is itself acceptable."""
    result = world.hq.imports.verify_bytes(world.valid, "april.jbd")
    assert result.outcome is Outcome.ACCEPTED and result.reason == ""
    assert result.instances == (("월별 인력 현황", "2026년 4월", 1, ""),)


# who signed it ---------------------------------------------------------------------------------------------
def test_unknown_facility(world: World) -> None:
    data = resign(world.valid, world.key, manifest=lambda m: {**m, "facility_code": "F99"})
    result = refuse(world, data, Reason.UNKNOWN_FACILITY)
    assert "F99" in result.message


def test_facility_of_another_head_office_is_foreign(world: World, tmp_path: Path) -> None:
    """Another organisation's F03, set up and enrolled with its own head office: same facility code, a key this
    head office never enrolled. Its bundle (format 2) names that other head office, so it is refused as foreign
    before any key is looked up; tests/test_format_evolution.py checks a format-1 one (key_not_enrolled)."""
    with Network(tmp_path / "other", hq_name="다른 사회서비스원") as other:
        fill_staffing(other.add("F03"), "F03")
        data = other.export("F03").path.read_bytes()
    result = refuse(world, data, Reason.FOREIGN)
    assert "다른 본부" in result.message


def test_key_whose_enrolment_was_never_processed(world: World) -> None:
    ws = world.net.add("F05", enrol=False)
    fill_staffing(ws, "F05")
    refuse(world, world.net.export("F05").path.read_bytes(), Reason.KEY_NOT_ENROLLED)


def test_revoked_key_refuses_new_files_and_keeps_what_came_before(tmp_path: Path) -> None:
    with Network(tmp_path) as net:
        ws = net.add("F03")
        march = ref("F03", FormKind.STAFFING, MONTH)
        fill_staffing(ws, "F03")
        first = net.export("F03").path.read_bytes()
        assert net.hq.imports.import_bytes(first, "1.jbd").outcome is Outcome.ACCEPTED
        assert net.hq.trust.revoke("F03", "담당자 PC 분실") == 1

        fill_staffing(ws, "F03", "2026-04")
        after = net.export("F03").path.read_bytes()  # signed after revocation with the lost PC's key
        result = refuse(net.hq, after, Reason.KEY_REVOKED)
        assert "폐기된 키" in result.message and "담당자 PC 분실" in result.message
        assert net.hq.forms.get(march).record.revision == 1  # what was imported before stays
        assert net.hq.imports.import_bytes(first, "1.jbd").outcome is Outcome.ALREADY

        # the facility makes a new key, head office enrols it: new files are accepted, the old key stays refused
        request = ws.trust.reenroll(net.files).request_path
        enrolled = net.hq.trust.enroll(request)
        assert enrolled.replaced == 0  # the old key was already revoked
        april = ref("F03", FormKind.STAFFING, "2026-04")
        ws.forms.reopen(april)
        ws.forms.mark_ready(april)
        fresh = net.export("F03").path.read_bytes()
        assert net.hq.imports.import_bytes(fresh, "3.jbd").outcome is Outcome.ACCEPTED
        refuse(net.hq, after, Reason.KEY_REVOKED)


# signature and digests ---------------------------------------------------------------------------------------
def test_flipped_byte_in_the_signature(world: World) -> None:
    sig = dict(entries(world.valid))[SIGNATURE]
    flipped = (b"B" if sig[:1] == b"A" else b"A") + sig[1:]  # another base64 letter: still decodes, does not verify
    result = refuse(world, rezip(world.valid, {SIGNATURE: flipped}), Reason.BAD_SIGNATURE)
    assert "서명" in result.message


def test_manifest_signed_by_another_key(world: World) -> None:
    head, parts = unpack(world.valid)
    data = craft(head, parts, SigningKey.generate())  # claims F03's fingerprint, signed by a stranger
    refuse(world, data, Reason.BAD_SIGNATURE)


def test_manifest_changed_after_signing(world: World) -> None:
    head, _ = unpack(world.valid)
    changed = msgspec.json.encode({**head, "sequence": head["sequence"] + 10})
    refuse(world, rezip(world.valid, {MANIFEST: changed}), Reason.BAD_SIGNATURE)


def test_signature_that_is_not_base64(world: World) -> None:
    result = refuse(world, rezip(world.valid, {SIGNATURE: "서명 아님".encode()}), Reason.MALFORMED)
    assert "서명 값" in result.message


def test_data_member_changed_after_signing(world: World) -> None:
    head, parts = unpack(world.valid)
    name = head["instances"][0]["member"]
    tampered = parts[name].replace(b'"current":1', b'"current":9', 1)
    assert tampered != parts[name] and len(tampered) == len(parts[name])
    result = refuse(world, rezip(world.valid, {name: tampered}), Reason.TAMPERED)
    assert "서명 후에 바뀌었습니다" in result.message


def test_tampered_copy_of_an_imported_bundle_is_not_already_imported(world: World) -> None:
    """The manifest is the one head office verified and merged; a payload changed since is still refused. (It used
    to be reported as "already imported", exit 0, while `jbdesk verify` said tampered.)"""
    assert world.hq.imports.import_bytes(world.imported, "march.jbd").outcome is Outcome.ALREADY
    name = unpack(world.imported)[0]["instances"][0]["member"]
    data = dict(entries(world.imported))[name]
    refuse(world, rezip(world.imported, {name: data.replace(b'"current":1', b'"current":4', 1)}), Reason.TAMPERED)


def test_instance_entry_disagreeing_with_its_member(world: World) -> None:
    """The signed member list and the signed instance list must name the same bytes."""
    head, parts = unpack(world.valid)
    data = craft({**head, "instances": [{**head["instances"][0], "sha256": "0" * 64}]}, parts, world.key)
    result = refuse(world, data, Reason.TAMPERED)
    assert "자료가 목록과 다릅니다" in result.message


# container structure -------------------------------------------------------------------------------------------
def test_listed_member_missing(world: World) -> None:
    name = unpack(world.valid)[0]["instances"][0]["member"]  # listed and signed, then left out of the zip
    result = refuse(world, rezip(world.valid, {name: None}), Reason.MISSING_MEMBER)
    assert "목록에 있는 항목이 파일에 없습니다" in result.message


@pytest.mark.parametrize("required", [MANIFEST, SIGNATURE])
def test_manifest_or_signature_missing(world: World, required: str) -> None:
    refuse(world, rezip(world.valid, {required: None}), Reason.MISSING_MEMBER)


def test_extra_unlisted_member(world: World) -> None:
    data = rezip(world.valid, add=[("data/readme.txt", "추가 파일".encode())])
    result = refuse(world, data, Reason.EXTRA_MEMBER)
    assert "목록에 없는" in result.message


@pytest.mark.parametrize(
    "data",
    [b"", "인력 현황 3월.hwp 아님".encode(), b"%PDF-1.7\n" + os.urandom(200), b"PK\x03\x04" + b"\0" * 100],
    ids=["empty", "text", "pdf", "zip-header-only"],
)
def test_not_a_zip(world: World, data: bytes) -> None:
    result = refuse(world, data, Reason.NOT_ZIP)
    assert "jbdesk 파일이 아니거나" in result.message


@pytest.mark.parametrize("keep", [0.5, 0.9, 0.99])
def test_truncated_file(world: World, keep: float) -> None:
    refuse(world, world.valid[: int(len(world.valid) * keep)], Reason.NOT_ZIP)


@pytest.mark.parametrize("name", ["../x", "data/../../x", "/abs", "a\\b", "C:x", ".hidden", "data//x", "데이터.json"])
def test_path_traversal_and_odd_member_names(world: World, name: str) -> None:
    result = refuse(world, rezip(world.valid, add=[(name, b"{}")]), Reason.BAD_NAME)
    assert "허용되지 않는" in result.message


def test_duplicate_member_names(world: World) -> None:
    head, parts = unpack(world.valid)
    name = head["instances"][0]["member"]
    with pytest.warns(UserWarning, match="Duplicate name"):
        data = rezip(world.valid, add=[(name, parts[name])])
    refuse(world, data, Reason.DUPLICATE_MEMBER)


# limits ----------------------------------------------------------------------------------------------------
def test_high_ratio_member_is_a_bomb(world: World) -> None:
    """10 MB of zeros squeezed into ~10 KB: under the member limit, far over the 100:1 ratio."""
    result = refuse(world, rezip(world.valid, add=[("data/zeros.json", bytes(10 * 1024 * 1024))]), Reason.BOMB)
    assert "압축 폭탄" in result.message


def test_members_inflating_beyond_the_total_limit(world: World) -> None:
    """Headers claiming 5 × 15 MB (> 64 MB in all): refused from the central directory, nothing inflated."""
    data = rezip(world.valid, add=[(f"data/p{i}.json", b"x" * 1000) for i in range(5)])
    for i in range(5):
        data = patch_central_size(data, f"data/p{i}.json", file_size=15 * 1024 * 1024)
    with pytest.raises(BundleError) as exc:
        read_container(data, Limits(max_ratio=10**9))  # ratio disabled: the total alone refuses it
    assert exc.value.reason is Reason.BOMB
    refuse(world, data, Reason.BOMB)


def test_member_inflating_beyond_its_declared_size(world: World) -> None:
    """A header that lies small (5 MB of data declared as a few hundred bytes). The reader never inflates more
    than the declared size + 1 byte: Python 3.11's zipfile itself stops at the declared size and then fails the
    CRC (→ not_zip, "damaged"); a zipfile that read on would hit jbdesk's own size check (→ bomb)."""
    head, parts = unpack(world.valid)
    name = head["instances"][0]["member"]
    data = rezip(world.valid, {name: parts[name] + b" " * 5_000_000})
    data = patch_central_size(data, name, file_size=len(parts[name]))
    refuse(world, data, (Reason.NOT_ZIP, Reason.BOMB))


def test_oversized_member(world: World) -> None:
    data = rezip(world.valid, add=[("data/big.json", bytes(LIMITS.max_member + 1))])
    refuse(world, data, Reason.OVERSIZED_MEMBER)


def test_too_many_members(world: World) -> None:
    data = rezip(world.valid, add=[(f"data/m{i}.json", b"{}") for i in range(LIMITS.max_members)])
    result = refuse(world, data, Reason.TOO_MANY_MEMBERS)
    assert "너무 많습니다" in result.message


def test_file_over_the_size_limit(world: World) -> None:
    data = world.valid + os.urandom(LIMITS.max_file)  # readable zip? never looked at: size comes first
    result = refuse(world, data, Reason.TOO_LARGE)
    assert "너무 큽니다" in result.message


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_enormous_manifest(world: World, compression: int) -> None:
    head, parts = unpack(world.valid)
    huge = msgspec.json.encode({**head, "pad": " " * (LIMITS.max_manifest + 1)})
    data = craft(huge, parts, world.key, compression=compression)
    # stored: over the manifest limit; deflated: 4 MB of spaces is also far beyond the ratio limit
    refuse(world, data, Reason.OVERSIZED_MEMBER if compression == zipfile.ZIP_STORED else Reason.BOMB)


# manifest content ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "manifest",
    [b"{not json", b"\xff\xfe{}", b"[" * 50_000, b'{"format": "jbdesk-bundle", "format_version": 1}'],
    ids=["broken", "utf16-bom", "nested-50000-deep", "fields-missing"],
)
def test_malformed_manifest(world: World, manifest: bytes) -> None:
    _, parts = unpack(world.valid)
    result = refuse(world, craft(manifest, parts, world.key), Reason.MALFORMED)
    assert "목록(manifest)" in result.message


@pytest.mark.parametrize(
    "change",
    [{"sequence": "2"}, {"sequence": -1}, {"sequence": 2**63}, {"instances": {"form": "staffing"}}],
    ids=["sequence-text", "sequence-negative", "sequence-overflows-sqlite", "instances-not-a-list"],
)
def test_manifest_field_of_the_wrong_type_or_range(world: World, change: dict) -> None:
    """Signed with the enrolled key and otherwise intact: the manifest schema alone refuses it. (A sequence of
    2**63 used to crash the merge with OverflowError from SQLite.)"""
    refuse(world, resign(world.valid, world.key, manifest=lambda m: {**m, **change}), Reason.MALFORMED)


def test_not_a_jbdesk_manifest(world: World) -> None:
    data = resign(world.valid, world.key, manifest=lambda m: {**m, "format": "other-bundle"})
    result = refuse(world, data, Reason.WRONG_KIND)
    assert "jbdesk 파일이 아닙니다" in result.message


@pytest.mark.parametrize("kind", ["provision", "enrol"])
def test_wrong_kind_given_to_import(world: World, kind: str) -> None:
    path = world.net.provision("F03") if kind == "provision" else world.net.requests["F03"]
    result = refuse(world, path.read_bytes(), Reason.WRONG_KIND, name=path.name)
    assert "시설 보고 파일(.jbd)이 아닙니다" in result.message


def test_data_bundle_given_to_facility_setup(world: World, tmp_path: Path) -> None:
    (tmp_path / "x.jbp").write_bytes(world.valid)
    ws = open_ws(tmp_path / "pc")
    try:
        with pytest.raises(BundleError) as exc:
            ws.trust.setup_facility(tmp_path / "x.jbp", tmp_path)
        assert exc.value.reason is Reason.WRONG_KIND and "시설 보고 파일" in exc.value.message
        assert ws.info().mode is None
    finally:
        ws.close()


@pytest.mark.parametrize("version", [3, 17])
def test_format_version_newer_than_supported(world: World, version: int) -> None:
    data = resign(world.valid, world.key, manifest=lambda m: {**m, "format_version": version})
    result = refuse(world, data, Reason.FORMAT_TOO_NEW)
    assert f"파일 형식 버전 {version}" in result.message and "업데이트" in result.message


# payloads -------------------------------------------------------------------------------------------------
def test_payload_violating_its_schema(world: World) -> None:
    def text_count(doc: dict) -> dict:
        doc["rows"][0]["current"] = "여섯"
        return doc

    result = refuse(world, edit_payload(world.valid, world.key, text_count), Reason.SCHEMA)
    assert "자료 형식이 맞지 않습니다" in result.message and "월별 인력 현황 2026년 4월" in result.message


@pytest.mark.parametrize(
    "change",
    [
        {"form": "payroll"},
        {"period": "2026-13"},
        {"period": "2026-Q1"},  # a quarter is not the staffing form's period
        {"revision": 0},
    ],
    ids=["unknown-form", "bad-month", "wrong-period-kind", "revision-0"],
)
def test_instance_entry_violating_the_schema(world: World, change: dict) -> None:
    def entry(m: dict) -> dict:
        return {**m, "instances": [{**m["instances"][0], **change}]}

    refuse(world, resign(world.valid, world.key, manifest=entry), Reason.SCHEMA)


def test_no_instances_or_the_same_instance_twice(world: World) -> None:
    refuse(world, resign(world.valid, world.key, manifest=lambda m: {**m, "instances": []}), Reason.SCHEMA)
    twice = resign(world.valid, world.key, manifest=lambda m: {**m, "instances": m["instances"] * 2})
    refuse(world, twice, Reason.SCHEMA)


def test_payload_breaking_an_entry_rule_is_invalid(world: World) -> None:
    """직접고용 above 현원 cannot be marked 작성완료 at the facility; a file claiming it is refused too."""

    def more_direct_than_current(doc: dict) -> dict:
        doc["rows"][1]["direct_employment"] = doc["rows"][1]["current"] + 3
        return doc

    result = refuse(world, edit_payload(world.valid, world.key, more_direct_than_current), Reason.INVALID)
    assert result.message == "입력 규칙에 맞지 않는 보고가 있어 받지 않았습니다 (1건)."
    # which rule, on which form: head office can tell the facility what to correct
    assert result.detail.startswith("· 월별 인력 현황 2026년 4월: 직접고용 인원이 현원")
    assert result.as_json()["detail"] == result.detail


# provisioning and enrolment ----------------------------------------------------------------------------------
def test_provisioning_from_another_head_office_is_refused_by_a_set_up_pc(world: World, tmp_path: Path) -> None:
    ws = world.net.sites["F03"]
    before = (ws.trust.hq_identity(), ws.trust.facility_key().public.fingerprint)
    with Network(tmp_path / "other", hq_name="다른 사회서비스원") as other:
        foreign = other.provision("F03")
    with pytest.raises(BundleError) as exc:
        ws.trust.setup_facility(foreign, tmp_path)
    assert exc.value.reason is Reason.FOREIGN and "다른 본부" in exc.value.message
    assert (ws.trust.hq_identity(), ws.trust.facility_key().public.fingerprint) == before
    assert list(tmp_path.glob("*.jbe")) == []  # no enrolment request written


def test_enrolment_request_made_from_another_head_offices_provisioning(world: World, tmp_path: Path) -> None:
    with Network(tmp_path / "other", hq_name="다른 사회서비스원") as other:
        other.add("F07", enrol=False)
        request = other.requests["F07"]
    before = snapshot(world.hq)
    with pytest.raises(BundleError) as exc:
        world.hq.trust.enroll(request)
    assert exc.value.reason is Reason.FOREIGN and "다른 본부" in exc.value.message
    assert snapshot(world.hq) == before
    assert world.hq.trust.keys("F07") == []


def test_enrolment_request_reusing_another_facilitys_provisioning(world: World) -> None:
    """A self-signed request for F06 quoting the digest of the provisioning file issued to F03."""
    head, parts = unpack(world.net.requests["F03"].read_bytes())
    request = msgspec.json.decode(parts["request.json"])
    key = SigningKey.generate()
    forged = craft(
        {**head, "facility_code": "F06", "public_key": key.public.hex, "key_fingerprint": key.public.fingerprint},
        {"request.json": msgspec.json.encode({**request, "facility_code": "F06"})},
        key,
    )
    path = world.net.files / "forged.jbe"
    path.write_bytes(forged)
    with pytest.raises(BundleError) as exc:
        world.hq.trust.enroll(path)
    assert exc.value.reason is Reason.FOREIGN
    assert world.hq.trust.keys("F06") == []


def test_tampered_provisioning_file_is_refused_by_setup(world: World, tmp_path: Path) -> None:
    data = world.net.provision("F08").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        facility = zf.read("facility.json")
    path = tmp_path / "f08.jbp"
    path.write_bytes(rezip(data, {"facility.json": facility.replace(b"F08", b"F01", 1)}))
    ws = open_ws(tmp_path / "pc")
    try:
        with pytest.raises(BundleError) as exc:
            ws.trust.setup_facility(path, tmp_path)
        assert exc.value.reason is Reason.TAMPERED
        assert ws.info().mode is None and not ws.paths.keys.joinpath("facility.key").exists()
    finally:
        ws.close()


def test_self_signed_provisioning_with_an_unknown_feature_is_refused_not_crashing(world: World, tmp_path: Path) -> None:
    """What a newer head office might send (a facility feature this version does not know) is a refusal with a
    reason, not a traceback. (It used to escape as a bare ValueError.)"""
    head, parts = unpack(world.net.provision("F08").read_bytes())
    key = SigningKey.generate()
    hq = {**msgspec.json.decode(parts["hq.json"]), "public_key": key.public.hex}
    facility = {**msgspec.json.decode(parts["facility.json"]), "features": ["elevator"]}
    parts.update({"hq.json": msgspec.json.encode(hq), "facility.json": msgspec.json.encode(facility)})
    path = tmp_path / "new.jbp"
    path.write_bytes(
        craft({**head, "public_key": key.public.hex, "key_fingerprint": key.public.fingerprint}, parts, key)
    )
    ws = open_ws(tmp_path / "pc")
    try:
        with pytest.raises(JbdeskError) as exc:
            ws.trust.setup_facility(path, tmp_path)
        assert isinstance(exc.value, BundleError) and exc.value.reason is Reason.SCHEMA
        assert ws.info().mode is None
    finally:
        ws.close()


def test_signature_file_for_a_different_manifest(world: World) -> None:
    """A genuine signature by the enrolled key, but over other bytes than this manifest."""
    other = (b64(world.key.sign(b'{"format":"jbdesk-bundle"}')) + "\n").encode()
    refuse(world, rezip(world.valid, {SIGNATURE: other}), Reason.BAD_SIGNATURE)
