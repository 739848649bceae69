"""Keys and enrolment: head office initialises and provisions; a facility sets up and asks to be enrolled."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import msgspec

from jbdesk import __version__, clock
from jbdesk.bundle.container import (
    FORMAT,
    FORMAT_VERSION,
    Container,
    Kind,
    Manifest,
    now_iso,
    read_container,
    verify_members,
    verify_signature,
    write_container,
)
from jbdesk.bundle.errors import BundleError, Reason
from jbdesk.bundle.keys import PublicKey, SigningKey, short_of_hex
from jbdesk.domain.facilities import Facility, Feature, LifecycleEvent, LifecycleStatus
from jbdesk.errors import JbdeskError, ModeError, NotFoundError
from jbdesk.i18n import tr
from jbdesk.services import audit, audit_anchor
from jbdesk.services.config import ConfigVersion
from jbdesk.store import SCHEMA_VERSION
from jbdesk.store import registry as registry_store
from jbdesk.store import trust as store
from jbdesk.store.settings import get_setting, set_setting

if TYPE_CHECKING:
    from jbdesk.services.workspace import Workspace

T = TypeVar("T")

HQ_KEY = "hq.key"
FACILITY_KEY = "facility.key"


class FacilityRecord(msgspec.Struct, frozen=True, kw_only=True):
    """The facility as head office sends it (provisioning), free of local row ids."""

    code: str
    name: str
    aliases: list[str] = []
    type: str
    group: str
    account: str
    operation: str
    headcount_authorized: int
    headcount_current: int
    headcount_as_of: date
    budget_mkrw: list[int] = []
    features: list[str] = []
    events: list[dict[str, str]] = []
    sort_order: int = 0

    @classmethod
    def of(cls, f: Facility) -> FacilityRecord:
        return cls(
            code=f.code, name=f.name, aliases=list(f.aliases), type=f.type, group=f.group, account=f.account,
            operation=f.operation, headcount_authorized=f.headcount_authorized,
            headcount_current=f.headcount_current, headcount_as_of=f.headcount_as_of,
            budget_mkrw=list(f.budget_mkrw), features=sorted(x.value for x in f.features),
            events=[{"effective": e.effective.isoformat(), "status": e.status.value, "note": e.note} for e in f.events],
            sort_order=f.sort_order,
        )  # fmt: skip

    def to_domain(self) -> Facility:
        budget = [*self.budget_mkrw, 0, 0, 0, 0, 0][:5]
        return Facility(
            code=self.code, name=self.name, aliases=tuple(self.aliases), type=self.type, group=self.group,
            account=self.account, operation=self.operation, headcount_authorized=self.headcount_authorized,
            headcount_current=self.headcount_current, headcount_as_of=self.headcount_as_of,
            budget_mkrw=(budget[0], budget[1], budget[2], budget[3], budget[4]),
            features=frozenset(Feature(x) for x in self.features),
            events=tuple(
                LifecycleEvent(date.fromisoformat(e["effective"]), LifecycleStatus(e["status"]), e.get("note", ""))
                for e in self.events
            ),
            sort_order=self.sort_order,
        )  # fmt: skip


class HeadOffice(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    public_key: str


class ChainState(msgspec.Struct, frozen=True, kw_only=True):
    """Head office's end of a facility's chain of bundles, so a replacement PC continues it."""

    last_sequence: int = 0
    last_digest: str = ""


class EnrolRequest(msgspec.Struct, frozen=True, kw_only=True):
    facility_code: str
    provision_digest: str
    hq_fingerprint: str


@dataclass(frozen=True)
class SetupResult:
    facility_code: str
    facility_name: str
    hq_name: str
    hq_short: str  # head office key, to compare on the phone before trusting it
    facility_short: str  # this PC's new key, to read to head office
    request_path: Path


@dataclass(frozen=True)
class EnrolResult:
    facility_code: str
    facility_name: str
    facility_short: str
    replaced: int  # earlier keys of the facility retired by this enrolment


def _manifest(kind: str, code: str, signer: str, key: SigningKey, *, public: bool, config_version: int) -> Manifest:
    return Manifest(
        format=FORMAT, format_version=FORMAT_VERSION, kind=kind, facility_code=code, signer=signer,
        key_fingerprint=key.public.fingerprint, public_key=key.public.hex if public else "",
        created_at=now_iso(), app_version=__version__, schema_version=SCHEMA_VERSION, config_version=config_version,
    )  # fmt: skip


class KeyReplaceRefused(ModeError):
    """``facility setup`` on a PC that already has its signing key, without ``replace_key``."""


def replace_key_explanation(code: str, name: str) -> str:
    """What replacing a facility PC's key means, in the clerk's words (the CLI's refusal and the window's question)."""
    return tr(
        "이 PC는 이미 {code} {name} 시설 PC로 설정되어 있고 서명 키가 있습니다. 다시 설정하면 이 PC의 서명 키를 "
        "새로 만듭니다. 본부가 새 키를 등록할 때까지 이 PC에서 보내는 파일은 본부가 받지 않으며, 새 키가 등록되면 "
        "지금 키는 폐기됩니다. 입력한 보고와 보낸 기록은 그대로 남고, 지금 키 파일은 keys 폴더에 남겨 둡니다."
    ).format(code=code, name=name)


def read_self_signed(data: bytes, kind: str) -> tuple[Container, PublicKey]:
    """A file that carries its signer's public key (provisioning, enrolment request): verify it with that key."""
    container = read_container(data)
    if container.manifest.kind != kind:
        raise BundleError(Reason.WRONG_KIND, f"이 파일은 {_kind_label(container.manifest.kind)}입니다.")
    key = PublicKey.from_hex(container.manifest.public_key)
    verify_signature(container, key)
    verify_members(container)
    return container, key


def _kind_label(kind: str) -> str:
    return {
        Kind.DATA: "시설 보고 파일",
        Kind.PROVISION: "본부 설정 파일",
        Kind.ENROL: "등록 요청 파일",
        Kind.FEEDBACK: "본부 회신 파일",
        Kind.RECOVERY: "본부 복구 파일",
    }.get(kind, f"알 수 없는 종류({kind})")


def decode_member(container: Container, name: str, type_: type[T]) -> T:
    """A member decoded against its schema; a missing or malformed member is a refusal with its reason."""
    try:
        return msgspec.json.decode(container.members[name], type=type_)
    except KeyError as exc:
        raise BundleError(Reason.MISSING_MEMBER, f"필수 항목 {name}이(가) 없습니다.") from exc
    except msgspec.DecodeError as exc:  # ValidationError is a DecodeError
        raise BundleError(Reason.SCHEMA, f"{name}의 내용이 형식에 맞지 않습니다.", detail=str(exc)) from exc


def read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise JbdeskError(f"파일을 읽을 수 없습니다: {path.name}", detail=str(exc)) from exc


class TrustService:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    # key files ---------------------------------------------------------------------------
    def _key_path(self, name: str) -> Path:
        return self.ws.paths.keys / name

    def hq_key(self, passphrase: str | None = None) -> SigningKey:
        return SigningKey.load(self._key_path(HQ_KEY), passphrase)

    def facility_key(self, passphrase: str | None = None) -> SigningKey:
        return SigningKey.load(self._key_path(FACILITY_KEY), passphrase)

    def hq_identity(self) -> HeadOffice | None:
        """Head office's name and public key: its own at head office, the provisioned one at a facility."""
        with self.ws.db.reading() as s:
            name, key = get_setting(s, "hq_name"), get_setting(s, "hq_public_key")
        return HeadOffice(name=name, public_key=key) if name and key else None

    # head office -------------------------------------------------------------------------
    def hq_init(self, name: str, passphrase: str | None = None) -> str:
        """Create head office's signing key once; returns its short fingerprint."""
        from jbdesk.services.workspace import Mode

        if not name.strip():
            raise JbdeskError("본부 이름을 입력하세요.")
        if self.hq_identity() is not None:
            raise ModeError("이미 본부로 초기화된 데이터 폴더입니다.")
        info = self.ws.info()
        if info.mode is Mode.FACILITY:
            raise ModeError("시설 PC로 설정된 데이터 폴더입니다. 본부용 새 데이터 폴더를 사용하세요.")
        key = SigningKey.generate()
        key.save(self._key_path(HQ_KEY), passphrase)
        if info.mode is None:
            self.ws.set_head_office()
        with self.ws.db.transaction() as s:
            set_setting(s, "hq_name", name.strip())
            set_setting(s, "hq_public_key", key.public.hex)
            audit.record(s, "hq_init", name.strip(), {"key": key.public.short})
        return key.public.short

    def provision(self, code: str, out: Path, passphrase: str | None = None) -> Path:
        """Write the signed provisioning file for one facility (record, head office key, configuration)."""
        from jbdesk.services.workspace import Mode

        self.ws.require_mode(Mode.HQ)
        identity = self.hq_identity()
        if identity is None:
            raise ModeError("먼저 본부 초기화(jbdesk hq init)를 하세요.")
        facility = self.ws.registry.get(code)
        key = self.hq_key(passphrase)
        reference = self.ws.reference
        members = {
            "hq.json": msgspec.json.encode(identity),
            "facility.json": msgspec.json.encode(FacilityRecord.of(facility)),
            "configs.json": msgspec.json.encode(self.ws.config.bundle()),
            "state.json": msgspec.json.encode(self.chain_state(facility.code)),
        }
        manifest = _manifest(Kind.PROVISION, facility.code, "hq", key, public=True, config_version=reference.version)
        if out.is_dir():
            out = out / f"jbdesk-provision-{facility.code}.jbp"
        container = write_container(out, manifest, members, key)
        with self.ws.db.transaction() as s:
            # Issued twice within one second, the file is byte-identical (created_at has seconds resolution), so
            # its digest is already recorded: inserting it again broke provision.digest's UNIQUE constraint and
            # escaped as a raw IntegrityError.
            if store.provision_facility(s, container.digest) is None:
                store.add_provision(s, facility.code, container.digest, clock.now(), reference.version)
            audit.record(s, "provision", facility.code, {"file": out.name, "digest": container.digest})
        audit_anchor.make(self.ws, "provision", key)
        return out

    def chain_state(self, code: str) -> ChainState:
        """The end of the facility's chain of bundles as head office holds it (rolled-back bundles left out)."""
        with self.ws.db.reading() as s:
            bundles = [b for b in store.bundles_of(s, code) if b.outcome != "rolled_back"]
        if not bundles:
            return ChainState()
        last = max(bundles, key=lambda b: (b.sequence, b.imported_at))
        return ChainState(last_sequence=last.sequence, last_digest=last.digest)

    def enroll(self, request_path: Path) -> EnrolResult:
        """Accept a facility's key after its fingerprint was compared on the phone."""
        from jbdesk.services.workspace import Mode

        self.ws.require_mode(Mode.HQ)
        identity = self.hq_identity()
        if identity is None:
            raise ModeError("먼저 본부 초기화(jbdesk hq init)를 하세요.")
        container, key = read_self_signed(read_file(request_path), Kind.ENROL)
        request = decode_member(container, "request.json", EnrolRequest)
        assert isinstance(request, EnrolRequest)
        code = container.manifest.facility_code
        if request.facility_code != code:
            raise BundleError(Reason.MALFORMED, "요청 파일의 시설 코드가 서로 다릅니다.")
        if request.hq_fingerprint != PublicKey.from_hex(identity.public_key).fingerprint:
            raise BundleError(Reason.FOREIGN, "다른 본부의 설정 파일로 만든 등록 요청입니다.")
        with self.ws.db.transaction() as s:
            if registry_store.get_facility(s, code) is None:
                raise BundleError(Reason.UNKNOWN_FACILITY, f"등록부에 없는 시설입니다: {code}")
            if store.provision_facility(s, request.provision_digest) != code:
                raise BundleError(Reason.FOREIGN, "이 본부가 이 시설에 발급한 설정 파일로 만든 요청이 아닙니다.")
            if store.key_by_fingerprint(s, key.fingerprint) is not None:
                raise JbdeskError("이미 등록된 키입니다.")
            now = clock.now()
            replaced = store.revoke_keys(s, code, now, "새 키 등록으로 대체")
            store.add_key(s, code, key.hex, key.fingerprint, now)
            audit.record(s, "enroll", code, {"key": key.short, "replaced": replaced})
            name = registry_store.get_facility(s, code).name  # type: ignore[union-attr]
        return EnrolResult(code, name, key.short, replaced)

    def revoke(self, code: str, reason: str = "본부가 폐기") -> int:
        from jbdesk.services.workspace import Mode

        self.ws.require_mode(Mode.HQ)
        facility = self.ws.registry.get(code)
        with self.ws.db.transaction() as s:
            count = store.revoke_keys(s, facility.code, clock.now(), reason)
            audit.record(s, "revoke", facility.code, {"reason": reason, "keys": count})
        if not count:
            raise NotFoundError(f"{facility.code}에 등록된 사용 중인 키가 없습니다.")
        return count

    def keys(self, code: str) -> list[store.EnrolledKey]:
        with self.ws.db.reading() as s:
            return store.keys_of(s, code.strip().upper())

    # facility ----------------------------------------------------------------------------
    def setup_facility(
        self, provision_path: Path, request_out: Path, passphrase: str | None = None, *, replace_key: bool = False
    ) -> SetupResult:
        """Take head office's provisioning file, create this PC's key and write the enrolment request.

        On a PC that already has its signing key this replaces the key, so it is refused unless ``replace_key``
        (``--replace-key``; the window asks first): a provisioning file run a second time by mistake used to
        replace a working key silently, and the PC's files were refused until head office enrolled the new one.
        """
        from jbdesk.services.workspace import Mode

        container, hq_key = read_self_signed(read_file(provision_path), Kind.PROVISION)
        hq = decode_member(container, "hq.json", HeadOffice)
        record = decode_member(container, "facility.json", FacilityRecord)
        configs = decode_member(container, "configs.json", list[ConfigVersion])
        state = decode_member(container, "state.json", ChainState)
        if not configs:
            raise BundleError(Reason.SCHEMA, "설정 파일에 설정 내용(configs.json)이 없습니다.")
        if hq.public_key != hq_key.hex or record.code != container.manifest.facility_code:
            raise BundleError(Reason.MALFORMED, "설정 파일의 내용이 서로 맞지 않습니다.")
        info = self.ws.info()
        known_hq = self.hq_identity()
        if info.mode is Mode.HQ:
            raise ModeError("본부 PC에서는 시설 설정을 할 수 없습니다. 시설 PC의 새 데이터 폴더를 사용하세요.")
        if info.mode is Mode.FACILITY and info.facility_code != record.code:
            raise ModeError(f"이 PC는 이미 {info.facility_code} 시설용입니다.")
        if known_hq is not None and known_hq.public_key != hq.public_key:
            raise BundleError(Reason.FOREIGN, "이 PC를 설정한 본부와 다른 본부의 설정 파일입니다.")
        if self.has_facility_key() and not replace_key:
            raise KeyReplaceRefused(
                replace_key_explanation(info.facility_code or record.code, info.facility_name or record.name)
                + " "
                + tr("키를 바꾸려면 --replace-key를 붙여 다시 실행하세요. 키만 새로 만들려면: jbdesk facility reenroll")
            )
        try:
            facility = record.to_domain()
        except (ValueError, KeyError, TypeError) as exc:
            # An unknown feature or lifecycle status (a newer head office), an event without its date, a bad date:
            # these passed the msgspec schema but used to escape as a raw ValueError/KeyError (a traceback in the
            # CLI) instead of a refusal with a reason.
            raise BundleError(
                Reason.SCHEMA, "facility.json의 내용이 형식에 맞지 않습니다.", detail=f"{type(exc).__name__}: {exc}"
            ) from exc
        with self.ws.db.transaction() as s:
            registry_store.save_facility(s, facility)
            registry_store.delete_facilities_except(s, facility.code)
            set_setting(s, "mode", Mode.FACILITY.value)
            set_setting(s, "facility_code", facility.code)
            set_setting(s, "hq_name", hq.name)
            set_setting(s, "hq_public_key", hq.public_key)
            set_setting(s, "provision_digest", container.digest)
            audit.record(s, "setup", facility.code, {"hq": hq.name, "provision": container.digest})
            self.ws.config.receive(s, configs)
            # A replacement PC continues the facility's chain of bundles where head office's copy of it ends.
            if state.last_sequence > int(get_setting(s, "bundle_sequence", "0") or 0):
                set_setting(s, "bundle_sequence", str(state.last_sequence))
                set_setting(s, "last_bundle_digest", state.last_digest)
        self.ws.reload_reference()
        request_path = self._write_request(facility, hq, container.digest, request_out, passphrase)
        key = self.facility_key(passphrase)
        return SetupResult(facility.code, facility.name, hq.name, hq_key.short, key.public.short, request_path)

    def reenroll(self, request_out: Path, passphrase: str | None = None) -> SetupResult:
        """A new key for this facility PC (the old one was lost or exposed); head office enrols it again."""
        from jbdesk.services.workspace import Mode

        info = self.ws.require_mode(Mode.FACILITY)
        hq = self.hq_identity()
        with self.ws.db.reading() as s:
            digest = get_setting(s, "provision_digest")
        if hq is None or not digest or info.facility_code is None:
            raise ModeError("본부 설정 파일로 설정한 시설 PC에서만 키를 다시 만들 수 있습니다.")
        facility = self.ws.registry.get(info.facility_code)
        path = self._write_request(facility, hq, digest, request_out, passphrase)
        return SetupResult(
            facility.code, facility.name, hq.name, short_of_hex(hq.public_key),
            self.facility_key(passphrase).public.short, path,
        )  # fmt: skip

    def _write_request(
        self, facility: Facility, hq: HeadOffice, provision_digest: str, out: Path, passphrase: str | None
    ) -> Path:
        key = SigningKey.generate()
        request = EnrolRequest(
            facility_code=facility.code,
            provision_digest=provision_digest,
            hq_fingerprint=PublicKey.from_hex(hq.public_key).fingerprint,
        )
        manifest = _manifest(
            Kind.ENROL, facility.code, "facility", key, public=True, config_version=self.ws.reference.version
        )
        if out.is_dir():
            out = out / f"jbdesk-enrol-{facility.code}.jbe"
        write_container(out, manifest, {"request.json": msgspec.json.encode(request)}, key)
        path = self._key_path(FACILITY_KEY)
        if path.exists():
            # The replaced key is kept aside, not deleted: it stays enrolled at head office until the new one is, and
            # a key replaced by mistake can be put back.
            aside = path.with_name(f"{path.name}.replaced-{clock.now():%Y%m%d-%H%M%S}")
            n = 2
            while aside.exists():
                aside = aside.with_name(f"{path.name}.replaced-{clock.now():%Y%m%d-%H%M%S}-{n}")
                n += 1
            os.replace(path, aside)
        key.save(path, passphrase)  # only once the request is safely written
        return out

    def has_facility_key(self) -> bool:
        return self._key_path(FACILITY_KEY).exists()
