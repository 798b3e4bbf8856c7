"""Shared by the tests: the conformance vectors and their checks (the same checks as
the Rust suite's tests/common/mod.rs)."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

DATA = Path(__file__).resolve().parents[3] / "tests" / "data"

# The context every conformance case is derived with (conformance/README.md).
CASE_ID = "4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86"
CASE_OWNER = "b912fb4a4c464b568ecfca1071b21b10"
CASE_NOW = 1464853788


def load(name: str) -> List[Tuple[int, Dict[str, Any]]]:
    """(line number, case) for every non-empty line of tests/data/NAME."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [(i + 1, json.loads(l)) for i, l in enumerate(lines) if l.strip()]


def body_of(case: Dict[str, Any]):
    """The raw body: the text itself (the str path) or the decoded bytes."""
    if "body" in case:
        return case["body"]
    return base64.b64decode(case["body_b64"])


def options_of(case: Dict[str, Any]) -> Dict[str, Any]:
    """The case's `rules` as keyword arguments: `profile` apart, the rest as knobs."""
    rules = dict(case.get("rules") or {})
    opts: Dict[str, Any] = {}
    if "profile" in rules:
        opts["profile"] = rules.pop("profile")
    for knob in rules:
        assert knob == "min_disk_range", f"unknown rule override {knob}"
    if rules:
        opts["rules"] = rules
    return opts


def check(case: Dict[str, Any], status: int, record: Optional[dict], violations: Optional[list]) -> None:
    """Asserts an outcome: for 201 the record's fields, else the exact [pointer, code]
    set (or `match: includes`)."""
    assert status == case["status"], (status, record or violations)
    if status == 201:
        want = case["record"]
        for key, value in want.items():
            assert record is not None and record.get(key) == value, (key, record)
        return
    got = [(v["pointer"], v["code"]) for v in violations or []]
    want = [tuple(p) for p in case.get("violations", [])]
    if case.get("match") == "includes":
        assert set(want) <= set(got), (got, want)
    else:
        assert set(got) == set(want) and len(got) == len(want), (got, want)
