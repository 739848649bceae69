"""Helpers for the signed-bundle tests: a head office and its facilities through the real services, forms
filled with realistic values, and a crafting kit for hostile files (arbitrary zips and manifests, signed with
whatever key a test chooses).

Nothing here reaches into the services' internals: facilities are provisioned, set up and enrolled exactly
as the CLI does it, forms are filled through ``FormService`` and bundles come from ``ExportService``.
"""

from __future__ import annotations

import atexit
import functools
import io
import shutil
import sqlite3
import struct
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import msgspec

from jbdesk.bundle.container import MANIFEST, SIGNATURE, sha256
from jbdesk.bundle.keys import SigningKey, b64
from jbdesk.domain.forms import FormKind, FormRef
from jbdesk.domain.periods import Period
from jbdesk.paths import DataPaths
from jbdesk.services.export import ExportResult
from jbdesk.services.workspace import Workspace

HQ_NAME = "전북특별자치도사회서비스원"
TODAY = date(2026, 4, 5)  # early April: March's reports are due
MONTH = Period.parse("2026-03")
YEAR = Period.of_year(2026)
CODES = tuple(f"F{i:02d}" for i in range(1, 16))
FAMILIES = ("관리직", "사회복지직", "상담직", "돌봄직", "조리직", "기타")


def has_korean(text: str) -> bool:
    return any("가" <= ch <= "힣" for ch in text)


# workspaces -------------------------------------------------------------------------------------------
@functools.cache
def _template() -> Path:
    """A migrated, seeded, unconfigured data dir, copied for every new workspace (migrations cost ~0.2 s)."""
    root = Path(tempfile.mkdtemp(prefix="jbdesk-template-")) / "data"
    atexit.register(shutil.rmtree, root.parent, True)
    Workspace.open(DataPaths(root)).close()
    return root


def open_ws(root: Path, today: date = TODAY) -> Workspace:
    if not root.exists():
        shutil.copytree(_template(), root)
    ws = Workspace.open(DataPaths(root))
    ws.forms._today = today  # validation looks at "today" (windows, safety dates): keep the tests stable
    return ws


@dataclass
class Network:
    """One head office and the facility PCs it has set up, each in its own data dir under ``base``."""

    base: Path
    hq_name: str = HQ_NAME
    hq: Workspace = field(init=False)
    sites: dict[str, Workspace] = field(default_factory=dict)
    requests: dict[str, Path] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.files.mkdir(parents=True, exist_ok=True)
        self.hq = open_ws(self.base / "hq")
        self.hq.trust.hq_init(self.hq_name)

    @property
    def files(self) -> Path:
        """The 'USB stick': provisioning files and enrolment requests travel through here."""
        return self.base / "files"

    def provision(self, code: str) -> Path:
        return self.hq.trust.provision(code, self.files)

    def add(self, code: str, *, enrol: bool = True) -> Workspace:
        """Provision ``code``, set up a fresh facility PC with it and (by default) enrol its key."""
        ws = open_ws(self.base / code.lower())
        result = ws.trust.setup_facility(self.provision(code), self.files)
        self.requests[code] = result.request_path
        if enrol:
            self.hq.trust.enroll(result.request_path)
        self.sites[code] = ws
        return ws

    def site_root(self, code: str) -> Path:
        return self.base / code.lower()

    def backup(self, code: str, name: str = "backup") -> Path:
        """Copy a facility's data dir as a clerk would copy it to a stick (workspace closed meanwhile)."""
        ws = self.sites[code]
        ws.close()
        target = self.base / f"{code.lower()}-{name}"
        shutil.copytree(self.site_root(code), target)
        self.sites[code] = open_ws(self.site_root(code))
        return target

    def restore(self, code: str, copy: Path) -> Workspace:
        """Put a backup back in place of the facility's data dir (the 'restored an old backup' accident)."""
        self.sites[code].close()
        shutil.rmtree(self.site_root(code))
        shutil.copytree(copy, self.site_root(code))
        self.sites[code] = ws = open_ws(self.site_root(code))
        return ws

    def export(self, code: str, period: Period | None = None, out: Path | None = None) -> ExportResult:
        out = out or self.base / "usb" / code.lower()
        out.mkdir(parents=True, exist_ok=True)
        return self.sites[code].exports.export(out, period)

    def close(self) -> None:
        for ws in self.sites.values():
            ws.close()
        self.hq.close()

    def __enter__(self) -> Network:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def ref(code: str, form: FormKind, period: Period | str) -> FormRef:
    return FormRef(code, form, Period.parse(period) if isinstance(period, str) else period)


# realistic form values ----------------------------------------------------------------------------------
def staffing_rows(ws: Workspace, code: str) -> list[dict[str, Any]]:
    """Rows per job family summing to the facility's 정원/현원 in the registry, vacancies in 사회복지직 first."""
    facility = ws.registry.get(code)
    authorized = [0] * len(FAMILIES)
    authorized[0] = 1  # a 관리직 (시설장)
    for i in range(facility.headcount_authorized - 1):
        authorized[1 + i % 4] += 1  # 사회복지직, 상담직, 돌봄직, 조리직
    current = list(authorized)
    missing = facility.headcount_authorized - facility.headcount_current
    for i in [1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4, 1]:
        if missing <= 0:
            break
        if current[i] > 0:
            current[i] -= 1
            missing -= 1
    rows = []
    for i, family in enumerate(FAMILIES):
        on_leave = 1 if current[i] >= 3 else 0  # one 육아휴직 in the larger teams
        rows.append(
            {
                "job_family": family,
                "authorized": authorized[i],
                "current": current[i],
                "hires": 0,
                "leavers": 0,
                "on_leave": on_leave,
                "probation": 0,
                "substitute_days": 20 * on_leave,
                "side_job_reports": 1 if i == 0 else 0,
                "direct_employment": current[i] - (1 if family == "조리직" and current[i] else 0),
            }
        )
    return rows


def fill_staffing(
    ws: Workspace, code: str, period: Period | str = MONTH, rows: list[dict[str, Any]] | None = None, *, ready=True
) -> list[dict[str, Any]]:
    """Enter a month of staffing (every count of every row) and mark it 작성완료; returns what was entered."""
    r = ref(code, FormKind.STAFFING, period)
    rows = rows if rows is not None else staffing_rows(ws, code)
    view = ws.forms.open(r)
    assert len(view.data.rows) == len(rows)
    ws.forms.set_values(r, [(f"rows/{i}/{k}", v) for i, row in enumerate(rows) for k, v in row.items()])
    if ready:
        ws.forms.mark_ready(r)
    return rows


def _line_index(lines: Iterable[Any], side: str, mok: str) -> int:
    return next(i for i, ln in enumerate(lines) if ln.side == side and ln.mok == mok)


@dataclass(frozen=True)
class BudgetEntry:
    """What a test entered in a budget plan and a monthly check, keyed by the JSON paths it wrote."""

    plan: dict[str, int]
    check: dict[str, Any]


def fill_budget(ws: Workspace, code: str, month: Period = MONTH, *, ready_check: bool = True) -> BudgetEntry:
    """연간 예산 from the registry's 2026 budget (국비/도비, 백만원 → 원), balanced 세입 = 세출, then the month's
    집행 점검 spending exactly on plan (budget × month / 12) with every accounting check answered 적합."""
    facility = ws.registry.get(code)
    national, province = facility.budget_mkrw[1] * 1_000_000, facility.budget_mkrw[2] * 1_000_000
    utilities = province // 10
    plan_ref = ref(code, FormKind.BUDGET_PLAN, Period.of_year(month.year))
    lines = ws.forms.open(plan_ref).data.versions[0].lines
    i_nat, i_prov = _line_index(lines, "세입", "국고보조금"), _line_index(lines, "세입", "시·도보조금")
    i_pay, i_util = _line_index(lines, "세출", "급여"), _line_index(lines, "세출", "공공요금")
    p = "versions/0/lines"
    plan = {
        f"{p}/{i_nat}/national": national,
        f"{p}/{i_prov}/province": province,
        f"{p}/{i_pay}/national": national,
        f"{p}/{i_pay}/province": province - utilities,
        f"{p}/{i_util}/province": utilities,
    }
    ws.forms.set_values(plan_ref, list(plan.items()))
    ws.forms.mark_ready(plan_ref)

    keys = {i: lines[i].key for i in (i_nat, i_prov, i_pay, i_util)}
    budget = {keys[i_nat]: national, keys[i_prov]: province, keys[i_pay]: national + province - utilities}
    budget[keys[i_util]] = utilities
    check_ref = ref(code, FormKind.BUDGET, month)
    view = ws.forms.open(check_ref)
    check: dict[str, Any] = {}
    for i, line in enumerate(view.data.lines):
        if line.key in budget:
            check[f"lines/{i}/this_month"] = (budget[line.key] * month.index + 6) // 12
    kinds = {c.code: c.kind for c in ws.reference.accounting_checks}
    for i, answer in enumerate(view.data.checks):
        if kinds[answer.code] == "computed":
            continue
        check[f"checks/{i}/status"] = "적합"
        if kinds[answer.code] == "status+amounts":
            check[f"checks/{i}/bank_balance"] = check[f"checks/{i}/book_balance"] = 48_250_000
    ws.forms.set_values(check_ref, list(check.items()))
    if ready_check:
        ws.forms.mark_ready(check_ref)
    return BudgetEntry(plan, check)


# reading bundles and head-office state -------------------------------------------------------------------
def unpack(bundle: bytes) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The manifest (as JSON builtins) and every other member of a well-formed bundle."""
    with zipfile.ZipFile(io.BytesIO(bundle)) as zf:
        manifest = msgspec.json.decode(zf.read(MANIFEST))
        members = {n: zf.read(n) for n in zf.namelist() if n not in (MANIFEST, SIGNATURE)}
    return manifest, members


def entries(bundle: bytes) -> list[tuple[str, bytes]]:
    """Every zip entry in order, the manifest and signature included."""
    with zipfile.ZipFile(io.BytesIO(bundle)) as zf:
        return [(i.filename, zf.read(i)) for i in zf.infolist()]


def snapshot(ws: Workspace) -> dict[str, list[tuple[Any, ...]]]:
    """Every head-office table that a merge could touch, row by row (the import log is checked separately)."""
    tables = ("form_instance", "bundle", "facility_key", "provision", "facility", "change_log")
    conn = sqlite3.connect(f"file:{ws.paths.database}?mode=ro", uri=True)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables}
    finally:
        conn.close()


def current_payload(ws: Workspace, r: FormRef) -> Any:
    view = ws.forms.get(r)
    return None if view is None else msgspec.json.decode(view.record.payload)


# crafting hostile files -------------------------------------------------------------------------------
def zip_bytes(items: Iterable[tuple[str, bytes]], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip with exactly these entries, in order: duplicate and hostile names are written as given."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as zf:
        for name, data in items:
            info = zipfile.ZipInfo(name, date_time=(2026, 4, 5, 9, 0, 0))
            info.compress_type = compression
            zf.writestr(info, data)
    out = buf.getvalue()
    for name, _ in items:  # ZipInfo must not have rewritten a hostile name behind our back
        assert name.encode("utf-8") in out or name.encode("cp437", "replace") in out
    return out


def craft(
    manifest: dict[str, Any] | bytes,
    members: dict[str, bytes],
    key: SigningKey | None,
    *,
    list_members: bool = True,
    extra: Iterable[tuple[str, bytes]] = (),
    signature: bytes | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """A signed bundle built by hand.

    ``manifest`` as builtins gets its ``members`` list recomputed from ``members`` (unless ``list_members`` is
    False) and is encoded like jbdesk encodes it; raw bytes are used as they are. ``key`` signs those exact
    bytes unless ``signature`` is given. ``extra`` entries are appended to the zip without being listed.
    """
    if isinstance(manifest, dict):
        if list_members:
            manifest = dict(manifest)
            manifest["members"] = [{"name": n, "sha256": sha256(d), "size": len(d)} for n, d in sorted(members.items())]
        manifest_bytes = msgspec.json.encode(manifest)
    else:
        manifest_bytes = manifest
    if signature is None:
        signature = key.sign(manifest_bytes) if key is not None else b"\0" * 64
    items = [(MANIFEST, manifest_bytes), (SIGNATURE, (b64(signature) + "\n").encode("ascii"))]
    items += sorted(members.items())
    items += list(extra)
    return zip_bytes(items, compression)


def resign(
    bundle: bytes,
    key: SigningKey,
    *,
    manifest: Callable[[dict[str, Any]], dict[str, Any]] = lambda m: m,
    members: Callable[[dict[str, bytes]], dict[str, bytes]] = lambda ms: ms,
) -> bytes:
    """Take a real bundle apart, change its manifest and/or members, keep the instance digests consistent with
    the changed members, and sign the result with ``key`` (the facility's own key: only the content is bad)."""
    head, parts = unpack(bundle)
    parts = members(dict(parts))
    head = dict(head)
    head["instances"] = [
        {**e, "sha256": sha256(parts[e["member"]])} if e.get("member") in parts else e for e in head["instances"]
    ]
    return craft(manifest(head), parts, key)


def edit_payload(bundle: bytes, key: SigningKey, edit: Callable[[Any], Any], index: int = 0) -> bytes:
    """Re-sign ``bundle`` after ``edit`` changed the decoded payload of its ``index``-th instance."""
    head, _ = unpack(bundle)
    name = head["instances"][index]["member"]

    def change(parts: dict[str, bytes]) -> dict[str, bytes]:
        parts[name] = msgspec.json.encode(edit(msgspec.json.decode(parts[name])))
        return parts

    return resign(bundle, key, members=change)


def patch_central_size(data: bytes, name: str, *, file_size: int | None = None) -> bytes:
    """Rewrite the uncompressed size the central directory claims for ``name`` (a header that lies)."""
    out = bytearray(data)
    pos = 0
    encoded = name.encode("utf-8")
    while (pos := out.find(b"PK\x01\x02", pos)) != -1:
        name_len = struct.unpack_from("<H", out, pos + 28)[0]
        if bytes(out[pos + 46 : pos + 46 + name_len]) == encoded:
            if file_size is not None:
                struct.pack_into("<I", out, pos + 24, file_size)
            return bytes(out)
        pos += 4
    raise AssertionError(f"{name} not in central directory")


def rezip(bundle: bytes, change: dict[str, bytes | None] | None = None, add: Iterable[tuple[str, bytes]] = ()) -> bytes:
    """The same zip entries with some replaced (None drops one) and others appended; nothing is re-signed."""
    change = change or {}
    items = [(n, change.get(n, d)) for n, d in entries(bundle)]
    return zip_bytes([(n, d) for n, d in items if d is not None] + list(add))


def rezip_member(bundle: bytes, old: bytes, new: bytes) -> bytes:
    """Replace ``old`` by ``new`` in the first data member after signing (the manifest is left as signed)."""
    name = unpack(bundle)[0]["instances"][0]["member"]
    data = dict(entries(bundle))[name]
    assert old in data
    return rezip(bundle, {name: data.replace(old, new, 1)})
