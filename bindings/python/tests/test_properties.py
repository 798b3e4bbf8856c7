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
