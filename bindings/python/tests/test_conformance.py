"""Every line of both conformance files through the wheel, each under its profile,
with the verdicts the Rust suite checks (tests/conformance.rs)."""

from __future__ import annotations

import pytest

import ims_image_meta as m
from conftest import CASE_ID, CASE_NOW, CASE_OWNER, body_of, check, load, options_of

CASES = load("cases.jsonl")
PROFILE_CASES = load("profiles.jsonl")


def params(file: str, cases):
    out = []
    for line, case in cases:
        out.append(pytest.param(case, id=f"{file}:{line}"))
    return out


def run(case) -> None:
    body, opts = body_of(case), options_of(case)
    try:
        record = m.derive(body, image_id=CASE_ID, owner=CASE_OWNER, now=CASE_NOW, **opts)
    except m.ValidationError as e:
        check(case, e.status, None, e.violations)
        # validate() gives the same rejection.
        with pytest.raises(m.ValidationError) as again:
            m.validate(body, **opts)
        assert (again.value.status, again.value.violations) == (e.status, e.violations)
    else:
        check(case, 201, record, None)
        accepted = m.validate(body, **opts)
        assert set(accepted) == {"request", "warnings"}


def test_the_files_are_there():
    assert len(CASES) >= 50
    assert len(PROFILE_CASES) >= 13


@pytest.mark.parametrize("case", params("cases.jsonl", CASES))
def test_cases(case):
    run(case)


@pytest.mark.parametrize("case", params("profiles.jsonl", PROFILE_CASES))
def test_profiles(case):
    run(case)
