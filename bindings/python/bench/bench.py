"""The wheel against what a Python user would otherwise pick, side by side, in one run.

    python bench/bench.py            # the table (a few seconds per row)
    python bench/bench.py --quick    # CI: every call runs a few times, no timing worth reading

Compared, each with its package's default call on the same bytes:

- the wheel: module-level ``ims_image_meta.validate(body)`` (defaults) and, where the
  wheel has it, a compiled ``ims_image_meta.Validator()``'s ``.validate(body)``; the
  same two with a knob (``rules={"max_tags": 200}``), which the module-level call turns
  into the core's rules at each call;
- pydantic v2: ``Request.model_validate_json(body)``, the model below, written out with
  every rule of the contract that pydantic can express without custom Python code;
- fastjsonschema: the crate's own request schema (``ims_image_meta.request_schema()``),
  compiled once, called on ``json.loads(body)``;
- jsonschema: the same schema with ``Draft202012Validator``, every error collected
  (``list(iter_errors(...))``), on ``json.loads(body)``;
- ``json.loads(body)`` alone, the floor of anything that parses in Python.

A rejection counts as a call: each tool's own exception (or error list) is built, as a
caller would get it. The wheel builds its results when they are first read, so the bare
call is not what a caller pays who uses the result. The "read" rows read it as a caller
does, the wheel and pydantic alike, each through its own API:

- "name / count": one field of an accepted request (the wheel's
  ``validate(b)["request"].get("name")``, pydantic's ``.name``), or the count of
  violations of a rejected body (``len(e.violations)``, pydantic's ``e.error_count()``);
- "name / first message": the same field, or the first violation's message
  (``e.violations[0]["message"]``, pydantic's ``e.errors()[0]["msg"]``).

Each read row is set against pydantic's row of the same reading.

Every figure is in ns per call: the median of ``--repeat`` timed runs of ~``--run-ms``
each (with the cyclic garbage collector off inside a run, as timeit does). A run of a
quarter millisecond mostly fits in one time slice (on a machine shared with other work,
runs of 100 ms measured the share of the CPU the bench got). Bench, not a test: nothing
here asserts a time.
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Annotated, Any, Callable, Dict, List, Literal, Optional, Tuple

import fastjsonschema
import jsonschema
import pydantic
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr

import ims_image_meta as ims

ROOT = Path(__file__).resolve().parents[3]

# --- the bodies -------------------------------------------------------------------

SAMPLE = (ROOT / "examples" / "sample-request.json").read_bytes()
EMPTY = b"{}"
BAD = b'{"min_disk": 1, "status": "active", "tags": [5]}'
UNKNOWN_OS = b'{"__os_version": "Ubuntu 99.04 server 64bit"}'
MAX_BODY_BYTES = 114688  # the default cap (Rules::default().max_body_bytes())


def maximal() -> bytes:
    """benches/bodies.rs `maximal()`, built the same way: 128 tags of 255 chars, 128
    custom properties with 255-char keys and values as long as fit under the cap, keys
    sorted (serde_json's map), compact."""
    tags = [f"{i:03}" + "t" * 252 for i in range(128)]

    def build(value_len: int) -> str:
        m: Dict[str, Any] = {
            "name": "maximal",
            "__os_version": "Ubuntu 14.04 server 64bit",
            "min_disk": 40,
            "tags": tags,
        }
        for i in range(128):
            m[f"{i:03}" + "k" * 252] = "v" * value_len
        return json.dumps(dict(sorted(m.items())), separators=(",", ":"))

    base = len(build(0))
    body = build((MAX_BODY_BYTES - base) // 128).encode()
    assert MAX_BODY_BYTES - 128 < len(body) <= MAX_BODY_BYTES, len(body)
    return body


BODIES: List[Tuple[str, bytes]] = [
    ("sample", SAMPLE),
    ("{}", EMPTY),
    ("bad", BAD),
    ("unknown OS", UNKNOWN_OS),
    ("maximal", maximal()),
]

# --- pydantic v2: the contract's rules that pydantic can express -------------------

SCHEMA = ims.request_schema()
# The catalog's values (and the default's), as the crate's schema lists them.
OS_VERSIONS = tuple(SCHEMA["properties"]["__os_version"]["enum"])
NO_NUL_OR_ASTRAL = r"^[^\x00\U00010000-\U0010FFFF]*$"
# 1–255 chars of A–Z a–z 0–9 - . _ space and CJK ideographs, no space at either end.
NAME = r"^[A-Za-z0-9._\u4e00-\u9fff-]([A-Za-z0-9._ \u4e00-\u9fff-]*[A-Za-z0-9._\u4e00-\u9fff-])?$"
UUID = r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"

Tag = Annotated[StrictStr, Field(min_length=1, max_length=255, pattern=NO_NUL_OR_ASTRAL)]
Text = Annotated[StrictStr, Field(max_length=65535, pattern=NO_NUL_OR_ASTRAL)]


class Request(BaseModel):
    """The create body. Not expressible without custom code, so left to the crate: the
    403 read-only and reserved keys, duplicate keys, tag de-duplication, the 413
    quotas as statuses, the size cap, custom-property key lengths and the min_disk
    range by OS type (the default Linux range is used). Strict mode: no coercion of
    "false" or 1024.0, as the contract says."""

    model_config = ConfigDict(strict=True, extra="allow", populate_by_name=True)
    # Custom properties: string values (pydantic types the extras with this).
    __pydantic_extra__: Dict[str, Text] = Field(init=False)  # type: ignore[assignment]

    os_version: Literal[OS_VERSIONS] = Field(  # type: ignore[valid-type]
        default="Other Linux(64 bit)", alias="__os_version"
    )
    visibility: Literal["private"] = "private"
    name: Optional[Annotated[StrictStr, Field(min_length=1, max_length=255, pattern=NAME)]] = ""
    protected: StrictBool = False
    container_format: Optional[Literal["bare"]] = "bare"
    disk_format: Optional[Literal["vhd", "zvhd", "zvhd2", "raw", "qcow2"]] = "vhd"
    tags: Annotated[List[Tag], Field(max_length=128)] = []
    min_ram: Annotated[StrictInt, Field(ge=0, le=2147483647)] = 0
    min_disk: Annotated[StrictInt, Field(ge=40, le=1024)] = 40
    id: Optional[Annotated[StrictStr, Field(max_length=36, pattern=UUID)]] = None
    description: Optional[
        Annotated[StrictStr, Field(max_length=1024, pattern=r"^[^\r<>\x00\U00010000-\U0010FFFF]*$")]
    ] = Field(default=None, alias="__description")
    hw_firmware_type: Optional[Literal["bios", "uefi"]] = None
    os_hidden: Optional[StrictBool] = None


# --- the JSON Schema validators, on the crate's own request schema ------------------

# fastjsonschema knows drafts 4, 6 and 7: the crate's schema uses nothing of 2020-12
# that draft 7 reads differently ($defs is reached by its JSON Pointer), so it is
# compiled as draft 7.
FAST = fastjsonschema.compile(
    {**SCHEMA, "$schema": "http://json-schema.org/draft-07/schema#"}
)
FULL = jsonschema.Draft202012Validator(SCHEMA)

# --- the calls --------------------------------------------------------------------


def wheel_validate(body: bytes) -> Any:
    try:
        return ims.validate(body)
    except ims.ValidationError as e:
        return e


def wheel_read_count(body: bytes) -> Any:
    """The default call, its result read: one field of the request, or the count of
    violations."""
    try:
        return ims.validate(body)["request"].get("name")
    except ims.ValidationError as e:
        return len(e.violations)


def wheel_read_message(body: bytes) -> Any:
    """The default call, its result read: one field of the request, or the first
    violation's message."""
    try:
        return ims.validate(body)["request"].get("name")
    except ims.ValidationError as e:
        return e.violations[0]["message"]


# Options other than a bare profile and locale: the module-level call turns them into
# the core's rules at each call, a compiled validator once.
KNOBS = {"max_tags": 200}


def wheel_validate_knobs(body: bytes) -> Any:
    try:
        return ims.validate(body, rules=KNOBS)
    except ims.ValidationError as e:
        return e


def make_validator_knobs_call() -> Optional[Callable[[bytes], Any]]:
    cls = getattr(ims, "Validator", None)
    if cls is None:
        return None
    v = cls(rules=KNOBS)

    def call(body: bytes) -> Any:
        try:
            return v.validate(body)
        except ims.ValidationError as e:
            return e

    return call


def make_validator_call() -> Optional[Callable[[bytes], Any]]:
    cls = getattr(ims, "Validator", None)
    if cls is None:
        return None
    v = cls()

    def call(body: bytes) -> Any:
        try:
            return v.validate(body)
        except ims.ValidationError as e:
            return e

    return call


def pydantic_validate(body: bytes) -> Any:
    try:
        return Request.model_validate_json(body)
    except pydantic.ValidationError as e:
        return e


def pydantic_read_count(body: bytes) -> Any:
    try:
        return Request.model_validate_json(body).name
    except pydantic.ValidationError as e:
        return e.error_count()


def pydantic_read_message(body: bytes) -> Any:
    try:
        return Request.model_validate_json(body).name
    except pydantic.ValidationError as e:
        return e.errors()[0]["msg"]


def fastjsonschema_validate(body: bytes) -> Any:
    try:
        return FAST(json.loads(body))
    except fastjsonschema.JsonSchemaValueException as e:
        return e


def jsonschema_validate(body: bytes) -> Any:
    return list(FULL.iter_errors(json.loads(body)))


# The read rows and the bare call whose verdict they show (a read row returns what it
# read, not the result).
READS = {
    "wheel validate, read: name / count": "wheel validate",
    "wheel validate, read: name / first message": "wheel validate",
    "pydantic, read: .name / error_count()": "pydantic model_validate_json",
    "pydantic, read: .name / errors()[0][msg]": "pydantic model_validate_json",
}
# Each read row of the wheel and the pydantic row of the same reading.
READ_PAIRS = [
    ("wheel validate, read: name / count", "pydantic, read: .name / error_count()"),
    ("wheel validate, read: name / first message", "pydantic, read: .name / errors()[0][msg]"),
]


def accepted(tool: str, out: Any) -> bool:
    if tool.startswith("jsonschema"):
        return out == []
    if tool == "json.loads":
        return True
    return not isinstance(out, Exception)


def tools() -> List[Tuple[str, Callable[[bytes], Any]]]:
    out: List[Tuple[str, Callable[[bytes], Any]]] = [
        ("wheel validate", wheel_validate),
        ("wheel validate, read: name / count", wheel_read_count),
        ("wheel validate, read: name / first message", wheel_read_message),
    ]
    compiled = make_validator_call()
    if compiled is not None:
        out.append(("wheel Validator().validate", compiled))
    out.append(("wheel validate(rules=…)", wheel_validate_knobs))
    compiled_knobs = make_validator_knobs_call()
    if compiled_knobs is not None:
        out.append(("wheel Validator(rules=…).validate", compiled_knobs))
    out += [
        ("pydantic model_validate_json", pydantic_validate),
        ("pydantic, read: .name / error_count()", pydantic_read_count),
        ("pydantic, read: .name / errors()[0][msg]", pydantic_read_message),
        ("fastjsonschema (crate schema) + json.loads", fastjsonschema_validate),
        ("jsonschema 2020-12 (crate schema) + json.loads", jsonschema_validate),
        ("json.loads", json.loads),
    ]
    return out


def calibrate(fn: Callable[[bytes], Any], body: bytes, run_s: float) -> int:
    """How many calls make one timed run of about ``run_s`` seconds (after a warm-up)."""
    n = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(n):
            fn(body)
        took = time.perf_counter() - t0
        if took > run_s / 4 or n >= 1 << 22:
            return max(1, round(n * run_s / max(took, 1e-9)))
        n *= 4


def measure(ts: List[Tuple[str, Callable[[bytes], Any]]], body: bytes, repeat: int, run_s: float) -> List[float]:
    """ns per call of each tool on ``body``: the median of ``repeat`` short timed runs,
    one tool after the other. A run of a quarter millisecond mostly fits in one time
    slice of a machine busy with other work, so the median is a run nobody preempted.
    The tools do not take turns run by run: tried, that made pydantic's figure on the
    sample swing from 3 to 80 us between processes (the other tools' garbage and
    allocations landing in its runs), while alone it is steady."""
    out = []
    for _, fn in ts:
        n = calibrate(fn, body, run_s)
        runs: List[float] = []
        # As timeit does: no cyclic garbage collection inside a timed run.
        gc.collect()
        gc.disable()
        try:
            for _ in range(repeat):
                t0 = time.perf_counter_ns()
                for _ in range(n):
                    fn(body)
                runs.append((time.perf_counter_ns() - t0) / n)
        finally:
            gc.enable()
        out.append(statistics.median(runs))
    return out


def fmt(ns: float) -> str:
    return f"{ns:,.0f}".replace(",", " ")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="CI: run each call a few times, no table worth reading")
    ap.add_argument("--repeat", type=int, default=101, help="timed runs per tool and body")
    ap.add_argument("--run-ms", type=float, default=0.25, help="milliseconds per timed run")
    args = ap.parse_args()

    ts = tools()
    # Verdicts first: each tool's on each body (a reader checks the comparison is fair).
    verdicts: Dict[str, List[str]] = {}
    by_name = dict(ts)
    for name, fn in ts:
        judge = READS.get(name, name)
        verdicts[name] = ["ok" if accepted(judge, by_name[judge](b)) else "rejected" for _, b in BODIES]
        for _, b in BODIES:
            fn(b)  # a read row runs too
    if args.quick:
        for name, fn in ts:
            for _, b in BODIES:
                for _ in range(3):
                    fn(b)
        print("bench ran (quick: no timing):")
        for name, v in verdicts.items():
            print(f"  {name}: {', '.join(v)}")
        return 0

    table: Dict[str, List[float]] = {name: [] for name, _ in ts}
    for body_name, b in BODIES:
        for (name, _), ns in zip(ts, measure(ts, b, args.repeat, args.run_ms / 1000)):
            table[name].append(ns)
        print(f"  measured {body_name}", file=sys.stderr)

    print(
        f"Python {platform.python_version()} ({platform.machine()}), pydantic {pydantic.VERSION}, "
        f"fastjsonschema {fastjsonschema.VERSION}, jsonschema {getattr(jsonschema, '__version__', '?')}, "
        f"ims_image_meta {ims.__version__}; ns per call, the median of {args.repeat} runs of "
        f"~{args.run_ms:g} ms."
    )
    print()
    print("| ns per call | " + " | ".join(n for n, _ in BODIES) + " |")
    print("|---|" + "---:|" * len(BODIES))
    for name, row in table.items():
        print(f"| {name} | " + " | ".join(fmt(x) for x in row) + " |")
    base = table["pydantic model_validate_json"]
    for name in [n for n in table if n.startswith("wheel") and n not in READS]:
        ratios = " | ".join(f"{a / b:.2f} ×" for a, b in zip(table[name], base))
        print(f"| **{name} / pydantic** | {ratios} |")
    for wheel, pyd in READ_PAIRS:
        ratios = " | ".join(f"{a / b:.2f} ×" for a, b in zip(table[wheel], table[pyd]))
        print(f"| **{wheel} / {pyd}** | {ratios} |")
    fast = table["fastjsonschema (crate schema) + json.loads"]
    for name in [n for n in table if n.startswith("wheel") and "rules" not in n and n not in READS]:
        ratios = " | ".join(f"{a / b:.2f} ×" for a, b in zip(table[name], fast))
        print(f"| {name} / fastjsonschema | {ratios} |")
    print()
    print("Verdicts (each tool on each body, in the order of the columns):")
    print()
    for name, v in verdicts.items():
        print(f"- {name}: {', '.join(v)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
