"""Every line of conformance/patch.jsonl (SPEC section 8: PATCH in both media types and
the tag calls) through the wheel: the module-level calls and a compiled Validator give
the case's verdict, and the same one."""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

import pytest

import ims_image_meta as m
from conftest import load

CASES = load("patch.jsonl")


def options_of(case: Dict[str, Any]) -> Dict[str, Any]:
    """The case's `rules`: `profile` apart, every other knob by name."""
    rules = dict(case.get("rules") or {})
    opts: Dict[str, Any] = {}
    if "profile" in rules:
        opts["profile"] = rules.pop("profile")
    if rules:
        opts["rules"] = rules
    return opts


def call(fn_owner, case: Dict[str, Any], **opts):
    """The case's call on `fn_owner` (the module or a Validator)."""
    image, now = case["image"], case["now"]
    if case["call"] == "patch":
        return fn_owner.patch(image, case["body"], now=now, media_type=case["media_type"], **opts)
    if case["call"] == "tag_add":
        return fn_owner.add_tag(image, case["tag"], now=now, **opts)
    return fn_owner.remove_tag(image, case["tag"], now=now, **opts)


def verdict(fn_owner, case, **opts) -> Tuple[int, Any]:
    try:
        image = call(fn_owner, case, **opts)
    except m.ValidationError as e:
        return e.status, sorted((v["pointer"], v["code"]) for v in e.violations)
    return (200 if case["call"] == "patch" else 204), image


def test_the_file_is_there():
    assert len(CASES) >= 44


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[f"patch.jsonl:{n}" for n, _ in CASES])
def test_every_case(case):
    opts = options_of(case)
    status, got = verdict(m, case, **opts)
    assert status == case["status"], (case["name"], got)
    if status in (200, 204):
        assert got == case["record"], case["name"]
    else:
        want: List[Tuple[str, str]] = sorted((p, c) for p, c in case["violations"])
        assert got == want, case["name"]
    # A compiled validator gives the same verdict, and a JSON image the same as a dict.
    v = m.Validator(**opts)
    assert verdict(v, case) == (status, got)
    import json

    as_text = dict(case, image=json.dumps(case["image"]))
    assert verdict(v, as_text) == (status, got)


def test_a_bad_image_is_a_value_error_naming_it():
    with pytest.raises(ValueError, match="image"):
        m.add_tag({"id": "x"}, "t", now=0)
