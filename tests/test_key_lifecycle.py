"""Keys over their life (docs/bundle-format.md §6): revocation refuses what a key signs from then on and keeps
what it brought before; a facility that lost its PC continues on a new one without a gap, a fork or a lost
revision at head office; a private key protected with a passphrase opens only with it.

Replay rule, chosen and documented (docs/bundle-format.md §6, docs/reliability.md): after a key is revoked, a
bundle it signed that head office already merged is answered ``already_imported`` (nothing is merged, nothing is
trusted anew); one it signed *before* the revocation but head office never imported is refused ``key_revoked``
like anything else it signs, because the signing date inside is the key holder's claim, and the key may be in a
thief's hands. The facility sends those instances again from its new key.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from jbdesk.bundle.container import read_container
from jbdesk.bundle.errors import Reason
from jbdesk.bundle.keys import SigningKey
from jbdesk.domain.forms import FormKind, FormRef, FormStatus
from jbdesk.errors import JbdeskError
from jbdesk.services.export import ensure_dir
from jbdesk.services.importer import ImportResult, Outcome
from jbdesk.services.trust import FACILITY_KEY, HQ_KEY
from jbdesk.services.workspace import Workspace
from jbdesk.store.settings import get_setting
from tests.bundle_factory import HQ_NAME, MONTH, Network, fill_staffing, has_korean, open_ws, ref, snapshot, unpack

MARCH = ref("F03", FormKind.STAFFING, MONTH)
APRIL = ref("F03", FormKind.STAFFING, "2026-04")
MAY = ref("F03", FormKind.STAFFING, "2026-05")
JUNE = ref("F03", FormKind.STAFFING, "2026-06")
SECRET = "우리 시설 비밀 2026!"


def refuse(hq: Workspace, data: bytes, reason: Reason, name: str = "bundle.jbd") -> ImportResult:
    before = snapshot(hq)
    result = hq.imports.import_bytes(data, name)
    assert (result.outcome, result.reason) == (Outcome.REFUSED, reason.value), result
    assert has_korean(result.message)
    assert snapshot(hq) == before
    return result


def rows_at(ws: Workspace, r: FormRef) -> list[int | None]:
    return [row.current for row in ws.forms.get(r).data.rows]


# revocation ---------------------------------------------------------------------------------------------------
def test_revocation_refuses_later_bundles_and_keeps_earlier_ones(tmp_path: Path) -> None:
    with Network(tmp_path / "net") as net:
        ws = net.add("F03")
        march_rows = fill_staffing(ws, "F03")
        march = net.export("F03").path.read_bytes()
        assert net.hq.imports.import_bytes(march, "1.jbd").outcome is Outcome.ACCEPTED
        fill_staffing(ws, "F03", "2026-04")
        april = net.export("F03").path.read_bytes()  # signed before the revocation, never imported
        merged_before = snapshot(net.hq)["form_instance"]

        assert net.hq.trust.revoke("F03", "담당자 PC 도난") == 1
        (old,) = net.hq.trust.keys("F03")
        assert not old.active and old.revoked_reason == "담당자 PC 도난"

        # signed from now on: refused, whatever the file claims about its date
        fill_staffing(ws, "F03", "2026-05")
        may = net.export("F03").path.read_bytes()
        result = refuse(net.hq, may, Reason.KEY_REVOKED)
        assert "폐기된 키" in result.message and "담당자 PC 도난" in result.message

        # replays: the merged one is already there, the never-imported one is refused (module docstring)
        replay = net.hq.imports.import_bytes(march, "1-again.jbd")
        assert replay.outcome is Outcome.ALREADY and replay.reason == ""
        refuse(net.hq, april, Reason.KEY_REVOKED)
        assert net.hq.imports.verify_bytes(april, "2.jbd").reason == Reason.KEY_REVOKED.value

        # what the key brought before stays, unchanged and current
        assert snapshot(net.hq)["form_instance"] == merged_before
        view = net.hq.forms.get(MARCH)
        assert view.record.revision == 1 and rows_at(net.hq, MARCH) == [r["current"] for r in march_rows]
        (revision,) = net.hq.imports.revisions(MARCH)
        assert revision.record.revision == 1
        assert net.hq.forms.get(APRIL) is None and net.hq.forms.get(MAY) is None


def test_a_revoked_key_cannot_be_enrolled_again(tmp_path: Path) -> None:
    """Re-sending the old enrolment request after a revocation does not bring the revoked key back."""
    with Network(tmp_path / "net") as net:
        net.add("F03")
        net.hq.trust.revoke("F03")
        with pytest.raises(JbdeskError, match="이미 등록된 키"):
            net.hq.trust.enroll(net.requests["F03"])
        assert [k.active for k in net.hq.trust.keys("F03")] == [False]


# a lost PC ------------------------------------------------------------------------------------------------------
def test_facility_that_lost_its_pc_continues_on_a_new_one(tmp_path: Path) -> None:
    with Network(tmp_path / "net") as net:
        old_pc = net.add("F03")
        fill_staffing(old_pc, "F03")
        first = net.export("F03")
        fill_staffing(old_pc, "F03", "2026-04")
        second = net.export("F03")
        for b in (first, second):
            assert net.hq.imports.import_paths([b.path])[0].outcome is Outcome.ACCEPTED
        held = snapshot(net.hq)
        old_key = old_pc.trust.facility_key().public.fingerprint

        # the PC is gone. Head office issues a new provisioning file; the clerk sets up a new PC (new data folder)
        provision = net.provision("F03")
        new_pc = open_ws(tmp_path / "새 PC")
        try:
            setup = new_pc.trust.setup_facility(provision, net.files)
            assert setup.facility_code == "F03"
            with new_pc.db.reading() as s:  # the chain continues where head office's copy of it ends
                assert get_setting(s, "bundle_sequence") == "2"
                assert get_setting(s, "last_bundle_digest") == second.digest

            enrolled = net.hq.trust.enroll(setup.request_path)
            assert enrolled.replaced == 1  # the lost PC's key retired automatically
            keys = {k.fingerprint: k for k in net.hq.trust.keys("F03")}
            assert not keys[old_key].active and keys[old_key].revoked_reason == "새 키 등록으로 대체"
            assert [k.active for fp, k in keys.items() if fp != old_key] == [True]

            # head office's data is all still there
            assert snapshot(net.hq)["form_instance"] == held["form_instance"]
            assert snapshot(net.hq)["bundle"] == held["bundle"]

            # the new PC's first bundle: sequence 3, chained to bundle 2, no gap or fork note
            fill_staffing(new_pc, "F03", "2026-05")
            third = new_pc.exports.export(ensure_dir(tmp_path / "usb-new"))
            manifest, _ = unpack(third.path.read_bytes())
            assert (third.sequence, manifest["prev_digest"]) == (3, second.digest)
            (result,) = net.hq.imports.import_paths([third.path])
            assert (result.outcome, result.sequence, result.notes) == (Outcome.ACCEPTED, 3, ())
            assert [b.sequence for b in net.hq.imports.bundles("F03")] == [1, 2, 3]
            for r in (MARCH, APRIL):  # earlier revisions untouched and current
                assert net.hq.forms.get(r).record.revision == 1
            assert net.hq.forms.get(MAY).record.revision == 1

            # whoever has the old PC cannot send any more
            fill_staffing(old_pc, "F03", "2026-06")
            stolen = net.export("F03").path.read_bytes()
            assert read_container(stolen).manifest.sequence == 3  # it does not even know the chain moved on
            refuse(net.hq, stolen, Reason.KEY_REVOKED)
            assert net.hq.forms.get(JUNE) is None
        finally:
            new_pc.close()


# passphrases ----------------------------------------------------------------------------------------------------
@pytest.fixture
def cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """For the tests of what a passphrase does (not of what it costs: test_a_passphrase_key_is_protected_with_scrypt):
    scrypt at 16 MiB instead of 128, so that the many openings of these tests take seconds on a busy machine."""
    from jbdesk.bundle import pkcs8

    monkeypatch.setattr(pkcs8, "SCRYPT_N", 2**14)


@pytest.mark.usefixtures("cheap_kdf")
def test_signing_key_with_a_passphrase(tmp_path: Path) -> None:
    key = SigningKey.generate()
    path = tmp_path / "keys" / "facility.key"
    key.save(path, SECRET)
    pem = path.read_bytes()
    assert b"ENCRYPTED PRIVATE KEY" in pem and key.public.hex.encode() not in pem
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert SigningKey.load(path, SECRET).public == key.public
    for wrong in ("틀린 암호", SECRET[:-1], SECRET + " "):
        with pytest.raises(JbdeskError) as exc:
            SigningKey.load(path, wrong)
        assert "암호가 틀렸거나" in exc.value.message
    with pytest.raises(JbdeskError) as exc:
        SigningKey.load(path)
    assert "암호" in exc.value.message and has_korean(exc.value.message)
    # and the reverse: a passphrase given for a key without one
    plain = tmp_path / "plain.key"
    key.save(plain)
    with pytest.raises(JbdeskError, match="암호가 없습니다"):
        SigningKey.load(plain, SECRET)


@pytest.mark.usefixtures("cheap_kdf")
def test_facility_key_with_a_passphrase_exports_only_with_it(tmp_path: Path) -> None:
    with Network(tmp_path / "net") as net:
        ws = open_ws(tmp_path / "f03")
        try:
            setup = ws.trust.setup_facility(net.provision("F03"), net.files, passphrase=SECRET)
            net.hq.trust.enroll(setup.request_path)
            assert b"ENCRYPTED" in (ws.paths.keys / FACILITY_KEY).read_bytes()
            fill_staffing(ws, "F03")
            usb = ensure_dir(tmp_path / "usb")
            for wrong, words in ((None, "암호"), ("틀린 암호", "암호가 틀렸거나")):
                with pytest.raises(JbdeskError) as exc:
                    ws.exports.export(usb, passphrase=wrong)
                assert words in exc.value.message and has_korean(exc.value.message)
                # nothing happened: still 작성완료, no file, no sequence
                assert ws.forms.get(MARCH).status is FormStatus.READY
                assert list(usb.iterdir()) == [] and not any(ws.paths.exports.glob("*.jbd"))
                with ws.db.reading() as s:
                    assert get_setting(s, "bundle_sequence") is None

            result = ws.exports.export(usb, passphrase=SECRET)
            assert result.sequence == 1 and ws.forms.get(MARCH).status is FormStatus.SUBMITTED
            assert net.hq.imports.import_paths([result.path])[0].outcome is Outcome.ACCEPTED

            # a new key (reenrol) can be protected too; the old passphrase does not open it if another is set
            request = ws.trust.reenroll(net.files, passphrase="새 암호").request_path
            net.hq.trust.enroll(request)
            with pytest.raises(JbdeskError, match="암호가 틀렸거나"):
                ws.trust.facility_key(SECRET)
            assert ws.trust.facility_key("새 암호").public.fingerprint
        finally:
            ws.close()


@pytest.mark.usefixtures("cheap_kdf")
def test_head_office_key_with_a_passphrase(tmp_path: Path) -> None:
    hq = open_ws(tmp_path / "hq")
    try:
        hq.trust.hq_init(HQ_NAME, SECRET)
        assert b"ENCRYPTED" in (hq.paths.keys / HQ_KEY).read_bytes()
        out = ensure_dir(tmp_path / "files")
        for wrong in (None, "틀린 암호"):
            with pytest.raises(JbdeskError) as exc:
                hq.trust.provision("F03", out, wrong)
            assert "암호" in exc.value.message
            assert list(out.iterdir()) == []
        provision = hq.trust.provision("F03", out, SECRET)
        fac = open_ws(tmp_path / "f03")
        try:
            hq.trust.enroll(fac.trust.setup_facility(provision, out).request_path)
            fill_staffing(fac, "F03")
            bundle = fac.exports.export(ensure_dir(tmp_path / "usb"))  # the facility's own key has none
            assert hq.imports.import_paths([bundle.path])[0].outcome is Outcome.ACCEPTED
            with pytest.raises(JbdeskError, match="암호"):
                hq.feedback.write("F03", out, "틀린 암호")
            written = hq.feedback.write("F03", out, SECRET)
            assert fac.feedback.apply_file(written.path).outcome == "applied"
        finally:
            fac.close()
    finally:
        hq.close()


def test_a_passphrase_key_is_protected_with_scrypt(tmp_path: Path) -> None:
    """Issue 18: PBKDF2-SHA256 at 2,048 iterations was cryptography's default; keys are now scrypt N=2^17, r=8,
    p=1 (OWASP's minimum), still standard PKCS#8 that cryptography reads."""
    from jbdesk.bundle import pkcs8

    key = SigningKey.generate()
    path = tmp_path / "hq.key"
    key.save(path, SECRET)
    kdf = pkcs8.describe(path.read_bytes())
    assert (kdf.name, kdf.cost, kdf.block_size, kdf.parallelism) == ("scrypt", 2**17, 8, 1) and kdf.current
    assert SigningKey.load(path, SECRET).public == key.public
    assert pkcs8.describe(b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n").name == ""


def test_a_key_protected_by_an_older_jbdesk_opens_and_is_upgraded(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from jbdesk.bundle import pkcs8

    raw = Ed25519PrivateKey.generate()
    old_pem = raw.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(SECRET.encode("utf-8")),  # what jbdesk wrote before
    )
    assert pkcs8.describe(old_pem) == pkcs8.KdfInfo("pbkdf2", 2048)
    hq = open_ws(tmp_path / "hq")
    try:
        hq.trust.hq_init(HQ_NAME, SECRET)
        path = hq.paths.keys / HQ_KEY
        path.write_bytes(old_pem)
        public = SigningKey(raw).public
        with hq.db.transaction() as s:  # this head office's key is the old one
            from jbdesk.store.settings import set_setting

            set_setting(s, "hq_public_key", public.hex)
        with pytest.raises(JbdeskError, match="암호"):
            hq.trust.hq_key()
        assert pkcs8.describe(path.read_bytes()).name == "pbkdf2"  # not opened: not touched
        assert hq.trust.hq_key(SECRET).public == public  # opens as it is ...
        upgraded = pkcs8.describe(path.read_bytes())
        assert upgraded.name == "scrypt" and upgraded.current  # ... and is saved again under scrypt
        assert hq.trust.hq_key(SECRET).public == public
        if os.name == "posix":
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
        provision = hq.trust.provision("F03", ensure_dir(tmp_path / "out"), SECRET)
        assert read_container(provision.read_bytes()).manifest.public_key == public.hex
    finally:
        hq.close()


def test_the_key_file_is_standard_pkcs8_that_openssl_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The hand-built DER around cryptography's primitives is the structure OpenSSL writes with ``-scrypt``: its
    command line reads it (at a cost within its 32 MiB scrypt limit; jbdesk's own cost is above that limit)."""
    import shutil
    import subprocess

    from jbdesk.bundle import pkcs8

    if shutil.which("openssl") is None:
        pytest.skip("no openssl command")
    monkeypatch.setattr(pkcs8, "SCRYPT_N", 2**14)
    key = SigningKey.generate()
    path = tmp_path / "k.pem"
    key.save(path, "pw 123")
    done = subprocess.run(
        ["openssl", "pkey", "-in", str(path), "-passin", "pass:pw 123", "-pubout", "-outform", "DER"],
        capture_output=True,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith(key.public.raw)  # SubjectPublicKeyInfo ends with the raw Ed25519 key


def test_facility_setup_on_a_set_up_pc_refuses_unless_told_to_replace_the_key(tmp_path: Path) -> None:
    """Issue 18: running the provisioning file again on a working PC silently replaced its key, and its files were
    refused until head office enrolled the new one. Now it refuses and says what replacing means; --replace-key
    does it, keeping the old key file aside."""
    import subprocess
    import sys

    with Network(tmp_path / "net") as net:
        ws = net.add("F03")
        before = ws.trust.facility_key().public.fingerprint
        root = net.site_root("F03")
        provision = net.provision("F03")
        ws.close()
        run = [sys.executable, "-m", "jbdesk", "--data-dir", str(root), "facility", "setup", str(provision), "--out",
               str(net.files)]  # fmt: skip
        refused = subprocess.run(run, capture_output=True, text=True)
        assert refused.returncode == 1
        assert "이미 F03 전북학대피해노인전용쉼터 시설 PC로 설정되어 있고 서명 키가 있습니다" in refused.stderr
        assert "본부가 새 키를 등록할 때까지" in refused.stderr and "--replace-key" in refused.stderr
        ws = net.sites["F03"] = open_ws(root)
        assert ws.trust.facility_key().public.fingerprint == before and not list(ws.paths.keys.glob("*.replaced-*"))
        ws.close()

        replaced = subprocess.run([*run, "--replace-key"], capture_output=True, text=True)
        assert replaced.returncode == 0, replaced.stderr
        ws = net.sites["F03"] = open_ws(root)
        after = ws.trust.facility_key().public
        assert after.fingerprint != before and after.short in replaced.stdout
        assert len(list(ws.paths.keys.glob("facility.key.replaced-*"))) == 1
        assert net.hq.trust.enroll(Path(replaced.stdout.strip().splitlines()[-1])).replaced == 1
        fill_staffing(ws, "F03")
        sent = ws.exports.export(ensure_dir(tmp_path / "usb"))
        assert net.hq.imports.import_paths([sent.path])[0].outcome is Outcome.ACCEPTED
