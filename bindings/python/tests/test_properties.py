"""A property of the binding on generated bodies: the wheel answers every body with a
verdict (never another exception), and an accepted request, sent again, is accepted as
the same request (the core's round-trip promise, seen from Python)."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

import ims_image_meta as m

KEYS = st.sampled_from(
    ["name", "min_disk", "min_ram", "tags", "disk_format", "__os_version", "protected",
     "visibility", "container_format", "status", "id", "aaaa", "os_glance_x", "__description"]
) | st.text(max_size=8)
SCALARS = (
    st.none() | st.booleans() | st.integers(-5, 5000) | st.text(max_size=12)
    | st.sampled_from(["vhd", "zvhd2", "bare", "private", "Ubuntu 14.04 server 64bit"])
)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4), max_leaves=6)
BODIES = st.dictionaries(KEYS, VALUES, max_size=6).map(json.dumps) | st.binary(max_size=64)


@settings(max_examples=300, deadline=None)
@given(BODIES)
def test_every_body_gets_a_verdict_and_accepted_requests_round_trip(body):
    try:
        accepted = m.validate(body)
    except m.ValidationError as e:
        assert e.status in (400, 403, 413)
        assert e.violations
        for v in e.violations:
            assert v["pointer"] == "" or v["pointer"].startswith("/")
        assert e.to_problem()["status"] == e.status
        return
    again = m.validate(json.dumps(accepted["request"]))
    assert again["request"] == accepted["request"]


# Bodies most of which are accepted: every documented field and known extension with
# values of its kind, and custom properties, spelt with and without JSON escapes.
OS_VERSIONS = m.request_schema()["properties"]["__os_version"]["enum"]
TEXT = st.text(alphabet="abcXYZ019._- \u4e2d\u6587\"\\/\u00e9", min_size=1, max_size=12)
FIELDS = {
    "name": TEXT.filter(lambda s: s.strip() == s),
    "__os_version": st.sampled_from(OS_VERSIONS),
    "protected": st.booleans(),
    "disk_format": st.sampled_from(["vhd", "zvhd", "zvhd2", "raw", "qcow2"]),
    "container_format": st.just("bare"),
    "visibility": st.just("private"),
    "tags": st.lists(TEXT, max_size=5),
    "min_ram": st.integers(0, 2**31 - 1),
    "min_disk": st.integers(40, 1024),
    "id": st.uuids().map(str),
    "hw_firmware_type": st.sampled_from(["bios", "uefi"]),
    "os_hidden": st.booleans(),
    "__description": TEXT,
}
CUSTOM = st.dictionaries(st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True), TEXT, max_size=4)
GOOD = st.tuples(
    st.fixed_dictionaries({}, optional=FIELDS), CUSTOM, st.booleans()
).map(lambda t: json.dumps({**t[1], **t[0]}, ensure_ascii=t[2]))


@settings(max_examples=400, deadline=None)
@given(GOOD | BODIES)
def test_the_request_dict_is_the_core_json_of_the_request(body):
    """The dict built straight from the core's request equals, key order and value
    types included, ``json.loads`` of the core's own JSON of the same request."""
    want = m._native._request_json(body)
    try:
        got = m.validate(body)["request"]
    except m.ValidationError:
        assert want is None
        return
    want = json.loads(want)
    assert got == want
    assert list(got) == list(want)
    assert [type(v) for v in got.values()] == [type(v) for v in want.values()]
