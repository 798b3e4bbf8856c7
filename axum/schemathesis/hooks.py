"""Schemathesis hooks for the reference server.

- The two JSON-patch media types are JSON on the wire (Schemathesis knows no
  serializer for them).
- A whole number written as a float (`1815.0`) is sent as an integer. JSON Schema's
  data model cannot tell `1815.0` from `1815`: both are integers to it, so
  Schemathesis counts `{"min_ram": 1815.0}` as schema-valid, while the contract
  (SPEC §2) refuses an integer field written with a fraction or an exponent. The
  document cannot say that, so the run sends what it can say; the kit's cases and
  `ims-conform` check the refusal itself (`wrong_type` on `1815.0`).
- A number past a 64-bit float's range (an integer of 310 digits) is sent as 0.
  Valid JSON, and JSON Schema has no bound for the values a patch operation may
  carry beside its own members, but the contract (SPEC §1, as serde_json reads it)
  answers 400 `malformed_json` ("number out of range"); seen on a stateful run.
"""
import schemathesis

schemathesis.serializer.alias(
    [
        "application/openstack-images-v2.1-json-patch",
        "application/openstack-images-v2.0-json-patch",
    ],
    "application/json",
)


_FLOAT_MAX = 1.7976931348623157e308


def _whole_floats_as_ints(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and abs(value) > _FLOAT_MAX:
        return 0
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_whole_floats_as_ints(v) for v in value]
    if isinstance(value, dict):
        return {k: _whole_floats_as_ints(v) for k, v in value.items()}
    return value


@schemathesis.hook
def map_body(ctx, body):
    return _whole_floats_as_ints(body)
