"""Property tests of the reader and the import: whatever bytes arrive, the answer is a refusal with a reason
(``BundleError``) or an import result — never another exception, never a crash of the head office program.

Examples per property: ``JBDESK_FUZZ_EXAMPLES`` (default 300 to keep the suite quick); the three properties whose
every example is signed by the enrolled key and runs the full validation take a third of that. CI and release
checks run ``JBDESK_FUZZ_EXAMPLES=10000 .venv/bin/python -m pytest -q -p no:cacheprovider tests/test_bundle_fuzz.py``.
"""

from __future__ import annotations

import os
from typing import Any

import msgspec
import msgspec.inspect as mi
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jbdesk.bundle.container import MANIFEST, SIGNATURE, read_container
from jbdesk.bundle.errors import BundleError
from jbdesk.domain.forms import FormKind
from jbdesk.services.form_types import HANDLERS
from jbdesk.services.importer import ImportResult, Outcome
from tests.bundle_factory import Network, craft, entries, fill_budget, fill_staffing, sha256, unpack, zip_bytes

EXAMPLES = int(os.environ.get("JBDESK_FUZZ_EXAMPLES", "300"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    # the module-wide head office is shared on purpose (examples only add import-log rows); building and
    # importing a bundle per example is slow by hypothesis' standards
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
DEEP = settings(FUZZ, max_examples=max(EXAMPLES // 3, 1))
PERIODS = {
    FormKind.STAFFING: "2026-04",
    FormKind.BUDGET: "2026-04",
    FormKind.BUDGET_PLAN: "2026",
    FormKind.QUARTERLY: "2026-Q1",
    FormKind.SAFETY: "2026-H1",
    FormKind.SURVEY: "2026",
}


class Seeds:
    """A head office with F03 enrolled and one imported bundle; ``bundle`` is a valid, not yet imported one."""

    def __init__(self, net: Network) -> None:
        self.net = net
        ws = net.add("F03")
        fill_staffing(ws, "F03")
        fill_budget(ws, "F03")
        first = net.export("F03")
        assert net.hq.imports.import_bytes(first.path.read_bytes(), "1.jbd").outcome is Outcome.ACCEPTED
        fill_staffing(ws, "F03", "2026-04")
        self.bundle = net.export("F03").path.read_bytes()
        self.key = ws.trust.facility_key()
        self.manifest, self.members = unpack(first.path.read_bytes())
        self.head, _ = unpack(self.bundle)
        reference = net.hq.reference
        plan = next(v for k, v in self.members.items() if "budget_plan" in k)
        keys = [f"{ln['side']}/{ln['gwan']}/{ln['hang']}/{ln['mok']}/{ln['semok']}" for ln in _lines(plan)]
        self.words = [
            "", "적합", "부적합", "해당없음", "상", "중", "하", "미조치", "조치중", "조치완료", "2026-02-20",
            "2026-13-45", "linear", "본예산", "1차 추경", "세입", "세출", "관리직", "돌봄직", "a/b",
            *(c.code for c in reference.accounting_checks), *(s.code for s in reference.safety_items[:12]),
            *(s.code for s in reference.survey_items[:12]), *keys[:12],
        ]  # fmt: skip


def _lines(plan: bytes) -> list[dict[str, Any]]:
    return msgspec.json.decode(plan)["versions"][0]["lines"]


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory):
    net = Network(tmp_path_factory.mktemp("fuzz"))
    yield Seeds(net)
    net.close()


def _import(seeds: Seeds, data: bytes) -> ImportResult:
    """The property: a result comes back (``import_bytes`` turns every ``BundleError`` into a refusal)."""
    result = seeds.net.hq.imports.import_bytes(data, "fuzz.jbd")
    assert isinstance(result, ImportResult)
    assert result.outcome.ok or result.reason, result  # a refusal always names its reason
    return result


def _read(data: bytes) -> None:
    try:
        read_container(data)
    except BundleError as exc:
        assert exc.reason.value and exc.message


# raw bytes -------------------------------------------------------------------------------------------------
@FUZZ
@given(st.binary(max_size=4096))
def test_any_bytes_are_read_or_refused(data: bytes) -> None:
    _read(data)


@FUZZ
@given(
    st.lists(
        st.tuples(st.sampled_from([MANIFEST, SIGNATURE, "data/x.json", "../x", "a\\b", "x"]), st.binary(max_size=300)),
        max_size=5,
    )
)
def test_any_zip_is_read_or_refused(items: list[tuple[str, bytes]]) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # duplicate names are part of the point
        data = zip_bytes(items)
    _read(data)


# mutations of a valid bundle -------------------------------------------------------------------------------
@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "set", "truncate", "insert", "delete"]))
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if op == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "set":
            data[at] = draw(st.integers(0, 255))
        elif op == "truncate":
            del data[at:]
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        else:
            del data[at : at + draw(st.integers(1, 64))]
    return bytes(data)


@FUZZ
@given(st.data())
def test_mutated_bundle_is_read_or_refused(seeds: Seeds, data: st.DataObject) -> None:
    _read(data.draw(mutated(seeds.bundle)))


@FUZZ
@given(st.data())
def test_mutated_bundle_import_gives_a_result(seeds: Seeds, data: st.DataObject) -> None:
    bundle = data.draw(mutated(seeds.bundle))
    result = _import(seeds, bundle)
    if result.outcome is not Outcome.REFUSED:
        # accepted (or already): the change was outside what is signed (a timestamp or an extra field in a zip
        # header); the signed manifest and every member read back exactly as the facility wrote them
        got, original = read_container(bundle), read_container(seeds.bundle)
        assert (got.manifest_bytes, got.members) == (original.manifest_bytes, original.members)


@FUZZ
@given(st.data())
def test_members_mutated_then_rezipped_are_refused(seeds: Seeds, data: st.DataObject) -> None:
    """Well-formed zips whose manifest, signature or payload bytes changed: never accepted as they are."""
    items = entries(seeds.bundle)
    i = data.draw(st.integers(0, len(items) - 1))
    name, content = items[i]
    changed = data.draw(mutated(content)) if content else b"x"
    if changed == content:
        return
    result = _import(seeds, zip_bytes([*items[:i], (name, changed), *items[i + 1 :]]))
    if name == SIGNATURE:
        # a manifest byte-identical to one verified and merged before is "already imported" whatever the .sig says
        assert result.outcome in (Outcome.REFUSED, Outcome.ALREADY)
    else:
        assert result.outcome is Outcome.REFUSED


# signed by the enrolled key: the content is the only defence left ----------------------------------------------
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
EDGES = [0, 1, 12, 99_999, 100_000, 2**31 - 1, 2**31, 2**63 - 1, 2**63, 2**64, -1, -(2**63) - 1]
INTS = st.one_of(st.integers(-3, 40), st.integers(-(10**12), 10**12), st.sampled_from(EDGES))


def _strategy(t: mi.Type, text: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    """Schema-valid JSON for a msgspec type: reaches the validation rules, not just the decoder."""
    if isinstance(t, mi.IntType):
        return INTS
    if isinstance(t, mi.StrType):
        return text
    if isinstance(t, mi.BoolType):
        return st.booleans()
    if isinstance(t, mi.FloatType):
        return st.floats(allow_nan=False)
    if isinstance(t, mi.NoneType):
        return st.none()
    if isinstance(t, mi.UnionType):
        return st.one_of([_strategy(x, text) for x in t.types])
    if isinstance(t, mi.ListType):
        return st.lists(_strategy(t.item_type, text), max_size=5)
    if isinstance(t, mi.DictType):
        return st.dictionaries(_strategy(t.key_type, text), _strategy(t.value_type, text), max_size=3)
    if isinstance(t, mi.StructType):
        return st.fixed_dictionaries({}, optional={f.encode_name: _strategy(f.type, text) for f in t.fields})
    raise TypeError(f"no strategy for {t}")


def _signed(seeds: Seeds, manifest: dict[str, Any], members: dict[str, bytes]) -> bytes:
    return craft(manifest, members, seeds.key)


@DEEP
@given(st.data())
def test_schema_valid_payloads_of_every_form_give_a_result(seeds: Seeds, data: st.DataObject) -> None:
    kind = data.draw(st.sampled_from(list(HANDLERS)))
    text = st.one_of(st.sampled_from(seeds.words), st.text(max_size=8))
    payload = data.draw(_strategy(mi.type_info(HANDLERS[kind].data_type), text))
    raw = msgspec.json.encode(payload)
    name = f"data/{kind.value}.json"
    entry = {**seeds.head["instances"][0], "form": kind.value, "period": PERIODS[kind], "member": name}
    manifest = {**seeds.head, "instances": [{**entry, "sha256": sha256(raw)}]}
    _import(seeds, _signed(seeds, manifest, {name: raw}))


@DEEP
@given(st.data())
def test_any_json_payload_gives_a_result(seeds: Seeds, data: st.DataObject) -> None:
    raw = msgspec.json.encode(data.draw(JSON))
    member = seeds.head["instances"][0]["member"]
    manifest = {**seeds.head, "instances": [{**seeds.head["instances"][0], "sha256": sha256(raw)}]}
    _import(seeds, _signed(seeds, manifest, {member: raw}))


MANIFEST_FIELDS = [
    "format", "format_version", "kind", "facility_code", "signer", "key_fingerprint", "public_key", "hq_fingerprint",
    "sequence", "prev_digest", "created_at", "app_version", "schema_version", "config_version", "instances", "members",
]  # fmt: skip
ENTRY_FIELDS = ["form", "period", "revision", "status", "config_version", "member", "sha256", "note"]


@DEEP
@given(st.data())
def test_any_manifest_values_signed_by_the_enrolled_key_give_a_result(seeds: Seeds, data: st.DataObject) -> None:
    """Replace manifest and instance-entry fields with arbitrary JSON (big ints, wrong types, odd strings)."""
    value = st.one_of(st.sampled_from(EDGES), INTS, JSON)  # out-of-range integers first: they reach the database
    manifest = dict(seeds.head)
    for key in data.draw(st.lists(st.sampled_from(MANIFEST_FIELDS), min_size=1, max_size=2, unique=True)):
        manifest[key] = data.draw(value)
    instances = [dict(e) for e in seeds.head["instances"]]
    for key in data.draw(st.lists(st.sampled_from(ENTRY_FIELDS), max_size=2, unique=True)):
        instances[0][key] = data.draw(st.one_of(value, st.sampled_from(["2026-04", "2026", "budget"])))
    manifest["instances"] = instances
    if data.draw(st.integers(0, 9)) == 0:  # now and then a required field goes missing
        manifest.pop(data.draw(st.sampled_from(MANIFEST_FIELDS)))
    _, members = unpack(seeds.bundle)
    _import(seeds, _signed(seeds, manifest, members))
