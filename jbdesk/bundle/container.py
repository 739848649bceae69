"""The signed container every jbdesk file uses: a zip with manifest.json, manifest.sig and listed members.

Reading is defensive and ordered (docs/bundle-format.md): size and member limits, names, manifest,
members against the manifest; the caller then checks the signature with the key it trusts for the
claimed signer (``verify_signature``) and only then the member digests (``verify_members``).
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import msgspec

from jbdesk import clock
from jbdesk.bundle.errors import BundleError, Reason
from jbdesk.bundle.keys import PublicKey, SigningKey, b64, unb64
from jbdesk.fileio import atomic_write

FORMAT = "jbdesk-bundle"
# What this jbdesk writes. 1: the first release. 2: data bundles name the head office they are meant for
# (``hq_fingerprint``), which head office checks before anything else about the signer (docs/bundle-format.md §10).
FORMAT_VERSION = 2
READABLE_VERSIONS = frozenset({1, 2})  # what it reads; a newer one is refused with its number named
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$")
# Counters and sizes in a manifest. Bounded so that a crafted value cannot overflow the head office's SQLite
# INTEGER columns: before this bound a signed manifest with sequence 2**63 crashed the merge with OverflowError
# instead of being refused. 2**31 - 1 is far beyond any real sequence, revision, version or member size.
Count = Annotated[int, msgspec.Meta(ge=0, le=2**31 - 1)]


class Kind:
    DATA = "data"  # facility -> head office: form instances
    PROVISION = "provision"  # head office -> facility: facility record, head office key, configuration
    ENROL = "enrol"  # facility -> head office: the facility's public key
    FEEDBACK = "feedback"  # head office -> facility: accepted / returned instances, new configuration
    RECOVERY = "recovery"  # head office -> a facility's new PC: every revision held, returns, configuration


class MemberEntry(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    sha256: str
    size: Count


class InstanceEntry(msgspec.Struct, frozen=True, kw_only=True):
    form: str
    period: str
    revision: Count
    status: str
    config_version: Count
    member: str
    sha256: str
    note: str = ""


class Manifest(msgspec.Struct, frozen=True, kw_only=True):
    format: str
    format_version: int
    kind: str
    facility_code: str
    signer: str  # "facility" or "hq"
    key_fingerprint: str  # hex SHA-256 of the signer's raw public key
    public_key: str = ""  # hex; only in self-introducing files (provision, enrol)
    # Data bundles from format 2: hex SHA-256 of the public key of the head office that provisioned the facility,
    # i.e. the head office the bundle is meant for. "" in format 1 and in the other kinds.
    hq_fingerprint: str = ""
    sequence: Count = 0  # data bundles: 1, 2, 3 ... per facility
    prev_digest: str = ""  # data bundles: digest of the facility's previous bundle
    created_at: str
    app_version: str
    schema_version: Count
    config_version: Count = 0
    instances: list[InstanceEntry] = []
    members: list[MemberEntry] = []


@dataclass(frozen=True)
class Limits:
    """Bounds for reading an untrusted file. A facility-month bundle is a few kilobytes."""

    max_file: int = 32 * 1024 * 1024
    max_members: int = 2_000
    max_member: int = 16 * 1024 * 1024
    max_total: int = 64 * 1024 * 1024
    max_ratio: int = 100  # uncompressed / compressed, for members above 64 KiB
    max_manifest: int = 4 * 1024 * 1024


@dataclass(frozen=True)
class Container:
    manifest_bytes: bytes
    manifest: Manifest
    signature: bytes
    members: dict[str, bytes] = field(default_factory=dict)

    @property
    def digest(self) -> str:
        """The file's identity: SHA-256 of the exact signed manifest bytes."""
        return hashlib.sha256(self.manifest_bytes).hexdigest()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# reading --------------------------------------------------------------------------------------------
def _check_names(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(infos) > limits.max_members:
        raise BundleError(Reason.TOO_MANY_MEMBERS, f"파일 안의 항목이 너무 많습니다 ({len(infos)}개).")
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        if name.startswith(("/", "\\")) or ".." in name.split("/") or "\\" in name or ":" in name:
            raise BundleError(Reason.BAD_NAME, "허용되지 않는 경로가 들어 있습니다 (경로 조작 의심).", detail=name)
        if not _NAME.match(name):
            raise BundleError(Reason.BAD_NAME, "허용되지 않는 항목 이름이 들어 있습니다.", detail=name)
        if name in seen:
            raise BundleError(Reason.DUPLICATE_MEMBER, "같은 이름의 항목이 두 번 들어 있습니다.", detail=name)
        seen.add(name)
        if info.flag_bits & 0x1:
            raise BundleError(Reason.MALFORMED, "암호화된 항목은 받을 수 없습니다.", detail=name)
        if info.file_size > limits.max_member:
            raise BundleError(Reason.OVERSIZED_MEMBER, "파일 안의 항목 하나가 너무 큽니다.", detail=name)
        if info.file_size > 64 * 1024 and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise BundleError(Reason.BOMB, "압축 비율이 비정상입니다 (압축 폭탄 의심).", detail=name)
        total += info.file_size
        if total > limits.max_total:
            raise BundleError(Reason.BOMB, "압축을 풀면 너무 커지는 파일입니다 (압축 폭탄 의심).")


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    with zf.open(info) as fh:
        data = fh.read(info.file_size + 1)  # never trust the header: read at most one byte more
    if len(data) != info.file_size:
        raise BundleError(Reason.BOMB, "항목의 실제 크기가 기록된 크기와 다릅니다.", detail=info.filename)
    return data


def read_container(data: bytes, limits: Limits | None = None) -> Container:
    """Parse an untrusted file. Any problem raises ``BundleError``; nothing else escapes."""
    limits = limits or Limits()
    if len(data) > limits.max_file:
        raise BundleError(Reason.TOO_LARGE, f"파일이 너무 큽니다 ({len(data):,} 바이트).")
    try:
        return _read(data, limits)
    except BundleError:
        raise
    except Exception as exc:  # zipfile raises many types on broken input; all mean "not a readable file"
        raise BundleError(
            Reason.NOT_ZIP, "jbdesk 파일이 아니거나 파일이 손상·절단되었습니다.", detail=f"{type(exc).__name__}: {exc}"
        ) from exc


def _read(data: bytes, limits: Limits) -> Container:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise BundleError(
            Reason.NOT_ZIP, "jbdesk 파일이 아니거나 파일이 손상·절단되었습니다.", detail=str(exc)
        ) from exc
    with zf:
        infos = zf.infolist()
        _check_names(infos, limits)
        by_name = {i.filename: i for i in infos}
        for required in (MANIFEST, SIGNATURE):
            if required not in by_name:
                raise BundleError(Reason.MISSING_MEMBER, f"필수 항목 {required}이(가) 없습니다.")
        if by_name[MANIFEST].file_size > limits.max_manifest:
            raise BundleError(Reason.OVERSIZED_MEMBER, "목록(manifest)이 비정상적으로 큽니다.")
        manifest_bytes = _read_member(zf, by_name[MANIFEST])
        manifest = parse_manifest(manifest_bytes)
        signature = unb64(_read_member(zf, by_name[SIGNATURE]).decode("ascii", errors="replace").strip())
        listed = {m.name: m for m in manifest.members}
        for name in listed:
            if name not in by_name or name in (MANIFEST, SIGNATURE):
                raise BundleError(Reason.MISSING_MEMBER, "목록에 있는 항목이 파일에 없습니다.", detail=name)
        members: dict[str, bytes] = {}
        for name, info in by_name.items():
            if name in (MANIFEST, SIGNATURE):
                continue
            if name not in listed:
                raise BundleError(Reason.EXTRA_MEMBER, "목록에 없는 항목이 들어 있습니다.", detail=name)
            members[name] = _read_member(zf, info)
    return Container(manifest_bytes, manifest, signature, members)


def parse_manifest(manifest_bytes: bytes) -> Manifest:
    try:
        head = msgspec.json.decode(manifest_bytes)
    except (msgspec.DecodeError, RecursionError) as exc:
        # RecursionError: msgspec's answer to JSON nested thousands deep ("[[[[..."); without this it surfaced as
        # NOT_ZIP ("not a jbdesk file or damaged"), which sends the user looking for a broken USB stick.
        raise BundleError(Reason.MALFORMED, "목록(manifest)이 올바른 JSON이 아닙니다.", detail=str(exc)) from exc
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        raise BundleError(Reason.WRONG_KIND, "jbdesk 파일이 아닙니다 (형식 표시 없음).")
    version = head.get("format_version")
    if isinstance(version, int) and version not in READABLE_VERSIONS and version > max(READABLE_VERSIONS):
        raise BundleError(
            Reason.FORMAT_TOO_NEW,
            f"더 새로운 jbdesk가 만든 파일입니다 (파일 형식 버전 {version}, 이 프로그램은 "
            f"{max(READABLE_VERSIONS)}까지 읽습니다). jbdesk를 업데이트하세요.",
        )
    try:
        manifest = msgspec.convert(head, type=Manifest)
    except msgspec.ValidationError as exc:
        raise BundleError(Reason.MALFORMED, "목록(manifest)의 내용이 형식에 맞지 않습니다.", detail=str(exc)) from exc
    if manifest.format_version not in READABLE_VERSIONS:
        raise BundleError(Reason.MALFORMED, f"알 수 없는 파일 형식 버전입니다: {manifest.format_version}")
    return manifest


def verify_signature(container: Container, key: PublicKey) -> None:
    if key.fingerprint != container.manifest.key_fingerprint:
        raise BundleError(Reason.BAD_SIGNATURE, "서명한 키가 등록된 키와 다릅니다.")
    if not key.verify(container.signature, container.manifest_bytes):
        raise BundleError(Reason.BAD_SIGNATURE, "서명이 맞지 않습니다. 파일이 바뀌었거나 위조되었습니다.")


def verify_members(container: Container) -> None:
    """Every member's bytes match the digest and size the signed manifest names."""
    for entry in container.manifest.members:
        data = container.members[entry.name]
        if len(data) != entry.size or sha256(data) != entry.sha256:
            raise BundleError(Reason.TAMPERED, "파일 안의 자료가 서명 후에 바뀌었습니다.", detail=entry.name)


# writing --------------------------------------------------------------------------------------------
def build_manifest(manifest: Manifest, members: dict[str, bytes]) -> bytes:
    entries = [MemberEntry(name=n, sha256=sha256(d), size=len(d)) for n, d in sorted(members.items())]
    return msgspec.json.encode(msgspec.structs.replace(manifest, members=entries))


def now_iso() -> str:
    return clock.now_iso()


def write_container(path: Path, manifest: Manifest, members: dict[str, bytes], key: SigningKey) -> Container:
    """Sign and write atomically (temp file in the same folder, fsync, replace). Returns what was written."""
    for name in members:
        if not _NAME.match(name) or name in (MANIFEST, SIGNATURE):
            raise ValueError(f"bad member name {name!r}")
    manifest_bytes = build_manifest(manifest, members)
    signature = key.sign(manifest_bytes)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(MANIFEST, manifest_bytes)
        zf.writestr(SIGNATURE, b64(signature) + "\n")
        for name, data in sorted(members.items()):
            zf.writestr(name, data)
    atomic_write(path, buf.getvalue())
    return Container(manifest_bytes, msgspec.json.decode(manifest_bytes, type=Manifest), signature, dict(members))
