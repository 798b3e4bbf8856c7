"""The compiled ``Validator`` (issue 21): the same results as the module-level calls on
every conformance case, every knob of the core reaching it, results built when read,
one validator shared by threads."""

from __future__ import annotations

import json
import pickle
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path

import pytest

import ims_image_meta as m
from conftest import CASE_ID, CASE_NOW, CASE_OWNER, body_of, load, options_of

CASES = load("cases.jsonl") + load("profiles.jsonl")
KNOBS = [
    json.loads(line)
    for line in (Path(__file__).resolve().parents[2] / "knobs.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]
SAMPLE = (Path(__file__).resolve().parents[3] / "examples" / "sample-request.json").read_bytes()
CTX = dict(image_id=CASE_ID, owner=CASE_OWNER, now=CASE_NOW)


def outcome(call, *args, **kw):
    """Everything a caller can read of a result: a plain tuple to compare."""
    try:
        out = call(*args, **kw)
    except m.ValidationError as e:
        return ("rejected", e.status, e.violations, e.to_problem(), str(e))
    if isinstance(out, m.Validated):
        return ("accepted", out.to_dict())
    return ("derived", out)


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[f"{i}:{c['name']}" for i, c in CASES])
def test_module_calls_and_a_compiled_validator_agree(case):
    body, opts = body_of(case), options_of(case)
    for locale in ("en", "zh-CN"):
        v = m.Validator(**opts, locale=locale)
        assert outcome(m.validate, body, **opts, locale=locale) == outcome(v.validate, body)
        assert outcome(m.derive, body, **opts, **CTX, locale=locale) == outcome(v.derive, body, **CTX)


@pytest.mark.parametrize("knob", KNOBS, ids=[k["knob"] for k in KNOBS])
def test_every_knob_reaches_the_core(knob):
    """bindings/knobs.jsonl: each knob of the rules file, with a body whose verdict it
    changes (the same file runs through the JavaScript binding)."""
    for which, kw in (("default", {}), ("with", {"rules": knob["rules"]})):
        want = knob[which]
        for call in (m.Validator(**kw).validate, lambda b: m.validate(b, **kw)):
            try:
                out = call(knob["body"])
            except m.ValidationError as e:
                status, request, violations = e.status, None, e.violations
            else:
                status, request, violations = 201, out["request"], []
            assert status == want["status"], (which, violations)
            for key, value in want.get("request", {}).items():
                assert request is not None and request[key] == value, (which, key, request)
            if "count" in want:
                assert len(violations) == want["count"]
            if "message_has" in want:
                assert any(want["message_has"] in v["message"] for v in violations)
            if "message_lacks" in want:
                assert all(want["message_lacks"] not in v["message"] for v in violations)


def test_the_knobs_file_names_every_knob_once():
    names = [k["knob"] for k in KNOBS]
    assert len(names) == len(set(names)) >= 17


def test_one_validator_shared_by_four_threads():
    bodies = [body_of(c) for _, c in CASES] + [SAMPLE]
    v = m.Validator()
    want = [outcome(v.validate, b) for b in bodies]
    want_records = [outcome(v.derive, b, **CTX) for b in bodies]
    results, errors = {}, []
    start = threading.Barrier(4)

    def work(i):
        try:
            start.wait()
            got, records = [], []
            for _ in range(5):
                got = [outcome(v.validate, b) for b in bodies]
                records = [outcome(v.derive, b, **CTX) for b in bodies]
            results[i] = (got, records)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(results) == 4
    for got, records in results.values():
        assert got == want
        assert records == want_records


def test_bytes_str_bytearray_and_memoryview_bodies_agree():
    v = m.Validator()
    want = v.validate(SAMPLE).to_dict()
    for body in (SAMPLE.decode(), bytearray(SAMPLE), memoryview(SAMPLE), memoryview(bytearray(SAMPLE))):
        assert v.validate(body).to_dict() == want
    with pytest.raises(TypeError, match="memoryview"):
        v.validate(1.5)  # type: ignore[arg-type]


def test_a_validated_result_is_a_read_only_mapping():
    out = m.validate(b"{}")
    assert isinstance(out, m.Validated) and isinstance(out, Mapping)
    assert list(out) == ["request", "warnings"] == list(out.keys())
    assert len(out) == 2 and "request" in out and "nope" not in out and 5 not in out
    assert out.request is out["request"] is out.get("request"), "built once, then kept"
    assert out.get("nope", 7) == 7
    with pytest.raises(KeyError):
        out["nope"]
    assert dict(out) == out.to_dict() == {"request": out.request, "warnings": out.warnings}
    assert out == dict(out) and out == m.validate(b"{}")
    assert out != m.validate(b'{"name": "x"}')
    assert dict(out.items()) == dict(out)
    assert list(out.values()) == [out.request, out.warnings]
    assert pickle.loads(pickle.dumps(out)) == dict(out)
    assert "min_disk" in repr(out)


def test_a_rejection_renders_what_is_read():
    with pytest.raises(m.ValidationError) as caught:
        m.Validator(locale="zh-CN").validate(b'{"min_disk": 1, "status": "active"}')
    e = caught.value
    assert isinstance(e.args[0], m.Rejection)
    assert e.status == 403
    assert e.violations is e.violations, "built once, then kept"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in e.violations[0]["message"])
    assert e.to_problem() == e.to_problem() and e.to_problem() is not e.to_problem()
    assert "403" in str(e)
    back = pickle.loads(pickle.dumps(e))
    assert (back.status, back.violations, back.to_problem(), str(back)) == (
        e.status,
        e.violations,
        e.to_problem(),
        str(e),
    )
    # Each violation is a light read-only mapping, equal to the dict of its items.
    v = e.violations[0]
    assert isinstance(v, m.Violation) and isinstance(v, Mapping)
    assert list(v) == ["pointer", "code", "message", "ims_code", "params"] == list(v.keys())
    assert len(v) == 5 and "params" in v and "nope" not in v and 5 not in v
    assert v.get("nope", 7) == 7 and v.get("code") == v["code"]
    with pytest.raises(KeyError):
        v["nope"]
    as_dict = v.to_dict()
    assert type(as_dict) is dict and as_dict == dict(v) == dict(v.items()) == v
    assert list(v.values()) == [as_dict[k] for k in v]
    assert v.to_dict() is not v.to_dict()
    assert v["message"] == as_dict["message"] and v["pointer"] == as_dict["pointer"]
    assert repr(v) == repr(as_dict)
    assert pickle.loads(pickle.dumps(v)) == as_dict
    assert json.loads(json.dumps([x.to_dict() for x in e.violations])) == e.violations
    assert e.violations != [], "a list of violations is not equal to an empty list"
    assert v != e.violations[1]
    # Built by hand, with the fields themselves.
    by_hand = m.ValidationError("msg", 400, [{"pointer": "", "code": "x"}], {"status": 400})
    assert (str(by_hand), by_hand.status, by_hand.violations, by_hand.to_problem()) == (
        "msg",
        400,
        [{"pointer": "", "code": "x"}],
        {"status": 400},
    )


def test_validator_options_and_schema():
    v = m.Validator(profile="otc", rules={"max_tags": 3}, locale="zh-CN")
    assert (v.profile, v.locale) == ("otc", "zh-CN")
    assert "otc" in repr(v)
    assert v.request_schema()["properties"]["tags"]["maxItems"] == 3
    assert v.request_schema() == m.request_schema(profile="otc", rules={"max_tags": 3})
    assert m.Validator().request_schema() == m.request_schema()
    with pytest.raises(ValueError, match="unknown profile"):
        m.Validator(profile="nope")
    with pytest.raises(ValueError, match="unknown locale"):
        m.Validator(locale="fr")
    with pytest.raises(ValueError, match="max_tagz"):
        m.Validator(rules={"max_tagz": 1})
    with pytest.raises(TypeError):
        m.Validator("ims-2022")  # type: ignore[misc]  # keyword-only
    csv = "os_version,os_type,platform,os_bit\nMy OS 1 64bit,Linux,Other,64\n"
    rec = m.Validator(catalog=csv).derive(b'{"__os_version": "My OS 1 64bit"}', **CTX)
    assert rec["__os_version"] == "My OS 1 64bit"


# --- answer: the core's one road --------------------------------------------------


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[f"{i}:{c['name']}" for i, c in CASES])
def test_answer_is_the_record_or_the_report_in_each_format(case):
    body, opts = body_of(case), options_of(case)
    for fmt in m.FORMATS:
        v = m.Validator(**opts, format=fmt, locale="zh-CN")
        a = v.answer(body, **CTX)
        again = m.answer(body, **opts, **CTX, format=fmt, locale="zh-CN")
        assert (a.status, a.content_type, a.body) == (again.status, again.content_type, again.body)
        assert a.status == case["status"]
        got = json.loads(a.body)
        if a.status == 201:
            assert a.content_type == "application/json"
            assert got == v.derive(body, **CTX)
            assert a.warnings == v.validate(body)["warnings"]
            continue
        assert a.warnings == []
        with pytest.raises(m.ValidationError) as caught:
            v.validate(body)
        e = caught.value
        if fmt == "problem":
            assert a.content_type == "application/problem+json"
            assert got == e.to_problem()
        elif fmt == "glance":
            assert a.content_type == "application/json"
            assert got == {"status": e.status, "violations": e.violations}
        else:
            assert a.content_type == "application/json"
            assert set(got["error"]) == {"code", "message"}


def test_answer_options_and_repr():
    assert m.FORMATS == ["glance", "ims", "problem"]
    assert m.Validator().format == "glance"
    with pytest.raises(ValueError, match="unknown format"):
        m.Validator(format="xml")
    with pytest.raises(ValueError, match="unknown format"):
        m.answer(b"{}", format="xml", **CTX)
    a = m.answer(SAMPLE, **CTX)
    assert a.body is a.body
    assert "201" in repr(a)
    with pytest.raises(ValueError):
        m.Validator().answer(SAMPLE, image_id="nope", owner=CASE_OWNER, now=CASE_NOW)


# --- the GIL ------------------------------------------------------------------------


def test_validate_derive_and_answer_release_the_gil():
    """With a switch interval of 1000 s, another thread runs Python only when this one
    releases the GIL: its counter moves while these calls run only if they release it
    (without, it never moves, whatever the machine)."""
    body = json.dumps(
        {"name": "big", "tags": [f"t{i}" for i in range(128)], **{f"p{i}": "v" * 500 for i in range(128)}}
    ).encode()
    v = m.Validator()
    counter = [0]
    stop, started = threading.Event(), threading.Event()

    def other():
        started.set()
        while not stop.is_set():
            counter[0] += 1
            time.sleep(0)  # gives the GIL back, so that this thread cannot keep it

    calls = {
        "Validator.validate": lambda: v.validate(body),
        "Validator.derive": lambda: v.derive(body, **CTX),
        "Validator.answer": lambda: v.answer(body, **CTX),
        "validate": lambda: m.validate(body),
        "derive": lambda: m.derive(body, **CTX),
    }
    old = sys.getswitchinterval()
    sys.setswitchinterval(1000.0)
    t = threading.Thread(target=other)
    try:
        t.start()
        started.wait()
        for name, call in calls.items():
            before = counter[0]
            for _ in range(20_000):
                call()
                if counter[0] != before:
                    break
            assert counter[0] != before, f"{name} never let another thread run"
    finally:
        stop.set()
        sys.setswitchinterval(old)
        t.join()
