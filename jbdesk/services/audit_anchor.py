"""Anchors of the audit log: its head signed with this PC's key, and the check of the log against them.

The hash chain alone reveals an edited entry only to someone who does not recompute the hashes after it, and it
cannot reveal the newest entries deleted. So at every import batch, feedback file, provisioning or recovery file,
export and backup the head (newest entry's id and hash, the number of entries) is signed with this PC's key (head
office's at head office, the facility's on a facility PC) and appended to the log as an ``anchor`` entry; the newest
anchor is also written to ``audit-anchor.json`` beside the database. ``check`` then finds:

* an entry edited and every hash after it recomputed: an anchor made after it signed another hash;
* entries deleted from the middle with the chain recomputed: an anchor signed another count;
* the newest entries deleted (with or without the anchors among them): the file names an anchor the log no
  longer has;
* an anchor forged or edited: its signature does not verify with this PC's key.

What it cannot find: changes after the newest anchor (they are reported as not yet signed), or a log and file both
rolled back to an earlier copy of themselves by someone who kept one. A key without a passphrase is on the same
PC as the log; a passphrase (``--passphrase``) makes the anchors unforgeable there, at the price of anchoring only
when the key is opened (feedback, provisioning, export) rather than at every import batch and backup.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import msgspec

from jbdesk import clock
from jbdesk.bundle.errors import BundleError
from jbdesk.bundle.keys import PassphraseRequired, PublicKey, SigningKey, b64, unb64
from jbdesk.errors import JbdeskError
from jbdesk.fileio import PRIVATE_FILE, atomic_write
from jbdesk.i18n import tr
from jbdesk.paths import DataPaths
from jbdesk.services import audit
from jbdesk.store import audit as store
from jbdesk.store.settings import get_setting, set_setting

if TYPE_CHECKING:
    from jbdesk.services.workspace import Workspace

log = logging.getLogger(__name__)

ANCHOR = "anchor"
FILE_FORMAT = "jbdesk-audit-anchor"
_CONTEXT = b"jbdesk-audit-anchor/1"
_OWN_KEYS = "audit_anchor_keys"  # setting: JSON list of the public keys this PC has anchored with


class Claim(msgspec.Struct, frozen=True, kw_only=True):
    """What an anchor signs: the log's head when it was made."""

    upto: int  # id of the newest entry
    head: str  # its hash
    count: int  # entries up to and including it
    reason: str  # import, feedback, provision, recovery, export, backup
    key: str  # the signer's public key, hex
    sig: str = ""  # Ed25519 over ``message()``, base64
    recreated: bool = False  # the anchor file was missing when this anchor was made

    def message(self) -> bytes:
        return b"\n".join(
            [_CONTEXT, str(self.upto).encode(), self.head.encode(), str(self.count).encode(), self.reason.encode(),
             self.key.encode()]
        )  # fmt: skip

    def verified_by(self, trusted: set[str]) -> bool:
        if self.key not in trusted:
            return False
        try:
            return PublicKey.from_hex(self.key).verify(unb64(self.sig), self.message())
        except BundleError:  # not hex, not base64
            return False


class AnchorFile(msgspec.Struct, frozen=True, kw_only=True):
    """``audit-anchor.json``: the newest anchor entry (its id and own hash) and its claim."""

    format: str
    entry: int
    entry_hash: str
    claim: Claim
    at: str


@dataclass(frozen=True)
class AuditCheck:
    ok: bool
    entries: int
    first_broken: int | None  # first entry whose own hash or link does not match (an edit not recomputed)
    problem: str = ""  # Korean: what is wrong, when not ok
    anchors: int = 0
    last_anchor_at: datetime | None = None
    unsigned: int = 0  # entries after the newest anchor
    notes: tuple[str, ...] = ()

    @property
    def message(self) -> str:
        if not self.ok:
            return self.problem
        text = tr("감사 기록 {n}건: 변조 흔적이 없습니다.").format(n=f"{self.entries:,}")
        if self.last_anchor_at is not None:
            text += " " + tr("마지막 서명 {at}").format(at=f"{self.last_anchor_at:%Y-%m-%d %H:%M}")
            if self.unsigned:
                text += " " + tr("(그 뒤 {n}건은 아직 서명 전)").format(n=f"{self.unsigned:,}")
        elif self.entries:
            text += " " + tr("(아직 이 PC의 서명 키로 서명한 적이 없습니다)")
        return " ".join([text, *self.notes])


# making anchors ----------------------------------------------------------------------------------------------------
def own_key(ws: Workspace, passphrase: str | None = None) -> SigningKey | None:
    """This PC's signing key if it opens without asking (no passphrase, or the one given); else None."""
    from jbdesk.services.mode import Mode

    info = ws.info()
    key: SigningKey | None = None
    try:
        if info.mode is Mode.HQ:
            key = ws.trust.hq_key(passphrase)
        elif info.mode is Mode.FACILITY and ws.trust.has_facility_key():
            key = ws.trust.facility_key(passphrase)
    except PassphraseRequired:
        log.info("audit anchor skipped: the signing key needs its passphrase")
    except JbdeskError as exc:
        log.warning("audit anchor skipped: %s", exc.message)
    return key


def make(ws: Workspace, reason: str, key: SigningKey | None = None, passphrase: str | None = None) -> int | None:
    """Sign the log's head now (nothing if nothing was recorded since the last anchor, or no key opens without
    asking); returns the anchor entry's id. Never fails the work it follows: a problem is logged."""
    try:
        return _make(ws, reason, key or own_key(ws, passphrase))
    except JbdeskError as exc:
        log.warning("audit anchor not made (%s): %s", reason, exc)
        return None


def _make(ws: Workspace, reason: str, key: SigningKey | None) -> int | None:
    if key is None:
        return None
    found = read_file(ws.paths)
    with ws.db.transaction() as s:
        head = store.head(s)
        if head is None or head.action == ANCHOR:
            return None
        if isinstance(found, AnchorFile):
            entry = store.get(s, found.entry)
            if entry is None or entry.hash != found.entry_hash or entry.action != ANCHOR:
                # The log no longer holds the newest anchor as it was: a new anchor would sign the changed log and
                # overwrite the evidence. ``jbdesk audit verify`` names the problem.
                log.error("audit anchor refused: the log does not match %s", ws.paths.audit_anchor.name)
                return None
        elif found is not None:
            log.error("audit anchor refused: %s is damaged", ws.paths.audit_anchor.name)
            return None
        recreated = found is None and store.has_action(s, ANCHOR)
        claim = Claim(upto=head.id, head=head.hash, count=head.count, reason=reason, key=key.public.hex,
                      recreated=recreated)  # fmt: skip
        claim = msgspec.structs.replace(claim, sig=b64(key.sign(claim.message())))
        audit.record(s, ANCHOR, _reason_label(reason), msgspec.to_builtins(claim))
        made = store.head(s)
        assert made is not None
        keys = _keys_in(get_setting(s, _OWN_KEYS))
        if key.public.hex not in keys:
            set_setting(s, _OWN_KEYS, json.dumps(sorted({*keys, key.public.hex})))
    _write_file(ws.paths, AnchorFile(format=FILE_FORMAT, entry=made.id, entry_hash=made.hash, claim=claim,
                                     at=clock.now_iso()))  # fmt: skip
    return made.id


def _reason_label(reason: str) -> str:
    """The anchor entry's subject, as the audit page shows it."""
    labels = {
        "import": tr("가져오기 후"), "feedback": tr("회신 후"), "provision": tr("설정 파일 발급 후"),
        "recovery": tr("복구 파일 후"), "export": tr("보내기 후"), "backup": tr("백업 전"),
    }  # fmt: skip
    return labels.get(reason, reason)


def _write_file(paths: DataPaths, anchor: AnchorFile) -> None:
    current = read_file(paths)
    if isinstance(current, AnchorFile) and current.entry > anchor.entry:
        return  # another process anchored later meanwhile
    try:
        atomic_write(paths.audit_anchor, msgspec.json.encode(anchor), mode=PRIVATE_FILE)
    except JbdeskError as exc:  # the anchor is in the log; the file follows at the next one
        log.warning("audit anchor file not written: %s", exc)


class _Damaged:
    pass


DAMAGED = _Damaged()


def read_file(paths: DataPaths) -> AnchorFile | _Damaged | None:
    try:
        data = paths.audit_anchor.read_bytes()
    except FileNotFoundError:
        return None
    except OSError:
        return DAMAGED
    if len(data) > 64 * 1024:
        return DAMAGED
    try:
        found = msgspec.json.decode(data, type=AnchorFile)
    except (msgspec.DecodeError, RecursionError):
        return DAMAGED
    return found if found.format == FILE_FORMAT else DAMAGED


def after_restore(paths: DataPaths, backup: os.PathLike[str] | str) -> None:
    """The database was replaced by a backup: the anchor file follows it (the replaced one is kept aside), so the
    restored log is checked against its own newest anchor, not against the log it replaced."""
    current = paths.audit_anchor
    if current.exists():
        with contextlib.suppress(OSError):
            os.replace(current, current.with_name(f"{current.name}.replaced-{clock.now():%Y%m%d-%H%M%S}"))
    entry = store.latest_anchor_in_file(paths.database, ANCHOR)
    claim = _claim(entry.detail) if entry is not None else None
    if entry is None or claim is None:
        return
    anchor = AnchorFile(format=FILE_FORMAT, entry=entry.id, entry_hash=entry.hash, claim=claim, at=clock.now_iso())
    _write_file(paths, anchor)
    log.info("audit anchor file reset to entry %s after restoring %s", entry.id, backup)


# checking ------------------------------------------------------------------------------------------------------------
def _claim(detail: str) -> Claim | None:
    try:
        return msgspec.json.decode(detail.encode("utf-8"), type=Claim)
    except (msgspec.DecodeError, RecursionError):
        return None


def _keys_in(setting: str | None) -> set[str]:
    try:
        value = json.loads(setting or "[]")
    except ValueError:
        return set()
    return {k for k in value if isinstance(k, str)} if isinstance(value, list) else set()


def check(ws: Workspace) -> AuditCheck:
    """The whole log against its hash chain, its anchors and the anchor file."""
    with ws.db.reading() as s:
        chain = store.read_chain(s, ANCHOR)
        # this PC's own keys; head office's is also the one every facility holds
        trusted = _keys_in(get_setting(s, _OWN_KEYS))
        if get_setting(s, "mode") == "hq" and (hq := get_setting(s, "hq_public_key")):
            trusted.add(hq)
    total = len(chain.ids)
    if chain.first_broken is not None:
        broken = tr("감사 기록이 변경되었습니다: {n}번 기록부터 연결이 맞지 않습니다.").format(n=chain.first_broken)
        return AuditCheck(False, total, chain.first_broken, broken, len(chain.anchors))
    position = {entry_id: i for i, entry_id in enumerate(chain.ids)}
    problem, notes = _check_anchors(chain, position, trusted)
    if problem is None:
        problem = _check_file(ws.paths, chain, position, trusted)
    if problem is not None:
        return AuditCheck(False, total, None, problem, len(chain.anchors))
    newest = chain.anchors[-1] if chain.anchors else None
    unsigned = total - position[newest.id] - 1 if newest is not None else 0
    return AuditCheck(
        True, total, None, anchors=len(chain.anchors), last_anchor_at=newest.at if newest else None,
        unsigned=unsigned, notes=tuple(notes),
    )  # fmt: skip


def _check_anchors(chain: store.Chain, position: dict[int, int], trusted: set[str]) -> tuple[str | None, list[str]]:
    """Every anchor's signature, and the log still as it signed it (hash and count): (problem, notes)."""
    checked_upto = 0
    notes: list[str] = []
    for anchor in chain.anchors:
        claim = _claim(anchor.detail)
        if claim is None or not claim.verified_by(trusted):
            return tr("{id}번 서명 기준점의 서명이 맞지 않습니다 (서명 뒤에 바뀐 기준점).").format(id=anchor.id), notes
        at = position.get(claim.upto)
        if at is None or chain.hashes[claim.upto] != claim.head or at + 1 != claim.count:
            problem = tr(
                "감사 기록 {first}~{last}번 가운데 서명 뒤에 바뀌거나 지워진 기록이 있습니다 "
                "({id}번 서명 기준점과 맞지 않습니다. 해시를 다시 계산한 흔적입니다)."
            ).format(first=checked_upto + 1, last=claim.upto, id=anchor.id)
            return problem, notes
        checked_upto = claim.upto
        if claim.recreated:
            notes.append(
                tr("서명 기준점 파일이 없어져 {at}에 다시 만들었습니다.").format(at=f"{anchor.at:%Y-%m-%d %H:%M}")
            )
    return None, notes


def _check_file(paths: DataPaths, chain: store.Chain, position: dict[int, int], trusted: set[str]) -> str | None:
    """The newest anchor as the file beside the database keeps it: the log still holds it, unchanged."""
    found = read_file(paths)
    last = chain.ids[-1] if chain.ids else 0
    name = paths.audit_anchor.name
    if isinstance(found, _Damaged):
        return tr("서명 기준점 파일({name})이 손상되었습니다.").format(name=name)
    if found is None:
        if not chain.anchors:
            return None
        return tr("서명 기준점 파일({name})이 없습니다. 감사 기록의 최근 부분이 지워졌을 수 있습니다.").format(
            name=name
        )
    if not found.claim.verified_by(trusted):
        return tr("서명 기준점 파일의 서명이 맞지 않습니다.")
    if found.entry not in position:
        if found.entry > last:
            return tr(
                "감사 기록의 최근 부분이 지워졌습니다: 마지막 서명 기준점은 {entry}번(그때 기록 {count}건)인데 "
                "지금 기록은 {last}번까지 {total}건입니다."
            ).format(entry=found.entry, count=f"{found.claim.count + 1:,}", last=last, total=f"{len(chain.ids):,}")
        return tr("서명 기준점 {entry}번이 감사 기록에서 지워졌습니다.").format(entry=found.entry)
    if chain.hashes[found.entry] != found.entry_hash:
        return tr("서명 기준점 {entry}번이 서명 뒤에 바뀌었습니다.").format(entry=found.entry)
    return None
