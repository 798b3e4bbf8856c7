"""The Python face: the exception's fields, the record, the schemas, the options and
the locales."""

from __future__ import annotations

import datetime as dt
import json
import pickle
import threading
from pathlib import Path

import pytest

import ims_image_meta as m
from conftest import CASE_ID, CASE_NOW, CASE_OWNER

SAMPLE = (Path(__file__).resolve().parents[3] / "examples" / "sample-request.json").read_bytes()
CTX = dict(image_id=CASE_ID, owner=CASE_OWNER, now=CASE_NOW)


def rejection(body, **kw) -> m.ValidationError:
    with pytest.raises(m.ValidationError) as e:
        m.validate(body, **kw)
    return e.value


# --- validate -------------------------------------------------------------------

def test_validate_returns_the_request_with_defaults_and_warnings():
    out = m.validate(b"{}")
    assert out["request"]["min_disk"] == 40
    assert out["request"]["disk_format"] == "vhd"
    assert [(w["pointer"], w["code"]) for w in out["warnings"]] == [
        ("/name", "name_defaulted"),
        ("/__os_version", "os_version_defaulted"),
    ]
    assert all(list(w) == ["pointer", "code", "message", "params"] for w in out["warnings"])


def test_bytes_str_and_bytearray_bodies_agree():
    assert m.validate(SAMPLE) == m.validate(SAMPLE.decode()) == m.validate(bytearray(SAMPLE))


def test_the_request_keeps_the_core_key_order():
    keys = list(m.validate(b'{"zz": "1", "name": "a"}')["request"])
    assert keys[0] == "name" and keys[-1] == "zz"


def test_a_body_of_another_type_is_a_type_error():
    with pytest.raises(TypeError, match="bytes, str, bytearray or memoryview"):
        m.validate(42)  # type: ignore[arg-type]


# --- the exception --------------------------------------------------------------

def test_validation_error_fields():
    e = rejection('{"min_disk": 1, "status": "active", "tags": [5]}')
    assert isinstance(e, ValueError)
    assert e.status == 403
    assert [(v["pointer"], v["code"]) for v in e.violations] == [
        ("/min_disk", "out_of_range"),
        ("/status", "read_only"),
        ("/tags/0", "wrong_type"),
    ]
    for v in e.violations:
        assert list(v) == ["pointer", "code", "message", "ims_code", "params"]
        assert isinstance(v["message"], str) and v["message"]
    assert e.violations[0]["params"] == {"min": 40, "max": 1024, "actual": 1}
    assert e.violations[1]["params"] == {"key": "status"}
    problem = e.to_problem()
    assert (problem["type"], problem["status"]) == ("about:blank", 403)
    assert problem["errors"][0]["params"] == e.violations[0]["params"]
    assert e.violations[0]["ims_code"] == "IMG.0055"
    assert "403" in str(e) and "/min_disk" in str(e)


def test_statuses_400_and_413():
    assert rejection(b"").status == 400
    assert rejection(b"x" * 200_000).status == 413
    assert rejection(b"[1]").violations[0]["code"] == "not_an_object"


def test_to_problem_is_rfc9457_and_a_fresh_copy():
    e = rejection('{"min_disk": 1, "name": 5}')
    p = e.to_problem()
    assert p["type"] == "about:blank"
    assert p["title"] == "Bad Request"
    assert p["status"] == e.status == 400
    assert p["detail"] == "The request body breaks 2 rules."
    assert [(x["pointer"], x["code"]) for x in p["errors"]] == [
        (v["pointer"], v["code"]) for v in e.violations
    ]
    assert [x["detail"] for x in p["errors"]] == [v["message"] for v in e.violations]
    p["errors"].clear()
    assert e.to_problem()["errors"], "to_problem() must hand out a copy"
    json.dumps(p)  # serializable as is


def test_validation_error_pickles_with_its_fields():
    e = rejection('{"min_disk": 1}')
    back = pickle.loads(pickle.dumps(e))
    assert (back.status, back.violations, back.to_problem()) == (e.status, e.violations, e.to_problem())


# --- derive ---------------------------------------------------------------------

def test_derive_the_sample_record():
    r = m.derive(SAMPLE, **CTX)
    assert r["id"] == CASE_ID
    assert r["owner"] == CASE_OWNER
    assert r["created_at"] == r["updated_at"] == "2016-06-02T07:49:48Z"
    assert r["self"] == f"/v2/images/{CASE_ID}"
    assert (r["__platform"], r["__os_bit"], r["__os_type"]) == ("Ubuntu", "64", "Linux")
    assert r["tags"] == ["test", "image"]
    assert r["status"] == "queued"
    assert r["aaaa"] == "11111"


def test_derive_takes_an_aware_datetime():
    utc = dt.datetime(2016, 6, 2, 7, 49, 48, 900_000, tzinfo=dt.timezone.utc)
    plus8 = utc.astimezone(dt.timezone(dt.timedelta(hours=8)))
    for now in (utc, plus8):
        r = m.derive(SAMPLE, image_id=CASE_ID, owner=CASE_OWNER, now=now)
        assert r["created_at"] == "2016-06-02T07:49:48Z"


def test_derive_refuses_a_naive_datetime_a_bool_and_a_bad_context():
    with pytest.raises(ValueError, match="aware"):
        m.derive(SAMPLE, image_id=CASE_ID, owner=CASE_OWNER, now=dt.datetime(2016, 6, 2))
    with pytest.raises(TypeError):
        m.derive(SAMPLE, image_id=CASE_ID, owner=CASE_OWNER, now=True)
    with pytest.raises(ValueError) as e:
        m.derive(SAMPLE, image_id="", owner=CASE_OWNER, now=CASE_NOW)
    assert not isinstance(e.value, m.ValidationError)


def test_derive_raises_validation_error_on_a_bad_body():
    with pytest.raises(m.ValidationError) as e:
        m.derive(b'{"min_disk": 1}', **CTX)
    assert e.value.status == 400


# --- schemas --------------------------------------------------------------------

def test_request_schema():
    s = m.request_schema()
    assert s["type"] == "object"
    assert s["properties"]["min_disk"]["minimum"] == 40
    assert s["properties"]["min_disk"]["maximum"] == 1024
    narrowed = m.request_schema(rules={"min_disk_range": [1, 1024]})
    assert narrowed["properties"]["min_disk"]["minimum"] == 1


def test_record_schema_names_every_field_of_a_record():
    s = m.record_schema()
    record = m.derive(SAMPLE, **CTX)
    required = set(s.get("required", []))
    assert required and required <= set(record)


# --- options --------------------------------------------------------------------

def test_min_disk_range_override():
    assert m.validate(b'{"min_disk": 1}', rules={"min_disk_range": [1, 1024]})["request"]["min_disk"] == 1
    assert m.validate(b'{"min_disk": 1}', rules='{"min_disk_range": [1, 1024]}')["request"]["min_disk"] == 1
    with pytest.raises(ValueError, match="empty"):
        m.validate(b"{}", rules={"min_disk_range": [9, 1]})


def test_knobs_by_name_and_unknown_knobs():
    assert rejection(b'{"tags": ["a", "b", "c", "d"]}', rules={"max_tags": 3}).status == 413
    with pytest.raises(ValueError, match="max_tagz"):
        m.validate(b"{}", rules={"max_tagz": 3})


def test_unknown_profile_and_locale_are_value_errors():
    with pytest.raises(ValueError, match="unknown profile"):
        m.validate(b"{}", profile="nope")
    with pytest.raises(ValueError, match="unknown locale"):
        m.validate(b"{}", locale="xx")
    assert m.PROFILES == ["ims-2022", "huaweicloud", "otc"]
    assert m.LOCALES == ["en", "zh-CN"]


def test_catalog_from_csv_text():
    csv = "os_version,os_type,platform,os_bit\nMy OS 1 64bit,Linux,Other,64\n"
    ok = m.derive(b'{"__os_version": "My OS 1 64bit"}', catalog=csv, **CTX)
    assert (ok["__os_version"], ok["__os_type"]) == ("My OS 1 64bit", "Linux")
    e = rejection(b'{"__os_version": "Ubuntu 14.04 server 64bit"}', catalog=csv)
    assert e.violations[0]["code"] == "unknown_os_version"
    with pytest.raises(TypeError):
        m.validate(b"{}", catalog=5)  # type: ignore[arg-type]


def test_profile_otc():
    assert m.validate(b'{"min_disk": 1}', profile="otc")["request"]["min_disk"] == 1
    with pytest.raises(m.ValidationError):
        m.validate(b'{"min_disk": 1}', profile="ims-2022")


def test_rules_by_name_and_params():
    e = rejection(b'{"tags": ["a", "b"]}', rules={"max_tags": 1})
    assert e.status == 413
    assert e.violations[0]["params"] == {"limit": 1, "actual": 2}
    with pytest.raises(ValueError):
        m.validate(b"{}", rules={"max_tagz": 1})


# --- locales --------------------------------------------------------------------

def test_locale_en_is_english():
    e = rejection(b'{"min_disk": 1}', locale="en")
    assert "must be" in e.violations[0]["message"]


def test_locale_zh_cn_is_chinese():
    e = rejection(b'{"min_disk": 1}', locale="zh-CN")
    msg = e.violations[0]["message"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in msg), msg
    assert e.violations[0]["code"] == "out_of_range"  # codes never change


# --- threads --------------------------------------------------------------------

def test_threads_get_the_same_verdicts():
    want = m.validate(SAMPLE)
    got, errors = [], []

    def work():
        try:
            for _ in range(200):
                got.append(m.validate(SAMPLE) == want)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(got) == 800 and all(got)
