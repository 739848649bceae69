"""Bundle format versions (docs/bundle-format.md §10): this jbdesk writes format 2, whose data bundles name the head
office they are meant for (``hq_fingerprint``); it still reads format 1, and refuses a newer format with the
version named.

Format-1 bundles are made the way the first release made them: a real export taken apart, ``format_version`` 1 and
no ``hq_fingerprint``, signed by the facility's enrolled key (tests/bundle_factory.py's ``resign``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
import pytest

from jbdesk.bundle import container
from jbdesk.bundle.container import Kind, read_container
from jbdesk.bundle.errors import BundleError, Reason
from jbdesk.bundle.keys import PublicKey, SigningKey
from jbdesk.domain.forms import FormKind
from jbdesk.services.importer import ImportResult, Outcome
from jbdesk.services.workspace import Workspace
from jbdesk.store.settings import set_setting
from tests.bundle_factory import (
    MONTH,
    Network,
    current_payload,
    fill_staffing,
    has_korean,
    open_ws,
    ref,
    resign,
    snapshot,
    unpack,
)

MARCH = ref("F03", FormKind.STAFFING, MONTH)
APRIL = ref("F03", FormKind.STAFFING, "2026-04")


def as_version_1(bundle: bytes, key: SigningKey) -> bytes:
    """The same content as the first release wrote it: format 1, no head-office field, signed by ``key``."""

    def v1(m: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in m.items() if k != "hq_fingerprint"} | {"format_version": 1}

    return resign(bundle, key, manifest=v1)


def hq_fingerprint(ws: Workspace) -> str:
    identity = ws.trust.hq_identity()
    assert identity is not None
    return PublicKey.from_hex(identity.public_key).fingerprint


def refuse(hq: Workspace, data: bytes, reason: Reason, name: str = "bundle.jbd") -> ImportResult:
    """Refused with ``reason`` and a Korean message, head office's data untouched, the attempt logged, and
    ``jbdesk verify`` answering the same."""
    before, log_before = snapshot(hq), len(hq.imports.log())
    result = hq.imports.import_bytes(data, name)
    assert (result.outcome, result.reason) == (Outcome.REFUSED, reason.value), result
    assert has_korean(result.message)
    assert snapshot(hq) == before
    assert hq.imports.log()[log_before:] == [hq.imports.log()[-1]] and hq.imports.log()[-1][4] == reason.value
    assert hq.imports.verify_bytes(data, name).reason == reason.value
    return result


@dataclass
class World:
    net: Network
    rows: list[dict[str, Any]]  # March's staffing as entered
    march: bytes  # F03's first bundle (format 2), not imported
    april: bytes  # F03's second bundle (format 2), not imported
    key: SigningKey  # F03's enrolled key

    @property
    def hq(self) -> Workspace:
        return self.net.hq


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    with Network(tmp_path / "net") as net:
        ws = net.add("F03")
        rows = fill_staffing(ws, "F03")
        march = net.export("F03").path.read_bytes()
        fill_staffing(ws, "F03", "2026-04")
        april = net.export("F03").path.read_bytes()
        yield World(net, rows, march, april, ws.trust.facility_key())


def test_this_version_writes_format_2_naming_the_head_office(world: World) -> None:
    manifest, _ = unpack(world.march)
    assert container.FORMAT_VERSION == 2
    assert sorted(container.READABLE_VERSIONS) == [1, 2]
    assert manifest["format_version"] == 2
    assert manifest["hq_fingerprint"] == hq_fingerprint(world.hq) == hq_fingerprint(world.net.sites["F03"])
    # the other kinds carry the version but no head-office field (they are verified against the key itself)
    provision = read_container(world.net.provision("F05").read_bytes()).manifest
    assert (provision.kind, provision.format_version, provision.hq_fingerprint) == (Kind.PROVISION, 2, "")


def test_format_1_bundles_still_import(world: World) -> None:
    """A bundle a facility wrote before updating (format 1) is checked and merged exactly as before."""
    march_v1 = as_version_1(world.march, world.key)
    head, members = unpack(march_v1)
    assert head["format_version"] == 1 and "hq_fingerprint" not in head
    assert read_container(march_v1).manifest.hq_fingerprint == ""

    assert world.hq.imports.verify_bytes(march_v1, "v1.jbd").outcome is Outcome.ACCEPTED
    result = world.hq.imports.import_bytes(march_v1, "v1.jbd")
    assert (result.outcome, result.sequence, result.notes) == (Outcome.ACCEPTED, 1, ())
    assert result.instances == (("월별 인력 현황", "2026년 3월", 1, "current"),)
    assert current_payload(world.hq, MARCH) == msgspec.json.decode(members[head["instances"][0]["member"]])
    assert [row.current for row in world.hq.forms.get(MARCH).data.rows] == [r["current"] for r in world.rows]
    assert world.hq.imports.import_bytes(march_v1, "v1.jbd").outcome is Outcome.ALREADY


def test_format_1_then_format_2_continue_one_chain(tmp_path: Path) -> None:
    """A facility sends one bundle with the old jbdesk, updates, sends the next: head office sees one chain."""
    with Network(tmp_path / "net") as net:
        ws = net.add("F03")
        key = ws.trust.facility_key()
        fill_staffing(ws, "F03")
        old = as_version_1(net.export("F03").path.read_bytes(), key)
        # what the old jbdesk recorded as its last bundle is the format-1 file it wrote
        with ws.db.transaction() as s:
            set_setting(s, "last_bundle_digest", read_container(old).digest)
        fill_staffing(ws, "F03", "2026-04")
        new = net.export("F03").path.read_bytes()
        assert unpack(new)[0]["format_version"] == 2
        results = [net.hq.imports.import_bytes(b, n) for b, n in ((old, "1.jbd"), (new, "2.jbd"))]
        assert [(r.outcome, r.sequence, r.notes) for r in results] == [
            (Outcome.ACCEPTED, 1, ()),
            (Outcome.ACCEPTED, 2, ()),
        ]


@pytest.mark.parametrize("version", [3, 4, 1000])
def test_newer_format_is_refused_with_the_version_named(world: World, version: int) -> None:
    data = resign(world.march, world.key, manifest=lambda m: {**m, "format_version": version})
    result = refuse(world.hq, data, Reason.FORMAT_TOO_NEW)
    assert f"파일 형식 버전 {version}" in result.message
    assert "2까지 읽습니다" in result.message and "업데이트" in result.message


def test_newer_format_is_refused_by_facility_setup_and_feedback(world: World, tmp_path: Path) -> None:
    """The same answer for files coming the other way: a provisioning file and a feedback file of format 3."""
    hq_key = world.hq.trust.hq_key()
    future = tmp_path / "future.jbp"
    future.write_bytes(
        resign(world.net.provision("F05").read_bytes(), hq_key, manifest=lambda m: {**m, "format_version": 3})
    )
    fresh = open_ws(tmp_path / "fresh")
    try:
        with pytest.raises(BundleError) as exc:
            fresh.trust.setup_facility(future, tmp_path)
        assert exc.value.reason is Reason.FORMAT_TOO_NEW and "파일 형식 버전 3" in exc.value.message
        assert fresh.info().mode is None
    finally:
        fresh.close()

    fac = world.net.sites["F03"]
    world.hq.imports.import_bytes(world.march, "1.jbd")
    written = world.hq.feedback.write("F03", tmp_path)
    data = resign(written.path.read_bytes(), hq_key, manifest=lambda m: {**m, "format_version": 3})
    with pytest.raises(BundleError) as exc:
        fac.feedback.apply_bytes(data, "future.jbf")
    assert exc.value.reason is Reason.FORMAT_TOO_NEW and "파일 형식 버전 3" in exc.value.message


@pytest.mark.parametrize("version", [0, -1])
def test_format_version_below_1_is_malformed(world: World, version: int) -> None:
    data = resign(world.march, world.key, manifest=lambda m: {**m, "format_version": version})
    refuse(world.hq, data, Reason.MALFORMED)


def test_bundle_naming_another_head_office_is_foreign(world: World, tmp_path: Path) -> None:
    """Signed by F03's enrolled key, but naming another head office: refused as foreign, before the signer."""
    with Network(tmp_path / "other", hq_name="다른 사회서비스원") as other:
        elsewhere = hq_fingerprint(other.hq)
    assert elsewhere != hq_fingerprint(world.hq)
    data = resign(world.march, world.key, manifest=lambda m: {**m, "hq_fingerprint": elsewhere})
    result = refuse(world.hq, data, Reason.FOREIGN)
    assert "다른 본부" in result.message
    # the original, naming this head office, is fine
    assert world.hq.imports.import_bytes(world.march, "1.jbd").outcome is Outcome.ACCEPTED


def test_foreign_is_decided_before_the_signer_is_looked_up(world: World, tmp_path: Path) -> None:
    """Another organisation's F03 (a key never enrolled here): format 2 says foreign, format 1 can only say the
    key is not enrolled."""
    with Network(tmp_path / "other", hq_name="다른 사회서비스원") as other:
        ws = other.add("F03")
        fill_staffing(ws, "F03")
        theirs = other.export("F03").path.read_bytes()
        theirs_v1 = as_version_1(theirs, ws.trust.facility_key())
    refuse(world.hq, theirs, Reason.FOREIGN)
    refuse(world.hq, theirs_v1, Reason.KEY_NOT_ENROLLED)


@pytest.mark.parametrize("value", [7, None, ["x"]])
def test_head_office_field_of_the_wrong_type_is_malformed(world: World, value: Any) -> None:
    data = resign(world.march, world.key, manifest=lambda m: {**m, "hq_fingerprint": value})
    refuse(world.hq, data, Reason.MALFORMED)


def test_format_document_describes_both_versions() -> None:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "bundle-format.md").read_text(encoding="utf-8")
    assert f"Format version **{container.FORMAT_VERSION}**" in doc
    assert "| `hq_fingerprint` |" in doc
    for version in sorted(container.READABLE_VERSIONS):
        assert f"\n| {version} |" in doc, version
    assert f"\n| {max(container.READABLE_VERSIONS) + 1} or above |" in doc
